/* Live page: fetch new entries without reloading, without moving what the reader reads.

   The page works without this script: "Check for new entries" reloads it. With the
   script, the page asks its updates endpoint (one cached answer per page) every
   `data-live-interval` seconds (default 15) and inserts the entries it has not shown,
   in time order (pinned ones among the pinned), replaces entries that changed (a
   correction: their version moved) and removes entries that are no longer published.
   Changing the page above the reader's position would move the text, so the scroll
   position is corrected by the height added or taken above the first visible entry.
   Changes are announced politely in the status line; focus is never moved, and an
   entry holding the focus is left as it is until the focus leaves it. */
(function () {
  "use strict";
  var root = document.querySelector("[data-live-updates]");
  if (!root || !window.fetch || !window.DOMParser) return;
  var list = root.querySelector(".live__entries");
  var status = root.querySelector(".live__announce");
  if (!list || !status) return;
  var url = root.getAttribute("data-live-updates");
  var interval = Math.max(2, parseInt(root.getAttribute("data-live-interval") || "15", 10)) * 1000;
  var state = root.getAttribute("data-live-state");
  var timer = null;
  // Keep the browser's own scroll anchoring out of it: the correction below is exact.
  list.style.overflowAnchor = "none";

  function text(name, fallback) {
    return root.getAttribute("data-live-" + name) || fallback;
  }

  function shown(id) {
    return document.getElementById(id) !== null;
  }

    function parse(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    return doc.body.firstElementChild;
  }

  // Newest first, as the server orders them: by time, then by id (two entries saved
  // within the same minute share a time).
  function key(el) {
    return [Date.parse(el.getAttribute("data-published")) || 0, parseInt(el.getAttribute("data-entry-id"), 10) || 0];
  }

  function newer(a, b) {
    return a[0] !== b[0] ? a[0] > b[0] : a[1] > b[1];
  }

  function insert(node, container) {
    var mine = key(node);
    var entries = container.querySelectorAll(".entry");
    for (var i = 0; i < entries.length; i++) {
      if (newer(mine, key(entries[i]))) {
        container.insertBefore(node, entries[i]);
        return;
      }
    }
    container.appendChild(node);
  }

  function pinnedList() {
    var box = root.querySelector(".live__pinned");
    if (!box) {
      box = document.createElement("div");
      box.className = "live__pinned";
      list.parentNode.insertBefore(box, list);
    }
    return box;
  }

  function place(node, pinned) {
    if (!pinned) { insert(node, list); return; }
    insert(node, pinnedList());
  }

  // Every entry on the page, pinned ones first, in reading order.
  function allEntries() {
    return Array.prototype.slice.call(root.querySelectorAll(".live__feed .entry"));
  }

  // An entry the reader is in (focus inside it) is left alone until they leave it.
  function busy(el) {
    var active = document.activeElement;
    return active && active !== document.body && el.contains(active);
  }

  function say(parts) {
    if (parts.length) status.textContent = parts.join(" ");
  }

  function count(n, one, many, oneFallback, manyFallback) {
    return n === 1 ? text(one, oneFallback) : n + " " + text(many, manyFallback);
  }

  function apply(data) {
    var versions = data.versions || {};
    var byId = {};
    data.entries.forEach(function (e) { byId[e.id] = e; });
    // What changes: entries gone from the page's visible ones, entries whose version
    // moved (and whose new HTML came), entries not shown yet.
    var gone = [], changed = [], fresh = [];
    allEntries().forEach(function (el) {
      if (busy(el)) return;
      if (data.versions && !Object.prototype.hasOwnProperty.call(versions, el.id)) {
        gone.push(el);
      } else if (byId[el.id] && byId[el.id].version && el.getAttribute("data-version") !== byId[el.id].version) {
        changed.push([el, byId[el.id]]);
      }
    });
    data.entries.forEach(function (e) { if (!shown(e.id)) fresh.push(e); });
    if (gone.length || changed.length || fresh.length) {
      // Keep the first entry the reader sees where it is on the screen.
      var anchorId = null, before = 0;
      var entries = allEntries();
      for (var i = 0; i < entries.length; i++) {
        if (gone.indexOf(entries[i]) === -1 && entries[i].getBoundingClientRect().bottom > 0) {
          anchorId = entries[i].id;
          before = entries[i].getBoundingClientRect().top;
          break;
        }
      }
      var empty = list.querySelector(".live__empty");
      if (empty && fresh.length) empty.remove();
      gone.forEach(function (el) { el.remove(); });
      changed.forEach(function (pair) {
        var node = parse(pair[1].html);
        if (!node) return;
        var wasPinned = pair[0].parentNode !== list;
        if (wasPinned === pair[1].pinned) {
          pair[0].parentNode.replaceChild(node, pair[0]);
        } else {
          pair[0].remove();
          place(node, pair[1].pinned);
        }
      });
      // Oldest first, so each lands above the ones already in place.
      fresh.reverse().forEach(function (e) {
        var node = parse(e.html);
        if (node) place(node, e.pinned);
      });
      var pinnedBox = root.querySelector(".live__pinned");
      if (pinnedBox && !pinnedBox.querySelector(".entry")) pinnedBox.remove();
      var anchor = anchorId && document.getElementById(anchorId);
      if (anchor) {
        var moved = anchor.getBoundingClientRect().top - before;
        if (moved) window.scrollBy(0, moved);
      }
      var parts = [];
      if (fresh.length) parts.push(count(fresh.length, "one", "many", "1 new entry.", "new entries."));
      if (changed.length) parts.push(count(changed.length, "updated-one", "updated-many", "1 entry updated.", "entries updated."));
      if (gone.length) parts.push(count(gone.length, "removed-one", "removed-many", "1 entry removed.", "entries removed."));
      say(parts);
    }
    if (data.state !== state) {
      state = data.state;
      root.setAttribute("data-live-state", state);
      if (state === "ended") {
        status.textContent = text("ended", "Live coverage has ended.");
        stop();
      }
    }
  }

  function poll() {
    fetch(url, { cache: "no-cache", credentials: "omit", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) apply(data); })
      .catch(function () { /* Offline for a moment: the next poll tries again. */ });
  }

  function start() { if (!timer && state !== "ended") timer = window.setInterval(poll, interval); }
  function stop() { if (timer) { window.clearInterval(timer); timer = null; } }

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) { stop(); } else { poll(); start(); }
  });
  start();
})();
