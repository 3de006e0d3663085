"""What ArticlePage puts in the search index.

Wagtail's SQLite backend keeps two columns per object, ``title`` and ``body``: only the
SearchField named ``title`` goes into the first and every other field is concatenated
into the second, whatever its boost. To rank standfirst matches with headline matches,
a second ``title`` field carries the standfirst (the backends join every ``title``
field into that column; the headline stays in Page's own). Both columns also get the folded,
stemmed terms (masthead.search.text), which is what reader queries are matched against;
the original words stay for the admin's own search.
"""

from wagtail.search import index

from .text import index_text

_CACHE_PREFIX = "_search_value_"


def forget_search_values(obj) -> None:
    """Drop the values cached by CachedSearchField and body_terms, before a reindex."""
    for key in [k for k in obj.__dict__ if k.startswith(_CACHE_PREFIX)]:
        del obj.__dict__[key]


class CachedSearchField(index.SearchField):
    """A search field whose value is computed once per object.

    The database backends read every field once for each index column (title, body,
    autocomplete), so an expensive value such as a StreamField's text is otherwise
    computed three times per story. The cache is dropped before every save
    (masthead.search.signals), so an edited story is never indexed with old text.
    """

    def get_value(self, obj):
        key = f"{_CACHE_PREFIX}{id(self)}"
        if key not in obj.__dict__:
            obj.__dict__[key] = self.compute(obj)
        return obj.__dict__[key]

    def compute(self, obj):
        if self.field_name == "body":
            return searchable_body(obj)
        return super().get_value(obj)


class HeadlineSearchField(CachedSearchField):
    """A second ``title`` search field: the standfirst, plus headline and standfirst terms."""

    def __init__(self, **kwargs):
        super().__init__("title", **kwargs)

    def compute(self, obj) -> str:
        headline = obj.title or ""
        standfirst = getattr(obj, "standfirst", "") or ""
        return f"{standfirst} {index_text(headline, standfirst)}"


def searchable_body(page) -> list:
    """Return the searchable content of a story's body blocks, computed once per object.

    The "body" search field and ``body_terms`` both need it, and turning every rich
    text block back into text is the largest part of indexing a story.
    """
    key = f"{_CACHE_PREFIX}body_content"
    if key not in page.__dict__:
        body = getattr(page, "body", None)
        page.__dict__[key] = list(body.stream_block.get_searchable_content(body)) if body else []
    return page.__dict__[key]


def body_texts(page) -> list[str]:
    """Return the searchable text of a story's body blocks."""
    return [str(t) for t in searchable_body(page) if t]


def body_terms(page) -> str:
    """Return the folded, stemmed terms of a story's body, bylines and topic names."""
    if "_search_value_body_terms" in page.__dict__:
        return page.__dict__["_search_value_body_terms"]
    names = [link.author.name for link in page.article_authors.all()]
    names += [link.topic.name for link in page.article_topics.all()]
    page.__dict__["_search_value_body_terms"] = index_text(*body_texts(page), *names)
    return page.__dict__["_search_value_body_terms"]
