"""Admin: the fast entry form, the list of entries, and a button on every live page."""

from django.contrib import messages
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.views.generic import CreateView, EditView
from wagtail.admin.viewsets.model import ModelViewSet

from .models import LiveEntry, LivePage


def _page_param(request) -> int | None:
    raw = request.GET.get("page") or request.POST.get("page") or ""
    return int(raw) if raw.isdigit() else None


class _FindingsMixin:
    def form_valid(self, form):
        response = super().form_valid(form)
        warnings = [f for f in getattr(form, "findings", []) if not f.blocking]
        if warnings:
            messages.warning(
                self.request,
                _("Saved with %(count)d editorial findings: %(list)s")
                % {"count": len(warnings), "list": "; ".join(f.message for f in warnings[:5])},
            )
        return response


class EntryCreateView(_FindingsMixin, CreateView):
    """Write one entry; after saving, the form is empty again for the next one."""

    template_name = "live/admin/entry_create.html"

    def get_initial(self):
        initial = super().get_initial()
        page_id = _page_param(self.request)
        if page_id:
            initial["page"] = page_id
        return initial

    def get_add_url(self):
        url = super().get_add_url()
        page_id = _page_param(self.request)
        return f"{url}?{urlencode({'page': page_id})}" if page_id else url

    def get_success_url(self):
        return f"{reverse(self.add_url_name)}?{urlencode({'page': self.object.page_id})}"

    def save_instance(self):
        self.form.instance.created_by = self.request.user
        return super().save_instance()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page_id = _page_param(self.request) or getattr(self.form.instance, "page_id", None)
        page = LivePage.objects.filter(pk=page_id).first() if page_id else None
        context["live_page"] = page
        context["recent_entries"] = (
            LiveEntry.objects.filter(page=page).order_by("-published_at", "-pk")[:15]
            if page
            else []
        )
        context["edit_url_name"] = self.edit_url_name
        return context


class EntryEditView(_FindingsMixin, EditView):
    pass


class LiveEntryViewSet(ModelViewSet):
    model = LiveEntry
    icon = "time"
    menu_label = _("Live entries")
    menu_order = 210
    add_to_admin_menu = True
    add_view_class = EntryCreateView
    edit_view_class = EntryEditView
    list_display = ["__str__", "page", "status", "published_at", "pinned", "author"]
    list_filter = ["page", "status", "pinned"]
    ordering = ["-published_at"]
    search_fields = ["headline"]


live_entries = LiveEntryViewSet("live_entries")


@hooks.register("register_admin_viewset")
def register_live_entries():
    return live_entries


class WriteEntriesButton(PageMenuItem):
    label = _("Write live entries")
    icon_name = "time"

    @property
    def url(self):
        return f"{reverse(live_entries.get_url_name('add'))}?{urlencode({'page': self.page.pk})}"


@hooks.register("register_page_header_buttons")
def live_page_header_button(page, user, view_name=None, next_url=None):
    if page.specific_class is LivePage and user.has_perm("live.add_liveentry"):
        yield WriteEntriesButton(page=page, priority=5)


@hooks.register("register_page_listing_more_buttons")
def live_page_listing_button(page, user, next_url=None):
    if page.specific_class is LivePage and user.has_perm("live.add_liveentry"):
        yield WriteEntriesButton(page=page, priority=5)
