"""The edited front page: the editor's arrangement, filled with live public stories.

Stories are fetched in few queries whatever the arrangement: one query of ids for the
newest stories, one per section or topic row, then one card query (and one for the
cards' pictures) for every story on the front. The editor's chosen leads are kept
first, so no later row takes them; every other slot takes the newest story not yet on
the page, so an empty or partly filled arrangement still gives a full front.
"""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

DISCOVERY = ("editors_choice", "popular")


@dataclass
class FrontRow:
    kind: str
    heading: str
    stories: list = field(default_factory=list)
    link: str = ""


def _ids(queryset, limit: int) -> list[int]:
    return list(
        queryset.order_by("-first_published_at", "-pk").values_list("pk", flat=True)[:limit]
    )


def build_front(home, stream) -> tuple[list[FrontRow], list]:
    """Return the rows of ``stream`` (a FrontPageBlock value) and every story on them."""
    from masthead.articles.models import ArticlePage, ArticleTopic

    from .listing import attach_sections

    live = ArticlePage.objects.live().public().descendant_of(home)
    slots = sum(_slots(block) for block in stream if block.block_type not in DISCOVERY)
    chosen = [
        block.value["story"].pk
        for block in stream
        if block.block_type == "lead" and block.value.get("story") is not None
    ]
    chosen_live = set(_ids(live.filter(pk__in=chosen), len(chosen))) if chosen else set()
    newest = _ids(live, slots + len(chosen))
    used: set[int] = set(chosen_live)
    plan: list[tuple[FrontRow, list[int]]] = []
    for block in stream:
        kind, value = block.block_type, block.value
        if kind in DISCOVERY:
            plan.append((FrontRow(kind, value.get("heading") or ""), []))
            continue
        if kind == "lead":
            story = value.get("story")
            if story is not None and story.pk in chosen_live:
                chosen_live.discard(story.pk)  # a story chosen twice leads once
                plan.append((FrontRow(kind, ""), [story.pk]))
                continue
            plan.append((FrontRow(kind, ""), _take(newest, used, 1)))
            continue
        row = FrontRow(kind, value.get("heading") or "")
        pool = newest
        section, topic = value.get("section"), value.get("topic")
        if kind == "row" and section is not None:
            if not section.live:
                continue
            pool = _ids(live.descendant_of(section), value["count"] + slots)
            row.heading = row.heading or section.title
            row.link = section.url or ""
        elif kind == "row" and topic is not None:
            about = ArticleTopic.objects.filter(page=OuterRef("pk"), topic=topic)
            pool = _ids(live.filter(Exists(about)), value["count"] + slots)
            row.heading = row.heading or topic.name
            row.link = topic.get_absolute_url()
        row.heading = row.heading or _("Latest stories")
        plan.append((row, _take(pool, used, value["count"])))

    wanted = [pk for _row, ids in plan for pk in ids]
    found = {s.pk: s for s in ArticlePage.objects.cards().filter(pk__in=wanted)} if wanted else {}
    attach_sections(found.values())
    rows = []
    for row, ids in plan:
        row.stories = [found[pk] for pk in ids if pk in found]
        if row.stories or row.kind in DISCOVERY:
            rows.append(row)
    return rows, [found[pk] for pk in wanted if pk in found]


def _slots(block) -> int:
    return 1 if block.block_type == "lead" else int(block.value.get("count") or 0)


def _take(pool: list[int], used: set[int], count: int) -> list[int]:
    taken = []
    for pk in pool:
        if len(taken) == count:
            break
        if pk not in used:
            used.add(pk)
            taken.append(pk)
    return taken
