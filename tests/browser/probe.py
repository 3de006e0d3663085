"""Detect script that runs, or could run, in a page Chromium has loaded.

Four independent signals, any of which is a finding:

- a sentinel installed before any page script (``add_init_script``, every frame)
  records calls to alert, confirm, prompt, print, open, document.write and string
  timers, the payloads of nearly every vector in the corpus;
- Playwright's ``dialog`` event, in case a frame escaped the sentinel;
- Chromium's debugger reports every script compiled in the page's own world: an
  inline script, an event handler that fired, a ``javascript:`` URL. Reader pages
  carry no JavaScript at all, so any such script is injected;
- a scan of the loaded DOM for what would run on a click, a hover or a focus: event
  handler attributes, ``javascript:``/``data:`` URLs in link-like attributes, script
  elements other than JSON-LD, frames, objects, embeds, ``<base>`` and meta refresh.
"""

from dataclasses import dataclass, field
from urllib.parse import unquote

SENTINEL_JS = r"""
(() => {
  if (window.__mastheadSentinel) return;
  const hits = [];
  Object.defineProperty(window, '__mastheadSentinel', { value: hits });
  const note = (what, args) => {
    let text;
    try { text = Array.from(args, String).join(',').slice(0, 120); } catch (e) { text = '?'; }
    hits.push(`${what}(${text})`);
  };
  for (const name of ['alert', 'confirm', 'prompt', 'print', 'open']) {
    window[name] = function () { note(name, arguments); return null; };
  }
  for (const name of ['write', 'writeln']) {
    Document.prototype[name] = function () { note('document.' + name, arguments); };
  }
  for (const name of ['setTimeout', 'setInterval']) {
    const original = window[name];
    window[name] = function (handler, ...rest) {
      if (typeof handler === 'string') { note(name, [handler]); return 0; }
      return original.call(this, handler, ...rest);
    };
  }
})();
//# sourceURL=masthead-sentinel.js
"""

DOM_SCAN_JS = r"""
() => {
  const out = [];
  const URL_ATTRS = new Set(['href', 'src', 'action', 'formaction', 'data', 'poster',
    'background', 'srcdoc', 'lowsrc', 'dynsrc', 'codebase', 'code', 'classid', 'archive',
    'longdesc', 'usemap', 'ping', 'manifest', 'icon', 'to', 'from', 'by', 'values', 'srcset']);
  const FRAMES = new Set(['iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base',
    'portal', 'fencedframe']);
  const scriptish = (value) => /^(javascript|vbscript|livescript|data:(text\/html|image\/svg|application\/(x?html|xml)))/i
    .test(value.replace(/[\u0000-\u0020]+/g, '').replace(/&(colon|tab|newline);?/gi, ''));
  const show = (el) => (el.outerHTML || el.localName).slice(0, 160);
  for (const el of document.getElementsByTagName('*')) {
    const tag = (el.localName || '').toLowerCase();
    if (tag === 'script' && el.getAttribute('type') !== 'application/ld+json') {
      out.push('script element: ' + show(el));
    } else if (FRAMES.has(tag)) {
      out.push(tag + ' element: ' + show(el));
    } else if (tag === 'meta' && /refresh|set-cookie|content-security/i.test(el.getAttribute('http-equiv') || '')) {
      out.push('meta http-equiv: ' + show(el));
    } else if (tag === 'link' && /import|preload|prefetch|modulepreload/i.test(el.getAttribute('rel') || '')) {
      out.push('link: ' + show(el));
    }
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on')) out.push(`handler ${name} on ${tag}: ` + show(el));
      else if ((URL_ATTRS.has(name) || name.endsWith(':href')) && scriptish(attr.value)) {
        out.push(`script URL in ${tag}[${name}]: ` + attr.value.slice(0, 120));
      } else if (name === 'style' && /expression\s*\(|javascript:|behavior\s*:|-moz-binding/i.test(attr.value)) {
        out.push(`script in style of ${tag}: ` + attr.value.slice(0, 120));
      }
    }
  }
  return out;
}
"""

CHECK_JS = r"""
([checks, scan]) => {
  const texts = checks.map(([selector, attribute]) => {
    const el = document.querySelector(selector);
    if (!el) return null;
    return attribute ? el.getAttribute(attribute) : el.textContent;
  });
  return { hits: Array.from(window.__mastheadSentinel || []), dom: scan(), texts };
}
"""


READABLE_FRAMES = ("http:", "https:", "about:", "data:", "blob:")


def normal(text: str | None) -> str | None:
    """Return text as an HTML parser and a reader see it: one space per run of whitespace.

    The parser turns NUL and other C0 controls into U+FFFD or drops them; both sides are
    compared with control characters removed.
    """
    if text is None:
        return None
    text = "".join(ch for ch in text if ch >= " " or ch in "\t\n\r\f").replace("\ufffd", "")
    return " ".join(text.split())


def same_url(a: str, b: str) -> bool:
    """Return whether two URLs are the same once the browser's percent-encoding is undone."""
    return unquote(a) == unquote(b)


