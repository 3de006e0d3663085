"""Upstream behaviour that Masthead's overrides of Wagtail internals rely on
(masthead/compat/): each test fails first when a Wagtail upgrade changes it."""

import inspect

import pytest
from django.dispatch import Signal
from wagtail import signals as wagtail_signals

pytestmark = pytest.mark.django_db


def test_every_page_publish_goes_through_publish_revision_action_execute():
    # compat.publishing wraps PublishRevisionAction.execute; the page action must not
    # override it, and Revision.publish must use the page action.
    from wagtail.actions.publish_page_revision import PublishPageRevisionAction
    from wagtail.actions.publish_revision import PublishRevisionAction
    from wagtail.models import Page, Revision

    assert "execute" not in PublishPageRevisionAction.__dict__
    assert getattr(PublishRevisionAction.execute, "_masthead_atomic", False)
    assert "content_object.publish(" in inspect.getsource(Revision.publish)
    assert "PublishPageRevisionAction(" in inspect.getsource(Page.publish)


def test_the_publish_action_knows_the_version_going_live_and_its_go_live_time(newsroom):
    import datetime as dt

    from django.utils import timezone
    from wagtail.actions.publish_page_revision import PublishPageRevisionAction

    from masthead.articles.factories import ArticlePageFactory

    story = ArticlePageFactory(parent=newsroom.news, live=False, title="Old headline")
    story.title = "New headline"
    story.go_live_at = timezone.now() + dt.timedelta(hours=1)
    revision = story.save_revision()
    action = PublishPageRevisionAction(revision)
    assert action.object.title == "New headline"
    assert action.object.go_live_at == story.go_live_at
    assert action.user is None


def test_scheduled_publishing_publishes_through_revision_publish():
    # operations.scheduled replaces Wagtail's command with the same two steps.
    from wagtail.management.commands import publish_scheduled

    source = inspect.getsource(publish_scheduled)
    assert "approved_go_live_at__lt" in source
    assert ".publish(" in source and "unpublish(" in source


def test_workflow_approval_publishes_through_revision_publish():
    from wagtail.models import WorkflowState

    assert "self.on_finish(" in inspect.getsource(WorkflowState.finish)
    assert ".publish(" in inspect.getsource(WorkflowState.on_finish)


def test_the_bulk_publish_action_publishes_revisions():
    from wagtail.admin.views.pages.bulk_actions.publish import PublishBulkAction

    assert ".publish(" in inspect.getsource(PublishBulkAction.execute_action)


def test_page_signals_the_changes_bridge_hears_exist():
    for name in ("page_published", "page_unpublished", "post_page_move"):
        assert isinstance(getattr(wagtail_signals, name), Signal)


def test_wagtail_bookkeeping_saves_name_their_fields():
    # changes.watch and the page bridge skip saves of only these fields.
    from wagtail.images.models import AbstractImage
    from wagtail.models import Page

    assert 'update_fields=["file_size"]' in inspect.getsource(AbstractImage.get_file_size)
    assert 'update_fields=["file_hash"]' in inspect.getsource(AbstractImage.get_file_hash)
    source = inspect.getsource(Page.save_revision)
    for field in ("latest_revision_created_at", "draft_title", "latest_revision"):
        assert f'"{field}"' in source


def test_responsive_images_build_their_srcset_with_get_width_srcset():
    from wagtail.images.models import ResponsiveImage

    from masthead.compat.srcset import unique_width_srcset

    assert "get_width_srcset" in inspect.getsource(ResponsiveImage)
    assert ResponsiveImage.get_width_srcset.__func__ is unique_width_srcset


# --- masthead.compat.admin_views, admin_listing, admin_search ------------------------------


def test_the_page_viewset_takes_its_views_from_the_class_attributes_compat_sets():
    from wagtail.admin.viewsets.pages import PageViewSet

    for name in ("edit_view_class", "add_view_class", "index_view_class", "search_view_class"):
        assert hasattr(PageViewSet, name), name


