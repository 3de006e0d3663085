"""One walk over every public surface: no draft, scheduled, unpublished or private story leaks.

The hidden stories are made as tempting as possible: newest, flagged and picked for
Editor's choice, pinned and precomputed as related, the most read, sharing topics and
bylines with live stories, each with its own lead picture. The walk starts from a list
of every surface (pages, listings, feeds, sitemaps, search, previews, API, media) and
then follows every same-site link it finds, so a surface added later and linked from
anywhere is walked too. Every hidden headline, slug, body word and picture carries the
marker ``zqx``, which must not appear in any response; the ids of the hidden stories must
not appear in any counting beacon.
"""

import datetime as dt
import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from masthead.articles.factories import ArticlePageFactory
from masthead.discovery.models import ArticleRelatedArticle, ArticleView, Pick, PickList
from masthead.images.factories import MastheadImageFactory
from masthead.sections.factories import SectionPageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

MARKER = "zqx"
WALK_LIMIT = 400


def _hidden_stories(newsroom):
    common = {
        "topics": [newsroom.marevia, newsroom.energy],
        "authors": [newsroom.reporter],
        "editors_choice": True,
    }

    def story(kind: str, parent=None, **kwargs):
        image = MastheadImageFactory(
            title=f"{MARKER} {kind} picture",
            caption=f"{MARKER} caption",
            credit=f"{MARKER} credit",
        )
        return ArticlePageFactory(
            parent=parent or newsroom.news,
            live=False,
            slug=f"{MARKER}-{kind}",
            title=f"Border talks collapse {MARKER} {kind}",
            standfirst=f"The border story {MARKER} standfirst",
            lead_image=image,
            **common,
            **kwargs,
        )

    draft = story("draft")
    draft.save_revision()
    scheduled = story("scheduled")
    scheduled.go_live_at = timezone.now() + dt.timedelta(hours=3)
    scheduled.save_revision().publish()
    unpublished = story("unpublished")
    unpublished.save_revision().publish()
    unpublished.refresh_from_db()
    unpublished.unpublish()
    private = story("private")
    private.save_revision().publish()
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    members = SectionPageFactory(
        parent=newsroom.home, title=f"Members {MARKER}", slug=f"{MARKER}-members"
    )
    PageViewRestriction.objects.create(page=members, restriction_type="password", password="pw")
    in_members = story("members-only", parent=members)
    in_members.save_revision().publish()
    hidden = [draft, scheduled, unpublished, private, in_members]
    for page in hidden:
        page.refresh_from_db()
    assert [p.live for p in hidden] == [False, False, False, True, True]
    return hidden, members


def _tempt(newsroom, hidden):
    """Put the hidden stories wherever a block or listing could pick them up."""
    today = timezone.localdate()
    site_list, _ = PickList.objects.get_or_create(section=None)
    news_list = PickList.objects.create(section=newsroom.news)
    for order, page in enumerate(hidden):
        Pick.objects.create(pick_list=site_list, article_id=page.pk, sort_order=order)
        Pick.objects.create(pick_list=news_list, article_id=page.pk, sort_order=order)
        for days in range(3):
            ArticleView.objects.create(
                article_id=page.pk, day=today - dt.timedelta(days=days), views=10_000
            )
        for live in newsroom.stories:
            ArticleRelatedArticle.objects.get_or_create(
                article=live, related_id=page.pk, defaults={"score": 99.0}
            )
    # Live stories that readers do see in every block, so the blocks are not empty.
    Pick.objects.create(pick_list=site_list, article=newsroom.stories[2], sort_order=99)
    ArticleView.objects.create(article=newsroom.stories[3], day=today, views=50)
    pinned = newsroom.stories[0]
    for page in hidden:
        pinned.related_pins.create(related_id=page.pk)
    pinned.save_revision().publish()