@dataclass
class Visit:
    url: str
    findings: list[str] = field(default_factory=list)


class InjectionProbe:
    """One Playwright page that loads pages and reports anything that runs or could run."""

    def __init__(self, page):
        self.page = page
        self.events: list[str] = []
        self.status: int | None = None
        # Events after the last finished visit belong to the next one (or are late).
        self._mark = 0
        page.add_init_script(SENTINEL_JS)
        page.on("dialog", self._dialog)
        page.on("response", self._response)
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.on("Debugger.scriptParsed", self._script)
        self.cdp.send("Debugger.enable")

    def _dialog(self, dialog) -> None:
        self.events.append(f"dialog {dialog.type}: {dialog.message[:120]}")
        dialog.dismiss()

    def _response(self, response) -> None:
        if response.request.is_navigation_request() and response.frame == self.page.main_frame:
            self.status = response.status

    def _script(self, event: dict) -> None:
        aux = event.get("executionContextAuxData") or {}
        url = event.get("url") or ""
        # Playwright's own evaluate() calls compile with an empty URL; the sentinel
        # names itself; isolated worlds belong to Playwright and to Chromium's viewers.
        if aux.get("type") == "default" and url and url != "masthead-sentinel.js":
            self.events.append(f"script compiled in the page: {url[:120]}")

    def start(self, url: str) -> None:
        """Begin loading ``url`` without waiting, so several pages load at once."""
        self.status = None
        self.page.evaluate("url => window.location.assign(url)", url)

    def finish(self, url: str, texts=()) -> Visit:
        """Wait for the page ``start`` began; return what ran or could run, and every
        expected text that came out changed.

        ``texts`` holds (CSS selector, attribute or None, expected text) triples: the
        hostile value must come out as exactly that text, which shows it was escaped.
        """
        visit = Visit(url)
        try:
            self.page.wait_for_url(lambda u: same_url(u, url), wait_until="load", timeout=60_000)
        except Exception as error:
            visit.findings.append(f"did not load: {str(error).splitlines()[0][:160]}")
            return self._close(visit)
        if self.status != 200:
            visit.findings.append(f"HTTP {self.status}")
        checks = [[selector, attribute] for selector, attribute, _ in texts]
        result = self.page.evaluate(
            f"([checks]) => ({CHECK_JS})([checks, {DOM_SCAN_JS}])", [checks]
        )
        visit.findings += [f"sentinel {hit}" for hit in result["hits"]]
        visit.findings += result["dom"]
        for frame in self.page.frames[1:]:
            # The scan already reports the frame itself; what ran inside it counts too.
            # Error pages and view-source: frames have no page world to ask: Playwright
            # would wait for one for ever.
            if not frame.url.startswith(READABLE_FRAMES):
                continue
            try:
                hits = frame.evaluate("() => Array.from(window.__mastheadSentinel || [])")
            except Exception as error:
                hits = [f"frame not readable: {error}"[:160]]
            visit.findings += [f"sentinel in a frame: {hit}" for hit in hits]
        for (selector, attribute, expected), actual in zip(texts, result["texts"], strict=True):
            if normal(actual) != normal(expected):
                where = f"{selector}[{attribute}]" if attribute else selector
                shown = normal(actual)[:80] if actual is not None else None
                visit.findings.append(
                    f"text of {where} changed: expected {normal(expected)[:80]!r}, got {shown!r}"
                )
        if not same_url(self.page.url, url):
            visit.findings.append(f"navigated away to {self.page.url[:120]}")
        return self._close(visit)

    def _close(self, visit: Visit) -> Visit:
        visit.findings += self.events[self._mark :]
        self._mark = len(self.events)
        return visit

    def late_events(self) -> list[str]:
        """Return what arrived after the last visit was checked."""
        return self.events[self._mark :]

    def visit(self, url: str, texts=()) -> Visit:
        self.start(url)
        return self.finish(url, texts)


class ProbePool:
    """Several probes in one browser context, loading pages side by side.

    The server renders one page while Chromium parses another: about twice the pages
    per second of one tab on two cores.
    """

    def __init__(self, context, size: int = 3):
        self.probes = [InjectionProbe(context.new_page()) for _ in range(size)]

    def late_events(self) -> list[str]:
        return [event for probe in self.probes for event in probe.late_events()]

    def run(self, jobs: list[tuple[str, list]]) -> list[Visit]:
        """Load every (url, texts) job; return the visits in the order given."""
        results: dict[int, Visit] = {}
        free = list(self.probes)
        active: list[tuple[InjectionProbe, int]] = []
        queue = list(enumerate(jobs))
        queue.reverse()
        while queue or active:
            while queue and free:
                index, (url, _texts) = queue.pop()
                probe = free.pop(0)
                probe.start(url)
                active.append((probe, index))
            probe, index = active.pop(0)
            url, texts = jobs[index]
            results[index] = probe.finish(url, texts)
            free.append(probe)
        return [results[i] for i in range(len(jobs))]
