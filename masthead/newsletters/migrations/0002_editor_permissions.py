"""Editors write, schedule and send issues and look after subscribers; the lists
themselves (sender, digest, counting) stay with administrators. Frozen here: a later
change to the role is a new migration."""

from django.db import migrations

EDITOR = [
    *[f"{a}_issue" for a in ("add", "change", "delete", "view", "publish", "lock", "unlock")],
    "view_newsletter",
    *[f"{a}_subscriber" for a in ("add", "change", "delete", "view")],
]


def grant(apps, schema_editor):
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    create_permissions(global_apps.get_app_config("newsletters"), verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    # Wagtail makes the publish, lock and unlock permissions of a snippet after all
    # migrations; made here, with its names, so they can be granted now.
    issue, _ = ContentType.objects.get_or_create(app_label="newsletters", model="issue")
    for action in ("publish", "lock", "unlock"):
        Permission.objects.get_or_create(
            content_type=issue, codename=f"{action}_issue", defaults={"name": f"Can {action} issue"}
        )
    group = Group.objects.filter(name="Editors").first()
    if group is None:
        return
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="newsletters", codename__in=EDITOR)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("newsletters", "0001_initial"),
        ("accounts", "0001_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
