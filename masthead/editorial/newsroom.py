"""The newsroom's own dictionary, learned from what it has published.

Learning reads the newest live stories (``MASTHEAD_LEXICON_STORIES``, 2,000 by default:
the names a newsroom writes about now), so the result is kept until the ``WORDS``
counter moves (masthead.core.changes: a story published or unpublished, the word list,
topics or authors changed, in any process). Reading every story made the first check
after a publish cost minutes at 100,000 stories.
"""

from collections import Counter

from django.conf import settings

from masthead.core import changes

from .lexicon import Lexicon
from .rules.names import name_mentions
from .story import build_story
from .text import html_to_text, split_paragraphs

DEFAULT_STORIES = 2000


def invalidate() -> None:
    """Make the next check, in every process, rebuild the newsroom dictionary."""
    changes.changed("words")


def _story_names(page) -> set[str]:
    paragraphs = []
    for block in page.body or []:
        if block.block_type == "paragraph":
            paragraphs.extend(split_paragraphs(html_to_text(block.value.source)))
        elif block.block_type == "quote":
            paragraphs.append(block.value.get("quote") or "")
        elif block.block_type == "heading":
            paragraphs.append(str(block.value))
    story = build_story(page.title, paragraphs, standfirst=page.standfirst)
    return {name for name, *_rest in name_mentions(story)}


def _name_parts(name: str) -> list[str]:
    """Return the words of a name the name check compares: 'Brandt-Osei', 'Brandt', 'Osei'."""
    words = name.split()
    parts = [w for w in words if "-" in w]
    parts += [p for w in words for p in w.split("-")]
    return [p for p in parts if len(p) >= 4 and p[:1].isupper()]


def learn() -> Lexicon:
    """Return a Lexicon built from the database (uncached)."""
    from masthead.articles.models import ArticlePage
    from masthead.people.models import Author
    from masthead.sections.models import Topic

    from .models import NewsroomWord

    names: Counter = Counter()
    limit = int(getattr(settings, "MASTHEAD_LEXICON_STORIES", DEFAULT_STORIES))
    newest = ArticlePage.objects.live().order_by("-first_published_at", "-pk")[:limit]
    for page in newest.only("title", "standfirst", "body").iterator():
        names.update(_story_names(page))
    canonical: set[str] = set()
    people: list[str] = list(Author.objects.values_list("name", flat=True))
    for name, kind in Topic.objects.exclude(kind="theme").values_list("name", "kind"):
        canonical.update(_name_parts(name))
        if kind == "person":
            people.append(name)
    for name in people:
        canonical.update(_name_parts(name))
    words = set()
    for word in NewsroomWord.objects.values_list("word", flat=True):
        words.add(word.lower())
        if word[:1].isupper():
            canonical.add(word)
    return Lexicon(words=words, names=names, canonical=canonical, **people_names(people))


def people_names(people: list[str]) -> dict[str, frozenset]:
    """Return the first names, surnames and (first, surname) pairs of people's names.

    The name check uses them so that a surname in a story is never "corrected" to a
    staffer's first name, nor one person's full name to another's.
    """
    first_names, surnames, full_names = set(), set(), set()
    for name in people:
        words = [w for w in name.split() if w[:1].isupper() and w.rstrip(".").isalpha()]
        if len(words) < 2:
            continue
        first, last = words[0], words[-1]
        first_names.add(first)
        surnames.update([last, *last.split("-")])
        full_names.add((first, last))
    return {
        "first_names": frozenset(first_names),
        "surnames": frozenset(surnames),
        "full_names": frozenset(full_names),
    }


def newsroom_lexicon() -> Lexicon:
    """Return the newsroom dictionary, kept until the ``WORDS`` counter moves."""
    return changes.cached("editorial:lexicon", changes.WORDS, learn, shared=True)
