"""What a desk needs at a glance on the admin's first screen, each item one click from its editor.

Plain queries over the content model, bounded by ``LIMIT`` rows each, so the dashboard
costs the same for 100 stories as for 100,000.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.models import Revision, WorkflowState

from masthead.articles.models import ArticlePage, Correction
from masthead.discovery.models import ArticleView

LIMIT = 6
# Stories with unsaved-to-live changes checked for blocking findings, newest change first:
# the editorial checks take milliseconds per story, so the screen checks a fixed number.
CHECKED = 12


@dataclass
class DeskItem:
    page_id: int
    title: str
    note: str = ""
    when: dt.datetime | None = None


def _story_type() -> ContentType:
    return ContentType.objects.get_for_model(ArticlePage)


def scheduled_today(now: dt.datetime | None = None) -> list[DeskItem]:
    """Return the stories due to go live from now until the end of today, soonest first."""
    now = now or timezone.now()
    end = timezone.localtime(now).replace(hour=23, minute=59, second=59)
    revisions = (
        Revision.page_revisions.filter(
            approved_go_live_at__gte=now,
            approved_go_live_at__lte=end,
            content_type=_story_type(),
        )
        .order_by("approved_go_live_at")
        .values_list("object_id", "approved_go_live_at")[:LIMIT]
    )
    titles = dict(
        ArticlePage.objects.filter(pk__in=[int(pk) for pk, _ in revisions]).values_list(
            "pk", "draft_title"
        )
    )
    return [
        DeskItem(int(pk), titles.get(int(pk), ""), when=when)
        for pk, when in revisions
        if int(pk) in titles
    ]


def waiting_for_an_editor() -> list[DeskItem]:
    """Return stories in moderation, then drafts never published, latest change first."""
    states = (
        WorkflowState.objects.active()
        .filter(content_type=_story_type())
        .order_by("-created_at")
        .values_list("object_id", flat=True)[:LIMIT]
    )
    in_review = [int(pk) for pk in states]
    drafts = list(
        ArticlePage.objects.filter(live=False, first_published_at__isnull=True)
        .exclude(pk__in=in_review)
        .order_by("-latest_revision_created_at")
        .values_list("pk", flat=True)[: LIMIT - len(in_review)]
    )
    titles = dict(
        ArticlePage.objects.filter(pk__in=in_review + drafts).values_list("pk", "draft_title")
    )
    return [DeskItem(pk, titles[pk], "in review") for pk in in_review if pk in titles] + [
        DeskItem(pk, titles[pk], "draft") for pk in drafts if pk in titles
    ]


def most_read_today() -> list[DeskItem]:
    """Return the most-read live stories of the last 24 hours."""
    ranking = ArticleView.objects.most_read(days=1, limit=LIMIT)
    titles = dict(
        ArticlePage.objects.live()
        .filter(pk__in=[pk for pk, _ in ranking])
        .values_list("pk", "title")
    )
    return [
        DeskItem(pk, titles[pk], f"{round(views)} views") for pk, views in ranking if pk in titles
    ]


def latest_corrections() -> list[DeskItem]:
    """Return the newest corrections, with the story each belongs to."""
    rows = Correction.objects.select_related("page").order_by("-published_at", "-pk")[:LIMIT]
    return [DeskItem(c.page_id, c.page.title, c.text, c.published_at) for c in rows]


def blocked_by_findings() -> list[DeskItem]:
    """Return stories whose latest changes carry blocking editorial findings.

    The ``CHECKED`` stories changed most recently and not yet published as they stand
    (drafts, stories in review, edits of live stories) are checked as their latest
    revision reads, with the site's levels (masthead.editorial); each blocked one
    names its first finding and how many there are.
    """
    from masthead.editorial.services import check_page

    candidates = (
        ArticlePage.objects.filter(has_unpublished_changes=True)
        .select_related("latest_revision")
        .order_by("-latest_revision_created_at", "-pk")[:CHECKED]
    )
    items = []
    for page in candidates:
        revision = page.latest_revision
        draft = revision.as_object() if revision is not None else page
        blocking = [f for f in check_page(draft) if f.blocking]
        if blocking:
            note = blocking[0].message
            if len(blocking) > 1:
                note = f"{len(blocking)} blocking findings; first: {note}"
            items.append(DeskItem(page.pk, draft.title, note))
        if len(items) == LIMIT:
            break
    return items
