"""HTML that leaves the site: root-relative links and picture sources made absolute."""

import re

_URL_ATTR = re.compile(r'(\s(?:src|href|poster)=")/(?!/)')
_SRCSET = re.compile(r'(\ssrcset=")([^"]*)(")')


def absolute_html(html: str, base: str) -> str:
    """Return ``html`` with root-relative addresses made absolute against ``base``.

    A partner, an API client or a republisher shows the HTML away from the site, where
    "/media/..." points nowhere.
    """
    base = base.rstrip("/") + "/"
    html = _URL_ATTR.sub(lambda m: m.group(1) + base, html)
    return _SRCSET.sub(
        lambda m: m.group(1) + re.sub(r"(^|,\s*)/(?!/)", r"\1" + base, m.group(2)) + m.group(3),
        html,
    )
