"""Published news copy that nobody here wrote: the Wikinews stories in tests/data.

``tests/data/wikinews-2019/`` holds 171 English Wikinews stories of 2019 (CC BY 2.5;
source, address and licence on every line, see its SOURCE.md). This module turns them
into Stories the checks read: headline, body paragraphs, the photos' captions and
credits, and the source line ("Wikinews"), as a copy desk would see them.
"""

import json
from dataclasses import dataclass

from masthead.editorial.story import Segment, Story, build_story
from tests.corpora import DATA

STORIES_FILE = DATA / "wikinews-2019" / "stories.jsonl"


@dataclass
class PublishedStory:
    key: str
    source: str
    url: str
    licence: str
    story: Story


def _story(record: dict) -> Story:
    story = build_story(record["headline"], record["paragraphs"], source=record["source"])
    for index, photo in enumerate(record["captions"]):
        number = index + 1
        if photo["caption"]:
            story.segments.append(
                Segment(
                    f"photo.{index}.caption",
                    f"Photo {number}, caption",
                    photo["caption"],
                    "caption",
                )
            )
        if photo["credit"]:
            story.segments.append(
                Segment(
                    f"photo.{index}.credit", f"Photo {number}, credit", photo["credit"], "credit"
                )
            )
    return story


def published_stories() -> list[PublishedStory]:
    """Return the published stories, in the file's order (a missing file raises)."""
    stories = []
    with STORIES_FILE.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            stories.append(
                PublishedStory(
                    record["id"], record["source"], record["url"], record["licence"], _story(record)
                )
            )
    return stories
