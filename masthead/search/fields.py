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


class HeadlineSearchField(index.SearchField):
    """A second ``title`` search field: the standfirst, plus headline and standfirst terms."""

    def __init__(self, **kwargs):
        super().__init__("title", **kwargs)

    def get_value(self, obj) -> str:
        headline = obj.title or ""
        standfirst = getattr(obj, "standfirst", "") or ""
        return f"{standfirst} {index_text(headline, standfirst)}"


def body_texts(page) -> list[str]:
    """Return the searchable text of a story's body blocks."""
    body = getattr(page, "body", None)
    if not body:
        return []
    return [str(t) for t in body.stream_block.get_searchable_content(body) if t]


def body_terms(page) -> str:
    """Return the folded, stemmed terms of a story's body, bylines and topic names."""
    names = [link.author.name for link in page.article_authors.all()]
    names += [link.topic.name for link in page.article_topics.all()]
    return index_text(*body_texts(page), *names)
