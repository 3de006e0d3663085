"""Admin searches (page search, explorer search, page chooser) ordered by the newest edit.

Wagtail's admin searches are autocomplete queries on the headline, ordered by relevance.
On the database search backend that ordering is a correlated sub-query per matching
page, and each sub-query runs the full-text match again: the cost grows with the square
of the number of matches (a word in 5% of 20,000 headlines took 7.5 s of SQL on
SQLite). Ordered by a column instead, the same search is one full-text match and one
sort of the matches. An editor looking for a story by a word of its headline wants
the recent ones first, so admin searches list matches by their latest edit, newest
first (pages never edited through the admin, such as imported ones, after those, newest
created first). Choosing another column in the listing still works as in Wagtail.
"""

from django.db.models import F, QuerySet
from wagtail.admin.views.pages.search import SearchView
from wagtail.search.backends import get_search_backend

NEWEST_EDIT = "-latest_revision_created_at"


def newest_first(pages: QuerySet) -> QuerySet:
    """Return ``pages`` ordered by latest edit, newest first, then by id, newest first."""
    backend = get_search_backend()
    if getattr(backend.autocomplete_query_compiler_class, "HANDLES_ORDER_BY_EXPRESSIONS", False):
        return pages.order_by(F("latest_revision_created_at").desc(nulls_last=True), F("pk").desc())
    # Other backends (Elasticsearch, OpenSearch) take plain indexed field names only.
    return pages.order_by(NEWEST_EDIT)


def autocomplete_newest_first(pages: QuerySet, query: str, *, ordered: bool = False):
    """Return Wagtail's autocomplete search of ``pages`` without the relevance ordering.

    With ``ordered`` the caller's ordering of ``pages`` is kept; otherwise newest first.
    """
    if not ordered:
        pages = newest_first(pages)
    return pages.autocomplete(query, order_by_relevance=False)


class NewestFirstAutocompleteMixin:
    """Make a queryset's ``autocomplete()`` order by latest edit unless told otherwise."""

    def autocomplete(self, query, fields=None, operator=None, order_by_relevance=True, **kwargs):
        if order_by_relevance and not kwargs.get("order_by"):
            return super(NewestFirstAutocompleteMixin, newest_first(self)).autocomplete(
                query, fields=fields, operator=operator, order_by_relevance=False, **kwargs
            )
        return super().autocomplete(
            query, fields=fields, operator=operator, order_by_relevance=order_by_relevance, **kwargs
        )


_newest_first_classes: dict[type, type] = {}


def with_newest_first_autocomplete(pages: QuerySet) -> QuerySet:
    """Return a copy of ``pages`` whose ``autocomplete()`` lists matches newest first.

    For Wagtail's page chooser, which calls ``autocomplete(q)`` with no ordering option
    on the queryset that ``construct_page_chooser_queryset`` hooks return.
    """
    cls = type(pages)
    if issubclass(cls, NewestFirstAutocompleteMixin):
        return pages
    if cls not in _newest_first_classes:
        _newest_first_classes[cls] = type(
            f"NewestFirst{cls.__name__}", (NewestFirstAutocompleteMixin, cls), {}
        )
    clone = pages._chain()
    clone.__class__ = _newest_first_classes[cls]
    return clone


class MastheadPageSearchView(SearchView):
    """Wagtail's page search, listing matches newest edit first unless another order is chosen."""

    def get_queryset(self):
        if self.ordering is None:
            self.ordering = NEWEST_EDIT
        return super().get_queryset()

    def annotate_queryset(self, pages):
        pages = super().annotate_queryset(pages)
        if self.ordering == NEWEST_EDIT:
            # Wagtail has ordered by the plain column, which PostgreSQL sorts NULLs-first.
            pages = newest_first(pages)
        return pages
