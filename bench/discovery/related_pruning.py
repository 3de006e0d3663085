"""Compare MemoryIndex.related (pruned) with the exhaustive scoring on a generated export.

    .venv/bin/python bench/discovery/related_pruning.py --posts 10000 --every 10

Builds the stories' text from bench/imports/generate.py's WordPress export (tags
stripped, no database), scores every live story with the pruned ``related`` and every
``--every``-th one with ``related_exhaustive``, checks the lists are identical and
prints CPU milliseconds per story for both.
"""

import argparse
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "imports"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--every", type=int, default=10)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.test")
    import django

    django.setup()
    from generate import parsed_export

    from masthead.discovery import similarity

    export = parsed_export(args.posts, host="pruning.example.org")
    stories = [
        similarity.StoryText(
            key=int(item.post_id),
            headline=item.title,
            standfirst=item.excerpt,
            body=re.sub(r"<[^>]+>", " ", item.content),
            topics=[term.slug for term in item.terms],
            section="news",
            published_at=item.date,
        )
        for item in export.items
        if item.post_type == "post" and item.status == "publish"
    ]
    index = similarity.MemoryIndex(stories)
    started = time.process_time()
    pruned = {story.key: index.related(story.key, 12) for story in stories}
    pruned_cpu = time.process_time() - started
    sample = stories[:: args.every]
    started = time.process_time()
    exhaustive = {story.key: index.related_exhaustive(story.key, 12) for story in sample}
    exhaustive_cpu = time.process_time() - started
    different = sum(1 for key, lists in exhaustive.items() if pruned[key] != lists)
    print(
        f"{len(stories)} stories: pruned {1000 * pruned_cpu / len(stories):.2f} ms/story CPU, "
        f"exhaustive {1000 * exhaustive_cpu / len(sample):.2f} ms/story CPU "
        f"({len(sample)} stories); lists that differ: {different}; load {os.getloadavg()}"
    )


if __name__ == "__main__":
    main()
