"""Sign and send one delivery; retry with backoff over a day; pause an endpoint that
keeps failing and tell the administrators.

Signatures follow Standard Webhooks (standardwebhooks.com): headers ``webhook-id``,
``webhook-timestamp`` and ``webhook-signature: v1,<base64 HMAC-SHA256 of
"id.timestamp.body">`` with the endpoint's ``whsec_`` secret. The tests check them
with the reference library. Targets are checked with the importer's SSRF rule
(masthead.core.outbound) and the connection goes to the address that was checked, so
a second DNS answer cannot point it at this machine.
"""

import base64
import datetime as dt
import hashlib
import hmac
import json
import logging
import time
from urllib.parse import urlsplit

import urllib3
from django.conf import settings
from django.utils import timezone

from masthead.core import outbound

from .models import WebhookDelivery, WebhookEndpoint

logger = logging.getLogger("masthead.webhooks")

# After the first attempt: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (about 27.5 h).
RETRY_DELAYS = [5, 300, 1800, 7200, 18000, 36000, 36000]
TIMEOUT = 10.0
USER_AGENT = "Masthead webhooks"


def pause_after() -> int:
    return getattr(settings, "MASTHEAD_WEBHOOK_PAUSE_AFTER", 10)


def retry_delays() -> list[float]:
    return getattr(settings, "MASTHEAD_WEBHOOK_RETRY_DELAYS", RETRY_DELAYS)


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    content = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def check_target(url: str, *, allow_private: bool) -> str:
    """Return why ``url`` may not receive deliveries, or "" if it may."""
    address, error = _resolve(url, allow_private=allow_private)
    return error


def _resolve(url: str, *, allow_private: bool) -> tuple[str, str]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "", "Only http and https addresses can receive webhooks."
    if allow_private:
        return parts.hostname, ""
    try:
        return outbound.resolve_public(
            parts.hostname, outbound.default_port(parts), purpose="send to"
        ), ""
    except outbound.UnsafeAddress as exc:
        return "", str(exc)


def post(url: str, body: bytes, headers: dict, *, allow_private: bool) -> tuple[int | None, str]:
    """POST ``body`` to ``url``; return (status or None, error text)."""
    address, error = _resolve(url, allow_private=allow_private)
    if error:
        return None, error
    parts = urlsplit(url)
    pool = outbound.pinned_pool(parts, address, urllib3.Timeout(connect=TIMEOUT, read=TIMEOUT))
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = {**headers, "Host": parts.netloc.rsplit("@", 1)[-1], "User-Agent": USER_AGENT}
    try:
        response = pool.urlopen("POST", path, body=body, headers=headers, redirect=False)
        return response.status, ""
    except urllib3.exceptions.HTTPError as exc:
        return None, f"{exc.__class__.__name__}"[:300]
    finally:
        pool.close()


def attempt(delivery: WebhookDelivery) -> bool:
    """Make one attempt at ``delivery``; record it; return whether it was delivered."""
    endpoint = delivery.endpoint
    body = json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(endpoint.secret, delivery.message_id, timestamp, body),
    }
    started = time.perf_counter()
    status, error = post(endpoint.url, body, headers, allow_private=endpoint.allow_private_address)
    delivery.attempts += 1
    delivery.last_response_ms = int((time.perf_counter() - started) * 1000)
    delivery.last_status_code = status
    ok = status is not None and 200 <= status < 300
    delivery.last_error = "" if ok else (error or f"HTTP {status}")
    now = timezone.now()
    if ok:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = now
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=0)
    else:
        delays = retry_delays()
        if delivery.attempts > len(delays):
            delivery.status = WebhookDelivery.Status.FAILED
        else:
            delivery.next_attempt_at = now + dt.timedelta(seconds=delays[delivery.attempts - 1])
        _count_failure(endpoint)
    delivery.save()
    logger.info(
        "Webhook %s %s to %s: %s in %d ms",
        delivery.event,
        delivery.message_id,
        endpoint.url,
        status or delivery.last_error,
        delivery.last_response_ms,
    )
    return ok


def _count_failure(endpoint: WebhookEndpoint) -> None:
    from django.db.models import F

    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        consecutive_failures=F("consecutive_failures") + 1
    )
    endpoint.refresh_from_db(fields=["consecutive_failures", "paused_at"])
    if endpoint.paused_at is None and endpoint.consecutive_failures >= pause_after():
        endpoint.paused_at = timezone.now()
        endpoint.save(update_fields=["paused_at"])
        tell_administrators(endpoint)


def tell_administrators(endpoint: WebhookEndpoint) -> None:
    """E-mail the site's administrators that ``endpoint`` was paused (and log it)."""
    from django.contrib.auth import get_user_model
    from django.core.mail import send_mail

    logger.warning(
        "Webhook endpoint %s (%s) paused after %d failed deliveries in a row",
        endpoint.name,
        endpoint.url,
        endpoint.consecutive_failures,
    )
    recipients = list(
        get_user_model()
        .objects.filter(is_superuser=True, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not recipients:
        return
    try:
        send_mail(
            f"Webhooks to {endpoint.name} are paused",
            f"Deliveries to {endpoint.url} failed {endpoint.consecutive_failures} times in a "
            "row, so Masthead stopped sending to it. Its deliveries wait in the queue. "
            "Check the address with the partner, then open Settings > Webhooks, tick "
            "'active' and save to resume.",
            None,
            recipients,
        )
    except Exception:
        logger.exception("Could not e-mail the administrators about a paused webhook")
