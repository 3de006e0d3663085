"""HTML to story blocks, without the database."""

from masthead.imports.convert import first_sentence, html_to_blocks


class FakeImage:
    def __init__(self, pk):
        self.pk = pk


def finder(known: dict):
    def find(url, attachment_id):
        for key in (attachment_id, url):
            if key in known:
                return FakeImage(known[key]), None
        return None, f"missing {attachment_id or url}"

    return find


def convert(html, known=None, gallery=None):
    return html_to_blocks(html, finder(known or {}), gallery)


def test_classic_editor_blank_lines_make_paragraphs():
    result = convert("One line\nstill one.\n\nTwo.\n\n\nThree &amp; more.")
    assert [b["value"] for b in result.blocks] == [
        "<p>One line\nstill one.</p>",
        "<p>Two.</p>",
        "<p>Three &amp; more.</p>",
    ]


def test_block_editor_comments_are_dropped():
    result = convert("<!-- wp:paragraph --><p>Hello</p><!-- /wp:paragraph -->")
    assert result.blocks == [{"type": "paragraph", "value": "<p>Hello</p>"}]


def test_nested_lists_stay_nested():
    result = convert("<ol><li>A<ol><li>A.1</li></ol></li><li>B</li></ol>")
    assert result.blocks == [
        {"type": "paragraph", "value": "<ol><li>A<ol><li>A.1</li></ol></li><li>B</li></ol>"}
    ]


def test_disallowed_markup_is_removed_and_reported():
    result = convert(
        '<p style="x" onclick="y()">Hi <span class="c">there</span> '
        '<a href="javascript:alert(1)">x</a> <img src=x onerror=alert(1)></p><script>bad()</script>'
    )
    html = result.blocks[0]["value"]
    assert html.startswith("<p>Hi there <a>x</a>")
    assert "onerror" not in str(result.blocks) and "bad()" not in str(result.blocks)
    assert any("<script> removed" in n for n in result.notes)


def test_markup_the_html_parser_rejects_is_kept_as_escaped_text():
    # An H5SC vector: Python's html.parser raises on the "<![>" declaration.
    result = convert('<![><img src="]><img src=x onerror=alert(1)//">')
    assert result.blocks == [
        {
            "type": "paragraph",
            "value": "<p>&lt;![&gt;&lt;img src=&quot;]&gt;&lt;img src=x onerror=alert(1)//&quot;&gt;</p>",
        }
    ]
    assert any("could not be parsed" in n for n in result.notes)


def test_caption_shortcode_becomes_a_figure_with_its_caption():
    html = '[caption id="attachment_5" width="300"]<a href="/big.jpg"><img class="wp-image-5" src="/a-300x200.jpg" /></a> Boats, <em>dawn</em>[/caption]'
    result = convert(html, {"5": 50})
    assert result.blocks == [
        {"type": "image", "value": {"image": 50, "caption": "Boats, dawn", "credit": ""}}
    ]


def test_a_picture_placed_without_a_caption_turns_off_the_library_caption():
    result = convert(
        '<p>Text.</p><img class="wp-image-5" src="/a.jpg" />'
        '<figure class="wp-block-gallery"><figure><img class="wp-image-6" src="/b.jpg" />'
        '<figcaption>Own</figcaption></figure><figure><img class="wp-image-7" '
        'src="/c.jpg" /></figure></figure>[gallery ids="5"]',
        {"5": 50, "6": 60, "7": 70},
    )
    image, gallery, shortcode = result.blocks[1:]
    assert image["value"] == {"image": 50, "caption": "", "credit": "", "library_caption": False}
    assert [i["value"] for i in gallery["value"]["images"]] == [
        {"image": 60, "caption": "Own", "credit": ""},
        {"image": 70, "caption": "", "credit": "", "library_caption": False},
    ]
    # WordPress's [gallery] shortcode shows each attachment's caption: left on.
    assert shortcode["value"]["images"][0]["value"] == {"image": 50, "caption": "", "credit": ""}
    assert result.notes == []


def test_gallery_shortcode_uses_ids_or_attached_images():
    result = convert('[gallery ids="1,2,3"]', {"1": 10, "3": 30})
    assert [b["type"] for b in result.blocks] == ["gallery"]
    assert [i["value"]["image"] for i in result.blocks[0]["value"]["images"]] == [10, 30]
    assert "A gallery lost 1 of its 3 images." in result.notes
    assert result.kinds["A gallery lost 1 of its 3 images."] == "dropped"
    attached = convert("[gallery]", {"7": 70}, gallery=["7"])
    assert [i["value"]["image"] for i in attached.blocks[0]["value"]["images"]] == [70]


