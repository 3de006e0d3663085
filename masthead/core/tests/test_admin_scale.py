"""The back office with many stories: explorer, admin search and page chooser.

What bench/backoffice/run.py times at 100,000 stories is checked here for results and
query counts on small archives: admin searches find drafts and list matches by latest
edit (Wagtail's relevance ordering costs grow with the square of the matches), the
explorer pages a section in a stable order, and no view's query count grows with the
number of stories.
"""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page

from masthead.accounts.roles import EDITORS, give_role
from masthead.articles.models import ArticlePage
from masthead.compat import admin_listing
from masthead.compat.admin_listing import MastheadExplorableIndexView
from masthead.demo.archive import build_search_index, generate_archive
from masthead.sections.models import SectionPage

pytestmark = pytest.mark.django_db


def first_section() -> SectionPage:
    return SectionPage.objects.order_by("path").first()


def add_story(section, title: str, *, live: bool, edited_days_ago: float) -> ArticlePage:
    """Add a story through Wagtail (revision and search index), last edited that long ago."""
    story = ArticlePage(title=title, standfirst="Why it matters.", live=live)
    section.add_child(instance=story)
    story.save_revision()
    edited = timezone.now() - dt.timedelta(days=edited_days_ago)
    ArticlePage.objects.filter(pk=story.pk).update(latest_revision_created_at=edited)
    return story


def positions(html: str, titles: list[str]) -> list[int]:
    return [html.find(title) for title in titles]


def test_admin_search_and_chooser_find_a_draft_by_a_word_of_its_headline(admin_client):
    generate_archive(20, seed=5, progress=False)
    build_search_index(progress=False)
    draft = add_story(
        first_section(), "Council weighs the zanquillor ferry plan", live=False, edited_days_ago=0
    )
    for url in (
        "/admin/pages/search/?q=zanquillor",
        "/admin/pages/search/?q=zanquil",  # search as you type: the last word is a prefix
        "/admin/choose-page/search/?q=zanquillor",
        f"/admin/pages/{first_section().pk}/?q=zanquillor",
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert draft.title in response.content.decode(), url
    # Readers never see it.
    admin_client.logout()
    assert "ferry plan" not in admin_client.get("/search/?q=zanquillor").content.decode()


def test_admin_searches_list_matches_by_latest_edit_newest_first(admin_client):
    ensure = generate_archive(5, seed=5, progress=False)
    assert ensure == 5
    section = first_section()
    # By relevance the short headline would come first (BM25 favours short fields).
    older = add_story(section, "Harbour strike", live=True, edited_days_ago=9)
    newer = add_story(
        section,
        "Harbour strike talks resume after a long night of argument in the port of Halden",
        live=False,
        edited_days_ago=1,
    )
    titles = [newer.title, older.title]
    for url in (
        "/admin/pages/search/?q=harbour",
        "/admin/choose-page/search/?q=harbour",
        f"/admin/pages/{section.pk}/?q=harbour",
    ):
        html = admin_client.get(url).content.decode()
        found = positions(html, titles)
        assert -1 not in found, url
        assert found == sorted(found), url
    # Another order chosen in the listing still applies.
    html = admin_client.get("/admin/pages/search/?q=harbour&ordering=title").content.decode()
    found = positions(html, titles)
    assert found == sorted(found, reverse=True)


def test_explorer_pages_a_section_in_a_stable_order(admin_client, monkeypatch):
    generate_archive(60, seed=5, progress=False)  # 12 per section, none edited in the admin
    monkeypatch.setattr(MastheadExplorableIndexView, "paginate_by", 5)
    section = first_section()
    expected = list(Page.objects.child_of(section).order_by("-pk").values_list("pk", flat=True))
    listed = []
    for number in (1, 2, 3):
        response = admin_client.get(f"/admin/pages/{section.pk}/?p={number}")
        assert response.status_code == 200
        listed += [page.pk for page in response.context["page_obj"].object_list]
    assert listed == expected


def test_explorer_offers_no_manual_order_for_a_section_of_many_stories(admin_client, monkeypatch):
    generate_archive(20, seed=5, progress=False)  # 4 per section
    section = first_section()
    response = admin_client.get(f"/admin/pages/{section.pk}/?ordering=ord")
    assert response.context["view"].show_ordering_column
    monkeypatch.setattr(admin_listing, "REORDER_LIMIT", 3)
    response = admin_client.get(f"/admin/pages/{section.pk}/?ordering=ord")
    assert response.status_code == 200
    assert not response.context["view"].show_ordering_column
    assert response.context["view"].get_paginate_by(None) == MastheadExplorableIndexView.paginate_by


def test_explorer_selects_children_by_tree_path_range(admin_client):
    """The children come from the path index; no ``LIKE``, no list of every page."""
    generate_archive(10, seed=5, progress=False)
    section = first_section()
    with CaptureQueriesContext(connection) as queries:
        admin_client.get(f"/admin/pages/{section.pk}/?ordering=-latest_revision_created_at")
    listing = [q["sql"] for q in queries.captured_queries if "articles_articlepage" in q["sql"]]
    assert listing
    for sql in listing:
        assert "BETWEEN" in sql or "IN (" in sql, sql
        assert not re.search(r'"path" LIKE', sql), sql
        assert 'FROM "wagtailcore_page" U0)' not in sql, sql


def test_an_editor_explores_the_sections_stories(client):
    generate_archive(10, seed=5, progress=False)
    editor = get_user_model().objects.create_user("desk", "desk@example.org", "pw")
    give_role(editor, EDITORS)
    client.force_login(editor)
    section = first_section()
    response = client.get(f"/admin/pages/{section.pk}/")
    assert response.status_code == 200
    listed = {page.pk for page in response.context["page_obj"].object_list}
    assert listed == set(Page.objects.child_of(section).values_list("pk", flat=True))


def count_queries(client, urls: dict[str, str]) -> dict[str, int]:
    for url in urls.values():
        client.get(url)  # per-process caches warmed (content types, site, permissions)
    counts = {}
    for name, url in urls.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[name] = len(queries)
    return counts


def test_back_office_query_counts_do_not_grow_with_the_archive(admin_client):
    def urls() -> dict[str, str]:
        section = first_section()
        story = Page.objects.child_of(section).order_by("-pk").first()
        return {
            "explorer": f"/admin/pages/{section.pk}/",
            "explorer, newest first": f"/admin/pages/{section.pk}/?ordering=-latest_revision_created_at",
            "explorer, page 2": f"/admin/pages/{section.pk}/?p=2",
            "edit": f"/admin/pages/{story.pk}/edit/",
            "admin search": "/admin/pages/search/?q=the",
            "explorer search": f"/admin/pages/{section.pk}/?q=the",
            "chooser": "/admin/choose-page/",
            "chooser, section": f"/admin/choose-page/{section.pk}/",
            "chooser search": "/admin/choose-page/search/?q=the",
        }

    # Every list is full at both sizes: 110 stories per section, 50 rows a page.
    generate_archive(550, seed=5, progress=False)
    build_search_index(progress=False)
    small = count_queries(admin_client, urls())
    generate_archive(1100, seed=6, progress=False)
    build_search_index(progress=False)
    assert ArticlePage.objects.count() == 1650
    large = count_queries(admin_client, urls())
    assert large == small
