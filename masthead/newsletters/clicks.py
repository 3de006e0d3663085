"""Counting clicks on a newsletter's links, when the newsroom turns it on for a list.

No cookie, no per-reader record, no address: a link in the e-mail goes through
``/newsletters/click/SEND/?u=URL&s=SIGNATURE`` and one count per link per day is kept
(``LinkClick``). As with Popular's reader counts, a click is counted once per reader and
day by a key built from the client's address and browser with a salt that changes every
day and is never stored, so yesterday's keys cannot be linked to today's. The signature
means the address cannot send readers anywhere else (no open redirect).
"""

import hashlib
import re
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from masthead.core import state

from .links import site_base
from .models import LinkClick

SALT = "masthead.newsletters.click"


def signature(send_id: int, url: str) -> str:
    return salted_hmac(SALT, f"{send_id}|{url}").hexdigest()[:32]


def is_signed(send_id: int, url: str, given: str) -> bool:
    return constant_time_compare(signature(send_id, url), given or "")


def tracked_links(html: str, send_id: int, site) -> str:
    """Send every http(s) link in ``html`` through the counting address."""
    base = site_base(site)

    def wrap(match):
        url = match.group(1).replace("&amp;", "&")
        query = urlencode({"u": url, "s": signature(send_id, url)})
        return f'href="{base}/newsletters/click/{send_id}/?{query.replace("&", "&amp;")}"'

    return re.sub(r'href="(https?://[^"]+)"', wrap, html)


def count(send_id: int, url: str, client: str, agent: str) -> bool:
    """Count one click; return False when this reader was counted today already."""
    today = timezone.localdate()
    daily = hashlib.sha256(f"{settings.SECRET_KEY}|{SALT}|{today.isoformat()}".encode()).digest()
    reader = hashlib.sha256(daily + f"|{client}|{agent}|{send_id}|{url}".encode()).hexdigest()
    if not state.store().add(f"newsletter-click:{reader}", 1, 26 * 3600):
        return False
    row, _ = LinkClick.objects.get_or_create(send_id=send_id, url=url[:500], day=today)
    LinkClick.objects.filter(pk=row.pk).update(count=F("count") + 1)
    return True
