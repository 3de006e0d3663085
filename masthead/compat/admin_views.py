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
from django.utils.functional import cached_property
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from wagtail.admin.views.pages.create import CreateView
from wagtail.admin.views.pages.edit import EditView
from wagtail.admin.viewsets.pages import PageViewSet

from masthead.compat.publishing import PublishRefused

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
        except PublishRefused as refusal:
            # The publishing gate said no (masthead.operations.gate): say why, keep the text.
            self.publish_failed()
            self.form.add_error(None, refusal.message + " " + _("Your text is still in the form."))
            return self.form_invalid(self.form)
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
        if not self.expects_json_response and self.is_out_of_date and self.newer_by_others:
            return self.refuse_stale_save(form)
        return super().form_valid(form)

    @cached_property
    def newer_by_others(self) -> bool:
        """Whether someone other than this editor saved since the form was opened.

        The editor's own autosave can land while their Save or Publish is on its way:
        the form then still names the revision it opened, and Wagtail's test calls it out
        of date, although the newer version is theirs. Refusing that would refuse every
        quick publish (it failed the browser test on a busy machine). Another person's
        newer version is always refused.
        """
        loaded_id = self.request.POST.get("loaded_revision_id") or 0
        overwrite_id = self.request.POST.get("overwrite_revision_id") or 0
        try:
            since = max(int(loaded_id), int(overwrite_id))
        except ValueError:
            return True
        newer = self.page.revisions.filter(pk__gt=since)
        if overwrite_id or not newer.exists():
            # An autosave rewrites its revision in place: look at who wrote the latest one.
            newer = self.page.revisions.filter(pk=self.latest_revision.pk)
        return newer.exclude(user=self.request.user).exists() or newer.filter(user=None).exists()

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
