"""Which pages are private, asked once per request."""

from django.db.models import Q
from wagtail.query import PageQuerySet

from masthead.core.request_memo import memoize


def restricted_pages() -> list:
    """Return the pages that carry a view restriction (password, login, groups).

    Kept in each worker until content changes (masthead.core.changes, CONTENT): a
    restriction added, changed or removed says "restricted", and a restricted page
    moved or deleted says "moved" or "deleted" with its type's counters, all of which
    are among CONTENT. This was a query on every uncached page view and API answer.
    """
    from masthead.core import changes

    return memoize(
        "restricted-pages",
        lambda: changes.cached("restricted-pages", changes.CONTENT, _load_restricted_pages),
    )


def _load_restricted_pages() -> list:
    from wagtail.models import Page, PageViewRestriction

    # Pages by id from the (short) restriction list, not restrictions joined to pages:
    # SQLite would scan every page and probe the restriction table for the join
    # (12-140 ms at 100,000 stories, on every page view); this shape reads the
    # restrictions first.
    return list(Page.objects.filter(id__in=PageViewRestriction.objects.values("page_id")))


class ViewRestrictionsMixin:
    """Skip Wagtail's two restriction queries per page view when no page is private.

    Wagtail checks a page's and its ancestors' restrictions on every view (two
    queries). The list of restricted pages is needed anyway to keep private stories
    out of listings; when it is empty nothing can apply, and when it is not, Wagtail's
    own check (with its handling of aliases) runs unchanged.
    """

    def get_view_restrictions(self):
        from wagtail.models import PageViewRestriction

        if not restricted_pages():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


class RestrictionAwarePageQuerySet(PageQuerySet):
    def private_q(self):
        # Wagtail asks the database for every restriction each time a listing calls
        # public(); one page renders several listings, so ask once per request.
        q = Q()
        for page in restricted_pages():
            q |= self.descendant_of_q(page, inclusive=True)
        return q if q else Q(pk__in=[])
