"""Re-date an archive made before the generator dated stories oldest first.

    DATABASE_URL=sqlite:////path/bench-100000.sqlite3 DJANGO_SETTINGS_MODULE=masthead.settings.base \\
        .venv/bin/python bench/search/redate.py

Until this change masthead.demo.archive gave each story a random date, so story ids
(and index entry ids) said nothing about age. This keeps the same set of dates and
hands them out in id order, oldest first: the archive the current generator makes,
without regenerating and reindexing 100,000 stories. Search index entries are not
touched (they hold no dates).
"""

import django


def main() -> None:
    django.setup()
    from django.db import connection, transaction

    from masthead.articles.models import ArticlePage

    stories = ArticlePage.objects.all()
    ids = list(stories.order_by("pk").values_list("pk", flat=True))
    dates = sorted(stories.values_list("first_published_at", flat=True))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE wagtailcore_page SET first_published_at = %s, last_published_at = %s "
            "WHERE id = %s",
            [(date, date, pk) for pk, date in zip(ids, dates, strict=True)],
        )
        cursor.execute("ANALYZE")
    print(f"re-dated {len(ids)} stories, oldest first")


if __name__ == "__main__":
    main()
