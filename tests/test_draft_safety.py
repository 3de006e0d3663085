"""One walk over every public surface: no draft, scheduled, unpublished or private story leaks.

The hidden stories are made as tempting as possible: newest, flagged and picked for
Editor's choice, pinned and precomputed as related, the most read, sharing topics and
bylines with live stories, each with its own lead picture. The walk starts from a list
of every surface (pages, listings, feeds, sitemaps, search, previews, API, media, live
pages with their updates and entry feeds, running stories) and
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
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from masthead.articles.factories import ArticlePageFactory, body_from_paragraphs
from masthead.articles.models import Correction
from masthead.discovery.models import ArticleRelatedArticle, ArticleView, Pick, PickList
from masthead.images.factories import MastheadImageFactory
from masthead.live.factories import LiveEntryFactory, LivePageFactory
from masthead.live.models import LiveEntry
from masthead.running.models import RunningStory, RunningStoryMember
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

    # The members' pictures sit in a password-protected collection: their files are not
    # public at their /media/ addresses either (masthead.core.media_access).
    vault = Collection.get_first_root_node().add_child(name=f"Members {MARKER}")
    CollectionViewRestriction.objects.create(
        collection=vault, restriction_type="password", password="pw"
    )

    def story(kind: str, parent=None, **kwargs):
        image = MastheadImageFactory(
            title=f"{MARKER} {kind} picture",
            caption=f"{MARKER} caption",
            credit=f"{MARKER} credit",
            **({"collection": vault} if kind == "members-only" else {}),
        )
        page = ArticlePageFactory(
            parent=parent or newsroom.news,
            live=False,
            slug=f"{MARKER}-{kind}",
            title=f"Border talks collapse {MARKER} {kind}",
            standfirst=f"The border story {MARKER} standfirst",
            lead_image=image,
            **common,
            **kwargs,
        )
        # A correction row on the hidden story: the corrections page and feed must skip it.
        Correction.objects.create(page=page, text=f"{MARKER} {kind} correction")
        return page

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
    _hidden_information_pages(newsroom)
    for page in hidden:
        page.refresh_from_db()
    assert [p.live for p in hidden] == [False, False, False, True, True]
    return hidden, members


def _hidden_information_pages(newsroom):
    """A draft and a private ethics policy: never in the footer, menus or JSON-LD."""
    from masthead.pages.models import InformationPage

    draft = InformationPage(title=f"Ethics {MARKER} draft", slug=f"{MARKER}-ethics", kind="ethics")
    newsroom.home.add_child(instance=draft)
    draft.save_revision()
    draft.live = False
    draft.save()
    private = InformationPage(
        title=f"Ownership {MARKER} private", slug=f"{MARKER}-ownership", kind="ownership"
    )
    newsroom.home.add_child(instance=private)
    private.save_revision().publish()
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    about = InformationPage(title="About us", slug="about", kind="about")
    newsroom.home.add_child(instance=about)
    about.save_revision().publish()


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
    urls += ["/corrections/", "/corrections/feed/", "/about/", f"/{MARKER}-ethics/"]
    urls += ["/sitemap.xml", "/sitemap-news.xml", "/news-sitemap.xml", "/robots.txt"]
    urls += [f"/sitemap-{MARKER}-members.xml"]
    # Words only the hidden stories have (the marker itself would be echoed back).
    for query in ("border", "talks collapse", "collapse", "Border talks collapse", "standfirst"):
        urls += [f"/search/?q={query}", f"/search/?q={query}&section=news"]
    urls += ["/search/?q=colapse", "/search/?q=bordr+talkz+colapse"]  # did-you-mean
    # Information pages are searched too: the draft and the private one never answer.
    urls += ["/search/?q=ethics", "/search/?q=ownership+private", "/search/?q=draft"]
    for page in hidden:
        urls += [
            f"/admin/pages/{page.pk}/edit/preview/",
            f"/admin/pages/{page.pk}/view_draft/",
            f"/admin/pages/{page.pk}/revisions/",
        ]
        image = page.lead_image
        urls += [f"/media/{image.file.name}"]
    urls += ["/api/v2/pages/", "/api/v2/pages/?search=zqx", "/api/v2/images/"]
    # The read API (masthead/api/tests/test_leaks.py walks it with keys and filters too).
    urls += ["/api/v1/stories/", "/api/v1/ninjs/stories/", "/api/v1/corrections/"]
    urls += [f"/api/v1/stories/{page.pk}/" for page in hidden]
    urls += [f"/republish/{page.pk}/" for page in hidden]
    return urls


def _hidden_entries(newsroom, hidden) -> list[str]:
    """A live page with scheduled and draft entries, a private live page with entries, and a
    running story with hidden members; return the addresses that show them if anything does."""
    now = timezone.now()
    live = LivePageFactory(
        parent=newsroom.news,
        live=True,
        first_published_at=now - dt.timedelta(hours=3),
        last_published_at=now - dt.timedelta(hours=3),
        slug="live-vote",
        title="Live: the vote",
        topics=[newsroom.marevia],
    )
    LiveEntryFactory(page=live, headline="Polls open", published_at=now - dt.timedelta(hours=1))
    LiveEntryFactory(
        page=live,
        headline=f"Result {MARKER} scheduled entry",
        body=body_from_paragraphs([f"The {MARKER} result."]),
        published_at=now + dt.timedelta(hours=2),
    )
    LiveEntryFactory(
        page=live,
        headline=f"Result {MARKER} draft entry",
        status=LiveEntry.Status.DRAFT,
        published_at=now - dt.timedelta(minutes=5),
    )
    private_live = LivePageFactory(
        parent=newsroom.news,
        live=True,
        slug=f"{MARKER}-private-live",
        title=f"Live {MARKER} private",
        first_published_at=now - dt.timedelta(hours=2),
    )
    PageViewRestriction.objects.create(page=private_live, restriction_type="login")
    LiveEntryFactory(page=private_live, headline=f"Entry {MARKER} on a private page")
    running = RunningStory.objects.create(name="The vote", slug="the-vote")
    RunningStoryMember.objects.create(running_story=running, story=live)
    RunningStoryMember.objects.create(running_story=running, story=newsroom.stories[1])
    for page in hidden:
        RunningStoryMember.objects.create(running_story=running, story_id=page.pk)
    urls = [live.url, f"/running/{running.slug}/", newsroom.stories[1].url]
    for page in (live, private_live):
        urls += [f"/live/{page.pk}/updates.json"]
        urls += [f"/feeds/live/{page.pk}/{fmt}/" for fmt in ("atom", "json")]
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

    live_urls = _hidden_entries(newsroom, hidden)
    queue = deque(_start_urls(newsroom, hidden, members) + live_urls)
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
    members_picture = hidden[-1].lead_image
    assert statuses[f"/media/{members_picture.file.name}"] == 404
    assert (
        client.get(f"/media/{members_picture.get_rendition('width-100').file.name}").status_code
        == 404
    )
    assert statuses["/api/v2/pages/"] == 404, "no public API is enabled"
    feeds = [u for u in seen if u.startswith("/feeds/") and u not in live_urls[6:]]
    assert len(feeds) >= 15 and all(statuses[u] == 200 for u in feeds)
    assert statuses["/sitemap.xml"] == 200
    # Entries and running stories were walked: the live page, its updates and feeds, the
    # timeline; the private live page's updates and feeds are refused.
    assert all(statuses[u] == 200 for u in live_urls[:3] + live_urls[3:6])
    assert all(statuses[u] == 404 for u in live_urls[6:])
    assert "Polls open" in bodies[live_urls[3]] and "Polls open" in bodies[live_urls[4]]
    assert "Live: the vote" in bodies[live_urls[1]]


def test_newsletter_issue_never_shows_a_hidden_story(client, newsroom, admin_client):
    """Chosen, editor's choice, newest and popular blocks of an issue, previewed in the
    admin and sent: no draft, scheduled, unpublished or private story appears."""
    from django.core import mail

    from masthead.background.worker import run_pending
    from masthead.newsletters.factories import NewsletterFactory, SubscriptionFactory
    from masthead.newsletters.models import Issue

    hidden, members = _hidden_stories(newsroom)
    _tempt(newsroom, hidden)
    newsletter = NewsletterFactory()
    SubscriptionFactory(newsletter=newsletter)
    issue = Issue(
        newsletter=newsletter,
        subject="Morning",
        live=False,
        body=[
            {"type": kind, "value": value}
            for kind, value in [
                (
                    "stories",
                    {
                        "heading": "Chosen",
                        "stories": [p.pk for p in hidden] + [newsroom.stories[1].pk],
                    },
                ),
                ("editors_choice", {"heading": "Picks", "count": 10}),
                (
                    "latest",
                    {"heading": "Newest", "section": newsroom.news.pk, "topic": None, "count": 20},
                ),
                (
                    "latest",
                    {"heading": "Members", "section": members.pk, "topic": None, "count": 20},
                ),
                (
                    "latest",
                    {
                        "heading": "Topic",
                        "section": None,
                        "topic": newsroom.marevia.pk,
                        "count": 20,
                    },
                ),
                ("popular", {"heading": "Most read", "count": 10}),
            ]
        ],
    )
    issue.save()
    # What the admin's preview panel shows (Issue.serve_preview), as an editor sees it.
    from django.test import RequestFactory

    preview = issue.serve_preview(RequestFactory().get("/"), issue.default_preview_mode)
    assert preview.status_code == 200
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        issue.save_revision().publish()
    run_pending()
    (message,) = mail.outbox
    html = message.alternatives[0][0]
    bodies = {"preview": preview.content.decode(), "html": html, "text": message.body}
    for where, body in bodies.items():
        assert MARKER not in body.lower(), f"a hidden story leaks in the issue's {where}"
        assert not any(page.lead_image.file.name in body for page in hidden), where
    assert newsroom.stories[1].title in html, "the live chosen story is shown"
    assert "Most read" in html and "Picks" in html
