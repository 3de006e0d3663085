"""Send an issue from a queue in the database, resumable after a stop or a kill.

Publishing an issue (now, or at its scheduled time) freezes its e-mail in a ``Send``
and queues one ``Delivery`` per confirmed subscriber with one INSERT ... SELECT (the
number of subscribers costs the database, not this process's memory). The background
worker drains the queue with ``send_issue`` in slices of at most
``MASTHEAD_NEWSLETTER_SLICE_SECONDS``, so other tasks (webhooks) are not held up.

Each delivery moves queued -> claimed (a batch, by one worker) -> sending (the one
message on the wire) -> sent. A stop (SIGTERM) finishes the message on the wire and
puts the rest of the batch back: nobody twice, nobody skipped. After a kill (SIGKILL)
the rows of the dead worker go back to the queue. Over SMTP (``mailer``) a message is
recorded as sent just before the final line of DATA, the only moment a server can
accept it, so a row a kill left "sending" was never accepted and is sent again
(counted as ``resent``): nobody twice, nobody skipped, but for the gap between that
record and one ``write`` call. Through a provider's HTTP API (anymail) the answer is
recorded after the call: a kill during the call can mean one duplicate (same
Message-ID). docs/newsletters.md has the test and its figures.

Provider and network errors are retried with growing delays; a refusal of the
address itself (5xx, or the provider's "rejected") unsubscribes it as bounced.
"""

import functools
import logging
import smtplib
import time
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Count, Min, Q, Sum
from django.utils import timezone

from masthead.background import background_task, current_worker_id, stopping
from masthead.background.worker import is_dead

from . import links, mailer
from .models import Delivery, Issue, Send, Subscription
from .rendering import personalise, render_issue
from .subscriptions import sender

logger = logging.getLogger("masthead.newsletters")
BATCH = 50
# Delays before the 1st..5th retry; after the last the delivery is failed.
BACKOFF = (60, 300, 1800, 7200, 21600)
RESENT = "resent after an interrupted attempt"  # the kill came before the server took it


def slice_seconds() -> float:
    return getattr(settings, "MASTHEAD_NEWSLETTER_SLICE_SECONDS", 60)


def start_send(issue: Issue) -> Send:
    """Freeze ``issue`` and queue it for every confirmed subscriber (once per issue)."""
    with transaction.atomic():
        existing = Send.objects.filter(issue=issue).first()
        if existing is not None:
            return existing
        rendered = render_issue(issue)
        send = Send.objects.create(
            issue=issue, subject=rendered.subject, html=rendered.html, text=rendered.text
        )
        if issue.newsletter.count_clicks:
            from .clicks import tracked_links

            send.html = tracked_links(send.html, send.pk, issue.newsletter.site)
            send.save(update_fields=["html"])
        send.total = queue_deliveries(send, issue.newsletter_id)
        send.save(update_fields=["total"])
        transaction.on_commit(lambda: send_issue.enqueue(send.pk))
    logger.info("Issue %s queued for %d subscribers", issue.pk, send.total)
    return send


def queue_deliveries(send: Send, newsletter_id: int) -> int:
    """Insert one queued delivery per confirmed subscriber, in the database alone."""
    delivery = Delivery._meta.db_table
    subscription = Subscription._meta.db_table
    with db_connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {delivery} (send_id, subscriber_id, status, claimed_by, attempts, "  # noqa: S608
            f"message_id, error) SELECT %s, subscriber_id, %s, '', 0, '', '' "
            f"FROM {subscription} WHERE newsletter_id = %s AND status = %s",
            [send.pk, Delivery.Status.QUEUED, newsletter_id, Subscription.Status.SUBSCRIBED],
        )
        return cursor.rowcount


def _release_dead_claims(send: Send, me: str) -> None:
    holders = set(
        Delivery.objects.filter(
            send=send, status__in=[Delivery.Status.CLAIMED, Delivery.Status.SENDING]
        )
        .exclude(claimed_by=me)
        .values_list("claimed_by", flat=True)
        .distinct()
    )
    for holder in holders:
        if not is_dead(holder):
            continue
        mine = Delivery.objects.filter(send=send, claimed_by=holder)
        mine.filter(status=Delivery.Status.CLAIMED).update(
            status=Delivery.Status.QUEUED, claimed_by=""
        )
        resent = mine.filter(status=Delivery.Status.SENDING).update(
            status=Delivery.Status.QUEUED, claimed_by="", error=RESENT
        )
        if resent:
            logger.warning(
                "Send %s: %d message(s) interrupted by a kill are sent again", send.pk, resent
            )


def _claim(send: Send, me: str, size: int) -> list[Delivery]:
    ready = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=timezone.now())
    ids = list(
        Delivery.objects.filter(send=send, status=Delivery.Status.QUEUED)
        .filter(ready)
        .order_by("pk")
        .values_list("pk", flat=True)[:size]
    )
    if not ids:
        return []
    # The status condition makes the claim atomic per row on every database: two
    # workers that read the same ids claim each row once.
    Delivery.objects.filter(pk__in=ids, status=Delivery.Status.QUEUED).update(
        status=Delivery.Status.CLAIMED, claimed_by=me
    )
    return list(
        Delivery.objects.filter(pk__in=ids, status=Delivery.Status.CLAIMED, claimed_by=me)
        .select_related("subscriber")
        .order_by("pk")
    )


