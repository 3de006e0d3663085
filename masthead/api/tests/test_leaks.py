"""The API shows exactly what the site shows: drafts, scheduled, withdrawn, private and
password-protected stories never appear, whatever filter, key, cursor or page is asked.

The hidden stories are those of the site-wide leak test (tests/test_draft_safety.py),
with a byline, a topic and a correction of their own, all marked ``zqx``.
"""

import itertools

import pytest

from masthead.api.models import ApiKey
from masthead.articles.models import Correction
from masthead.people.factories import AuthorFactory
from masthead.sections.factories import TopicFactory
from tests.test_draft_safety import MARKER, _hidden_stories, _tempt

from .conftest import set_switches

pytestmark = pytest.mark.django_db


def _key(sections=()) -> str:
    key = ApiKey(name=f"partner {len(sections)}")
    raw = key.issue()
    key.save()
    key.sections.set(sections)
    return raw


def _urls(newsroom, hidden, members) -> list[str]:
    urls = ["/api/v1/openapi.json"]
    for base in ("/api/v1/stories/", "/api/v1/ninjs/stories/"):
        urls.append(base)
        for name, value in [
            ("section", "news"),
            ("section", members.slug),
            ("topic", "marevia"),
            ("topic", f"{MARKER}-topic"),
            ("author", "mira-castellan"),
            ("author", f"{MARKER}-author"),
            ("updated_since", "2000-01-01T00:00:00"),
            ("q", "border"),
            ("q", MARKER),
            ("q", "collapse"),
            ("limit", "100"),
        ]:
            urls.append(f"{base}?{name}={value}")
    for page in hidden:
        urls += [f"/api/v1/stories/{page.pk}/", f"/api/v1/stories/{page.pk}/ninjs/"]
    for kind in ("sections", "topics", "authors", "corrections", "pages"):
        urls += [f"/api/v1/{kind}/", f"/api/v1/{kind}/?limit=1"]
    # Page details: every information page (a draft and a private one among them), the
    # password-protected section, and the hidden stories' ids (stories are no pages here).
    from wagtail.models import Page

    for pk in Page.objects.filter(depth__gt=1).values_list("pk", flat=True):
        urls.append(f"/api/v1/pages/{pk}/")
    urls += [
        f"/api/v1/sections/{members.slug}/",
        f"/api/v1/topics/{MARKER}-topic/",
        f"/api/v1/authors/{MARKER}-author/",
    ]
    return urls


def _walk(client, url: str, headers: dict) -> list[tuple[str, int, str]]:
    """Return (url, status, body) of ``url`` and every next page after it."""
    out = []
    for _ in range(50):
        response = client.get(url, **headers)
        body = response.content.decode()
        out.append((url, response.status_code, body))
        if response.status_code != 200 or "json" not in response["Content-Type"]:
            break
        data = response.json()
        url = data.get("next") if isinstance(data, dict) else None
        if not url:
            break
    return out


def test_no_api_answer_shows_a_hidden_story(client, newsroom):
    # Every answer must be a real one: a 429 would show nothing and hide a leak.
    set_switches(anonymous_rate_per_minute=100_000, key_rate_per_minute=100_000)
    hidden, members = _hidden_stories(newsroom)
    _tempt(newsroom, hidden)
    shadow_author = AuthorFactory(name=f"Ghost {MARKER}", slug=f"{MARKER}-author")
    shadow_topic = TopicFactory(name=f"Secret {MARKER}", slug=f"{MARKER}-topic")
    for page in hidden:
        page.article_authors.create(author=shadow_author, sort_order=5)
        page.article_topics.create(topic=shadow_topic, sort_order=5)
        Correction.objects.create(page=page, text=f"A {MARKER} correction.")

    callers = {
        "anonymous": {},
        "key for every section": {"HTTP_X_API_KEY": _key()},
        "key for the members section": {"HTTP_X_API_KEY": _key([members])},
        "key for news and members": {
            "HTTP_AUTHORIZATION": f"Bearer {_key([newsroom.news, members])}"
        },
    }
    leaks, answered = [], 0
    for (who, headers), url in itertools.product(callers.items(), _urls(newsroom, hidden, members)):
        for page_url, status, body in _walk(client, url, headers):
            answered += status == 200
            assert status != 429, page_url
            # The marker typed in a query is echoed in the "next" link only.
            text = body.replace(f"q={MARKER}", "")
            if MARKER in text.lower():
                leaks.append(f"{who}: {page_url} ({status})")
            for page in hidden:
                if f'"id":{page.pk},' in body or f"/stories/{page.pk}/" in body:
                    leaks.append(f"{who}: {page_url} names hidden story {page.pk}")
    assert not leaks, leaks
    assert answered > 100

    # The walk was real: live stories are there for the same callers.
    data = client.get("/api/v1/stories/?topic=marevia").json()
    assert data["results"]
    live_story = newsroom.stories[0].pk
    assert client.get(f"/api/v1/stories/{live_story}/").status_code == 200
    for page in hidden:
        assert client.get(f"/api/v1/stories/{page.pk}/").status_code == 404
