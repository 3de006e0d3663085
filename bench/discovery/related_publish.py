"""Time publishing one story at 10,000 stories: its related list and the lists it joins.

Run from the repository root:

    .venv/bin/python bench/discovery/related_publish.py [--stories 10000] [--publish 20]
        [--database-url postgres://postgres@127.0.0.1:5432/test]

Builds ``--stories`` published stories from the labelled corpus generator (twelve
running stories, so every story shares its distinctive words with hundreds of
others: a pessimistic case for the postings lookup) in a scratch database, indexes
them in bulk, then publishes ``--publish`` further stories through Wagtail
(``save_revision().publish()``), timing the ``page_published`` work (index the story,
score it against the postings, store its list, offer it to the lists it matched) and
the whole publish. Shows progress while building. Prints median and worst times.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def configure(database_url: str | None) -> callable:
    folder = Path(tempfile.mkdtemp(prefix="masthead-bench-related-"))
    os.environ["MASTHEAD_DATA_DIR"] = str(folder)
    cleanup = None
    if database_url:
        import psycopg

        name = f"masthead_bench_related_{os.getpid()}"
        admin = psycopg.connect(database_url, autocommit=True)
        admin.execute(f'CREATE DATABASE "{name}"')
        database_url = f"{database_url.rsplit('/', 1)[0]}/{name}"

        def cleanup():
            from django.db import connections

            connections.close_all()
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    else:
        database_url = f"sqlite:///{folder / 'db.sqlite3'}"
    os.environ["MASTHEAD_TEST_DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "masthead.settings.test"
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    import django

    django.setup()
    return cleanup


def build(count: int):
    from django.core.management import call_command
    from wagtail.models import Page

    from bench.discovery.evaluation.corpus import generate
    from masthead.articles.factories import body_from_paragraphs
    from masthead.articles.models import ArticlePage
    from masthead.discovery import related, similarity
    from masthead.discovery.models import ArticleIndexEntry, ArticleTerm
    from masthead.sections.factories import HomePageFactory, SectionPageFactory

    call_command("migrate", verbosity=0)
    home = HomePageFactory(parent=Page.get_first_root_node(), title="Bench", slug="bench")
    section = SectionPageFactory(parent=home, title="News", slug="news")
    per_line = -(-count // 12) + 3
    corpus = generate(stories_per_line=per_line)
    stories, extra = corpus[: count + 0], []
    # Hold back a few stories per storyline to publish during the measurement.
    by_line: dict[str, list] = {}
    for story in corpus:
        by_line.setdefault(story.storyline, []).append(story)
    stories = [s for line in by_line.values() for s in line[:-3]][:count]
    extra = [s for line in by_line.values() for s in line[-3:]]

    def page_for(story, slug: str) -> ArticlePage:
        text = story.text
        return ArticlePage(
            title=text.headline,
            slug=slug,
            standfirst=text.standfirst,
            body=body_from_paragraphs([text.body]),
            live=True,
            first_published_at=text.published_at,
            last_published_at=text.published_at,
        )

    started = time.perf_counter()
    _bulk_pages(section, [page_for(story, f"s{n}") for n, story in enumerate(stories, 1)], started)
    print("  indexing in bulk ...", flush=True)
    pages = list(ArticlePage.objects.order_by("pk"))
    texts = [related.story_text(page) for page in pages]
    index = similarity.MemoryIndex(texts)
    related.store_index(index, texts)
    print(
        f"  {ArticleIndexEntry.objects.count()} stories indexed, {ArticleTerm.objects.count()} postings",
        flush=True,
    )
    labels = {f"s{n}": story.storyline for n, story in enumerate(stories, 1)}
    return section, extra, page_for, labels


def _bulk_pages(section, pages: list, started: float, batch: int = 500) -> None:
    """Insert published story pages with the shared bulk builder, a batch at a time.

    Publishing 10,000 pages one by one through Wagtail takes most of an hour on a
    shared machine; the setup is not what is measured.
    """
    from django.db import transaction

    from masthead.operations.bulk import insert_pages

    for offset in range(0, len(pages), batch):
        chunk = pages[offset : offset + batch]
        with transaction.atomic():
            insert_pages(section, chunk)
        done = offset + len(chunk)
        rate = done / (time.perf_counter() - started)
        print(f"  created {done}/{len(pages)} stories ({rate:.0f}/s)", flush=True)
    section.refresh_from_db()


def measure(section, extra, page_for, labels: dict, publish: int) -> None:
    from django.db import connection

    from masthead.articles.models import ArticlePage
    from masthead.discovery import signals
    from masthead.discovery.models import ArticleRelatedArticle

    timings = []
    original = signals.related.update_for

    def timed(page):
        started = time.perf_counter()
        result = original(page)
        timings.append(time.perf_counter() - started)
        return result

    signals.related.update_for = timed
    whole, correct, shown = [], 0, 0
    try:
        for number, story in enumerate(extra[:publish], 1):
            page = section.add_child(instance=page_for(story, f"new{number}"))
            page.live = False
            page.save()
            started = time.perf_counter()
            page.save_revision().publish()
            whole.append(time.perf_counter() - started)
            section.refresh_from_db()
            top = list(
                ArticleRelatedArticle.objects.filter(article=page)
                .order_by("-score")
                .values_list("related__slug", flat=True)[:3]
            )
            shown += len(top)
            correct += sum(labels.get(slug) == story.storyline for slug in top)
    finally:
        signals.related.update_for = original
    total = ArticlePage.objects.live().count()
    print(f"engine={connection.vendor} live stories after publishing: {total}")
    print(
        f"related work on publish (page_published handler): median {statistics.median(timings) * 1000:.0f} ms, "
        f"worst {max(timings) * 1000:.0f} ms over {len(timings)} publishes"
    )
    print(f"precision@3 of the published stories' lists: {correct}/{shown}")
    print(
        f"whole publish (revision + Wagtail + handler): median {statistics.median(whole) * 1000:.0f} ms, "
        f"worst {max(whole) * 1000:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="Related-story cost of one publish.")
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--publish", type=int, default=20)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    cleanup = configure(args.database_url or None)
    try:
        print(f"Building {args.stories} stories ...", flush=True)
        section, extra, page_for, labels = build(args.stories)
        measure(section, extra, page_for, labels, args.publish)
    finally:
        if cleanup:
            cleanup()


if __name__ == "__main__":
    main()
