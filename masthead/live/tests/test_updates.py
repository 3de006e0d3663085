"""The updates endpoint: cached, cheap, invalidated exactly when an entry changes."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from masthead.live.factories import LiveEntryFactory
from masthead.live.models import LiveEntry
from masthead.live.signals import announce_due

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.MASTHEAD_PAGE_CACHE = True


def _url(coverage) -> str:
    return f"/live/{coverage.page.pk}/updates.json"


def _ids(response) -> list[str]:
    return [e["id"] for e in response.json()["entries"]]


def test_updates_list_visible_entries_newest_first_with_their_html(client, coverage):
    response = client.get(_url(coverage))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert _ids(response) == [coverage.second.anchor, coverage.first.anchor, coverage.pinned.anchor]
    data = response.json()
    assert data["state"] == "live"
    assert f'id="{coverage.first.anchor}"' in data["entries"][1]["html"]
    assert data["entries"][2]["pinned"] is True


def test_updates_are_cached_and_a_hit_costs_no_query(client, coverage):
    assert client.get(_url(coverage))["X-Cache"] == "MISS"
    with CaptureQueriesContext(connection) as queries:
        second = client.get(_url(coverage))
    assert second["X-Cache"] == "HIT" and len(queries) == 0
    assert f"page:{coverage.page.pk}" in second["X-Cache-Tags"]


def test_publishing_an_entry_invalidates_the_updates_and_the_page(client, coverage):
    client.get(_url(coverage))
    client.get(coverage.page.url)
    other = "/topics/energy/"  # lists no live page
    client.get(other)
    new = LiveEntryFactory(page=coverage.page, headline="Turnout at noon")
    response = client.get(_url(coverage))
    assert response["X-Cache"] == "MISS"
    assert _ids(response)[0] == new.anchor
    page = client.get(coverage.page.url)
    assert page["X-Cache"] == "MISS" and b"Turnout at noon" in page.content
    # Exactly: a story that does not show the live page keeps its cached copy.
    assert client.get(other)["X-Cache"] == "HIT"


def test_withdrawing_an_entry_removes_it_from_cached_copies(client, coverage):
    assert coverage.second.anchor in _ids(client.get(_url(coverage)))
    coverage.second.status = LiveEntry.Status.DRAFT
    coverage.second.save()
    assert coverage.second.anchor not in _ids(client.get(_url(coverage)))
    coverage.first.delete()
    assert _ids(client.get(_url(coverage))) == [coverage.pinned.anchor]


def test_a_scheduled_entry_appears_on_the_scheduler_pass_after_its_time(client, coverage):
    later = LiveEntryFactory(
        page=coverage.page,
        headline="zzscheduled",
        published_at=timezone.now() + dt.timedelta(minutes=5),
    )
    assert later.anchor not in _ids(client.get(_url(coverage)))
    assert announce_due() == 0
    # Its time comes: the cached copy still says nothing until the pass announces it.
    LiveEntry.objects.filter(pk=later.pk).update(
        published_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert client.get(_url(coverage))["X-Cache"] == "HIT"
    assert announce_due() == 1
    response = client.get(_url(coverage))
    assert response["X-Cache"] == "MISS" and response.json()["entries"][0]["id"] == later.anchor
    assert announce_due() == 0  # announced once


def test_the_scheduler_pass_announces_due_entries(coverage):
    from masthead.operations import scheduler

    later = LiveEntryFactory(
        page=coverage.page, published_at=timezone.now() + dt.timedelta(minutes=5)
    )
    LiveEntry.objects.filter(pk=later.pk).update(published_at=timezone.now())
    assert scheduler.run_once()
    later.refresh_from_db()
    assert later.announced_at is not None


def test_updates_of_a_private_draft_or_unknown_page_are_404(client, coverage):
    assert client.get("/live/999999/updates.json").status_code == 404
    assert client.get(f"/live/{coverage.newsroom.stories[0].pk}/updates.json").status_code == 404
    PageViewRestriction.objects.create(page=coverage.page, restriction_type="login")
    assert client.get(_url(coverage)).status_code == 404


def test_a_corrected_entry_goes_out_again_with_a_new_version(client, coverage):
    old = [LiveEntryFactory(page=coverage.page, published_at=timezone.now()) for _ in range(20)]
    first = client.get(_url(coverage)).json()
    # The oldest entry is beyond the newest 20, but every visible entry has its version.
    assert coverage.first.anchor not in [e["id"] for e in first["entries"]]
    assert set(first["versions"]) == {e.anchor for e in [*old, coverage.first, coverage.second]} | {
        coverage.pinned.anchor
    }
    LiveEntry.objects.filter(pk=coverage.first.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=89)
    )
    coverage.first.refresh_from_db()
    coverage.first.correction = "The polls opened at seven, not eight."
    coverage.first.save()
    data = client.get(_url(coverage)).json()
    assert data["versions"][coverage.first.anchor] != first["versions"][coverage.first.anchor]
    sent = {e["id"]: e for e in data["entries"]}
    assert sent[coverage.first.anchor]["version"] == data["versions"][coverage.first.anchor]
    assert "seven, not eight" in sent[coverage.first.anchor]["html"]
    version = data["versions"][coverage.first.anchor]
    assert f'data-version="{version}"' in sent[coverage.first.anchor]["html"]
    # The page carries the same version, so an open page can tell the entry changed.
    assert f'data-version="{version}"' in client.get(coverage.page.url).content.decode()


def test_a_deleted_or_withdrawn_entry_leaves_the_versions(client, coverage):
    assert coverage.second.anchor in client.get(_url(coverage)).json()["versions"]
    coverage.second.status = LiveEntry.Status.DRAFT
    coverage.second.save()
    coverage.first.delete()
    versions = client.get(_url(coverage)).json()["versions"]
    assert set(versions) == {coverage.pinned.anchor}


def test_publishing_an_entry_bans_the_page_and_its_lists_at_the_proxy(
    settings, coverage, django_capture_on_commit_callbacks
):
    from unittest import mock

    settings.MASTHEAD_PURGE_URLS = ["http://proxy.internal:6081"]
    with (
        mock.patch("masthead.caching.purge._send") as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        LiveEntryFactory(page=coverage.page, headline="Turnout at noon")
    assert send.call_args_list, "no BAN was sent"
    names = set().union(*(set(call.args[1]) for call in send.call_args_list))
    page = coverage.page
    # The page's own tag covers the page, its updates endpoint and entry feeds (all
    # tagged with it) and every list showing its card; nothing site-wide.
    assert f"page:{page.pk}" in names
    assert "site" not in names
    with (
        mock.patch("masthead.caching.purge._send") as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        LiveEntryFactory(page=page, headline="Later", status=LiveEntry.Status.DRAFT)
    assert not send.call_args_list  # a draft changes nothing readers see


def test_an_entry_authors_rename_reaches_every_cached_copy(client, coverage):
    """The live page's own byline is the reporter; an entry is by the columnist only."""
    columnist = coverage.newsroom.columnist
    addresses = [
        coverage.page.url,
        _url(coverage),
        f"/feeds/live/{coverage.page.pk}/atom/",
        f"/feeds/live/{coverage.page.pk}/json/",
    ]
    for address in addresses:
        first = client.get(address)
        assert first.status_code == 200 and columnist.name in first.content.decode()
        assert f"author:{columnist.pk}" in first["X-Cache-Tags"], address
        assert client.get(address)["X-Cache"] == "HIT"
    columnist.name = "Kenji Larsson-Abe Ito"
    columnist.save()
    for address in addresses:
        response = client.get(address)
        assert response["X-Cache"] == "MISS", address
        assert "Kenji Larsson-Abe Ito" in response.content.decode(), address
