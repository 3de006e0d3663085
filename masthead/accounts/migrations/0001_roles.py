"""Create the Contributors, Editors and Administrators groups with their permissions.

Wagtail's first migration makes two groups, "Moderators" (may publish) and "Editors"
(may not). Masthead's Editors publish, so that group is given the editor role's
permissions here; "Moderators" is removed when nobody is in it (a site that put people
in it keeps it untouched). The role definitions are frozen in this file on purpose: a
later change to a role is a new migration, never an edit of this one.
"""

from django.db import migrations

# (app_label, codename)
ACCESS = [("wagtailadmin", "access_admin")]
CONTRIBUTOR = ACCESS + [
    ("people", "view_author"),
    ("sections", "view_topic"),
    ("editorial", "view_newsroomword"),
]
EDITOR = ACCESS + [
    *[("people", f"{a}_author") for a in ("add", "change", "delete", "view")],
    *[("sections", f"{a}_topic") for a in ("add", "change", "delete", "view")],
    *[("discovery", f"{a}_picklist") for a in ("add", "change", "delete", "view")],
    *[("discovery", f"{a}_relatedpin") for a in ("add", "change", "delete", "view")],
    *[("discovery", f"{a}_relatedexclusion") for a in ("add", "change", "delete", "view")],
    ("editorial", "override_blocking"),
    ("editorial", "view_editorialoverride"),
    *[("editorial", f"{a}_newsroomword") for a in ("add", "change", "delete", "view")],
    *[("wagtailredirects", f"{a}_redirect") for a in ("add", "change", "delete")],
]
PAGE = {
    "Contributors": ["add_page", "change_page"],
    "Editors": ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    "Administrators": [
        "add_page",
        "change_page",
        "publish_page",
        "lock_page",
        "unlock_page",
        "bulk_delete_page",
    ],
}
# Collection permissions on the root collection. Image permissions belong to
# wagtailimages.Image even with a custom image model (Wagtail's auth_model).
COLLECTION = {
    "Contributors": [
        ("wagtailimages", "add_image"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "choose_document"),
    ],
    "Editors": [
        ("wagtailimages", "add_image"),
        ("wagtailimages", "change_image"),
        ("wagtailimages", "delete_image"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "change_document"),
        ("wagtaildocs", "delete_document"),
        ("wagtaildocs", "choose_document"),
    ],
}
COLLECTION["Administrators"] = COLLECTION["Editors"] + [
    ("wagtailcore", "add_collection"),
    ("wagtailcore", "change_collection"),
    ("wagtailcore", "delete_collection"),
]


def _permissions(Permission, pairs):
    found = []
    for app_label, codename in pairs:
        found.append(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return found


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    moderators = Group.objects.filter(name="Moderators").first()
    if moderators is not None and not moderators.user_set.exists():
        moderators.delete()

    model_permissions = {
        "Contributors": _permissions(Permission, CONTRIBUTOR),
        "Editors": _permissions(Permission, EDITOR),
        "Administrators": list(Permission.objects.all()),
    }
    root_page = Page.objects.filter(depth=1).order_by("path").first()
    root_collection = Collection.objects.filter(depth=1).order_by("path").first()
    for name, permissions in model_permissions.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)
        GroupPagePermission.objects.filter(group=group).delete()
        GroupCollectionPermission.objects.filter(group=group).delete()
        if root_page is not None:
            for codename in PAGE[name]:
                GroupPagePermission.objects.create(
                    group=group,
                    page=root_page,
                    permission=Permission.objects.get(
                        content_type__app_label="wagtailcore", codename=codename
                    ),
                )
        if root_collection is not None:
            for permission in _permissions(Permission, COLLECTION[name]):
                GroupCollectionPermission.objects.create(
                    group=group, collection=root_collection, permission=permission
                )


def remove_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=["Contributors", "Administrators"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
        ("images", "0001_initial"),
        ("people", "0001_initial"),
        ("sections", "0001_initial"),
        ("discovery", "0002_pick_permissions"),
        ("editorial", "0002_grant_override_to_editors"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
