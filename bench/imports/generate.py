"""Write a WordPress export (WXR 1.2) of N generated posts for the import benchmark.

    .venv/bin/python bench/imports/generate.py 10000 /tmp/wxr-10000.xml

All text is generated here from word lists: no real site's content. Posts follow one
of 300 running storylines (invented names and places, words drawn with a long tail as
in real text), so related stories are a few hundred, not the whole archive: with a
30-word vocabulary every story would be related to every other. About one post
in twenty is a draft, one in fifty scheduled, one in fifty private; posts carry
categories, tags, headings, lists, quotes (some with bracketed insertions), tables
and embeds like a real newsroom archive.
"""

import random
import sys
from datetime import UTC, datetime, timedelta
from xml.sax.saxutils import escape

WORDS = [
    *("council", "harbour", "ministers", "border", "crossing", "reservoir", "budget"),
    *("talks", "winter", "ferry", "villages", "election", "drought", "fishing", "quota"),
    *("bridge", "tariffs", "court", "appeal", "strike", "port", "farmers", "rail"),
    *("corridor", "grid", "pipeline", "hospital", "school", "mayor", "province"),
]
CATEGORIES = ["news", "analysis", "region", "economy", "culture"]
TAGS = [f"tag-{i}" for i in range(200)]
AUTHORS = [f"reporter{i}" for i in range(12)]


SYLLABLES = ["ka", "ri", "mo", "sel", "ven", "dar", "lu", "tis", "ban", "or", "ek", "zel"]
SYLLABLES += ["ha", "mir", "to", "na", "pav", "os", "gul", "re", "vo", "im", "sa", "bet"]


def _coined(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts))


_VOCAB_RNG = random.Random(4)
# 4,000 coined words; the n-th is drawn with weight 1/n (Zipf), as words are in text.
VOCABULARY = [_coined(_VOCAB_RNG, 3 + n % 2) for n in range(4000)]
_CUMULATIVE = []
_total = 0.0
for _n in range(len(VOCABULARY)):
    _total += 1 / (_n + 1)
    _CUMULATIVE.append(_total)
# Each storyline has its own people, place and subject words.
STORYLINES = [
    [_coined(_VOCAB_RNG, 3).capitalize() for _ in range(3)]
    + [_coined(_VOCAB_RNG, 4) for _ in range(3)]
    for _ in range(300)
]


def sentence(rng: random.Random, n: int = 12, line: list[str] | None = None) -> str:
    words = []
    for _ in range(n):
        pick = rng.random()
        if line and pick < 0.15:
            words.append(rng.choice(line))
        elif pick < 0.55:
            words.append(rng.choice(WORDS))
        else:
            words.append(rng.choices(VOCABULARY, cum_weights=_CUMULATIVE)[0])
    return " ".join(words).capitalize() + "."


def body(rng: random.Random, index: int, line: list[str]) -> str:
    parts = []
    for p in range(6):
        parts.append(
            f'<!-- wp:paragraph --><p>{sentence(rng, 25, line)} <strong>{sentence(rng, 5, line)}</strong> <a href="https://example.org/{index}/{p}">{rng.choice(WORDS)}</a></p><!-- /wp:paragraph -->'
        )
        if p == 1:
            parts.append(f"<h2>{sentence(rng, 5)}</h2>")
        if p == 2 and index % 3 == 0:
            # A bracketed editorial insertion, as quotations in real copy carry them.
            parts.append(
                f"<blockquote><p>{sentence(rng, 7)} [of {line[1]}] {sentence(rng, 7)}</p>"
                f"<cite>Official {index}</cite></blockquote>"
            )
        if p == 3 and index % 5 == 0:
            rows = "".join(
                f"<tr><td>{line[r % 3]}</td><td>{rng.randrange(100, 9999)}</td>"
                f"<td>{rng.randrange(0, 40)}</td></tr>"
                for r in range(4)
            )
            parts.append(
                '<!-- wp:table --><figure class="wp-block-table"><table><thead><tr><th>Party</th>'
                f"<th>Votes</th><th>Seats</th></tr></thead><tbody>{rows}</tbody></table>"
                f"<figcaption>Results in {line[2]}</figcaption></figure><!-- /wp:table -->"
            )
        if p == 3 and index % 4 == 0:
            parts.append(
                "<ul><li>One point</li><li>Another<ul><li>Nested point</li></ul></li></ul>"
            )
        if p == 4 and index % 10 == 0:
            parts.append(f"\n\nhttps://www.youtube.com/watch?v=vid{index}\n\n")
    return "\n".join(parts)


