"""Build a small newsroom in a data folder, or record every public response of one.

Run in a fresh process (the backup tests need a real database file, not pytest's
in-memory one)::

    python -m masthead.operations.tests.site_copy build
    python -m masthead.operations.tests.site_copy snapshot OUT.json

with ``MASTHEAD_DATA_DIR`` (and ``DATABASE_URL`` for PostgreSQL) naming the site.
``snapshot`` starts from the home page, sitemaps, feeds, robots.txt and a search, and
follows every same-site link and media file it finds, recording each body's SHA-256.
"""

import datetime as dt
import hashlib
import json
import os
import re
import sys
from collections import deque
from urllib.parse import urljoin, urlsplit

SEEDS = [
    "/",
    "/sitemap.xml",
    "/news-sitemap.xml",
    "/robots.txt",
    "/feeds/rss/",
    "/feeds/atom/",
    "/feeds/json/",
    "/search/?q=harbour",
    "/search/?q=border+talks",
]
LINK = re.compile(
    rb"""(?:href|src|srcset)=["']([^"']+)["']|<loc>([^<]+)</loc>|"url":\s*"([^"]+)\""""
)
BEACON = re.compile(rb"/discovery/seen/[^\"']+\.gif")
SKIP = ("/admin", "/discovery/", "/documents/", "/static/")
LIMIT = 600


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.demo")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()


def build() -> None:
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", interactive=False, verbosity=0)
    from masthead.articles.factories import ArticlePageFactory
    from masthead.images.factories import MastheadImageFactory, make_jpeg
    from masthead.people.factories import AuthorFactory
    from masthead.sections.factories import SectionPageFactory, TopicFactory, make_test_site

    home = make_test_site(title="The Backup Ledger")
    news = SectionPageFactory(parent=home, title="News", slug="news")
    analysis = SectionPageFactory(parent=home, title="Analysis", slug="analysis")
    authors = [
        AuthorFactory(name="Mira Castellan", slug="mira-castellan"),
        AuthorFactory(name="Ola Brandt", slug="ola-brandt"),
    ]
    topics = [
        TopicFactory(name="Harbour", slug="harbour"),
        TopicFactory(name="Border talks", slug="border-talks", kind="theme"),
    ]
    images = [
        MastheadImageFactory(file=make_jpeg(colour=(40 * i, 90, 120)), credit=f"Ana {i}")
        for i in range(3)
    ]
    now = timezone.now()
    for i in range(10):
        page = ArticlePageFactory(
            parent=news if i % 2 else analysis,
            live=False,
            title=f"Harbour pilots and border talks, part {i}",
            slug=f"story-{i}",
            lead_image=images[i % 3],
            authors=[authors[i % 2]],
            topics=[topics[i % 2]],
        )
        page.save_revision().publish()
        type(page).objects.filter(pk=page.pk).update(
            first_published_at=now - dt.timedelta(hours=5 * i + 1)
        )
    draft = ArticlePageFactory(
        parent=news, live=False, title="Draft about the harbour", slug="draft-story"
    )
    draft.save_revision()


def snapshot(out: str) -> None:
    from django.core.management import call_command
    from django.test import Client

    # Static files come from the code, not the backup: `masthead serve` collects them too.
    call_command("collectstatic", interactive=False, verbosity=0)
    client = Client()
    seen: dict[str, dict] = {}
    queue = deque(SEEDS)
    while queue and len(seen) < LIMIT:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        body = b"".join(response) if response.streaming else response.content
        # The reader-count beacon carries a timestamped signature: new on every render.
        body = BEACON.sub(b"/discovery/seen/TOKEN.gif", body)
        seen[url] = {
            "status": response.status_code,
            "type": response.get("Content-Type", ""),
            "sha256": hashlib.sha256(body).hexdigest(),
            "bytes": len(body),
        }
        if response.status_code != 200 or not any(
            kind in response.get("Content-Type", "") for kind in ("html", "xml", "json")
        ):
            continue
        for match in LINK.finditer(body):
            for raw in match.groups():
                if not raw:
                    continue
                for candidate in raw.decode().split(","):
                    target = _local(url, candidate.strip().split(" ")[0])
                    if target and target not in seen:
                        queue.append(target)
    with open(out, "w") as handle:
        json.dump(seen, handle, indent=1, sort_keys=True)


def _local(base: str, link: str) -> str | None:
    link = link.replace("&amp;", "&")
    absolute = urljoin("http://testserver" + base, link)
    parts = urlsplit(absolute)
    if parts.netloc not in {"testserver", "127.0.0.1:8000", "127.0.0.1"}:
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if not parts.path or parts.path.startswith(SKIP):
        return None
    return path


if __name__ == "__main__":
    _setup()
    if sys.argv[1] == "build":
        build()
    else:
        snapshot(sys.argv[2])
