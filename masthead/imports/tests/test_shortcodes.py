"""Shortcodes read as WordPress reads them: registered names only."""

from masthead.imports.convert import html_to_blocks
from masthead.imports.shortcodes import expand, parse_attributes, possible_plugin_shortcodes


def show(code):
    return f"<{code.name} {sorted(code.attributes.items())} {code.content!r}>"


def test_unregistered_brackets_are_returned_as_written():
    for text in (
        '"The mayor [of Tesk] said no"',
        "[sic] [inaudible] [updated on 3 March] [...] [W]e",
        "[Gallery] director, [VIDEO] footage",  # names are case-sensitive, as in WordPress
        "[galleryx] [gallery-2] [embedded]",  # a registered name must end where the tag does
        "[note]kept[/note] [pricetable id=4]",
    ):
        assert expand(text, show) == text


def test_registered_forms_escape_self_closing_and_enclosing():
    assert expand("[[gallery]] and [[caption]x[/caption]]", show) == (
        "[gallery] and [caption]x[/caption]"
    )
    assert expand('[gallery ids="1,2" /]', show) == "<gallery [('ids', '1,2')] None>"
    assert expand("[embed]https://x.example/v[/embed]", show) == (
        "<embed [] 'https://x.example/v'>"
    )
    assert expand("[column][pullquote]hi[/pullquote][/column]", show) == (
        "<column [] \"<pullquote [] 'hi'>\">"
    )


def test_brackets_inside_html_tags_are_not_shortcodes():
    text = '<a title="[gallery]" href="/x[1]">x</a> [video src="a.mp4"]'
    assert (
        expand(text, show)
        == "<a title=\"[gallery]\" href=\"/x[1]\">x</a> <video [('src', 'a.mp4')] None>"
    )


def test_attributes_are_parsed_as_shortcode_parse_atts_does():
    assert parse_attributes(" ids=\"1,2\" columns=3 link='file' https://x.example/v flag") == {
        "ids": "1,2",
        "columns": "3",
        "link": "file",
        "0": "https://x.example/v",
        "1": "flag",
    }


def test_possible_plugin_shortcodes_are_names_with_attributes_or_closing_tags():
    text = "[sic] [of Tesk] [note]a[/note] [pricetable id=4] [gallery ids=1] [a b] [x=1]"
    assert possible_plugin_shortcodes(text) == ["note", "pricetable"]


def test_a_gallery_of_500_pictures_becomes_galleries_of_100_in_order():
    class Found:
        def __init__(self, pk):
            self.pk = pk

    ids = ",".join(str(n) for n in range(1, 501))
    result = html_to_blocks(f'[gallery ids="{ids}"]', lambda url, i: (Found(int(i)), None))
    galleries = [b["value"]["images"] for b in result.blocks]
    assert [len(g) for g in galleries] == [100] * 5
    order = [item["value"]["image"] for g in galleries for item in g]
    assert order == list(range(1, 501))
    assert any("split into 5 galleries" in n for n in result.notes)
