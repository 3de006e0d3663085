"""Proposals for a running story from the stored Related lists, published stories only."""

from collections import defaultdict

from django.db.models import Q

from masthead.articles.models import ArticlePage
from masthead.discovery.models import ArticleRelatedArticle

from .models import RunningStory, RunningStoryMember
from .proposals import LIMIT, Proposal, propose


def proposals_for(running: RunningStory, limit: int = LIMIT) -> list[tuple[ArticlePage, Proposal]]:
    """Return (story, proposal) pairs for ``running``, best first.

    Only published, public stories are proposed: the Related lists are filtered again
    here, so a story withdrawn or made private since they were computed never appears.
    """
    members, rejected = [], []
    for story_id, status in running.members.values_list("story_id", "status"):
        (members if status == RunningStoryMember.Status.ACCEPTED else rejected).append(story_id)
    # The members' lists propose; the rejected stories' lists, and the entries of other
    # stories' lists that name a member or a rejected story, say which side a candidate
    # is closer to (propose: a story closer to a rejected one is not proposed).
    known = members + rejected
    rows = list(
        ArticleRelatedArticle.objects.filter(
            Q(article_id__in=known) | Q(related_id__in=known)
        ).values_list("article_id", "related_id", "score")
    )
    # Hidden stories go before the proposals are weighed: a story withdrawn or made
    # private since the lists were computed must neither be proposed nor set the bar.
    public = ArticlePage.objects.cards().in_bulk({related_id for _a, related_id, _s in rows})
    member_ids, known_ids = set(members), set(known)
    related: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for article_id, related_id, score in rows:
        if related_id in public or (article_id not in member_ids and related_id in known_ids):
            related[article_id].append((related_id, score))
    found = propose(members, related, rejected, limit=limit)
    return [(public[p.story_id], p) for p in found]


def decide(running: RunningStory, story_id: int, accept: bool) -> RunningStoryMember:
    """Record an editor's decision on a proposed story; accepted ones go last in order."""
    status = RunningStoryMember.Status.ACCEPTED if accept else RunningStoryMember.Status.REJECTED
    last = running.members.order_by("-sort_order").values_list("sort_order", flat=True).first()
    member, created = RunningStoryMember.objects.get_or_create(
        running_story=running,
        story_id=story_id,
        defaults={"status": status, "sort_order": (last or 0) + 1},
    )
    if not created and member.status != status:
        member.status = status
        member.save()
    return member
