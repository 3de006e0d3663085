"""Every admin action, tried by every role: allowed ones take effect, denied ones change nothing.

The roles are the groups made by migration ``accounts.0001_roles``; the administrator
here is a plain member of Administrators (not a superuser), so the group itself is
tested. Each action names the roles allowed to do it and a check that its effect is
visible in the database. A denied attempt must be refused (403, or a redirect to the
login or the dashboard) or, for fields a role may not change inside a form it may
submit (pins, the editor's choice flag, publishing), leave that part untouched; and the
guarded state of the site must be identical before and after. Widening a role makes a
denied case take effect, which fails here.

Rows: a reader who is not signed in, then each role. Surfaces that only read (documents
and media of a password-protected collection, a private story, a draft's address) are
checked by what the answer served; the workflow and bulk actions by their effect.

Imports are not in the admin (command line only), so they have no row.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents.models import Document
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Page,
    PageViewRestriction,
    Revision,
    WorkflowState,
)
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from masthead.accounts.roles import ADMINISTRATORS, CONTRIBUTORS, EDITORS, give_role
from masthead.articles.factories import ArticlePageFactory
from masthead.articles.models import ArticlePage
from masthead.articles.tests.form_data import article_form_data
from masthead.discovery.models import Pick, PickList
from masthead.editorial.models import BLOCKING, EditorialOverride, EditorialSettings
from masthead.images.factories import MastheadImageFactory
from masthead.images.models import MastheadImage
from masthead.people.factories import AuthorFactory
from masthead.people.models import Author
from masthead.sections.factories import SectionPageFactory, TopicFactory, make_test_site
from masthead.sections.models import Topic

pytestmark = (
    pytest.mark.slow
)  # about 210 requests: a few minutes here; test_roles pins the grants quickly

R, C, E, A = "anonymous", "contributor", "editor", "administrator"
ROLES = (R, C, E, A)
GROUP = {C: CONTRIBUTORS, E: EDITORS, A: ADMINISTRATORS}
EVERYONE, EDITORS_UP, ADMIN_ONLY = {C, E, A}, {E, A}, {A}
READERS = {R, C, E, A}
NOBODY: set = set()
SECRET = b"Minutes of the closed session\n"


class World:
    """The site every case starts from (rolled back after each case)."""


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Build the site once for the module inside a transaction undone at the end."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield _build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _build_world() -> World:
    from django.contrib.auth import get_user_model

    w = World()
    w.home = make_test_site()
    w.news = SectionPageFactory(parent=w.home, title="News", slug="news")
    w.analysis = SectionPageFactory(parent=w.home, title="Analysis", slug="analysis")
    w.author = AuthorFactory(name="Ines Varga", slug="ines-varga")
    w.topic = TopicFactory(name="Harbour", slug="harbour")
    # In the site's collection tree, where the demo and the admin put uploads
    # (wagtail_factories would make a separate root collection for it).
    w.image = MastheadImageFactory(
        title="Quay at dawn", collection=Collection.get_first_root_node()
    )
    w.users = {}
    for role in (C, E, A):
        user = get_user_model().objects.create_user(role, f"{role}@example.org", "pw")
        give_role(user, GROUP[role])
        w.users[role] = user
    w.other_story = ArticlePageFactory(
        parent=w.news, live=False, slug="other", title="Ferry timetable changes"
    )
    w.other_story.save_revision().publish()
    w.live = ArticlePageFactory(
        parent=w.news,
        live=False,
        slug="live-story",
        title="Harbour reopens after storm",
        lead_image=w.image,
    )
    # No byline or topics yet: the edit form below adds them as new rows, as a browser
    # adding them would.
    w.first_revision = w.live.save_revision()
    w.first_revision.publish()
    w.live = ArticlePage.objects.get(pk=w.live.pk)
    w.live.title = "Harbour reopens after the storm"
    w.live.save_revision().publish()
    w.live = ArticlePage.objects.get(pk=w.live.pk)
    w.draft = ArticlePageFactory(parent=w.news, live=False, slug="a-draft", title="Draft on tides")
    w.draft.save_revision()
    w.picklist = PickList.objects.create()
    Pick.objects.create(pick_list=w.picklist, article=w.other_story, sort_order=0)
    w.document = Document.objects.create(
        title="Port budget", file=SimpleUploadedFile("budget.txt", b"Budget lines\n")
    )
    w.victim = get_user_model().objects.create_user("victim", "v@example.org", "pw")
    w.redirect = Redirect.objects.create(old_path="/old-harbour", redirect_page=w.live)
    w.site = w.home.get_site()
    EditorialSettings.for_site(w.site).save()
    # A story a contributor submitted for approval (the newsroom workflow).
    w.submitted = ArticlePageFactory(
        parent=w.news, live=False, slug="submitted", title="Submitted story"
    )
    revision = w.submitted.save_revision(user=w.users[C])
    revision.publish()
    w.submitted = ArticlePage.objects.get(pk=w.submitted.pk)
    w.submitted.title = "Submitted story, revised"
    w.submitted.save_revision(user=w.users[C])
    w.submitted.get_workflow().start(w.submitted, w.users[C])
    # A password-protected collection with a document, an image and a rendition.
    vault = Collection.get_first_root_node().add_child(name="Closed session")
    CollectionViewRestriction.objects.create(
        collection=vault, restriction_type="password", password="vault-pass"
    )
    w.secret_document = Document.objects.create(
        title="Closed minutes", file=SimpleUploadedFile("closed.txt", SECRET), collection=vault
    )
    w.secret_image = MastheadImageFactory(title="Closed photo", collection=vault)
    w.secret_rendition = w.secret_image.get_rendition("width-40")
    # A private story (page password) and its restriction.
    w.private_story = ArticlePageFactory(
        parent=w.news, live=False, slug="private-story", title="Private harbour memo"
    )
    w.private_story.save_revision().publish()
    w.page_restriction = PageViewRestriction.objects.create(
        page=w.private_story, restriction_type="password", password="page-pass"
    )
    return w


def _png(name: str = "upload.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), (20, 90, 160)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


PARAGRAPH = "The quay was rebuilt in six weeks, the harbour master said."


def _story_form(w, page=None, *, title="", slug="", paragraph=PARAGRAPH, **extra) -> dict:
    return article_form_data(
        title or page.title,
        slug or page.slug,
        "Port officials say boats can return.",
        paragraphs=[paragraph],
        authors=[w.author],
        topics=[w.topic],
        lead_image=w.image,
        caption="The quay at dawn",
        credit="Ledger staff",
        **extra,
    )


def _edit(client, w, page, *, publish=False, **extra):
    data = _story_form(w, page, **extra)
    if publish:
        data["action-publish"] = "action-publish"
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def _latest(page) -> ArticlePage:
    return ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object()


def _snippet(model: str, view: str, *args) -> str:
    return reverse(f"wagtailsnippets_{model}:{view}", args=args)


@dataclass
class Action:
    allowed: set
    perform: Callable
    happened: Callable
    # True when the role may submit the form but not change this part of it.
    inside_form: bool = False
    # True for a surface that only reads: ``happened(w, response)`` says it was served.
    reads: bool = False


ACTIONS: dict[str, Action] = {}


def action(
    name: str, allowed: set, happened: Callable, inside_form: bool = False, reads: bool = False
):
    def register(perform):
        ACTIONS[name] = Action(allowed, perform, happened, inside_form, reads)
        return perform

    return register


# --- Pages -----------------------------------------------------------------------------


@action(
    "page add (draft)",
    EVERYONE,
    lambda w: ArticlePage.objects.filter(slug="fresh-story").exists(),
)
def _(client, w):
    data = _story_form(w, title="A fresh story", slug="fresh-story")
    return client.post(
        reverse("wagtailadmin_pages:add", args=["articles", "articlepage", w.news.pk]), data
    )


@action(
    "page edit (save draft)",
    EVERYONE,
    lambda w: (
        _latest(w.live).standfirst == "Port officials say boats can return."
        and ArticlePage.objects.get(pk=w.live.pk).has_unpublished_changes
    ),
)
def _(client, w):
    return _edit(client, w, w.live)


@action(
    "page publish",
    EDITORS_UP,
    lambda w: ArticlePage.objects.get(pk=w.draft.pk).live,
    inside_form=True,
)
def _(client, w):
    return _edit(client, w, w.draft, publish=True)


@action(
    "page publish a correction",
    EDITORS_UP,
    lambda w: ArticlePage.objects.get(pk=w.live.pk).corrections.exists(),
    inside_form=True,
)
def _(client, w):
    corrections = inline_formset(
        [{"published_at": "2026-01-02 10:00", "text": "An earlier version misnamed the quay."}]
    )
    return _edit(client, w, w.live, publish=True, corrections=corrections)


@action(
    "page schedule",
    EDITORS_UP,
    lambda w: Revision.page_revisions.filter(
        object_id=str(w.draft.pk), approved_go_live_at__isnull=False
    ).exists(),
    inside_form=True,
)
def _(client, w):
    go_live = (timezone.now() + timezone.timedelta(days=2)).strftime("%Y-%m-%d %H:%M")
    return _edit(client, w, w.draft, publish=True, go_live_at=go_live)


@action("page unpublish", EDITORS_UP, lambda w: not ArticlePage.objects.get(pk=w.live.pk).live)
def _(client, w):
    return client.post(reverse("wagtailadmin_pages:unpublish", args=[w.live.pk]))


@action(
    "page delete (live)",
    EDITORS_UP,
    lambda w: not ArticlePage.objects.filter(pk=w.live.pk).exists(),
)
def _(client, w):
    return client.post(reverse("wagtailadmin_pages:delete", args=[w.live.pk]))


@action(
    "page delete (draft)",
    EVERYONE,
    lambda w: not ArticlePage.objects.filter(pk=w.draft.pk).exists(),
)
def _(client, w):
    return client.post(reverse("wagtailadmin_pages:delete", args=[w.draft.pk]))


@action(
    "page move (live)",
    EDITORS_UP,
    lambda w: Page.objects.get(pk=w.live.pk).get_parent().pk == w.analysis.pk,
)
def _(client, w):
    return client.post(reverse("wagtailadmin_pages:move_confirm", args=[w.live.pk, w.analysis.pk]))


@action("page lock", EDITORS_UP, lambda w: Page.objects.get(pk=w.live.pk).locked)
def _(client, w):
    return client.post(reverse("wagtailadmin_pages:lock", args=[w.live.pk]))


@action(
    "page make private",
    EDITORS_UP,
    lambda w: PageViewRestriction.objects.filter(page=w.live).exists(),
)
def _(client, w):
    return client.post(
        reverse("wagtailadmin_pages:set_privacy", args=[w.live.pk]),
        {"restriction_type": "login", "password": "", "groups": []},
    )


@action(
    "revisions revert and publish",
    EDITORS_UP,
    lambda w: ArticlePage.objects.get(pk=w.live.pk).title == "Harbour reopens after storm",
    inside_form=True,
)
def _(client, w):
    page = w.first_revision.as_object()
    data = _story_form(w, page, revision=w.first_revision.pk)
    data["action-publish"] = "action-publish"
    return client.post(reverse("wagtailadmin_pages:edit", args=[w.live.pk]), data)


# --- Curation --------------------------------------------------------------------------


@action(
    "related pin",
    EDITORS_UP,
    lambda w: _latest(w.live).related_pins.exists(),
    inside_form=True,
)
def _(client, w):
    return _edit(client, w, w.live, related_pins=inline_formset([{"related": w.other_story.pk}]))


@action(
    "related exclusion",
    EDITORS_UP,
    lambda w: _latest(w.live).related_exclusions.exists(),
    inside_form=True,
)
def _(client, w):
    return _edit(
        client, w, w.live, related_exclusions=inline_formset([{"related": w.other_story.pk}])
    )


@action(
    "editor's choice flag",
    EDITORS_UP,
    lambda w: _latest(w.live).editors_choice,
    inside_form=True,
)
def _(client, w):
    return _edit(client, w, w.live, editors_choice="on")


@action(
    "editorial override",
    EDITORS_UP,
    lambda w: (
        EditorialOverride.objects.filter(page_id=w.draft.pk).exists()
        and ArticlePage.objects.get(pk=w.draft.pk).live
    ),
    inside_form=True,
)
def _(client, w):
    settings = EditorialSettings.for_site(w.site)
    settings.spelling = BLOCKING
    settings.save()
    data = _story_form(
        w,
        w.draft,
        paragraph="The goverment said the quay is safe.",
        editorial_override_reason="Quoting a sign verbatim.",
    )
    data["action-publish"] = "action-publish"
    return client.post(reverse("wagtailadmin_pages:edit", args=[w.draft.pk]), data)


def _picks_form(w, section="", picks=()):
    return nested_form_data(
        {
            "section": section,
            "picks": inline_formset(
                [{"article": p.pk, "starts_at": "", "ends_at": ""} for p in picks]
            ),
        }
    )


@action(
    "picks add",
    EDITORS_UP,
    lambda w: PickList.objects.filter(section=w.news).exists(),
)
def _(client, w):
    return client.post(_snippet("discovery_picklist", "add"), _picks_form(w, w.news.pk, [w.live]))


@action(
    "picks edit",
    EDITORS_UP,
    lambda w: list(w.picklist.picks.values_list("article_id", flat=True)) == [w.live.pk],
)
def _(client, w):
    data = _picks_form(w, "", [w.live])
    # Replace the existing pick: mark it deleted and add the new one.
    data.update(
        {
            "picks-TOTAL_FORMS": "2",
            "picks-INITIAL_FORMS": "1",
            "picks-0-id": str(w.picklist.picks.get().pk),
            "picks-0-article": str(w.other_story.pk),
            "picks-0-DELETE": "1",
            "picks-0-ORDER": "1",
            "picks-1-id": "",
            "picks-1-article": str(w.live.pk),
            "picks-1-starts_at": "",
            "picks-1-ends_at": "",
            "picks-1-DELETE": "",
            "picks-1-ORDER": "2",
        }
    )
    return client.post(_snippet("discovery_picklist", "edit", w.picklist.pk), data)


@action(
    "picks delete", EDITORS_UP, lambda w: not PickList.objects.filter(pk=w.picklist.pk).exists()
)
def _(client, w):
    return client.post(_snippet("discovery_picklist", "delete", w.picklist.pk))


# --- Images and documents --------------------------------------------------------------


@action("image upload", EVERYONE, lambda w: MastheadImage.objects.filter(title="New pic").exists())
def _(client, w):
    return client.post(
        reverse("wagtailimages:add"),
        {
            "title": "New pic",
            "file": _png(),
            "collection": Collection.get_first_root_node().pk,
            "caption": "A new picture",
            "credit": "Staff",
            "description": "",
            "tags": "",
        },
    )


@action(
    "image edit (someone else's)",
    EDITORS_UP,
    lambda w: MastheadImage.objects.get(pk=w.image.pk).credit == "Changed credit",
)
def _(client, w):
    return client.post(
        reverse("wagtailimages:edit", args=[w.image.pk]),
        {
            "title": w.image.title,
            "collection": w.image.collection_id,
            "caption": w.image.caption,
            "credit": "Changed credit",
            "description": "",
            "tags": "",
        },
    )


@action(
    "image delete (someone else's)",
    EDITORS_UP,
    lambda w: not MastheadImage.objects.filter(pk=w.image.pk).exists(),
)
def _(client, w):
    return client.post(reverse("wagtailimages:delete", args=[w.image.pk]))


@action("document upload", EVERYONE, lambda w: Document.objects.filter(title="Minutes").exists())
def _(client, w):
    return client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Minutes",
            "file": SimpleUploadedFile("minutes.txt", b"Council minutes\n"),
            "collection": Collection.get_first_root_node().pk,
            "tags": "",
        },
    )


@action(
    "document delete (someone else's)",
    EDITORS_UP,
    lambda w: not Document.objects.filter(pk=w.document.pk).exists(),
)
def _(client, w):
    return client.post(reverse("wagtaildocs:delete", args=[w.document.pk]))


# --- Snippets --------------------------------------------------------------------------


@action("author add", EDITORS_UP, lambda w: Author.objects.filter(slug="new-author").exists())
def _(client, w):
    return client.post(
        _snippet("people_author", "add"),
        {"name": "New Author", "slug": "new-author", "job_title": "", "bio": "", "photo": ""},
    )


@action(
    "author edit",
    EDITORS_UP,
    lambda w: Author.objects.get(pk=w.author.pk).job_title == "Harbour correspondent",
)
def _(client, w):
    return client.post(
        _snippet("people_author", "edit", w.author.pk),
        {
            "name": w.author.name,
            "slug": w.author.slug,
            "job_title": "Harbour correspondent",
            "bio": "",
            "photo": "",
        },
    )


@action("author delete", EDITORS_UP, lambda w: not Author.objects.filter(pk=w.author.pk).exists())
def _(client, w):
    return client.post(_snippet("people_author", "delete", w.author.pk))


@action("topic add", EDITORS_UP, lambda w: Topic.objects.filter(slug="tides").exists())
def _(client, w):
    return client.post(
        _snippet("sections_topic", "add"),
        {"name": "Tides", "slug": "tides", "kind": "theme", "description": ""},
    )


@action("topic delete", EDITORS_UP, lambda w: not Topic.objects.filter(pk=w.topic.pk).exists())
def _(client, w):
    return client.post(_snippet("sections_topic", "delete", w.topic.pk))


# --- Site administration ---------------------------------------------------------------


@action("redirect add", EDITORS_UP, lambda w: Redirect.objects.filter(old_path="/gone").exists())
def _(client, w):
    return client.post(
        reverse("wagtailredirects:add"),
        {"old_path": "/gone", "site": "", "is_permanent": "on", "redirect_page": w.live.pk},
    )


@action(
    "redirect delete", EDITORS_UP, lambda w: not Redirect.objects.filter(pk=w.redirect.pk).exists()
)
def _(client, w):
    return client.post(reverse("wagtailredirects:delete", args=[w.redirect.pk]))


@action(
    "settings edit (editorial checks)",
    ADMIN_ONLY,
    lambda w: EditorialSettings.for_site(w.site).mechanics == BLOCKING,
)
def _(client, w):
    current = EditorialSettings.for_site(w.site)
    data = {
        name: getattr(current, name)
        for name in ("spelling", "names", "titles", "mechanics", "completeness")
    }
    data["mechanics"] = BLOCKING
    return client.post(
        reverse("wagtailsettings:edit", args=["editorial", "editorialsettings", w.site.pk]), data
    )


@action("user add", ADMIN_ONLY, lambda w: _user_exists("newcomer"))
def _(client, w):
    return client.post(
        reverse("wagtailusers_users:add"),
        {
            "username": "newcomer",
            "email": "newcomer@example.org",
            "first_name": "New",
            "last_name": "Comer",
            "password1": "a-Long-pass-phrase-42",
            "password2": "a-Long-pass-phrase-42",
            "is_active": "on",
        },
    )


@action(
    "user promote to administrator",
    ADMIN_ONLY,
    lambda w: w.victim.groups.filter(name=ADMINISTRATORS).exists(),
)
def _(client, w):
    return client.post(
        reverse("wagtailusers_users:edit", args=[w.victim.pk]),
        {
            "username": "victim",
            "email": "v@example.org",
            "first_name": "Vic",
            "last_name": "Tim",
            "password1": "",
            "password2": "",
            "is_active": "on",
            "groups": [Group.objects.get(name=ADMINISTRATORS).pk],
        },
    )


@action("user delete", ADMIN_ONLY, lambda w: not _user_exists("victim"))
def _(client, w):
    return client.post(reverse("wagtailusers_users:delete", args=[w.victim.pk]))


@action("group add", ADMIN_ONLY, lambda w: Group.objects.filter(name="Interns").exists())
def _(client, w):
    return client.post(reverse("wagtailusers_groups:add"), _group_form("Interns"))


def _user_exists(username: str) -> bool:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(username=username).exists()


def _group_form(name: str) -> dict:
    from wagtail import hooks

    data = {"name": name}
    # Every permission panel the installed apps register (Wagtail's own and wagtailmedia's).
    panels = [hook() for hook in hooks.get_hooks("register_group_permission_panel")]
    formsets = [panel.default_prefix for panel in panels if hasattr(panel, "default_prefix")]
    for prefix in ("page_permissions", "collection_permissions", *formsets):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    return data


# --- Workflow (the newsroom's approval) ------------------------------------------------


def _workflow_state(page) -> str:
    state = WorkflowState.objects.filter(object_id=str(page.pk)).order_by("-pk").first()
    return state.status if state else ""


def _workflow_action(client, w, name: str, comment: str = ""):
    task_state = Page.objects.get(pk=w.submitted.pk).current_workflow_task_state
    return client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[w.submitted.pk, name, task_state.pk]),
        {"comment": comment},
    )


@action(
    "workflow submit for approval",
    EVERYONE,
    lambda w: Page.objects.get(pk=w.other_story.pk).workflow_in_progress,
)
def _(client, w):
    data = _story_form(w, w.other_story)
    data["action-submit"] = "action-submit"
    return client.post(reverse("wagtailadmin_pages:edit", args=[w.other_story.pk]), data)


@action("workflow approve", EDITORS_UP, lambda w: _workflow_state(w.submitted) == "approved")
def _(client, w):
    return _workflow_action(client, w, "approve")


@action(
    "workflow request changes",
    EDITORS_UP,
    lambda w: _workflow_state(w.submitted) == "needs_changes",
)
def _(client, w):
    return _workflow_action(client, w, "reject", "Name the source, please.")


@action("workflow cancel", EVERYONE, lambda w: _workflow_state(w.submitted) == "cancelled")
def _(client, w):
    return client.post(
        reverse("wagtailadmin_pages:edit", args=[w.submitted.pk]),
        {**_story_form(w, w.submitted), "action-cancel-workflow": "true"},
    )


# --- Bulk actions ----------------------------------------------------------------------


def _bulk(client, name: str, page, **data):
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", name])
    return client.post(f"{url}?id={page.pk}", data)


@action("bulk publish (draft)", EDITORS_UP, lambda w: ArticlePage.objects.get(pk=w.draft.pk).live)
def _(client, w):
    return _bulk(client, "publish", w.draft, include_descendants="")


@action(
    "bulk unpublish (live)", EDITORS_UP, lambda w: not ArticlePage.objects.get(pk=w.live.pk).live
)
def _(client, w):
    return _bulk(client, "unpublish", w.live, include_descendants="")


@action(
    "bulk delete (live)",
    EDITORS_UP,
    lambda w: not ArticlePage.objects.filter(pk=w.live.pk).exists(),
)
def _(client, w):
    return _bulk(client, "delete", w.live)


@action(
    "bulk move (live)",
    EDITORS_UP,
    lambda w: Page.objects.get(pk=w.live.pk).get_parent().pk == w.analysis.pk,
)
def _(client, w):
    return _bulk(client, "move", w.live, chooser=w.analysis.pk)


# --- What readers and staff can read ------------------------------------------------------


def _served(response, expected: bytes | None = None) -> bool:
    if response.status_code != 200:
        return False
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return expected is None or body == expected


@action(
    "document of a protected collection",
    NOBODY,
    lambda w, r: _served(r, SECRET),
    reads=True,
)
def _(client, w):
    return client.get(w.secret_document.url)


@action(
    "document of a protected collection, /media/ path",
    NOBODY,
    lambda w, r: _served(r, SECRET),
    reads=True,
)
def _(client, w):
    return client.get(f"/media/{w.secret_document.file.name}")


@action("original image of a protected collection", NOBODY, lambda w, r: _served(r), reads=True)
def _(client, w):
    return client.get(f"/media/{w.secret_image.file.name}")


@action("rendition of a protected collection", NOBODY, lambda w, r: _served(r), reads=True)
def _(client, w):
    return client.get(f"/media/{w.secret_rendition.file.name}")


@action(
    "document of a protected collection, with its password",
    READERS,
    lambda w, r: _served(r, SECRET),
    reads=True,
)
def _(client, w):
    restriction = CollectionViewRestriction.objects.get(collection__name="Closed session")
    client.post(
        reverse("wagtaildocs_authenticate_with_password", args=[restriction.pk]),
        {"password": "vault-pass", "return_url": w.secret_document.url},
    )
    return client.get(f"/media/{w.secret_document.file.name}")


@action("public image and document", READERS, lambda w, r: _served(r), reads=True)
def _(client, w):
    if client.get(f"/media/{w.image.file.name}").status_code != 200:
        return client.get("/no-such-file/")
    return client.get(w.document.url)


@action(
    "private story without its password",
    NOBODY,
    lambda w, r: b"Private harbour memo" in r.content,
    reads=True,
)
def _(client, w):
    return client.get(w.private_story.url)


@action(
    "private story with its password (page-password view)",
    READERS,
    lambda w, r: r.status_code == 200 and b"Private harbour memo" in r.content,
    reads=True,
)
def _(client, w):
    client.post(
        reverse(
            "wagtailcore_authenticate_with_password",
            args=[w.page_restriction.pk, w.private_story.pk],
        ),
        {"password": "page-pass", "return_url": w.private_story.url},
    )
    return client.get(w.private_story.url)


@action(
    "page password guessed 30 times, then the right one",
    NOBODY,
    lambda w, r: r.status_code == 200 and b"Private harbour memo" in r.content,
    reads=True,
)
def _(client, w):
    url = reverse(
        "wagtailcore_authenticate_with_password",
        args=[w.page_restriction.pk, w.private_story.pk],
    )
    for number in range(30):
        client.post(url, {"password": f"guess-{number}", "return_url": "/"})
    client.post(url, {"password": "page-pass", "return_url": w.private_story.url})
    return client.get(w.private_story.url)


@action(
    "a draft's address on the site",
    NOBODY,
    lambda w, r: r.status_code == 200 and b"Draft on tides" in r.content,
    reads=True,
)
def _(client, w):
    return client.get("/news/a-draft/")


def guarded_state(w) -> dict:
    """Return everything a denied action must leave alone (drafts' revisions excepted)."""
    from django.contrib.auth import get_user_model

    live_pages = ArticlePage.objects.filter(live=True)
    return {
        "pages": list(
            Page.objects.order_by("pk").values_list(
                "pk", "live", "locked", "path", "live_revision_id", "expire_at"
            )
        ),
        "live": list(live_pages.order_by("pk").values_list("pk", "title", "editors_choice")),
        "scheduled": Revision.page_revisions.filter(approved_go_live_at__isnull=False).count(),
        "restrictions": PageViewRestriction.objects.count(),
        "pins": list(
            live_pages.values_list("related_pins__related_id", "related_exclusions__related_id")
        ),
        "corrections": list(live_pages.values_list("corrections__text")),
        "picks": list(Pick.objects.order_by("pk").values_list("pick_list_id", "article_id")),
        "picklists": list(PickList.objects.values_list("pk", "section_id")),
        "overrides": EditorialOverride.objects.count(),
        "images": list(MastheadImage.objects.order_by("pk").values_list("pk", "title", "credit")),
        "documents": list(Document.objects.order_by("pk").values_list("pk", "title")),
        "authors": list(Author.objects.order_by("pk").values_list("pk", "name", "job_title")),
        "topics": list(Topic.objects.order_by("pk").values_list("pk", "name")),
        "redirects": list(Redirect.objects.order_by("pk").values_list("pk", "old_path")),
        "settings": list(EditorialSettings.objects.values_list("mechanics")),
        "users": list(
            get_user_model()
            .objects.order_by("pk")
            .values_list("pk", "username", "is_superuser", "groups__name")
        ),
        "groups": list(Group.objects.order_by("pk").values_list("pk", "name", "permissions__pk")),
    }


def _refused(response) -> bool:
    if response.status_code == 403:
        return True
    if response.status_code != 302:
        return False
    location = response["Location"]
    return location.startswith((reverse("wagtailadmin_login"), reverse("wagtailadmin_home")))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(ACTIONS))
def test_each_role_can_do_exactly_its_actions(client, world, db, role, name):
    spec = ACTIONS[name]
    world.site.refresh_from_db()
    if role != R:
        client.force_login(world.users[role])
    if spec.reads:
        before = guarded_state(world)
        response = spec.perform(client, world)
        served = spec.happened(world, response)
        assert served == (role in spec.allowed), f"{role}: {name} served={served}"
        assert response.status_code < 500
        assert guarded_state(world) == before
        return
    assert not spec.happened(world), "the starting site already shows the effect"
    before = guarded_state(world)
    response = spec.perform(client, world)
    if role in spec.allowed:
        assert response.status_code in (200, 302), f"{role} was refused: {name}"
        assert spec.happened(world), f"{role} should be able to: {name}"
        return
    assert not spec.happened(world), f"{role} must not be able to: {name}"
    if spec.inside_form:
        # The form itself is open to the role; the part it may not change is left out.
        assert response.status_code in (200, 302)
    else:
        assert _refused(response), f"{role}: {name} answered {response.status_code}"
    after = guarded_state(world)
    assert after == before, f"{role}: a refused {name} still changed the site"
