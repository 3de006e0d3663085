"""Control characters, invalid XML characters, emoji and right-to-left text in every field."""

import pytest
from django.utils.encoding import iri_to_uri

from masthead.images.factories import MastheadImageFactory
from masthead.people.factories import AuthorFactory
from masthead.sections.factories import SectionPageFactory, TopicFactory
from masthead.syndication.text import clean_text

from .validators import head_tags, json_ld, locations, parse_feed, parse_json_feed, parse_sitemap

pytestmark = pytest.mark.django_db

# Everything XML 1.0 forbids that a database will store (PostgreSQL refuses NUL),
# plus emoji, Arabic and Hebrew, and markup that must stay text.
BAD = "\x01\x08\x0b\x0c\x1b\x7f\x85\ufffe\uffff"
RTL = "مرحبا بالعالم עברית"
EMOJI = "🗞️👩🏽‍💻"
MARKUP = '</script><b>&amp; "quoted"</b>'


def hostile(label: str) -> str:
    return f"{label}{BAD} {RTL} {EMOJI} {MARKUP}"


@pytest.fixture
def hostile_story(newsroom):
    section = SectionPageFactory(
        parent=newsroom.home, title=hostile("Section"), slug="عاجل", description=hostile("About")
    )
    author = AuthorFactory(name=hostile("Author"), slug="author-x", job_title=hostile("Job"))
    topic = TopicFactory(name=hostile("Topic"), slug="topic-x", description=hostile("Topic about"))
    image = MastheadImageFactory(
        caption=hostile("Caption"), credit=hostile("Credit"), description=hostile("Alt")
    )
    return newsroom.publish(
        section,
        days_ago=0.1,
        title=hostile("Headline"),
        slug="خبر-اليوم",
        kicker="K\x0b",
        standfirst=hostile("Standfirst"),
        search_description=hostile("Search"),
        lead_image=image,
        source_name=hostile("Source"),
        source_url="https://wire.example/a?b=1&c=2",
        authors=[author, newsroom.reporter],
        topics=[topic],
        corrections=[(newsroom.stories[0].first_published_at, hostile("Correction"))],
    )


def _assert_clean(text: str, label: str) -> None:
    """The text kept the visible characters and lost only the forbidden ones."""
    assert text.startswith(label), text
    assert RTL in text and EMOJI in text
    assert not set(BAD) & set(text), text


def test_feeds_stay_valid_and_keep_the_readable_text(client, hostile_story, settings):
    settings.MASTHEAD_FEED_FULL_TEXT = True
    scopes = ["", "section/عاجل/", "topic/topic-x/", "author/author-x/"]
    for scope in scopes:
        rss = parse_feed(client.get(f"/feeds/{scope}rss/").content)
        atom = parse_feed(client.get(f"/feeds/{scope}atom/").content)
        data = parse_json_feed(client.get(f"/feeds/{scope}json/").content)
        for entry in (rss.entries[0], atom.entries[0]):
            _assert_clean(entry.title, "Headline")
            assert "Standfirst" in entry.summary and RTL in entry.summary
        item = data["items"][0]
        _assert_clean(item["title"], "Headline")
        _assert_clean(item["summary"], "Standfirst")
        _assert_clean(item["authors"][0]["name"], "Author")
        assert any(tag.startswith("Topic") for tag in item["tags"]), item["tags"]
    # Markup typed into a headline stays text: feedparser reads it back literally.
    assert MARKUP in rss.entries[0].title


def test_sitemaps_stay_valid(client, hostile_story):
    index = parse_sitemap(client.get("/sitemap.xml").content, "siteindex.xsd")
    urls = []
    for loc in locations(index):
        urls += locations(parse_sitemap(client.get(loc.removeprefix("http://testserver")).content))
    assert f"http://testserver{iri_to_uri('/عاجل/خبر-اليوم/')}" in urls
    news = parse_sitemap(client.get("/news-sitemap.xml").content, "news-sitemap.xsd")
    titles = [el.text for el in news.iter("{http://www.google.com/schemas/sitemap-news/0.9}title")]
    _assert_clean(titles[0], "Headline")


def test_article_page_json_ld_parses_and_social_tags_are_clean(client, hostile_story):
    response = client.get(hostile_story.url)
    assert response.status_code == 200
    html = response.content.decode()
    objects = {obj["@type"]: obj for obj in json_ld(html)}
    article = objects["NewsArticle"]
    _assert_clean(article["headline"], "Headline")
    _assert_clean(article["description"], "Search")
    _assert_clean(article["author"][0]["name"], "Author")
    _assert_clean(article["correction"][0]["text"], "Correction")
    _assert_clean(objects["BreadcrumbList"]["itemListElement"][1]["name"], "Section")
    # What the syndication app adds to the head: from the canonical link to </head>.
    head = html[html.index('<link rel="canonical"') : html.index("</head>")]
    assert head.count("</script>") == len(objects)  # no field closed a script early
    assert not set(BAD) & set(head)
    metas, _links = head_tags(html)
    _assert_clean(metas["og:title"][0], "Headline")
    _assert_clean(metas["og:image:alt"][0], "Alt")


def test_clean_text_drops_only_forbidden_characters():
    assert clean_text("a\x00b\x0bc\ud800d\ufffee\tf\ng\rh") == "abcde\tf\ng\rh"
    assert clean_text(f"{RTL} {EMOJI} ü ß 中文") == f"{RTL} {EMOJI} ü ß 中文"
