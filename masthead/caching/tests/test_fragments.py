"""Fragments of uncached renders (story body, head, cards) are reused, and never outlive a change."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from masthead.articles.models import Correction

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_off(settings):
    # Every request renders the page; only fragments can be reused.
    settings.MASTHEAD_PAGE_CACHE = False
    settings.MASTHEAD_FRAGMENT_CACHE = True


def _html(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _publish(story, **changes):
    for name, value in changes.items():
        setattr(story, name, value)
    story.save_revision().publish()


def test_second_render_reuses_the_story_body_and_cards(client, newsroom):
    story = newsroom.stories[0]
    first = _html(client, story.url)
    with CaptureQueriesContext(connection) as queries:
        second = _html(client, story.url)
    sql = " ".join(q["sql"] for q in queries)
    # Corrections, bylines and topics are read only to render the body and head.
    assert "articles_correction" not in sql
    assert "articles_articleauthor" not in sql
    # Only the cards' one batched rendition query (kept for workers with empty caches).
    assert sql.count('FROM "images_mastheadrendition"') <= 1
    assert second.split('class="beacon"')[0] == first.split('class="beacon"')[0]


def test_reused_page_matches_a_render_without_fragments(client, newsroom, settings):
    story = newsroom.stories[2]
    _html(client, story.url)
    reused = _html(client, story.url)
    settings.MASTHEAD_FRAGMENT_CACHE = False
    fresh = _html(client, story.url)
    assert reused.split('class="beacon"')[0] == fresh.split('class="beacon"')[0]


def test_an_edit_shows_at_once_in_the_story_and_its_cards(client, newsroom):
    story, other = newsroom.stories[1], newsroom.stories[0]
    assert story.title in _html(client, story.url)
    assert story.title in _html(client, other.url)  # a card in other's blocks
    _publish(story, title="A wholly new headline for the story")
    html = _html(client, story.url)
    assert "<h1>A wholly new headline for the story</h1>" in html
    assert '<meta property="og:title" content="A wholly new headline for the story">' in html
    assert "A wholly new headline for the story" in _html(client, other.url)
    assert "Story number 1 about" not in _html(client, other.url)


def test_a_correction_shows_on_the_next_render(client, newsroom):
    story = newsroom.stories[0]
    _html(client, story.url)
    story.corrections.add(Correction(text="An earlier version misspelt the harbour's name."))
    story.save_revision().publish()
    assert "misspelt the harbour" in _html(client, story.url)


def test_a_story_saved_without_publishing_is_not_shown_from_an_old_copy(client, newsroom):
    story = newsroom.stories[0]
    _html(client, story.url)
    story.standfirst = "A standfirst changed by a script."
    story.save()
    html = _html(client, story.url)
    assert '<p class="standfirst">A standfirst changed by a script.</p>' in html
    assert 'content="A standfirst changed by a script."' in html


def test_unpublished_story_leaves_other_pages_cards_at_once(client, newsroom):
    story, other = newsroom.stories[1], newsroom.stories[0]
    assert story.url in _html(client, other.url)
    story.unpublish()
    html = _html(client, other.url)
    assert story.title not in html
    assert client.get(story.url).status_code == 404


def test_renamed_author_and_topic_show_at_once(client, newsroom):
    story = newsroom.stories[1]
    html = _html(client, story.url)
    assert "Mira Castellan" in html and "Marevia" in html
    newsroom.reporter.name = "Mira Castellan-Ode"
    newsroom.reporter.save()
    newsroom.marevia.name = "Marevia Coast"
    newsroom.marevia.save()
    html = _html(client, story.url)
    assert "Mira Castellan-Ode" in html
    assert "Marevia Coast" in html


def test_renamed_section_shows_in_cards_at_once(client, newsroom):
    story = newsroom.stories[0]
    _html(client, story.url)
    newsroom.analysis.title = "Deep dives"
    newsroom.analysis.save_revision().publish()
    html = _html(client, story.url)
    assert '<span class="section-label">Deep dives</span>' in html


def test_a_preview_neither_reads_nor_stores_fragments(client, newsroom, admin_user):
    story = newsroom.stories[0]
    live_title = story.title
    _html(client, story.url)
    story.title = "A draft headline nobody may read"
    revision = story.save_revision()
    client.force_login(admin_user)
    preview = client.get(reverse("wagtailadmin_pages:revisions_view", args=[story.pk, revision.pk]))
    assert preview.status_code == 200
    assert "A draft headline nobody may read" in preview.content.decode()
    client.logout()
    html = _html(client, story.url)
    assert "A draft headline nobody may read" not in html
    assert live_title in html


def test_fragment_keys_are_valid_on_every_cache_backend(client, newsroom, settings, recwarn):
    # A card's key holds its last publication time; a datetime's space made Django warn
    # that the key would fail on memcached (CacheKeyWarning) on every card rendered.
    # Django's own local-memory cache checks every key as memcached would (ours skips it).
    from django.core.cache.backends.base import CacheKeyWarning

    caches = {name: dict(options) for name, options in settings.CACHES.items()}
    caches["default"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    settings.CACHES = caches
    story = newsroom.stories[0]
    _html(client, story.url)
    _html(client, "/")
    assert not [str(w.message) for w in recwarn if issubclass(w.category, CacheKeyWarning)]
