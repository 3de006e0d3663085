"""The fast entry form: one entry per save, editorial checks, publishing by role."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from masthead.accounts.roles import CONTRIBUTORS, EDITORS, give_role
from masthead.editorial.findings import BLOCKING
from masthead.editorial.models import EditorialSettings
from masthead.live.models import LiveEntry

pytestmark = pytest.mark.django_db
ADD = "live_entries:add"


def _user(role: str):
    user = get_user_model().objects.create_user(role.lower(), f"{role.lower()}@example.org", "pw")
    give_role(user, role)
    return user


def _with(text: str) -> list[int]:
    return [e.pk for e in LiveEntry.objects.all() if text in e.summary]


def _data(coverage, text: str, **extra) -> dict:
    data = {
        "page": coverage.page.pk,
        "headline": "",
        "body": streamfield([("paragraph", rich_text(f"<p>{text}</p>"))]),
        "author": coverage.newsroom.reporter.pk,
        "published_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "status": "published",
        "pinned": "",
        "correction": "",
    }
    data.update(extra)
    return nested_form_data(data)


def test_editor_writes_two_entries_in_a_row_from_the_same_form(client, coverage):
    client.force_login(_user(EDITORS))
    url = f"{reverse(ADD)}?page={coverage.page.pk}"
    form = client.get(url)
    assert form.status_code == 200
    assert "Live: the border vote" in form.content.decode()
    for text in ("The count has started in the north.", "Turnout is higher than in 2022."):
        response = client.post(url, _data(coverage, text))
        assert response.status_code == 302, response.content.decode()[:2000]
        assert response["Location"] == url
    entries = LiveEntry.objects.filter(page=coverage.page).order_by("pk")
    assert [e.summary for e in entries][-2:] == [
        "The count has started in the north.",
        "Turnout is higher than in 2022.",
    ]
    assert entries.last().created_by.username == "editors"
    assert "Turnout is higher" in client.get(coverage.page.url).content.decode()


def test_the_page_editor_offers_the_entry_form(client, coverage):
    client.force_login(_user(EDITORS))
    content = client.get(reverse("wagtailadmin_pages:edit", args=[coverage.page.pk])).content
    assert f"{reverse(ADD)}?page={coverage.page.pk}".encode() in content


def test_a_future_time_schedules_the_entry(client, coverage):
    client.force_login(_user(EDITORS))
    later = timezone.localtime() + dt.timedelta(hours=2)
    data = _data(
        coverage,
        "The result is expected at midnight.",
        published_at=later.strftime("%Y-%m-%d %H:%M"),
    )
    assert client.post(reverse(ADD), data).status_code == 302
    entry = LiveEntry.objects.get(headline="", pk__in=_with("midnight"))
    assert entry.status == "published" and entry.published_at > timezone.now()
    assert "midnight" not in client.get(coverage.page.url).content.decode()


def test_a_contributor_can_only_save_drafts(client, coverage):
    client.force_login(_user(CONTRIBUTORS))
    response = client.post(reverse(ADD), _data(coverage, "A draft for the desk."))
    assert response.status_code == 200
    assert not LiveEntry.objects.filter(pk__in=_with("draft for the desk")).exists()
    response = client.post(reverse(ADD), _data(coverage, "A draft for the desk.", status="draft"))
    assert response.status_code == 302
    entry = LiveEntry.objects.get(pk__in=_with("draft for the desk"))
    assert entry.status == "draft"
    assert "draft for the desk" not in client.get(coverage.page.url).content.decode()


def test_blocking_findings_stop_publishing_but_a_draft_is_kept(client, coverage):
    settings = EditorialSettings.for_site(coverage.page.get_site())
    settings.spelling = BLOCKING
    settings.save()
    client.force_login(_user(EDITORS))
    text = "The goverment said the count was delayed."
    response = client.post(reverse(ADD), _data(coverage, text))
    assert response.status_code == 200
    assert "blocking editorial findings" in response.content.decode()
    assert not LiveEntry.objects.filter(pk__in=_with("goverment")).exists()
    response = client.post(reverse(ADD), _data(coverage, text, status="draft"))
    assert response.status_code == 302
    assert LiveEntry.objects.get(pk__in=_with("goverment")).status == "draft"


def test_an_empty_entry_is_refused_with_a_message(client, coverage):
    client.force_login(_user(EDITORS))
    no_blocks = {k: v for k, v in _data(coverage, "x").items() if not k.startswith("body")}
    no_blocks["body-count"] = "0"
    for data in (_data(coverage, ""), no_blocks):
        response = client.post(reverse(ADD), data)
        assert response.status_code == 200
        assert response.context["form"].errors["body"]  # Wagtail's or ours: nothing saved
    assert LiveEntry.objects.filter(page=coverage.page).count() == 3


def test_the_form_opens_with_a_paragraph_ready_to_type(client, coverage):
    client.force_login(_user(EDITORS))
    form = client.get(f"{reverse(ADD)}?page={coverage.page.pk}").context["form"]
    assert [block.block_type for block in form["body"].value()] == ["paragraph"]
    assert form["page"].value() == coverage.page.pk
