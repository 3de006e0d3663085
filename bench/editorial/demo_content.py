"""Findings on the demo newsroom's stories: text written by another developer.

The demo stories (masthead/demo/) were written for the project without these checks in
mind, so they are an independent sample of clean text. Run after `masthead demo` has
created its data folder (stop the server first or leave it running):

    MASTHEAD_DATA_DIR=masthead-data DJANGO_SETTINGS_MODULE=masthead.settings.demo \
        .venv/bin/python bench/editorial/demo_content.py

Prints findings per check, the false findings per 1,000 words, and each finding.
"""

import os
import sys
from collections import Counter


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.demo")
    import django

    django.setup()
    from masthead.articles.models import ArticlePage
    from masthead.editorial.services import check_page
    from masthead.editorial.story import story_from_page

    words = 0
    counts: Counter = Counter()
    shown = []
    pages = list(ArticlePage.objects.live().order_by("pk"))
    for index, page in enumerate(pages, 1):
        words += story_from_page(page).word_count
        for finding in check_page(page):
            counts[finding.rule] += 1
            shown.append((page.slug, finding))
        print(f"\r{index}/{len(pages)} stories", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    total = sum(counts.values())
    print(
        f"{len(pages)} stories, {words:,} words, {total} findings = "
        f"{1000 * total / max(words, 1):.2f} per 1,000 words"
    )
    for rule, count in counts.most_common():
        print(f"  {rule}: {count}")
    for slug, finding in shown:
        print(
            f"  {slug}: {finding.rule} {finding.field} {finding.text!r} -> {finding.suggestion!r}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
