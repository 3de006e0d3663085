"""Stories as IPTC ninjs 2.0, the JSON news format of wires and aggregators.

The mapping follows the ninjs 2.0 schema (tests/data/ninjs, validated in the tests):
the canonical address is the ``uri``; topics go to people, places, organisations or
subjects by their kind; the lead picture is a ``featureimage`` association with its
credit in ``by``; corrections are the editorial note; the licence is ``usageterms``
and, when it has an address, ``rightsinfo.linkedrights``.
"""

from django.conf import settings

from . import serialize

SCHEMA_URL = "https://www.iptc.org/std/ninjs/ninjs-schema_2.0.json"
TOPIC_KINDS = {
    "person": "people",
    "place": "places",
    "organisation": "organisations",
    "theme": "subjects",
}


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def story(story, request) -> dict:
    """Return ``story`` (with its body loaded) as one ninjs 2.0 object."""
    summary = serialize.story_detail(story, request)
    licence = serialize.story_licence(story)
    item = {
        "uri": summary["url"],
        "standard": {"name": "ninjs", "version": "2.0", "schema": SCHEMA_URL},
        "type": "text",
        "representationtype": "full",
        "profile": "text-photo" if summary["image"] else "text-only",
        "version": str(int(story.last_published_at.timestamp()))
        if story.last_published_at
        else "1",
        "firstcreated": _iso(story.first_published_at),
        "versioncreated": _iso(story.last_published_at or story.first_published_at),
        "pubstatus": "usable",
        "language": settings.LANGUAGE_CODE,
        "headlines": [{"role": "main", "value": story.title}],
        "descriptions": [
            {"role": "summary", "contenttype": "text/plain", "value": story.standfirst}
        ],
        "bodies": [{"role": "main", "contenttype": "text/html", "value": summary["body_html"]}],
        "copyrightholder": settings.WAGTAIL_SITE_NAME,
        "copyrightnotice": f"© {settings.WAGTAIL_SITE_NAME}",
        "usageterms": f"{licence.name}" + (f" ({licence.url})" if licence.url else ""),
        "altids": [{"role": "masthead-id", "value": str(story.pk)}],
    }
    if licence.url:
        item["rightsinfo"] = {"linkedrights": licence.url}
    if summary["byline"]:
        item["by"] = summary["byline"]
    if story.kicker:
        item["slugline"] = story.kicker
    for topic in story.topics:
        key = TOPIC_KINDS.get(topic.kind, "subjects")
        entry = {"name": topic.name, "rel": "about", "literal": topic.slug}
        item.setdefault(key, []).append(entry)
    if summary["section"]:
        item.setdefault("subjects", []).append(
            {
                "name": summary["section"]["title"],
                "rel": "section",
                "uri": summary["section"]["url"],
            }
        )
    source = {"name": story.source_label}
    if story.source_url:
        source["uri"] = story.source_url
    item["infosources"] = [source]
    if summary["corrections"]:
        item["ednote"] = " ".join(
            f"Correction ({c['published_at'].date().isoformat()}): {c['text']}"
            for c in summary["corrections"]
        )
    image = summary["image"]
    if image:
        association = {
            "name": "featureimage",
            "uri": image["url"],
            "type": "picture",
            "headlines": [{"value": image["caption"] or image["alt"]}],
            "renditions": [
                {
                    "name": "default",
                    "href": image["url"],
                    "width": image["width"],
                    "height": image["height"],
                }
            ],
        }
        if image["credit"]:
            association["by"] = image["credit"]
        if image["alt"]:
            association["descriptions"] = [{"role": "alt", "value": image["alt"]}]
        item["associations"] = [association]
    return item
