"""WordPress pages become information pages, the primary menu the header menu."""

import pytest
from wagtail.models import Page, Site

from masthead.imports.tests.wxr import Item, write_export
from masthead.imports.wordpress import import_wordpress
from masthead.navigation.models import Menus
from masthead.pages.models import InformationPage

MENUS = """	<wp:term><wp:term_id>7</wp:term_id><wp:term_taxonomy>nav_menu</wp:term_taxonomy><wp:term_slug>main-menu</wp:term_slug><wp:term_name><![CDATA[Main menu]]></wp:term_name></wp:term>
	<wp:term><wp:term_id>8</wp:term_id><wp:term_taxonomy>nav_menu</wp:term_taxonomy><wp:term_slug>social</wp:term_slug><wp:term_name><![CDATA[Social]]></wp:term_name></wp:term>
"""


def menu_item(post_id, label, order, menu="main-menu", parent="0", **meta):
    return Item(
        post_id,
        label,
        post_type="nav_menu_item",
        menu_order=order,
        terms=[("nav_menu", menu, menu.title())],
        meta={"_menu_item_menu_item_parent": parent, **meta},
    )


def export(tmp_path, extra_items=()):
    items = [
        Item(
            10,
            "About us",
            "<p>We report on [the] harbour towns.</p>",
            post_type="page",
            slug="about",
        ),
        Item(11, "Contact", "<p>Write to us.</p>", post_type="page", slug="contact", menu_order=3),
        Item(12, "Ethics policy", "<p>We correct errors.</p>", post_type="page", slug="ethics"),
        Item(20, "Guides", "<p>All guides.</p>", post_type="page", slug="guides"),
        Item(22, "Guide B", "<p>B.</p>", post_type="page", slug="guide-b", parent=20, menu_order=2),
        Item(21, "Guide A", "<p>A.</p>", post_type="page", slug="guide-a", parent=20, menu_order=1),
        Item(30, "Loop one", "<p>One.</p>", post_type="page", slug="loop-one", parent=31),
        Item(31, "Loop two", "<p>Two.</p>", post_type="page", slug="loop-two", parent=30),
        Item(40, "Draft page", "<p>Not yet.</p>", post_type="page", slug="draft", status="draft"),
        Item(1, "A story", "<p>Story.</p>", slug="a-story"),
        menu_item(
            100,
            "",
            1,
            _menu_item_type="post_type",
            _menu_item_object="page",
            _menu_item_object_id="10",
        ),
        menu_item(
            101, "Donate", 2, _menu_item_type="custom", _menu_item_url="https://give.example.org/"
        ),
        menu_item(
            102,
            "Sub",
            3,
            parent="100",
            _menu_item_type="custom",
            _menu_item_url="https://x.example/",
        ),
        menu_item(
            103,
            "Gone",
            4,
            _menu_item_type="post_type",
            _menu_item_object="page",
            _menu_item_object_id="999",
        ),
        menu_item(
            104,
            "Story",
            5,
            _menu_item_type="post_type",
            _menu_item_object="post",
            _menu_item_object_id="1",
        ),
        menu_item(105, "Placeholder", 6, _menu_item_type="custom", _menu_item_url="#"),
        menu_item(
            110,
            "Mastodon",
            1,
            menu="social",
            _menu_item_type="custom",
            _menu_item_url="https://social.example/@courier",
        ),
        *extra_items,
    ]
    return write_export(tmp_path / "site.xml", items, extra=MENUS)


def run(path):
    return import_wordpress(path, download=False, progress=False)


def page(slug) -> InformationPage:
    return InformationPage.objects.get(slug=slug)


def test_pages_keep_kind_parent_order_and_state(bare_site, tmp_path, client):
    report = run(export(tmp_path))
    assert report.total("page", "created") == 9
    assert page("about").kind == "about" and page("contact").kind == "contact"
    assert page("ethics").kind == "ethics" and page("guides").kind == "other"
    response = client.get("/about/")
    assert response.status_code == 200
    assert "We report on [the] harbour towns." in response.content.decode()
    home = bare_site.home
    under_home = [p.slug for p in Page.objects.child_of(home).order_by("path")]
    # InformationPage holds no pages: a child is placed beside its parent, in order.
    assert under_home.index("guides") < under_home.index("guide-a") < under_home.index("guide-b")
    assert not page("draft").live and client.get("/draft/").status_code == 404
    notes = " ".join(note for _, note in report.notes)
    assert "loop" in notes
    assert page("loop-one").live and page("loop-two").live
    footer = client.get("/").content.decode()
    assert 'href="/about/"' in footer


def test_the_primary_menu_becomes_the_header_menu(bare_site, tmp_path, client):
    report = run(export(tmp_path))
    menus = Menus.for_site(Site.objects.get(is_default_site=True))
    links = [(b.value["label"], b.value["page"], b.value["url"]) for b in menus.header]
    assert links[0][1].specific.slug == "about"
    assert links[1] == ("Donate", None, "https://give.example.org/")
    assert links[2][0] == "Story" and links[2][1].slug == "a-story"
    assert len(links) == 3
    notes = " ".join(note for _, note in report.notes)
    assert "page 999, which was not imported" in notes
    assert "sub-item 'Sub' was left out" in notes
    assert "'Placeholder' has no usable address" in notes
    assert any("Social" in label for _, label, _ in report.skipped)
    html = client.get("/").content.decode()
    assert "https://give.example.org/" in html


def test_second_run_changes_nothing_and_an_editors_menu_is_kept(bare_site, tmp_path):
    path = export(tmp_path)
    run(path)
    again = run(path)
    assert again.total("page", "unchanged") == 9 and again.total("page", "created") == 0
    assert again.total("menu", "unchanged") == 1
    menus = Menus.for_site(Site.objects.get(is_default_site=True))
    menus.header = [
        {"type": "link", "value": {"label": "Ours", "page": None, "url": "https://ours.example/"}}
    ]
    menus.save()
    path = export(
        tmp_path,
        [menu_item(106, "New", 7, _menu_item_type="custom", _menu_item_url="https://new.example/")],
    )
    third = run(path)
    menus = Menus.for_site(Site.objects.get(is_default_site=True))
    assert [b.value["label"] for b in menus.header] == ["Ours"]
    assert any("left as it is" in note for _, note in third.notes)


@pytest.mark.slow
def test_real_export_pages_and_menus(bare_site):
    from masthead.imports.tests.test_fidelity import REAL

    report = run(REAL / "theme-unit-test-data.xml")
    assert report.total("page", "created") >= 15
    menus = Menus.for_site(Site.objects.get(is_default_site=True))
    assert len(menus.header) >= 3
