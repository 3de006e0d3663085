"""Admin pages: an issue's figures and test send; subscribers' CSV import and export."""

import csv
import datetime as dt
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from .addresses import AddressError, normalise
from .models import Issue, Newsletter, Send, Subscriber, Subscription
from .sending import figures, send_test

EXPORT_FIELDS = [
    "email",
    "newsletter",
    "status",
    "source",
    "requested_at",
    "confirmed_at",
    "unsubscribed_at",
]
MAX_IMPORT_BYTES = 20 * 1024 * 1024


def _require(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def figures_chart(rows: list[tuple[str, int]]) -> str:
    """Return a horizontal SVG bar chart of (label, value) rows (no JavaScript)."""
    peak = max((v for _, v in rows), default=0) or 1
    height = 28 * len(rows) + 8
    bars = format_html_join(
        "",
        '<text x="0" y="{}" font-size="13">{}</text>'
        '<rect x="120" y="{}" width="{}" height="18" fill="#2f6690"></rect>'
        '<text x="{}" y="{}" font-size="13">{}</text>',
        (
            (
                28 * i + 20,
                label,
                28 * i + 6,
                round(440 * value / peak, 1),
                round(126 + 440 * value / peak, 1),
                28 * i + 20,
                value,
            )
            for i, (label, value) in enumerate(rows)
        ),
    )
    return format_html(
        '<svg role="img" aria-label="{}" viewBox="0 0 640 {}" width="640" height="{}">{}</svg>',
        _("Figures of this issue"),
        height,
        height,
        bars,
    )


def issue_sending(request, pk: int):
    _require(request, "newsletters.change_issue")
    issue = get_object_or_404(Issue.objects.select_related("newsletter"), pk=pk)
    if request.method == "POST":
        address = request.user.email
        if not address:
            messages.error(request, _("Your account has no e-mail address for the test."))
        else:
            try:
                send_test(issue, address)
            except OSError as exc:
                messages.error(request, _("The test could not be sent: %s") % exc)
            else:
                messages.success(request, _("A test was sent to %s.") % address)
        return HttpResponseRedirect(request.path)
    send = Send.objects.filter(issue=issue).first()
    numbers = figures(send) if send else None
    rows = []
    if numbers:
        rows = [
            (_("Sent"), numbers["sent"]),
            (_("Delivered"), numbers["delivered"]),
            (_("Bounced"), numbers["bounced"]),
            (_("Unsubscribed"), numbers["unsubscribed"]),
        ]
        if issue.newsletter.count_clicks:
            rows.append((_("Clicks"), numbers["clicks"]))
    from .checks import issue_findings

    return TemplateResponse(
        request,
        "newsletters/admin/issue_sending.html",
        {
            "findings": issue_findings(issue),
            "issue": issue,
            "send": send,
            "figures": numbers,
            "rows": rows,
            "chart": figures_chart(rows) if rows else "",
            "edit_url": reverse("wagtailsnippets_newsletters_issue:edit", args=[issue.pk]),
        },
    )


class _Echo:
    def write(self, value):
        return value


def _export_rows(queryset):
    writer = csv.writer(_Echo())
    yield writer.writerow(EXPORT_FIELDS)
    for row in queryset.iterator(chunk_size=2000):
        yield writer.writerow(
            [
                row["subscriber__email"],
                row["newsletter__slug"],
                row["status"],
                row["source"],
                *(row[f].isoformat() if row[f] else "" for f in EXPORT_FIELDS[4:]),
            ]
        )


def subscribers_export(request):
    """Stream every subscription as CSV, with its consent dates (constant memory)."""
    _require(request, "newsletters.view_subscriber")
    queryset = Subscription.objects.order_by("subscriber__email", "newsletter__slug").values(
        "subscriber__email", "newsletter__slug", "status", "source", *EXPORT_FIELDS[4:]
    )
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(_export_rows(queryset), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="subscribers-{stamp}.csv"'
    return response


def import_rows(text: str, newsletter: Newsletter) -> tuple[int, list[str]]:
    """Import ``email,confirmed_at`` rows (a header row names the columns); return
    (how many subscribed, problems by line). A row without a consent date is refused."""
    reader = csv.DictReader(io.StringIO(text))
    fields = {f.strip().lower() for f in reader.fieldnames or []}
    if "email" not in fields or "confirmed_at" not in fields:
        return 0, [_("The first line must name the columns email and confirmed_at.")]
    imported, problems = 0, []
    with transaction.atomic():
        for line, raw in enumerate(reader, start=2):
            row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k}
            try:
                email = normalise(row.get("email", ""))
            except AddressError as exc:
                problems.append(_("Line %(line)d: %(error)s") % {"line": line, "error": exc})
                continue
            consent = (
                parse_datetime(row.get("confirmed_at", "")) if row.get("confirmed_at") else None
            )
            if consent is None:
                problems.append(_("Line %d: no consent date (confirmed_at); not imported.") % line)
                continue
            if timezone.is_naive(consent):
                consent = timezone.make_aware(consent, dt.UTC)
            subscriber, _created = Subscriber.objects.get_or_create(email=email)
            _sub, created = Subscription.objects.get_or_create(
                subscriber=subscriber,
                newsletter=newsletter,
                defaults={
                    "requested_at": consent,
                    "confirmed_at": consent,
                    "source": Subscription.Source.IMPORT,
                },
            )
            if created:
                imported += 1
            else:
                problems.append(_("Line %d: already on this list; left as it is.") % line)
    return imported, problems


def subscribers_import(request):
    _require(request, "newsletters.add_subscriber")
    newsletters = Newsletter.objects.all()
    context = {"newsletters": newsletters, "problems": [], "imported": None}
    if request.method == "POST":
        upload = request.FILES.get("file")
        newsletter = newsletters.filter(pk=request.POST.get("newsletter") or 0).first()
        if upload is None or newsletter is None:
            messages.error(request, _("Choose a list and a CSV file."))
        elif upload.size > MAX_IMPORT_BYTES:
            messages.error(request, _("The file is larger than 20 MB; split it."))
        else:
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                messages.error(request, _("The file is not UTF-8 text. Save it as CSV (UTF-8)."))
            else:
                imported, problems = import_rows(text, newsletter)
                context.update(imported=imported, problems=problems, newsletter=newsletter)
    return TemplateResponse(request, "newsletters/admin/import.html", context)