def _message_domain() -> str:
    return settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "localhost"


def build_message(send: Send, delivery: Delivery, newsletter, connection=None):
    """Return one reader's message, with their own preference and unsubscribe links."""
    subscriber = delivery.subscriber
    site = newsletter.site
    manage = links.manage_url(site, subscriber)
    unsubscribe = f"{links.unsubscribe_url(site, subscriber, newsletter)}?send={send.pk}"
    host = links.site_base(site).split("://", 1)[-1].split(":")[0]
    headers = {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"{newsletter.name} <{newsletter.slug}.{host}>",
        # The same id for a message sent again after a kill: many mail programs show
        # two messages with one Message-ID once.
        "Message-ID": f"<issue{send.pk}.d{delivery.pk}@{_message_domain()}>",
    }
    if newsletter.reply_to:
        headers["Reply-To"] = newsletter.reply_to
    message = EmailMultiAlternatives(
        subject=send.subject,
        body=personalise(send.text, manage, unsubscribe),
        from_email=sender(newsletter),
        to=[subscriber.email],
        headers=headers,
        connection=connection,
    )
    message.attach_alternative(personalise(send.html, manage, unsubscribe), "text/html")
    return message


def _is_permanent(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500 and not isinstance(exc, smtplib.SMTPSenderRefused)
    try:
        from anymail.exceptions import AnymailRecipientsRefused
    except ImportError:  # pragma: no cover - anymail is a dependency
        return False
    return isinstance(exc, AnymailRecipientsRefused)


def _failed(delivery: Delivery, exc: Exception, newsletter_id: int) -> None:
    error = f"{type(exc).__name__}: {exc}"[:300]
    rows = Delivery.objects.filter(pk=delivery.pk)
    if _is_permanent(exc):
        rows.update(
            status=Delivery.Status.FAILED, error=error, bounced_at=timezone.now(), sent_at=None
        )
        Subscription.objects.filter(
            subscriber_id=delivery.subscriber_id,
            newsletter_id=newsletter_id,
            status=Subscription.Status.SUBSCRIBED,
        ).update(status=Subscription.Status.BOUNCED, unsubscribed_at=timezone.now())
        return
    attempt = delivery.attempts + 1
    if attempt > len(BACKOFF):
        rows.update(status=Delivery.Status.FAILED, attempts=attempt, error=error, sent_at=None)
        return
    rows.update(
        status=Delivery.Status.QUEUED,
        claimed_by="",
        sent_at=None,
        attempts=attempt,
        error=error,
        next_attempt_at=timezone.now() + timedelta(seconds=BACKOFF[attempt - 1]),
    )


def _connection():
    """Return the mail connection for a send: SMTP through ``mailer`` (see its notes)."""
    if settings.EMAIL_BACKEND == mailer.DJANGO_SMTP:
        return get_connection(mailer.__name__ + ".EmailBackend")
    return get_connection()


def _record_sent(rows, message) -> None:
    status = getattr(message, "anymail_status", None)
    rows.update(
        status=Delivery.Status.SENT,
        sent_at=timezone.now(),
        message_id=(getattr(status, "message_id", None) or message.extra_headers["Message-ID"])[
            :200
        ],
    )


def _still_subscribed(batch: list[Delivery], newsletter_id: int) -> set[int]:
    return set(
        Subscription.objects.filter(
            newsletter_id=newsletter_id,
            subscriber_id__in=[d.subscriber_id for d in batch],
            status=Subscription.Status.SUBSCRIBED,
        ).values_list("subscriber_id", flat=True)
    )


def drain(send: Send, me: str, seconds: float | None = None) -> str:
    """Send queued messages until none is ready, the slice is over, or a stop is asked.

    Return "done", "paused" (stop or slice end: more to send now), "waiting" (only
    retries later) or "unavailable" (the mail server could not be reached).
    """
    newsletter = send.issue.newsletter
    ends = time.monotonic() + (slice_seconds() if seconds is None else seconds)
    mail = _connection()
    recorded_before_end = isinstance(mail, mailer.EmailBackend)
    _release_dead_claims(send, me)
    try:
        mail.open()
    except (OSError, smtplib.SMTPException) as exc:
        # The server or provider cannot be reached: nothing was sent, try again later.
        logger.warning("Send %s: mail server unavailable (%s); trying again later", send.pk, exc)
        return "unavailable"
    try:
        while True:
            if stopping() or time.monotonic() > ends:
                return "paused"
            batch = _claim(send, me, BATCH)
            if not batch:
                break
            subscribed = _still_subscribed(batch, newsletter.pk)
            for index, delivery in enumerate(batch):
                if stopping():
                    Delivery.objects.filter(
                        pk__in=[d.pk for d in batch[index:]], status=Delivery.Status.CLAIMED
                    ).update(status=Delivery.Status.QUEUED, claimed_by="")
                    return "paused"
                if delivery.subscriber_id not in subscribed:
                    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.SKIPPED)
                    continue
                message = build_message(send, delivery, newsletter, mail)
                rows = Delivery.objects.filter(pk=delivery.pk)
                rows.update(status=Delivery.Status.SENDING)
                if recorded_before_end:
                    # SMTP: recorded as sent before the server can accept it (mailer.py).
                    message.before_end = functools.partial(_record_sent, rows, message)
                try:
                    mail.send_messages([message])
                except Exception as exc:  # every provider error is recorded, then retried or failed
                    logger.warning(
                        "Send %s to subscriber %s failed: %s", send.pk, delivery.subscriber_id, exc
                    )
                    _failed(delivery, exc, newsletter.pk)
                    mail.close()
                    mail.open()
                    continue
                if not recorded_before_end:
                    _record_sent(rows, message)
    finally:
        mail.close()
    open_rows = Delivery.objects.filter(
        send=send,
        status__in=[Delivery.Status.QUEUED, Delivery.Status.CLAIMED, Delivery.Status.SENDING],
    )
    return "waiting" if open_rows.exists() else "done"


