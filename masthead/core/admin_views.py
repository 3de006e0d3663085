"""Page editing views that publish all-or-nothing and refuse to overwrite a newer version.

Wagtail 8 refuses a stale *autosave*, and its concurrent-editing notice warns through
JavaScript pings, but a plain Save or Publish from a form opened on an older revision
still replaces the newer one. These views refuse that save with a message instead, and
run a whole admin publish (revision, ``before``/``after_publish_page`` hooks,
``page_published`` receivers) in one transaction so that a failure anywhere leaves the
story as it was and the editor's text in the form.
"""

import logging

from django.db import transaction
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from wagtail.admin.views.pages.create import CreateView
from wagtail.admin.views.pages.edit import EditView
from wagtail.admin.viewsets.pages import PageViewSet

from .admin_listing import MastheadExplorableIndexView
from .admin_search import MastheadPageSearchView

logger = logging.getLogger("masthead.publishing")

PUBLISH_FAILED = _(
    "The story could not be published because of an error on the server; nothing was "
    "changed and it is not live. Your text is still in the form: try again, and tell "
    "the site's administrator if it happens again."
)


class AtomicPublishMixin:
    """Run ``publish_action`` in a transaction; on an error, re-show the form with a message."""

    def publish_action(self):
        try:
            with transaction.atomic():
                return super().publish_action()
        except Exception:
            logger.exception("Publishing failed and was rolled back (page %s)", self.page.pk)
            self.publish_failed()
            self.form.add_error(None, PUBLISH_FAILED)
            return self.form_invalid(self.form)

    def publish_failed(self) -> None:
        """Forget what the rolled-back publish changed on the in-memory page."""


class MastheadEditView(AtomicPublishMixin, EditView):
    def publish_failed(self) -> None:
        fresh = self.real_page_record.specific_class.objects.get(pk=self.real_page_record.pk)
        for field in (
            "live",
            "has_unpublished_changes",
            "live_revision_id",
            "last_published_at",
            "first_published_at",
            "latest_revision_id",
        ):
            setattr(self.page, field, getattr(fresh, field))

    def form_valid(self, form):
        if not self.expects_json_response and self.is_out_of_date:
            return self.refuse_stale_save(form)
        return super().form_valid(form)

    def refuse_stale_save(self, form):
        latest = self.latest_revision
        who = latest.user.get_full_name() or latest.user.get_username() if latest.user else None
        when = date_format(localtime(latest.created_at), "DATETIME_FORMAT")
        message = _(
            "%(who)s saved a newer version of this story at %(when)s, after you opened it. "
            "Your changes were not saved, so nothing of theirs was overwritten. Compare "
            "with their version under History; saving again replaces it with yours."
        ) % {"who": who or _("Someone"), "when": when}
        logger.info("Refused a stale save of page %s", self.page.pk)
        form.add_error(None, message)
        return self.form_invalid(form)


class MastheadCreateView(AtomicPublishMixin, CreateView):
    def publish_failed(self) -> None:
        # The rolled-back add_child() left an id and tree path on the unsaved page.
        self.page.pk = self.page.id = None
        self.page.path = ""
        self.page.depth = None
        self.page.live = False


class MastheadPageViewSet(PageViewSet):
    edit_view_class = MastheadEditView
    add_view_class = MastheadCreateView
    index_view_class = MastheadExplorableIndexView
    # Used by the viewset registered for Page, which serves the admin's page search.
    search_view_class = MastheadPageSearchView


def page_viewsets() -> list[PageViewSet]:
    """Return one viewset per Masthead page type, so every page type uses these views.

    One more, for Wagtail's base Page, serves the views that are not about one page
    type (the page search) and the pages of Wagtail's own types (the root).
    """
    from wagtail.models import Page, get_page_models

    return [
        MastheadPageViewSet(name="masthead_page", model=Page),
        *(
            MastheadPageViewSet(name=f"masthead_{model._meta.model_name}", model=model)
            for model in get_page_models()
            if model.__module__.startswith("masthead.")
        ),
    ]
