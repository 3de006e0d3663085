"""Audio and video (wagtailmedia) follow the same roles as pictures and documents.

wagtailmedia's own first data migration gives a group named "Editors" add, change and
delete on media as *model* permissions, whatever that group is for. Masthead grants media
on the root collection, as it does pictures: contributors add and choose media,
editors and administrators add, change, delete and choose. The model permissions
wagtailmedia gave are taken back, so each role has exactly what roles.py says.

Frozen on purpose: a later change is a new migration.
"""

from django.db import migrations

MEDIA = {
    "Contributors": ("add", "choose"),
    "Editors": ("add", "change", "delete", "choose"),
    "Administrators": ("add", "change", "delete", "choose"),
}


def grant_media(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    media_type, _ = ContentType.objects.get_or_create(app_label="wagtailmedia", model="media")
    root = Collection.objects.filter(depth=1).order_by("path").first()
    for name, actions in MEDIA.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        media_permissions = Permission.objects.filter(content_type=media_type)
        group.permissions.remove(*media_permissions)
        GroupCollectionPermission.objects.filter(
            group=group, permission__in=media_permissions
        ).delete()
        if root is None:
            continue
        for action in actions:
            permission, _ = Permission.objects.get_or_create(
                content_type=media_type,
                codename=f"{action}_media",
                defaults={"name": f"Can {action} media"},
            )
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root, permission=permission
            )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_newsroom_workflow"),
        ("wagtailmedia", "0005_alter_media_options"),
    ]

    operations = [migrations.RunPython(grant_media, migrations.RunPython.noop)]
