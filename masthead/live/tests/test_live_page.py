"""A live page as readers get it: entries in order, pinned on top, permalinks, states."""

import datetime as dt

import pytest
from django.utils import timezone
from lxml import html as lxml_html
from wagtail.models import PageViewRestriction

from masthead.live.factories import LiveEntryFactory
from masthead.live.models import ENDED, LIVE, UPCOMING, LiveEntry, LivePage

pytestmark = pytest.mark.django_db


def _entry_ids(content: bytes, container: str = "live__entries") -> list[str]:
    tree = lxml_html.fromstring(content)
    return [
        el.get("id")
        for el in tree.xpath(
            f'//div[contains(@class, "{container}")]/article[contains(@class, "entry")]'
        )
    ]


def test_live_page_is_served_with_its_own_template_from_its_section(client, coverage):
    response = client.get("/news/live-border-vote/")
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "pages/live_page.html"
    assert b"Live: the border vote" in response.content


def test_entries_are_newest_first_with_pinned_on_top(client, coverage):
    content = client.get(coverage.page.url).content
    assert _entry_ids(content) == [coverage.second.anchor, coverage.first.anchor]
    assert _entry_ids(content, "live__pinned") == [coverage.pinned.anchor]
    tree = lxml_html.fromstring(content)
    permalink = tree.xpath(f'//article[@id="{coverage.first.anchor}"]//a[@class="entry__time"]')[0]
    assert permalink.get("href") == f"#{coverage.first.anchor}"
    assert b"Polls open" in content and b"Mira Castellan" in content


def test_scheduled_and_draft_entries_are_not_shown(client, coverage):
    LiveEntryFactory(
        page=coverage.page,
        headline="Scheduled zzlater",
        published_at=timezone.now() + dt.timedelta(hours=1),
    )
    LiveEntryFactory(page=coverage.page, headline="Draft zzdraft", status=LiveEntry.Status.DRAFT)
    content = client.get(coverage.page.url).content
    assert b"zzlater" not in content and b"zzdraft" not in content
    assert len(_entry_ids(content)) == 2


def test_an_entry_correction_is_shown_with_its_date(client, coverage):
    coverage.second.correction = "An earlier version gave the wrong turnout."
    coverage.second.save()
    assert coverage.second.corrected_at is not None
    content = client.get(coverage.page.url).content.decode()
    assert "An earlier version gave the wrong turnout." in content
    assert coverage.second.corrected_at.isoformat()[:16] in content


def test_page_works_without_javascript_and_announces_politely(client, coverage):
    tree = lxml_html.fromstring(client.get(coverage.page.url).content)
    reload_link = tree.xpath('//a[contains(@class, "live__reload")]')[0]
    assert reload_link.get("href") == coverage.page.url
    status = tree.xpath('//*[contains(@class, "live__announce")]')[0]
    assert status.get("aria-live") == "polite" and status.get("role") == "status"
    article = tree.xpath("//article[@data-live-updates]")[0]
    assert article.get("data-live-updates") == f"/live/{coverage.page.pk}/updates.json"
    assert tree.xpath('//script[contains(@src, "masthead/live/live.js")]')


def test_state_follows_start_and_end_times(coverage):
    page = coverage.page
    now = timezone.now()
    page.coverage_start = now + dt.timedelta(hours=1)
    page.coverage_end = None
    assert page.state_at(now) == UPCOMING
    page.coverage_start = now - dt.timedelta(hours=1)
    assert page.state_at(now) == LIVE
    page.coverage_end = now - dt.timedelta(minutes=1)
    assert page.state_at(now) == ENDED


def test_ended_coverage_says_so(client, coverage):
    LivePage.objects.filter(pk=coverage.page.pk).update(coverage_end=timezone.now())
    assert b"Coverage ended" in client.get(coverage.page.url).content


def test_coverage_cannot_end_before_it_starts(coverage):
    from django.core.exceptions import ValidationError

    page = coverage.page
    page.coverage_end = page.coverage_start - dt.timedelta(minutes=1)
    with pytest.raises(ValidationError) as excinfo:
        page.full_clean()
    assert "coverage_end" in excinfo.value.message_dict


def test_no_entries_are_visible_on_a_private_or_unpublished_page(coverage):
    assert LiveEntry.objects.visible().count() == 3
    restriction = PageViewRestriction.objects.create(page=coverage.page, restriction_type="login")
    assert LiveEntry.objects.visible().count() == 0
    restriction.delete()
    coverage.page.unpublish()
    assert LiveEntry.objects.visible().count() == 0


def test_live_page_is_listed_as_a_story(client, coverage):
    assert b"Live: the border vote" in client.get("/news/").content
    assert b"Live: the border vote" in client.get("/").content
