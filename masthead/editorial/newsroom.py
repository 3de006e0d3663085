"""The newsroom's own dictionary, learned from what it has published.

Learning reads the newest live stories (``MASTHEAD_LEXICON_STORIES``, 2,000 by default:
the names a newsroom writes about now), so the result is cached and rebuilt only after a
story is published or unpublished or the word list, topics or authors change. Reading
every story made the first check after a publish cost minutes at 100,000 stories.
"""

from collections import Counter

from django.conf import settings
from django.core.cache import cache

from .lexicon import Lexicon
from .rules.names import name_mentions
from .story import build_story
from .text import html_to_text, split_paragraphs

_VERSION_KEY = "editorial:lexicon-version"
_TIMEOUT = 24 * 3600
DEFAULT_STORIES = 2000


def invalidate() -> None:
    """Make the next check rebuild the newsroom dictionary."""
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 1, None)


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
    for name in Topic.objects.exclude(kind="theme").values_list("name", flat=True):
        canonical.update(_name_parts(name))
    for name in Author.objects.values_list("name", flat=True):
        canonical.update(_name_parts(name))
    words = set()
    for word in NewsroomWord.objects.values_list("word", flat=True):
        words.add(word.lower())
        if word[:1].isupper():
            canonical.add(word)
    return Lexicon(words=words, names=names, canonical=canonical)


def newsroom_lexicon() -> Lexicon:
    """Return the newsroom dictionary, from the cache when it is current."""
    version = cache.get_or_set(_VERSION_KEY, 1, None)
    key = f"editorial:lexicon:{version}"
    lexicon = cache.get(key)
    if lexicon is None:
        lexicon = learn()
        cache.set(key, lexicon, _TIMEOUT)
    return lexicon