def _start_urls(newsroom, hidden, members) -> list[str]:
    urls = ["/", "/news/", "/analysis/", "/news/?page=2", members.url]
    urls += [story.url for story in newsroom.stories]
    urls += [f"/news/{page.slug}/" for page in hidden]
    urls += [f"/{members.slug}/{hidden[-1].slug}/"]
    for scope in ("", "section/news/", "topic/marevia/", "topic/energy/", "author/mira-castellan/"):
        urls += [f"/feeds/{scope}{fmt}/" for fmt in ("rss", "atom", "json")]
    urls += ["/topics/marevia/", "/topics/energy/", "/authors/mira-castellan/"]
    urls += ["/sitemap.xml", "/sitemap-news.xml", "/news-sitemap.xml", "/robots.txt"]
    urls += [f"/sitemap-{MARKER}-members.xml"]
    # Words only the hidden stories have (the marker itself would be echoed back).
    for query in ("border", "talks collapse", "collapse", "Border talks collapse", "standfirst"):
        urls += [f"/search/?q={query}", f"/search/?q={query}&section=news"]
    urls += ["/search/?q=colapse", "/search/?q=bordr+talkz+colapse"]  # did-you-mean
    for page in hidden:
        urls += [
            f"/admin/pages/{page.pk}/edit/preview/",
            f"/admin/pages/{page.pk}/view_draft/",
            f"/admin/pages/{page.pk}/revisions/",
        ]
        image = page.lead_image
        urls += [f"/media/{image.file.name}"]
    urls += ["/api/v2/pages/", "/api/v2/pages/?search=zqx", "/api/v2/images/"]
    return urls


LINK = re.compile(r"""(?:href|src)=["']([^"']+)["']""")
XML_LOC = re.compile(r"<(?:loc|link|id)>([^<]+)</(?:loc|link|id)>")
JSON_URL = re.compile(r'"(?:url|id|external_url)":\s*"([^"]+)"')


def _links(base: str, body: str) -> set[str]:
    found = set()
    for pattern in (LINK, XML_LOC, JSON_URL):
        for raw in pattern.findall(body):
            url = urljoin("http://testserver" + base, raw.replace("&amp;", "&"))
            parts = urlsplit(url)
            if parts.netloc != "testserver" or parts.path.startswith(("/static/", "/admin/")):
                continue
            found.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def test_no_public_surface_shows_a_hidden_story(client, newsroom):
    hidden, members = _hidden_stories(newsroom)
    _tempt(newsroom, hidden)
    hidden_ids = {page.pk for page in hidden}
    hidden_media = {page.lead_image.file.name for page in hidden}

    queue = deque(_start_urls(newsroom, hidden, members))
    seen, statuses, leaks = set(), {}, []
    bodies = {}
    while queue and len(seen) < WALK_LIMIT:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        statuses[url] = response.status_code
        if response.streaming:
            body = b"".join(response.streaming_content).decode("utf-8", "replace")
        else:
            body = response.content.decode("utf-8", "replace")
        bodies[url] = body
        # A hidden story's own address echoed back (a login's next=, a password form's
        # return_url) tells the reader nothing they did not type.
        path = urlsplit(url).path
        echoed = body.replace(path, "") if MARKER in path else body
        location = response.get("Location", "").replace(path, "")
        if MARKER in echoed.lower() or MARKER in location.lower():
            leaks.append(url)
        tokens = re.findall(r"/discovery/seen/(\d+):", body)
        if hidden_ids & {int(t) for t in tokens}:
            leaks.append(f"{url} (beacon for a hidden story)")
        if any(name in body for name in hidden_media):
            leaks.append(f"{url} (hidden story's picture)")
        if (
            response.status_code == 200
            and "html" in response.get("Content-Type", "")
            or "xml" in response.get("Content-Type", "")
            or "json" in response.get("Content-Type", "")
        ):
            queue.extend(_links(url, body) - seen)

    assert not leaks, f"hidden stories leak on: {leaks}"

    # The walk was real: it read many pages, every block had live content to show,
    # and the hidden stories' own addresses and previews were refused.
    assert len(seen) > 80, len(seen)
    ok = [u for u, s in statuses.items() if s == 200]
    assert len(ok) > 60
    story_html = bodies[newsroom.stories[0].url]
    for block in ("Related articles", "Editor's choice", "Popular"):
        assert block in story_html
    assert newsroom.stories[2].title in bodies["/"], "the live pick is shown"
    assert "application/ld+json" in story_html
    for page in hidden[:3]:
        assert statuses[f"/news/{page.slug}/"] == 404
    assert statuses[f"/news/{hidden[3].slug}/"] == 302  # private: to the login
    for page in hidden:
        preview = f"/admin/pages/{page.pk}/edit/preview/"
        assert statuses[preview] == 302, preview  # to the admin login
    assert statuses["/api/v2/pages/"] == 404, "no public API is enabled"
    feeds = [u for u in seen if u.startswith("/feeds/")]
    assert len(feeds) >= 15 and all(statuses[u] == 200 for u in feeds)
    assert statuses["/sitemap.xml"] == 200
