"""The page explorer's listing of a page's children, kept cheap for a section of 20,000 stories.

Wagtail's listing costs grow with the whole archive, not with one page of 50 rows:

- it selects children with ``path LIKE 'prefix%'``, which SQLite cannot answer from the
  tree-path index, and checks ``pk IN (every page the user may explore)``; for a
  superuser that list is every page of the site, and SQLite walks it to find the children;
- its page rows carry two correlated sub-queries per row (site root, approved schedule),
  which SQLite computes for every child before sorting, not only for the 50 shown.

Here the children are selected by a range of tree paths (the unique ``path`` index, as
treebeard's ``get_children()`` does), a superuser's no-op permission filter is left out,
and a page of results is read in two steps: the ids of the 50 rows, sorted and sliced
without annotations, then those 50 pages with everything the listing shows.
"""

from django.core.paginator import Page as PaginatorPage
from django.db.models import QuerySet
from django.utils.functional import cached_property
from wagtail import hooks
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.views.pages.listing import ExplorableIndexView
from wagtail.models import Page

from .admin_search import autocomplete_newest_first


class IdsFirstPaginator(WagtailPaginator):
    """Paginate a queryset by slicing its ids first, then loading only that page's rows."""

    def page(self, number) -> PaginatorPage:
        if not isinstance(self.object_list, QuerySet):
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {obj.pk: obj for obj in self.object_list.order_by().filter(pk__in=ids)}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)


def children_of(model: type[Page], parent: Page) -> QuerySet:
    """Return the children of ``parent`` as ``model`` rows, selected by a range of tree paths."""
    step = Page.steplen
    low = parent.path + Page.alphabet[0] * step
    high = parent.path + Page.alphabet[-1] * step
    return model._default_manager.filter(path__range=(low, high), depth=parent.depth + 1)


# Above this many children the explorer offers no drag-and-drop ordering: that mode
# lists every child on one page (Wagtail cannot paginate it), and 20,000 stories of a
# section are listed by date anyway.
REORDER_LIMIT = 200


class MastheadExplorableIndexView(ExplorableIndexView):
    paginator_class = IdsFirstPaginator

    @cached_property
    def sort_order_field(self) -> str | None:
        return "ord" if self.parent_page.numchild <= REORDER_LIMIT else None

    def get_base_queryset(self):
        if self.is_searching or self.is_filtering:
            return super().get_base_queryset()
        pages = children_of(self.model, self.parent_page)
        user = self.request.user
        if not (user.is_active and user.is_superuser):
            explorable = self.permission_policy.explorable_instances(user)
            pages = pages.filter(pk__in=explorable.values_list("pk", flat=True))
        return self.annotate_queryset(pages)

    def order_queryset(self, queryset):
        queryset = super().order_queryset(queryset)
        if queryset.query.order_by and not self.is_searching:
            # Stories never edited in the admin tie on the default ordering (no latest
            # revision); the id keeps page 50 from repeating rows of page 49.
            queryset = queryset.order_by(*queryset.query.order_by, "-pk")
        return queryset

    def search_queryset(self, queryset):
        # Wagtail's, except that an unordered search lists matches newest first
        # (masthead.compat.admin_search) instead of by relevance.
        for hook in hooks.get_hooks("construct_explorer_page_queryset"):
            queryset = hook(self.parent_page, queryset, self.request)
        if self.is_searching:
            queryset = autocomplete_newest_first(
                queryset, self.search_query, ordered=self.is_explicitly_ordered
            )
        return queryset
