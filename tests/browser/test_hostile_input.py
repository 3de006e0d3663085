"""Script-injection vectors in every field an editor or reader writes: nothing runs.

The hostile site (``hostile_site.py``) stores the corpus in every field; this test loads
every page that shows those fields, and the feeds, in Chromium, and fails on any
sentinel call, dialog, compiled page script, dormant handler or script URL, and on any
field whose text does not come out exactly as written (the proof that it was escaped
and not dropped). ``test-artifacts/browser/hostile-report.json`` lists vectors x fields
and every page loaded.

The self-check renders the same values unescaped in a page that exists only in the test
and requires the probe to flag it: a probe that sees nothing cannot pass this file.
"""

import json
import math
from urllib.parse import quote

import pytest
from django.template import Context, Template

from .probe import InjectionProbe, ProbePool
from .vectors import load_vectors, pack

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PUBLICATION = "The Meridian Ledger"
FEED_PAGE_SIZE = 50


def _story_jobs(site: dict) -> list:
    jobs = []
    for story in site["stories"]:
        texts = [
            ("h1", None, story["h1"]),
            (".story__header .standfirst", None, story["standfirst"]),
            ("title", None, f"{story['seo'] or story['h1']} | {PUBLICATION}"),
            ("meta[name=description]", "content", story["description"] or story["standfirst"]),
        ]
        if story["kicker"]:
            texts.append((".story__labels .kicker", None, story["kicker"]))
        if story["caption"]:
            texts.append((".story__lead .caption", None, story["caption"]))
        if story["credit"]:
            texts.append((".story__lead .credit", None, f"Photo: {story['credit']}"))
        if story["source"]:
            texts.append((".story__source", None, f"Source: {story['source']}"))
        jobs.append((site["base_url"] + story["url"], texts))
    return jobs


def _listing_jobs(site: dict) -> list:
    base = site["base_url"]
    jobs = [(base + "/", [])]
    for url in site["sections"]:
        jobs.append((base + url, []))
    for topic in site["topics"]:
        texts = [("h1", None, topic["h1"]), (".listing-header p:not(.kicker)", None, topic["text"])]
        jobs.append((base + topic["url"], texts))
    for author in site["authors"]:
        texts = [
            ("h1", None, author["h1"]),
            (".author-header .kicker", None, author["job"]),
            (".author-header div > p:not(.kicker)", None, author["text"]),
        ]
        jobs.append((base + author["url"], texts))
    return jobs


def _search_jobs(site: dict) -> list:
    base = site["base_url"]
    jobs = []
    for n, query in enumerate(site["searches"]):
        url = f"{base}/search/?q={quote(query, safe='')}"
        if n % 3 == 0:  # some with a filter too, which changes what the page shows
            url += f"&topic=t{n % 12}&sort=date"
        jobs.append((url, [("#search-q", "value", query), ("#site-search-q", "value", query)]))
    # Search words found in the hostile stories' own text, so result cards show up.
    for word in ("alert", "script", "onerror", "javascript"):
        jobs.append((f"{base}/search/?q={word}", []))
    return jobs


def _feed_jobs(site: dict) -> list:
    base = site["base_url"]
    pages = math.ceil(len(site["stories"]) / FEED_PAGE_SIZE)
    jobs = []
    for fmt in ("rss", "atom"):
        for page in range(1, pages + 1):
            jobs.append(
                (f"{base}/feeds/{fmt}/?page={page}" if page > 1 else f"{base}/feeds/{fmt}/", [])
            )
    for scope, slug in (("section", "s0"), ("topic", "t0"), ("author", "a0")):
        jobs.append((f"{base}/feeds/{scope}/{slug}/rss/", []))
        jobs.append((f"{base}/feeds/{scope}/{slug}/atom/", []))
    jobs += [(f"{base}/news-sitemap.xml", []), (f"{base}/sitemap.xml", [])]
    return jobs


