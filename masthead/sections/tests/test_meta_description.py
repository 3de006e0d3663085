"""Home and section pages describe themselves to search engines (Lighthouse SEO audit)."""

import re

import pytest

pytestmark = pytest.mark.django_db


def _description(html: str) -> str | None:
    match = re.search(r'<meta name="description" content="([^"]*)">', html)
    return match.group(1) if match else None


def test_home_page_has_a_meta_description_without_an_editor_setting_one(client, newsroom):
    newsroom.home.search_description = ""
    newsroom.home.intro = ""
    newsroom.home.save()
    assert _description(client.get("/").content.decode()).startswith("The latest stories from ")


def test_home_page_prefers_the_editor_s_description(client, newsroom):
    newsroom.home.search_description = "Independent reporting from the border regions."
    newsroom.home.save()
    assert _description(client.get("/").content.decode()) == newsroom.home.search_description


def test_section_page_describes_itself(client, newsroom):
    newsroom.news.description = ""
    newsroom.news.search_description = ""
    newsroom.news.save()
    html = client.get(newsroom.news.url).content.decode()
    assert _description(html) == "The latest News stories from " + _publication(html) + "."
    newsroom.news.description = "Daily news from the region."
    newsroom.news.save()
    assert _description(client.get(newsroom.news.url).content.decode()) == newsroom.news.description


def test_pages_name_an_icon_so_browsers_do_not_ask_for_a_missing_favicon(client, newsroom):
    assert re.search(r'<link rel="icon" href="[^"]+favicon\.svg"', client.get("/").content.decode())


def _publication(html: str) -> str:
    return re.search(r"<title>.* \| (.*)</title>", html).group(1)
