"""Editorial checks on one live entry: the story checks, minus what an entry need not have."""

from masthead.editorial.findings import Finding
from masthead.editorial.services import check_story
from masthead.editorial.story import story_from_blocks

# An entry's headline is optional; every other finding applies as it does to a story.
NOT_FOR_ENTRIES = {"completeness.headline"}


def check_entry(headline: str, body, author_name: str | None, site=None) -> list[Finding]:
    """Return the editorial findings for an entry, with ``site``'s levels."""
    story = story_from_blocks(headline, body, [author_name] if author_name else [])
    return [f for f in check_story(story, site) if f.rule not in NOT_FOR_ENTRIES]
