"""Who is asking: a reader to count, or a bot, a prefetch or the newsroom's own staff.

Used by every cookieless count (Popular's beacon, the republished copies' pixel), so
both ignore the same requests and see the same client address.
"""

import datetime as dt
import re
import secrets

from django.conf import settings

BOT_PATTERN = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|archiver|fetcher|preview|facebookexternalhit|embedly|"
    r"curl/|wget/|python|httpx|aiohttp|go-http|java/|libwww|okhttp|scrapy|headless|"
    r"lighthouse|pagespeed|phantomjs|node-fetch|axios|monitor|pingdom|uptime|check_http",
    re.IGNORECASE,
)
PREFETCH_HEADERS = ("HTTP_SEC_PURPOSE", "HTTP_PURPOSE", "HTTP_X_PURPOSE", "HTTP_X_MOZ")


def refusal(request) -> str:
    """Return why ``request`` must not be counted, or an empty string if it counts."""
    if request.method != "GET":
        return "method"
    for header in PREFETCH_HEADERS:
        if "prefetch" in request.META.get(header, "").lower():
            return "prefetch"
    agent = request.META.get("HTTP_USER_AGENT", "")
    if not agent.strip() or BOT_PATTERN.search(agent):
        return "bot"
    # The user is only loaded when a session cookie came with the request.
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and (user.is_staff or user.has_perm("wagtailadmin.access_admin"))
        ):
            return "staff"
    return ""


SALT_SECONDS = 2 * 86400


def daily_salt(namespace: str, day: dt.date) -> str:
    """Return a random salt for ``day``, the same in every process, gone after two days.

    Kept in the shared store (masthead.core.state) with an expiry, never beside the
    counts: once it has expired, a digest made with it cannot be linked to an address.
    """
    from masthead.core import state

    store = state.store()
    key = f"mh:salt:{namespace}:{day.isoformat()}"
    store.add(key, secrets.token_hex(32), timeout=SALT_SECONDS)
    salt = store.get(key)
    if not salt:  # the store lost it between the two calls: a salt for this request only
        salt = secrets.token_hex(32)
    return salt
