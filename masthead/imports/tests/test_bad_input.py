"""The bad input of issue 16 in one export: each gets a reported, bounded result, and
the rest of the import completes (stories, pages and the menu around them)."""

import json

import pytest
from wagtail.models import Site

from masthead.imports.tests.test_fidelity import jpeg, page_html, run, story
from masthead.imports.tests.test_pages_menus import MENUS, menu_item
from masthead.imports.tests.wxr import Item, upload_url, write_export
from masthead.navigation.models import Menus
from masthead.pages.models import InformationPage

PICTURES = 500


def export(tmp_path):
    folder = tmp_path / "uploads" / "2024" / "05"
    folder.mkdir(parents=True)
    for n in range(PICTURES):
        (folder / f"g{n}.jpg").write_bytes(jpeg((n % 250, 90, 140)))
    (folder / "long.mp3").write_bytes(b"ID3\x03\x00" + b"\x00" * 4096)
    rows = "".join(
        f"<tr><th>r{r}</th>" + "".join(f"<td>{r}.{c}</td>" for c in range(9)) + "</tr>"
        for r in range(999)
    )
    table = f"<table><thead><tr>{''.join(f'<th>h{c}</th>' for c in range(10))}</tr></thead>{rows}</table>"
    ids = ",".join(str(1000 + n) for n in range(PICTURES))
    items = [
        *(
            Item(
                1000 + n,
                f"Frame {n}",
                post_type="attachment",
                status="inherit",
                attachment_url=upload_url(f"g{n}.jpg"),
            )
            for n in range(PICTURES)
        ),
        Item(1, "Every result", f"<p>Before the table.</p>{table}<p>After the table.</p>"),
        Item(2, "Contact sheet", f'<p>All the frames.</p>[gallery ids="{ids}"]'),
        Item(
            3,
            "Long interview",
            f'<figure class="wp-block-audio"><audio src="{upload_url("long.mp3")}"></audio>'
            "<figcaption>The whole hearing</figcaption></figure><p>Transcript follows.</p>",
        ),
        Item(4, "An ordinary story", "<p>Nothing unusual [sic] here.</p>"),
        Item(10, "About", "<p>About us.</p>", post_type="page", slug="about"),
        Item(30, "Loop one", "<p>One.</p>", post_type="page", slug="loop-one", parent=31),
        Item(31, "Loop two", "<p>Two.</p>", post_type="page", slug="loop-two", parent=32),
        Item(32, "Loop three", "<p>Three.</p>", post_type="page", slug="loop-three", parent=30),
        menu_item(
            100,
            "About",
            1,
            _menu_item_type="post_type",
            _menu_item_object="page",
            _menu_item_object_id="10",
        ),
        menu_item(
            101,
            "Vanished",
            2,
            _menu_item_type="post_type",
            _menu_item_object="page",
            _menu_item_object_id="777",
        ),
        menu_item(
            102, "Donate", 3, _menu_item_type="custom", _menu_item_url="https://give.example.org/"
        ),
    ]
    return write_export(tmp_path / "bad.xml", items, extra=MENUS), tmp_path / "uploads"


@pytest.mark.slow
def test_bad_input_is_reported_bounded_and_the_rest_completes(
    bare_site, tmp_path, client, settings
):
    settings.MASTHEAD_MEDIA_MAX_UPLOAD_SIZE = 1024  # the recording is 4 kB
    path, uploads = export(tmp_path)
    report = run(path, media_dir=uploads)
    out = tmp_path / "report.json"
    report.write_json(str(out))
    posts = {p["item"]: p for p in json.loads(out.read_text())["posts"]}

    assert report.total("story", "created") == 4 and report.total("story", "skipped") == 0
    assert report.total("image", "created") == PICTURES
    assert report.total("page", "created") == 4

    # A table of 10,000 cells: tables of at most 2,500 cells, header row repeated.
    tables = [b.value["table"] for b in story(1).body if b.block_type == "table"]
    assert len(tables) == 5 and all(len(t["data"]) * 10 <= 2500 for t in tables)
    assert sum(len(t["data"]) - 1 for t in tables) == 999
    assert all(t["data"][0][0] == "h0" and t["first_col_is_header"] for t in tables)
    assert "split into 5 tables" in " ".join(posts["post 1 'Every result'"]["changed"])
    text = page_html(client, 1)
    assert "r998" in text and "After the table." in text

    # A gallery of 500 pictures: five galleries of 100, in order.
    galleries = [b.value["images"] for b in story(2).body if b.block_type == "gallery"]
    assert [len(g) for g in galleries] == [100] * 5
    titles = [item["image"].title for g in galleries for item in g]
    assert titles == [f"Frame {n}" for n in range(PICTURES)]
    assert "split into 5 galleries" in " ".join(posts["post 2 'Contact sheet'"]["changed"])
    assert page_html(client, 2).count('class="gallery__item"') == PICTURES

    # A recording over the upload limit: a link to its old address, with its caption.
    assert {b.block_type for b in story(3).body} == {"paragraph"}
    kept = " ".join(posts["post 3 'Long interview'"]["kept as text"])
    assert "long.mp3" in kept and "upload limit" in kept
    text = page_html(client, 3)
    assert f'href="{upload_url("long.mp3")}"' in text and "The whole hearing" in text

    # A cycle of three pages in post_parent: broken at one page, which becomes a
    # top-level page (reported); the other two keep their parents; all three are live.
    for slug in ("loop-one", "loop-two", "loop-three"):
        assert InformationPage.objects.get(slug=slug).live
    loops = [label for label, note in report.notes if "form a loop" in note]
    assert loops == ["page 30 'Loop one'"]

    # A menu item pointing at a missing page: left out and reported; the rest saved.
    header = Menus.for_site(Site.objects.get(is_default_site=True)).header
    assert [b.value["label"] for b in header] == ["About", "Donate"]
    assert any("page 777, which was not imported" in note for _, note in report.notes)

    # The ordinary story is untouched and the report says nothing of it.
    assert "Nothing unusual [sic] here." in page_html(client, 4)
    assert "post 4 'An ordinary story'" not in posts
    # Bounded: the text report lists at most ten examples per reason.
    assert all(line.count(";") < 11 for line in report.render().splitlines())