def item(rng: random.Random, index: int, now: datetime, host: str) -> str:
    post_id = 1000 + index
    status = "publish"
    date = now - timedelta(hours=index)
    if index % 20 == 7:
        status = "draft"
    elif index % 50 == 11:
        status, date = "future", now + timedelta(days=3 + index % 7)
    elif index % 50 == 13:
        status = "private"
    line = STORYLINES[rng.randrange(len(STORYLINES))]
    title = f"{sentence(rng, 8, line)[:-1]} ({index})"
    slug = f"post-{index}"
    cats = rng.sample(CATEGORIES, 2)
    tags = rng.sample(TAGS, 3)
    terms = "".join(
        f'<category domain="category" nicename="{c}"><![CDATA[{c.title()}]]></category>'
        for c in cats
    ) + "".join(
        f'<category domain="post_tag" nicename="{t}"><![CDATA[{t}]]></category>' for t in tags
    )
    stamp = date.strftime("%Y-%m-%d %H:%M:%S")
    return f"""<item>
<title>{escape(title)}</title>
<link>https://{host}/{date:%Y/%m}/{slug}/</link>
<pubDate>{date:%a, %d %b %Y %H:%M:%S} +0000</pubDate>
<dc:creator><![CDATA[{AUTHORS[index % len(AUTHORS)]}]]></dc:creator>
<guid isPermaLink="false">https://{host}/?p={post_id}</guid>
<description></description>
<content:encoded><![CDATA[{body(rng, index, line)}]]></content:encoded>
<excerpt:encoded><![CDATA[{sentence(rng, 18, line) if index % 2 else ""}]]></excerpt:encoded>
<wp:post_id>{post_id}</wp:post_id>
<wp:post_date><![CDATA[{stamp}]]></wp:post_date>
<wp:post_date_gmt><![CDATA[{stamp}]]></wp:post_date_gmt>
<wp:post_name><![CDATA[{slug}]]></wp:post_name>
<wp:status><![CDATA[{status}]]></wp:status>
<wp:post_parent>0</wp:post_parent>
<wp:post_type><![CDATA[post]]></wp:post_type>
<wp:post_password><![CDATA[]]></wp:post_password>
{terms}
</item>
"""


def parsed_export(count: int, **options):
    """Generate an export of ``count`` posts and read it back with the importer's WXR
    reader (Django must be set up); ``options`` go to ``generate``."""
    import io
    import tempfile
    from pathlib import Path

    from masthead.imports.wxr import parse_wxr

    text = io.StringIO()
    generate(count, text, **options)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.xml"
        path.write_text(text.getvalue(), encoding="utf-8")
        return parse_wxr(path)


def generate(count: int, out, seed: int = 9, host: str = "old.example.org") -> None:
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(microsecond=0)
    out.write(f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:wfw="http://wellformedweb.org/CommentAPI/"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Generated Ledger</title>
<link>https://{host}</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://{host}</wp:base_site_url>
<wp:base_blog_url>https://{host}</wp:base_blog_url>
""")
    for login in AUTHORS:
        out.write(
            f"<wp:author><wp:author_login><![CDATA[{login}]]></wp:author_login>"
            f"<wp:author_display_name><![CDATA[Reporter {login[8:]}]]></wp:author_display_name></wp:author>\n"
        )
    for index in range(count):
        out.write(item(rng, index, now, host))
    out.write("</channel>\n</rss>\n")
    out.flush()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: generate.py COUNT OUT.xml")
    with open(sys.argv[2], "w", encoding="utf-8") as handle:
        generate(int(sys.argv[1]), handle)
    print(f"Wrote {sys.argv[1]} posts to {sys.argv[2]}")
