/*
 * Wagtail 8's editor autosaves a form in the background; the first autosave of a new
 * page or snippet creates it and only then points the form at its edit view. A Save or
 * Publish clicked while an autosave is on its way (started, or waiting out its 500 ms
 * debounce) went to the create view as a second creation: "The page could not be
 * created due to validation errors" (the slug was the autosaved draft's), or two
 * objects. Here such a click waits for the autosave's answer (the button already
 * shows "Publishing…") and is then sent to wherever the form points; once a form is
 * sent, no further autosave starts.
 *
 * Relies on w-autosave's cancelable "save" event, and its "success" / "error" events
 * after the answer (tests/test_upstream.py).
 */
(() => {
  const FORM = "form[data-edit-form]";
  // A hung autosave must not hold the editor's click for ever.
  const LONGEST_WAIT_MS = 20000;
  const pending = new WeakMap(); // form -> autosaves started and not yet answered
  const sending = new WeakSet(); // forms whose submit has gone
  const held = new WeakMap(); // form -> {submitter fields, timer}

  const count = (form) => pending.get(form) || 0;

  function send(form) {
    const hold = held.get(form);
    if (!hold) return;
    held.delete(form);
    window.clearTimeout(hold.timer);
    // The button that was clicked may be disabled ("Publishing…") or replaced by the
    // edit view's partials by now: its name and value travel as a hidden field.
    if (hold.name) {
      const field = document.createElement("input");
      field.type = "hidden";
      field.name = hold.name;
      field.value = hold.value;
      form.appendChild(field);
    }
    form.requestSubmit();
  }

  const editForm = (event) =>
    event.target instanceof HTMLFormElement && event.target.matches(FORM) ? event.target : null;

  document.addEventListener(
    "w-autosave:save",
    (event) => {
      const form = editForm(event);
      // The form is (about to be) sent with everything in it.
      if (form && (sending.has(form) || held.has(form))) event.preventDefault();
    },
    true,
  );
  // Counted once every listener has had its say: a cancelled save sends nothing and
  // gets no answer.
  document.addEventListener("w-autosave:save", (event) => {
    const form = editForm(event);
    if (form && !event.defaultPrevented) pending.set(form, count(form) + 1);
  });

  const answered = (event) => {
    const form = editForm(event);
    if (!form || !pending.has(form)) return;
    pending.set(form, Math.max(count(form) - 1, 0));
    if (count(form) === 0) send(form);
  };
  document.addEventListener("w-autosave:success", answered, true);
  document.addEventListener("w-autosave:error", answered, true);

  document.addEventListener(
    "submit",
    (event) => {
      const form = editForm(event);
      if (!form) return;
      if (count(form) === 0 && !held.has(form)) {
        sending.add(form);
        return;
      }
      event.preventDefault();
      event.stopImmediatePropagation();
      if (held.has(form)) return; // a second click while held: one submit is enough
      const submitter = event.submitter;
      held.set(form, {
        name: submitter && submitter.name ? submitter.name : "",
        value: submitter && submitter.name ? submitter.value : "",
        timer: window.setTimeout(() => {
          pending.set(form, 0);
          send(form);
        }, LONGEST_WAIT_MS),
      });
    },
    true,
  );
})();
