"""SQL queries and bytes per uncached page of the demo newsroom.

    .venv/bin/python bench/perf/queries.py

Builds the demo newsroom in a temporary folder, turns the full-page cache off, warms
each page once (as a running site would have Wagtail's own caches warm), then counts
the queries of a second request with Django's CaptureQueriesContext.
"""

import os
import sys
import tempfile

os.environ["MASTHEAD_DATA_DIR"] = tempfile.mkdtemp(prefix="masthead-queries-")
os.environ["MASTHEAD_PAGE_CACHE"] = "0"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.demo")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("seed_demo_content", verbosity=0)
    from masthead.articles.models import ArticlePage

    story = ArticlePage.objects.live().order_by("-first_published_at")[3]
    client = Client(HTTP_HOST="127.0.0.1")
    pages = {
        "home": "/",
        "section": "/news/",
        "article": story.url,
        "topic": "/topics/marevia/",
        "author": "/authors/mira-castellan/",
        "search": "/search/?q=harbour",
    }
    print(f"{'page':<10}{'queries':>9}{'bytes':>9}")
    for name, url in pages.items():
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        if response.status_code != 200:
            sys.exit(f"{url} answered {response.status_code}")
        print(f"{name:<10}{len(captured):>9}{len(response.content):>9}")


if __name__ == "__main__":
    main()
