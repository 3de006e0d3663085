"""Check the three blocks on every page of the demo newsroom.

Run from the repository root: ``.venv/bin/python bench/discovery/demo_blocks.py``.
Builds the demo in a scratch database (as ``counting_overhead.py`` does), then for
every published story counts how many of its top three related stories belong to the
same demo storyline, reports pages with an empty block, and pages where a story
appears twice (story itself, picks, related, popular).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import counting_overhead


def main() -> None:
    counting_overhead.setup()
    from django.utils import timezone

    from masthead.articles.models import ArticlePage
    from masthead.demo.generator import story_specs
    from masthead.discovery.services import blocks_for
    from masthead.sections.models import HomePage, SectionPage

    line = {spec.slug: spec.storyline for spec in story_specs(timezone.now())}
    hits = shown = duplicates = 0
    for page in ArticlePage.objects.live().public().specific():
        blocks = blocks_for(page)
        ids = [x.pk for x in blocks.related + blocks.editors_choice + blocks.popular]
        ids.append(page.pk)
        duplicates += len(ids) != len(set(ids))
        for story in blocks.related[:3]:
            shown += 1
            hits += line.get(story.slug) == line.get(page.slug)
        if not (blocks.related and blocks.editors_choice and blocks.popular):
            print(f"empty block on {page.slug}")
    for page in [*SectionPage.objects.live(), *HomePage.objects.live()]:
        blocks = blocks_for(page)
        ids = [x.pk for x in blocks.related + blocks.editors_choice + blocks.popular]
        duplicates += len(ids) != len(set(ids))
    print(
        f"demo: related top-3 in the same storyline {hits}/{shown} = {hits / shown:.3f}; "
        f"pages with a story twice: {duplicates}"
    )


if __name__ == "__main__":
    main()
