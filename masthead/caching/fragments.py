"""Rendered fragments of pages (a story's body, a story card), kept between renders.

A whole page is re-rendered whenever anything on it changes (a new story in the
Popular block, a counter refresh every minute), but most of it does not change: the
story's own text and pictures, and the cards of the stories around it. A fragment is
stored with the counters of the cache tags it depends on (masthead.caching.tags), read
*before* it is rendered, so any change that bumps one of them (a publish, an edit, an
unpublish, a rename of a byline or a topic, a section or picture saved) makes the
copy unusable at once; a change racing with the render leaves older counters on the
copy, never newer ones. Every fragment also depends on the ``site`` tag (navigation,
pictures, view restrictions) and on the ``SITE`` and ``STORIES`` counters (masthead.core.changes), which every save or
deletion of a story, section, home page, site, setting or view restriction moves: a
story changed without being published again (a script calling ``save()``) is not
shown from an old copy either. A fragment is therefore rendered again once after each such change, and
reused in between.

Fragments are never read or stored for previews: a preview renders a draft.
"""

import logging
from collections.abc import Callable, Iterable
from urllib.parse import quote

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import get_language

from masthead.core import changes
from masthead.core.request_memo import memoize

from . import tags

logger = logging.getLogger("masthead.caching")

_PREFIX = "mh:frag:"


def enabled(request: HttpRequest | None) -> bool:
    """Return whether fragments may be read and stored while rendering for ``request``."""
    if request is None or getattr(request, "is_preview", False):
        return False
    return getattr(settings, "MASTHEAD_FRAGMENT_CACHE", True)


def _versions(names: list[str]) -> dict[str, tuple[int, int]]:
    """Return the counters of ``names``, each read from the shared cache once per request.

    Counters read earlier in the request are at most as new as a fresh read, so a copy
    checked against them is never taken for newer than it is.
    """
    known = memoize("fragment-tag-versions", dict)
    missing = [name for name in names if name not in known]
    if missing:
        known.update(tags.versions(missing))
    return {name: known[name] for name in names}


def fragment(
    request: HttpRequest | None,
    name: str,
    parts: Iterable,
    depends: Iterable[str],
    render: Callable[[], str],
) -> str:
    """Return ``render()``, reused while none of the tags in ``depends`` changed.

    ``name`` and ``parts`` identify the fragment (e.g. "card", story id, badge shown).
    Tags recorded while rendering (``cache_depends`` inside the fragment) are recorded
    again for the page on every reuse, so the full-page cache stays exact.
    """
    if not enabled(request):
        return render()
    names = sorted({tags.SITE, *depends})
    try:
        key = ":".join(
            [
                _PREFIX + name,
                request.scheme,
                request.get_host(),
                get_language() or "",
                *map(str, changes.current(changes.SITE, changes.STORIES)),
                # Quoted: a datetime's space would make the key invalid on memcached
                # (Django's CacheKeyWarning) and no part may forge a separator.
                *(quote(str(part), safe="-._+") for part in parts),
            ]
        )
        # Read before rendering: a change made while rendering leaves older counters
        # on the stored copy, so it is not used again.
        versions = _versions(names)
        entry = cache.get(key)
    except Exception:
        logger.warning("Cache unavailable; rendering %s without reuse", name)
        return render()
    if entry is not None and entry["versions"] == versions:
        tags.add(request, *entry["tags"])
        return entry["html"]

    outer = getattr(request, "_masthead_cache_tags", None)
    recorded: set[str] = set()
    request._masthead_cache_tags = recorded
    try:
        html = render()
    finally:
        if outer is None:
            del request._masthead_cache_tags
        else:
            request._masthead_cache_tags = outer
            outer.update(recorded)
    if not recorded <= set(names):
        # Something inside depends on a tag whose counters were not read first: the
        # copy could not be checked, so it is not kept.
        logger.debug("Fragment %s not kept: undeclared tags %s", name, recorded - set(names))
        return html
    try:
        cache.set(
            key,
            {"html": html, "versions": versions, "tags": sorted(recorded)},
            getattr(settings, "MASTHEAD_FRAGMENT_CACHE_SECONDS", 3600),
        )
    except Exception:
        logger.warning("Could not store fragment %s", key)
    return html


def story_links(story) -> tuple[list[int], list[int]]:
    """Return the ids of a published story's authors and topics, kept until a change.

    They change only when the story is saved, which moves the ``STORIES`` counter.
    """

    def compute():
        return (
            list(story.article_authors.values_list("author_id", flat=True)),
            list(story.article_topics.values_list("topic_id", flat=True)),
        )

    return changes.cached(f"story-links:{story.pk}", changes.STORIES, compute)
