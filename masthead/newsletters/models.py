"""Newsletters (lists), their subscribers, issues, and the queue that sends them.

Nothing is stored about an address until its owner confirms: the sign-up's confirmation
link carries the address and the lists, signed (tokens.py). A subscriber is the
normalised address and a secret for their links; each subscription keeps its consent
dates. Deleting a subscriber deletes every row about them (subscriptions, deliveries).
"""

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    PreviewableMixin,
    RevisionMixin,
    Site,
)

from .blocks import IssueBodyBlock


def _secret() -> str:
    return secrets.token_urlsafe(16)


class Newsletter(models.Model):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100, help_text=_("For example 'Morning briefing'."))
    slug = models.SlugField(max_length=60)
    description = models.CharField(
        max_length=300, blank=True, help_text=_("One sentence on the sign-up form.")
    )
    from_name = models.CharField(
        max_length=100, blank=True, help_text=_("Sender name. Empty: the site's name.")
    )
    from_email = models.EmailField(
        blank=True, help_text=_("Sender address. Empty: DEFAULT_FROM_EMAIL.")
    )
    reply_to = models.EmailField(blank=True)
    is_public = models.BooleanField(
        default=True, help_text=_("Offered on the sign-up form and the preference page.")
    )
    count_clicks = models.BooleanField(
        default=False,
        help_text=_(
            "Count clicks on links (no cookie, no per-reader record: a daily count per "
            "link). Opens are never counted."
        ),
    )
    digest_enabled = models.BooleanField(
        default=False,
        verbose_name=_("automatic digest"),
        help_text=_(
            "Send the day's new stories every day at the time below; days with none are skipped."
        ),
    )
    digest_time = models.TimeField(default="07:00", help_text=_("In the site's time zone."))
    digest_section = models.ForeignKey(
        "sections.SectionPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Only stories of this section. Empty: every section."),
    )
    digest_last_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    sort_order = models.IntegerField(default=0)

    panels = [
        FieldPanel("site"),
        FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("from_name"), FieldPanel("from_email"), FieldPanel("reply_to")]),
        FieldRowPanel([FieldPanel("is_public"), FieldPanel("count_clicks")]),
        MultiFieldPanel(
            [FieldPanel("digest_enabled"), FieldPanel("digest_time"), FieldPanel("digest_section")],
            heading=_("Automatic digest"),
        ),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["site", "slug"], name="newsletter_unique_slug")
        ]

    def __str__(self) -> str:
        return self.name


class Subscriber(models.Model):
    email = models.EmailField(max_length=254, unique=True)
    secret = models.CharField(max_length=32, default=_secret, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email


class Subscription(models.Model):
    class Status(models.TextChoices):
        SUBSCRIBED = "subscribed", _("Subscribed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        BOUNCED = "bounced", _("Bounced")
        COMPLAINED = "complained", _("Complained")

    class Source(models.TextChoices):
        FORM = "form", _("Sign-up form")
        IMPORT = "import", _("Import")
        ADMIN = "admin", _("Admin")

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    newsletter = models.ForeignKey(
        Newsletter, on_delete=models.CASCADE, related_name="subscriptions"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBSCRIBED)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.FORM)
    requested_at = models.DateTimeField(help_text=_("When the sign-up was asked for."))
    confirmed_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Consent: when the link in the e-mail was confirmed.")
    )
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_by_send = models.ForeignKey(
        "Send", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "newsletter"], name="subscription_unique")
        ]
        indexes = [models.Index(fields=["newsletter", "status"])]

    def __str__(self) -> str:
        return f"{self.subscriber} – {self.newsletter}"


class Issue(DraftStateMixin, LockableMixin, RevisionMixin, PreviewableMixin, models.Model):
    """One issue of a newsletter; publishing it (now or at its scheduled time) sends it."""

    newsletter = models.ForeignKey(Newsletter, on_delete=models.PROTECT, related_name="issues")
    subject = models.CharField(max_length=150)
    preheader = models.CharField(
        max_length=150,
        blank=True,
        help_text=_("The line mail programs show after the subject. Empty: the intro's start."),
    )
    intro = RichTextField(
        features=["bold", "italic", "link"], blank=True, help_text=_("Written by an editor.")
    )
    body = StreamField(IssueBodyBlock(), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="newsletter_issue")

    panels = [
        FieldPanel("newsletter"),
        FieldPanel("subject"),
        FieldPanel("preheader"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject

    @property
    def revisions(self):
        return self._revisions

    def clean(self):
        """Refuse to save what the newsroom's blocking editorial checks refuse in a story."""
        super().clean()
        from django.core.exceptions import ValidationError

        from .checks import blocking_findings

        problems = blocking_findings(self)
        if problems:
            raise ValidationError(
                [f"{f.message} ({f.text})" if f.text else f.message for f in problems]
            )

    def state(self) -> str:
        """Return where the issue stands: draft, scheduled, sending n of m, sent."""
        from django.utils.formats import date_format

        send = Send.objects.filter(issue=self).first()
        if send is not None:
            if send.status == Send.Status.SENT:
                return _("Sent")
            done = send.deliveries.exclude(
                status__in=[
                    Delivery.Status.QUEUED,
                    Delivery.Status.CLAIMED,
                    Delivery.Status.SENDING,
                ]
            ).count()
            return _("Sending %(done)d of %(total)d") % {"done": done, "total": send.total}
        scheduled = self.scheduled_revision if hasattr(self, "scheduled_revision") else None
        if scheduled is not None and scheduled.approved_go_live_at:
            return _("Scheduled for %(when)s") % {
                "when": date_format(scheduled.approved_go_live_at, "DATETIME_FORMAT")
            }
        return _("Draft")

    state.short_description = _("State")

    def get_preview_template(self, request, mode_name):
        return "newsletters/email/issue.html"

    def get_preview_context(self, request, mode_name):
        from .rendering import preview_context

        return preview_context(self, request)

    def serve_preview(self, request, mode_name):
        from django.http import HttpResponse

        from .rendering import render_issue

        return HttpResponse(render_issue(self, preview=True).html)


class Send(models.Model):
    """The sending of one issue: its frozen e-mail and the counts of its queue."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")

    issue = models.OneToOneField(Issue, on_delete=models.CASCADE, related_name="send")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    subject = models.CharField(max_length=150)
    html = models.TextField()
    text = models.TextField()
    total = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.subject} ({self.get_status_display()})"


class Delivery(models.Model):
    """One message of a send, to one subscriber: the queue the worker drains."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        CLAIMED = "claimed", _("Claimed by a worker")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped (unsubscribed meanwhile)")

    send = models.ForeignKey(Send, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    claimed_by = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=200, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    bounced_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["send", "subscriber"], name="delivery_unique")
        ]
        indexes = [
            models.Index(fields=["send", "status"]),
            models.Index(fields=["message_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.send_id}:{self.subscriber_id} {self.status}"


class LinkClick(models.Model):
    """Clicks on one link of one send on one day: no reader, no cookie, no address."""

    send = models.ForeignKey(Send, on_delete=models.CASCADE, related_name="clicks")
    url = models.URLField(max_length=500)
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["send", "url", "day"], name="linkclick_unique")
        ]

    def __str__(self) -> str:
        return f"{self.url} {self.day}: {self.count}"


def default_from_email() -> str:
    return settings.DEFAULT_FROM_EMAIL
