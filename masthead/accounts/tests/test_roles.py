"""The role groups exist on every site with exactly their permissions; the demo has one user per role."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import GroupCollectionPermission, GroupPagePermission

from masthead.accounts.roles import ADMINISTRATORS, CONTRIBUTORS, EDITORS, give_role
from masthead.cli import _ensure_demo_accounts

pytestmark = pytest.mark.django_db

CONTRIBUTOR_MODEL = {
    "wagtailadmin.access_admin",
    "people.view_author",
    "sections.view_topic",
    "editorial.view_newsroomword",
    # Live entries (live.0002): contributors write drafts; running stories (running.0002).
    *{f"live.{a}_liveentry" for a in ("add", "change", "view")},
    "running.view_runningstory",
}
EDITOR_MODEL = {
    "wagtailadmin.access_admin",
    "editorial.override_blocking",
    "editorial.view_editorialoverride",
    *{f"people.{a}_author" for a in ("add", "change", "delete", "view")},
    *{f"sections.{a}_topic" for a in ("add", "change", "delete", "view")},
    *{f"discovery.{a}_picklist" for a in ("add", "change", "delete", "view")},
    *{f"discovery.{a}_relatedpin" for a in ("add", "change", "delete", "view")},
    *{f"discovery.{a}_relatedexclusion" for a in ("add", "change", "delete", "view")},
    *{f"editorial.{a}_newsroomword" for a in ("add", "change", "delete", "view")},
    *{f"wagtailredirects.{a}_redirect" for a in ("add", "change", "delete")},
    # Newsletters (newsletters.0002): issues and subscribers, not the lists' settings.
    *{
        f"newsletters.{a}_issue"
        for a in ("add", "change", "delete", "view", "publish", "lock", "unlock")
    },
    "newsletters.view_newsletter",
    *{f"newsletters.{a}_subscriber" for a in ("add", "change", "delete", "view")},
    *{f"live.{a}_liveentry" for a in ("add", "change", "delete", "view", "publish")},
    *{
        f"running.{a}_{model}"
        for a in ("add", "change", "delete", "view")
        for model in ("runningstory", "runningstorymember")
    },
}
PAGE = {
    CONTRIBUTORS: {"add_page", "change_page"},
    EDITORS: {"add_page", "change_page", "publish_page", "lock_page", "unlock_page"},
    ADMINISTRATORS: {
        "add_page",
        "change_page",
        "publish_page",
        "lock_page",
        "unlock_page",
        "bulk_delete_page",
    },
}
MEDIA_EDITOR = {
    *{f"wagtailimages.{a}_image" for a in ("add", "change", "delete", "choose")},
    *{f"wagtaildocs.{a}_document" for a in ("add", "change", "delete", "choose")},
    *{f"wagtailmedia.{a}_media" for a in ("add", "change", "delete", "choose")},
}
COLLECTION = {
    CONTRIBUTORS: {
        "wagtailimages.add_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.choose_document",
        "wagtailmedia.add_media",
        "wagtailmedia.choose_media",
    },
    EDITORS: MEDIA_EDITOR,
    ADMINISTRATORS: MEDIA_EDITOR
    | {f"wagtailcore.{a}_collection" for a in ("add", "change", "delete")},
}


def _model_permissions(group) -> set[str]:
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


def test_exactly_three_roles_and_no_leftover_wagtail_moderators():
    assert set(Group.objects.values_list("name", flat=True)) == {
        CONTRIBUTORS,
        EDITORS,
        ADMINISTRATORS,
    }


@pytest.mark.parametrize("role", [CONTRIBUTORS, EDITORS, ADMINISTRATORS])
def test_each_role_has_exactly_its_permissions(role):
    group = Group.objects.get(name=role)
    expected_model = {
        CONTRIBUTORS: CONTRIBUTOR_MODEL,
        EDITORS: EDITOR_MODEL,
        ADMINISTRATORS: {
            f"{app}.{codename}"
            for app, codename in Permission.objects.values_list(
                "content_type__app_label", "codename"
            )
        },
    }[role]
    assert _model_permissions(group) == expected_model
    pages = GroupPagePermission.objects.filter(group=group)
    assert {p.permission.codename for p in pages} == PAGE[role]
    assert {p.page.depth for p in pages} == {1}, "granted on the tree's root"
    collections = GroupCollectionPermission.objects.filter(group=group)
    assert {
        f"{p.permission.content_type.app_label}.{p.permission.codename}" for p in collections
    } == COLLECTION[role]
    assert {p.collection.depth for p in collections} == {1}


def test_only_editors_and_administrators_may_override_checks_and_curate(django_user_model):
    users = {}
    for role in (CONTRIBUTORS, EDITORS, ADMINISTRATORS):
        users[role] = django_user_model.objects.create_user(role.lower(), password="pw")
        give_role(users[role], role)
    for permission in (
        "editorial.override_blocking",
        "discovery.change_picklist",
        "discovery.change_relatedpin",
    ):
        assert not users[CONTRIBUTORS].has_perm(permission)
        assert users[EDITORS].has_perm(permission)
        assert users[ADMINISTRATORS].has_perm(permission)
    assert users[ADMINISTRATORS].has_perm("auth.change_user")
    assert not users[EDITORS].has_perm("auth.change_user")


def test_story_editor_hides_curation_from_contributors(client, newsroom, django_user_model):
    story = newsroom.stories[0]
    url = reverse("wagtailadmin_pages:edit", args=[story.pk])
    seen = {}
    for role in (CONTRIBUTORS, EDITORS):
        user = django_user_model.objects.create_user(role.lower(), password="pw")
        give_role(user, role)
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        seen[role] = response.content.decode()
    for marker in (
        "Pinned related stories",
        "Stories never shown as related",
        'name="editors_choice"',
    ):
        assert marker not in seen[CONTRIBUTORS], marker
        assert marker in seen[EDITORS], marker


def test_demo_accounts_one_per_role_and_stable(tmp_path, django_user_model):
    # An older demo folder had a superuser called "editor".
    django_user_model.objects.create_superuser("editor", "e@example.org", "old")
    accounts = _ensure_demo_accounts(tmp_path)
    assert [(name, role) for name, role, _ in accounts] == [
        ("editor", EDITORS),
        ("contributor", CONTRIBUTORS),
        ("admin", ADMINISTRATORS),
    ]
    for name, role, password in accounts:
        user = django_user_model.objects.get(username=name)
        assert user.check_password(password)
        assert list(user.groups.values_list("name", flat=True)) == [role]
        assert user.is_superuser == (role == ADMINISTRATORS)
    lines = (tmp_path / "demo-login.txt").read_text().splitlines()
    assert lines[0].startswith("editor:")
    assert len(lines) == 3
    # A second run keeps the same passwords and adds nobody.
    assert _ensure_demo_accounts(tmp_path) == accounts
    assert django_user_model.objects.count() == 3