def test_embeds_from_urls_shortcodes_blocks_and_iframes():
    html = (
        "https://youtu.be/abc\n\n"
        "[embed]https://vimeo.com/123[/embed]\n"
        '<figure class="wp-block-embed is-provider-twitter"><div class="wp-block-embed__wrapper">\n'
        "https://twitter.com/someone/status/1\n</div><figcaption>A post</figcaption></figure>"
        '<iframe src="https://www.youtube.com/embed/xyz?rel=0"></iframe>'
        '<blockquote class="twitter-tweet"><p>Words</p><a href="https://twitter.com/a/status/2">date</a></blockquote>'
        "\n\nhttps://unknown.example.com/page\n"
    )
    result = convert(html)
    embeds = [b["value"]["embed"] for b in result.blocks if b["type"] == "embed"]
    assert embeds == [
        "https://youtu.be/abc",
        "https://vimeo.com/123",
        "https://twitter.com/someone/status/1",
        "https://www.youtube.com/watch?v=xyz",
        "https://twitter.com/a/status/2",
    ]
    assert result.blocks[2]["value"]["caption"] == "A post"
    assert result.blocks[-1] == {
        "type": "paragraph",
        "value": "<p>https://unknown.example.com/page</p>",
    }


def test_registered_shortcodes_only_are_read_and_unknown_ones_stay_as_written():
    result = convert('<p>[sic] and [contact-form-7 id="1"] and [note]kept[/note]</p>')
    # A form of a plugin WordPress knows is removed; [note] is no registered shortcode:
    # WordPress itself prints it as written, and so does the import.
    assert result.blocks[0]["value"] == "<p>[sic] and  and [note]kept[/note]</p>"
    form = next(n for n in result.notes if "[contact-form-7]" in n)
    assert result.kinds[form] == "dropped"
    note = next(n for n in result.notes if "[note]" in n)
    assert "kept exactly as written" in note and result.kinds[note] == "kept as text"
    assert not any("[sic]" in n for n in result.notes)


def test_headings_quotes_tables_and_missing_images():
    result = convert(
        "<h3>Heading &amp; co</h3><blockquote><p>First.</p><p>Second.</p>"
        "<footer>— Ana Rivas</footer></blockquote>"
        "<table><tr><th>Year</th><th>Fare</th></tr><tr><td>2024</td><td>4.10</td></tr></table>"
        '<p><img src="https://x.example/missing.jpg"></p>'
    )
    assert result.blocks == [
        {"type": "heading", "value": "Heading & co"},
        {
            "type": "quote",
            "value": {"quote": "First.\n\nSecond.", "attribution": "Ana Rivas", "role": ""},
        },
        {
            "type": "table",
            "value": {
                "table": {
                    "data": [["Year", "Fare"], ["2024", "4.10"]],
                    "first_row_is_table_header": True,
                    "first_col_is_header": False,
                    "table_caption": "",
                },
                "source": "",
            },
        },
    ]
    assert "missing https://x.example/missing.jpg" in result.notes


def test_right_to_left_and_non_ascii_text_survive():
    result = convert('<p dir="rtl">مرحبا <b>بالعالم</b></p><p>Zürich – ✓</p>')
    assert result.blocks[0]["value"] == "<p>مرحبا <b>بالعالم</b></p>"
    assert result.blocks[1]["value"] == "<p>Zürich – ✓</p>"


def test_first_sentence_is_cut_to_length():
    assert first_sentence("One. Two.", 100) == "One."
    assert first_sentence("word " * 100, 20).endswith("…")
    assert len(first_sentence("word " * 100, 20)) <= 20


# Paragraph HTML the converter keeps whole: markup to drop or rewrite, attributes,
# entities, quotes, bad links, nesting and stray end tags.
WHITELIST_CASES = [
    '<p class="x" onclick="steal()">Hi <span style="color:red">there</span> &amp; "you"</p>',
    "<p><a href=\"javascript:alert(1)\">bad</a> <a href='https://e.org/?a=1&b=2'>good</a></p>",
    "<p>Tom's <b>bold</b> <strong>strong</strong> <i>i</i> <em>em</em> <u>u</u> <br> x</p>",
    "<ul class='wp'><li>one <ul><li>nested &lt;script&gt;</li></ul></li><li>two</li></ul>",
    "<ol start=3><li><a href=' jav&#x09;ascript:x'>tab</a></li></ol>",
    "<p>&nbsp;a&#160;b &eacute; é \u202eright-to-left\u202c <x-custom a=b>c</x-custom></p>",
    '<p><a data-linktype="unknown" href="https://e.org">link</a> <abbr title="t">ab</abbr></p>',
    "<p>Stray </b> end <i>tag</p>",
]


def test_paragraphs_are_cleaned_exactly_as_wagtails_whitelist_cleans_their_html():
    """The post is parsed once; each paragraph's nodes go through Wagtail's own whitelist.

    The result must be what the whitelist makes of the same HTML parsed again, and
    stable under it (cleaning it a second time changes nothing).
    """
    from masthead.imports.convert import clean_rich_text

    for html in WHITELIST_CASES:
        (block,) = convert(html).blocks
        assert block["type"] == "paragraph"
        assert block["value"] == clean_rich_text(html), html
        assert clean_rich_text(block["value"]) == block["value"], html