@background_task
def send_issue(send_id: int) -> str:
    """Send (part of) an issue; queue the continuation if work is left."""
    send = Send.objects.select_related("issue__newsletter__site").filter(pk=send_id).first()
    if send is None or send.status in (Send.Status.SENT, Send.Status.CANCELLED):
        return "nothing to do"
    Send.objects.filter(pk=send.pk, status=Send.Status.QUEUED).update(status=Send.Status.SENDING)
    outcome = drain(send, current_worker_id() or "inline")
    if outcome == "done":
        finished = (
            Send.objects.filter(pk=send.pk)
            .exclude(status=Send.Status.SENT)
            .update(status=Send.Status.SENT, finished_at=timezone.now())
        )
        if finished:  # once per issue, even if two runs finish it
            tell_sent(send.pk)
    elif outcome == "paused":
        send_issue.enqueue(send.pk)
    elif outcome == "unavailable":
        send_issue.using(run_after=timezone.now() + timedelta(seconds=BACKOFF[0])).enqueue(send.pk)
    else:
        later = Delivery.objects.filter(send=send, status=Delivery.Status.QUEUED).aggregate(
            at=Min("next_attempt_at")
        )["at"]
        send_issue.using(run_after=later or timezone.now() + timedelta(seconds=60)).enqueue(send.pk)
    return outcome


def tell_sent(send_id: int) -> None:
    """Say that an issue of a public newsletter went out (masthead.core.events: webhooks).

    Only what a subscriber could forward is said: the newsletter, the subject and when;
    never the readers or the message (it carries each reader's own links).
    """
    from masthead.core import events

    send = Send.objects.select_related("issue__newsletter").filter(pk=send_id).first()
    if send is None or not send.issue.newsletter.is_public:
        return
    newsletter = send.issue.newsletter
    events.public_event.send(
        sender=Send,
        event="newsletter.sent",
        data={
            "id": send.issue_id,
            "subject": send.subject,
            "newsletter": {"slug": newsletter.slug, "name": newsletter.name},
            "started_at": send.created_at.isoformat(),
            "sent_at": send.finished_at.isoformat() if send.finished_at else None,
        },
        story_id=None,
    )


def figures(send: Send) -> dict[str, int]:
    """Return the counts an editor sees for one send."""
    counts = dict.fromkeys(Delivery.Status.values, 0)
    for status, number in (
        Delivery.objects.filter(send=send).values_list("status").annotate(n=Count("pk"))
    ):
        counts[status] = number
    deliveries = Delivery.objects.filter(send=send)
    return {
        "total": send.total,
        "sent": counts[Delivery.Status.SENT],
        "queued": counts[Delivery.Status.QUEUED]
        + counts[Delivery.Status.CLAIMED]
        + counts[Delivery.Status.SENDING],
        "failed": counts[Delivery.Status.FAILED],
        "skipped": counts[Delivery.Status.SKIPPED],
        "delivered": deliveries.filter(delivered_at__isnull=False).count(),
        "bounced": deliveries.filter(bounced_at__isnull=False).count(),
        "resent": deliveries.filter(error=RESENT).count(),
        "unsubscribed": Subscription.objects.filter(unsubscribed_by_send=send).count(),
        "clicks": send.clicks.aggregate(n=Sum("count"))["n"] or 0,
    }


def send_test(issue: Issue, address: str) -> None:
    """Send the issue as it would go out now to one address (the editor's), marked TEST."""
    rendered = render_issue(issue)
    newsletter = issue.newsletter
    site = newsletter.site
    manage = links.absolute(site, "newsletters:signup")
    message = EmailMultiAlternatives(
        subject=f"[TEST] {rendered.subject}",
        body=personalise(rendered.text, manage, manage),
        from_email=sender(newsletter),
        to=[address],
    )
    message.attach_alternative(personalise(rendered.html, manage, manage), "text/html")
    message.send()


__all__ = ["drain", "figures", "send_issue", "send_test", "start_send"]