def test_the_edit_and_create_views_publish_through_publish_action():
    from wagtail.admin.views.pages.create import CreateView
    from wagtail.admin.views.pages.edit import EditView

    for view in (EditView, CreateView):
        assert callable(getattr(view, "publish_action", None)), view
        assert callable(getattr(view, "form_invalid", None)), view
    # The rolled-back publish reloads the page from the record the view read.
    import inspect

    assert "self.real_page_record =" in inspect.getsource(EditView)


def test_the_explorer_listing_builds_its_rows_through_the_hooks_compat_overrides():
    from wagtail.admin.paginator import WagtailPaginator
    from wagtail.admin.views.pages.listing import ExplorableIndexView

    for name in ("get_base_queryset", "order_queryset", "search_queryset"):
        assert callable(getattr(ExplorableIndexView, name, None)), name
    assert callable(getattr(WagtailPaginator, "page", None))


def test_the_admin_page_search_builds_its_results_through_get_queryset_and_annotate():
    from wagtail.admin.views.pages.search import SearchView

    for name in ("get_queryset", "annotate_queryset"):
        assert callable(getattr(SearchView, name, None)), name


# --- masthead.compat.search_backend ----------------------------------------------------------


def test_the_database_backends_refresh_title_norms_after_add_items():
    # The backend of this run's database: each module declares its index models only on
    # its own engine (importing the SQLite one on PostgreSQL fails), and CI runs both.
    import inspect

    from django.db import connection

    if connection.vendor == "postgresql":
        from modelsearch.backends.database.postgres.postgres import PostgresIndex as index
    else:
        from modelsearch.backends.database.sqlite.sqlite import SQLiteIndex as index

    assert "full" in inspect.signature(index._refresh_title_norms).parameters, index
    assert "_refresh_title_norms" in inspect.getsource(index.add_items), index


def test_wagtail_mails_submissions_through_the_notifiers_compat_replaces():
    # compat.submission_notices takes over Wagtail's two "submitted" email receivers under
    # their dispatch_uids; a renamed uid would leave Wagtail's beside Masthead's.
    from wagtail.admin.mail import Notifier
    from wagtail.admin.signal_handlers import register_signal_handlers
    from wagtail.models import AbstractWorkflow, Task

    from masthead.compat.submission_notices import RECEIVERS

    source = inspect.getsource(register_signal_handlers)
    for signal, sender, dispatch_uid, notifier in RECEIVERS:
        assert f'dispatch_uid="{dispatch_uid}"' in source
        receivers = signal._live_receivers(sender)[0]
        assert [r for r in receivers if isinstance(r, Notifier)] == [notifier]
    assert "workflow_submitted.send(" in inspect.getsource(AbstractWorkflow.start)
    assert "task_submitted.send(" in inspect.getsource(Task.start)


# --- masthead/core/static/masthead/admin/submit-after-autosave.js ------------------------


def test_the_editor_autosave_events_the_submit_guard_relies_on():
    # The guard counts w-autosave's "save" events and their "success" / "error" answers
    # on the editor form, and cancels a save once the form is sent: Wagtail's autosave
    # must dispatch a cancelable "save" and read defaultPrevented only when it sends.
    from pathlib import Path

    import wagtail

    admin = Path(wagtail.__file__).parent / "admin"
    core = (admin / "static/wagtailadmin/js/core.js").read_text()
    assert 'this.dispatch("save",{cancelable:!0' in core
    assert "submit=async({defaultPrevented:" in core
    assert 'this.dispatch("success",' in core and 'this.dispatch("error",' in core
    form = (admin / "templates/wagtailadmin/generic/form.html").read_text()
    assert "hook_output 'insert_editor_js'" in form
    assert "data-edit-form" in (admin / "templates/wagtailadmin/pages/edit.html").read_text()
