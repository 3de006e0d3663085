"""Prepare and inspect a site for the kill tests; run in a fresh process.

python -m masthead.operations.tests.crash_site schedule SLUG   # due now, waiting for the scheduler
python -m masthead.operations.tests.crash_site state SLUG      # JSON: the story and its index rows
"""

import datetime as dt
import json
import os
import sys


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.demo")
    import django

    django.setup()


def schedule(slug: str) -> None:
    from django.utils import timezone
    from wagtail.models import Revision

    from masthead.articles.models import ArticlePage

    page = ArticlePage.objects.get(slug=slug)
    due = timezone.now() - dt.timedelta(minutes=1)
    page.go_live_at = due
    revision = page.save_revision()
    Revision.objects.filter(pk=revision.pk).update(approved_go_live_at=due)


def state(slug: str) -> dict:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from wagtail.models import Revision
    from wagtail.search.models import IndexEntry

    from masthead.articles.models import ArticlePage
    from masthead.discovery.models import ArticleIndexEntry, ArticleRelatedArticle
    from masthead.imports.models import ImportRecord

    page = ArticlePage.objects.get(slug=slug)
    ct = ContentType.objects.get_for_model(ArticlePage)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA integrity_check")
        integrity = cursor.fetchone()[0]
    stories = ImportRecord.objects.filter(kind=ImportRecord.Kind.STORY)
    imported = ArticlePage.objects.exclude(slug__startswith="story-").exclude(slug="draft-story")
    return {
        "live": page.live,
        "live_revision": page.live_revision_id,
        "waiting": Revision.objects.filter(
            object_id=str(page.pk), approved_go_live_at__isnull=False
        ).count(),
        "related_index": ArticleIndexEntry.objects.filter(article_id=page.pk).count(),
        "related": ArticleRelatedArticle.objects.filter(article_id=page.pk).count(),
        "search": IndexEntry.objects.filter(content_type=ct, object_id=str(page.pk)).count(),
        "integrity": integrity,
        "import_records": stories.exclude(page=None).count(),
        "imported_pages": imported.count(),
        "imported_without_revision": imported.filter(latest_revision=None).count(),
        "imported_live_without_live_revision": imported.filter(
            live=True, live_revision=None
        ).count(),
    }


if __name__ == "__main__":
    _setup()
    if sys.argv[1] == "schedule":
        schedule(sys.argv[2])
    else:
        sys.stdout.write(json.dumps(state(sys.argv[2])) + "\n")
