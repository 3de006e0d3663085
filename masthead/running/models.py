"""Running stories: a strike, an election, a flood, followed over weeks as one thing.

Editors name a running story and accept its members, most of them proposed from the
Related computation (masthead.running.proposals); a proposal an editor rejects is kept as
rejected so it is not proposed again. Readers see the members that are published and
public, as a timeline, and each member links to the running story and its neighbours.
"""

import logging
from dataclasses import dataclass

from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable

from masthead.articles.models import ArticlePage

logger = logging.getLogger("masthead.running")


class RunningStory(ClusterableModel):
    class Order(models.TextChoices):
        NEWEST = "newest", _("Newest first")
        OLDEST = "oldest", _("Oldest first")
        EDITOR = "editor", _("In the order editors set below")

    name = models.CharField(max_length=120, unique=True, help_text=_("e.g. 'The port strike'."))
    slug = models.SlugField(max_length=140, unique=True, blank=True)
    description = models.TextField(
        blank=True, help_text=_("One or two sentences at the top of the timeline.")
    )
    order = models.CharField(
        max_length=10,
        choices=Order.choices,
        default=Order.NEWEST,
        help_text=_("How the timeline lists the stories."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("order"),
        InlinePanel(
            "members",
            heading=_("Stories"),
            label=_("Story"),
            help_text=_(
                "Accepted stories are on the timeline; rejected ones are never proposed "
                "again. Drag to set the order used by 'In the order editors set'."
            ),
        ),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("running story")
        verbose_name_plural = _("running stories")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:140] or "running-story"
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("running_story", args=[self.slug])

    def accepted_ids(self) -> list[int]:
        """Return the ids of the accepted stories, published or not."""
        return list(
            self.members.filter(status=RunningStoryMember.Status.ACCEPTED).values_list(
                "story_id", flat=True
            )
        )

    def timeline(self) -> list["TimelineItem"]:
        """Return the published public members in the running story's order, live page first."""
        from masthead.live.models import LIVE, LivePage

        links = list(self.members.filter(status=RunningStoryMember.Status.ACCEPTED))
        order = {link.story_id: n for n, link in enumerate(links)}
        stories = list(
            ArticlePage.objects.cards().filter(pk__in=order).order_by("first_published_at", "pk")
        )
        if self.order == self.Order.NEWEST:
            stories.reverse()
        elif self.order == self.Order.EDITOR:
            stories.sort(key=lambda s: order[s.pk])
        live_ids = {
            page.pk
            for page in LivePage.objects.filter(pk__in=[s.pk for s in stories])
            if page.state == LIVE
        }
        stories.sort(key=lambda s: s.pk not in live_ids)  # stable: the live page on top
        return [TimelineItem(story, story.pk in live_ids) for story in stories]


@dataclass
class TimelineItem:
    story: ArticlePage
    is_live: bool


class RunningStoryMember(Orderable):
    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected: never propose again")

    running_story = ParentalKey(RunningStory, on_delete=models.CASCADE, related_name="members")
    story = models.ForeignKey(
        ArticlePage, on_delete=models.CASCADE, related_name="running_story_links"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACCEPTED)

    panels = [FieldPanel("story"), FieldPanel("status")]

    class Meta(Orderable.Meta):
        unique_together = [("running_story", "story")]
        verbose_name = _("story of a running story")

    def __str__(self) -> str:
        return f"{self.running_story_id}: {self.story_id} ({self.status})"


@dataclass
class PartOf:
    running_story: RunningStory
    previous: ArticlePage | None
    next: ArticlePage | None
    # Every accepted story of the running story, published or not: the cache tags of
    # a page showing this (a neighbour may change, be withdrawn or come in between).
    member_ids: tuple[int, ...] = ()


MEMBER_IDS_KEY = "mh:running:member-ids"


def member_ids() -> frozenset[int]:
    """Return the ids of every accepted member of any running story.

    Most stories are in no running story: this answers "is it?" from the shared store
    (masthead.core.state) with no SQL, so the "Part of" links add nothing to a story
    page's query budget (caching/tests). Every change of a running story drops the key
    (masthead.running.signals), in every process at once.
    """
    from masthead.core import state
    from masthead.core.request_memo import memoize

    def read() -> frozenset[int]:
        try:
            found = state.store().get(MEMBER_IDS_KEY)
        except Exception:
            found = None
        if found is None:
            found = frozenset(
                RunningStoryMember.objects.filter(
                    status=RunningStoryMember.Status.ACCEPTED
                ).values_list("story_id", flat=True)
            )
            try:
                state.store().set(MEMBER_IDS_KEY, found, None)
            except Exception:
                logger.warning("Could not keep running-story members in the shared store")
        return found

    return memoize("running:member-ids", read)


def forget_member_ids() -> None:
    from masthead.core import state
    from masthead.core.request_memo import forget

    try:
        state.store().delete(MEMBER_IDS_KEY)
    except Exception:
        logger.exception("Could not drop running-story members from the shared store")
    forget("running:member-ids")


def part_of(story: ArticlePage) -> list[PartOf]:
    """Return the running stories ``story`` is accepted in, with its timeline neighbours.

    Neighbours are in publication order (earlier, later), published and public only.
    """
    result = []
    if story.pk not in member_ids():
        return result
    links = RunningStoryMember.objects.filter(
        story_id=story.pk, status=RunningStoryMember.Status.ACCEPTED
    ).select_related("running_story")
    for link in links:
        running = link.running_story
        ids = running.accepted_ids()
        others = ArticlePage.objects.live().public().filter(pk__in=ids).exclude(pk=story.pk)
        when = story.first_published_at
        previous = nxt = None
        if when is not None:
            previous = (
                others.filter(first_published_at__lt=when).order_by("-first_published_at").first()
            )
            nxt = others.filter(first_published_at__gt=when).order_by("first_published_at").first()
        result.append(PartOf(running, previous, nxt, tuple(ids)))
    return result