def test_no_vector_runs_in_any_page_or_feed(hostile_site, context, artifacts):
    assert not hostile_site["importer_errors"], hostile_site["importer_errors"]
    pool = ProbePool(context, size=2)
    groups = {
        "stories": _story_jobs(hostile_site),
        "listings": _listing_jobs(hostile_site),
        "search": _search_jobs(hostile_site),
        "feeds": _feed_jobs(hostile_site),
    }
    visits = {name: pool.run(jobs) for name, jobs in groups.items()}
    # A timer or a late handler could fire after its page was checked: wait once, at
    # the end, and count anything that arrived since.
    pool.probes[0].page.wait_for_timeout(500)
    late = pool.late_events()

    fields = hostile_site["fields"]
    report = {
        "vectors": hostile_site["vectors"],
        "vector_field_pairs": sum(f["vectors"] for f in fields.values()),
        "fields": fields,
        "pages": {name: len(v) for name, v in visits.items()},
        "findings": {v.url: v.findings for group in visits.values() for v in group if v.findings},
        "late_events": late,
    }
    (artifacts / "hostile-report.json").write_text(json.dumps(report, indent=1))
    bad = report["findings"]
    assert not bad and not late, (
        f"{len(bad)} of {sum(report['pages'].values())} pages ran or could run injected "
        f"script (see {artifacts / 'hostile-report.json'}); first: "
        f"{json.dumps(dict(list(bad.items())[:3]), indent=1)[:3000]} late: {late[:5]}"
    )


def test_every_listed_field_carries_the_corpus(hostile_site):
    """The plan puts every vector that fits a field's limit into that field."""
    fields = hostile_site["fields"]
    for name in (
        "headline",
        "standfirst",
        "body text (typed in the editor)",
        "body link URL",
        "body HTML (imported)",
        "lead image caption",
        "lead image credit",
        "source name",
        "author bio",
        "topic name",
        "SEO title",
        "search description",
        "search query",
    ):
        field = fields[name]
        assert field["vectors"] + field["too_long"] + field["refused"] == hostile_site["vectors"], (
            name
        )
        assert not field.get("no_room"), name
        assert field["vectors"] > 0.8 * hostile_site["vectors"], (name, field)


# Self-check --------------------------------------------------------------------------

PAGE = (
    "<!DOCTYPE html><html lang='en'><head><title>Self-check</title></head><body>"
    "{% for value in values %}<h2>{{ value }}</h2><p title='{{ value }}'>x</p>"
    "{% endfor %}</body></html>"
)
ESCAPED = PAGE
UNESCAPED = "{% autoescape off %}" + PAGE + "{% endautoescape %}"


def _render(template: str, values: list[str]) -> str:
    return Template(template).render(Context({"values": values}))


def _serve(context, url: str, template: str, values: list[str]) -> None:
    body = _render(template, values)
    context.route(url, lambda route: route.fulfill(status=200, content_type="text/html", body=body))


@pytest.fixture(scope="module")
def corpus() -> list[str]:
    return load_vectors()


def test_self_check_probe_flags_the_corpus_rendered_unescaped(corpus, context):
    packs, _ = pack(corpus, 255, single_line=True)
    values = [p.value for p in packs]
    _serve(context, "http://selfcheck.invalid/raw", UNESCAPED, values)
    _serve(context, "http://selfcheck.invalid/escaped", ESCAPED, values)
    probe = InjectionProbe(context.new_page())

    raw = probe.visit("http://selfcheck.invalid/raw")
    kinds = {finding.split(" ")[0] for finding in raw.findings}
    assert "sentinel" in kinds, raw.findings[:10]  # payloads ran
    assert "handler" in kinds, raw.findings[:10]  # dormant handlers were seen
    assert any(f.startswith("script compiled") for f in raw.findings), raw.findings[:10]

    # The same values escaped: nothing at all, and the first one reads as written.
    escaped = probe.visit("http://selfcheck.invalid/escaped", [("h2", None, values[0])])
    assert escaped.findings == []


def test_self_check_probe_flags_a_single_unescaped_vector_among_escaped_ones(corpus, context):
    values = corpus[:40]
    body = _render(ESCAPED, values).replace("</body>", "<p><img src=x onerror=alert(1)></p></body>")
    context.route(
        "http://selfcheck.invalid/one",
        lambda route: route.fulfill(status=200, content_type="text/html", body=body),
    )
    visit = InjectionProbe(context.new_page()).visit("http://selfcheck.invalid/one")
    assert any(f.startswith("sentinel alert(1)") for f in visit.findings), visit.findings
    assert any("handler onerror on img" in f for f in visit.findings), visit.findings
