"""Give the newsroom's roles their live-entry permissions.

Editors write, publish, schedule and delete entries; contributors write drafts that an
editor publishes. Administrators get every permission (masthead.accounts.roles).
"""

from django.db import migrations

ROLES = {
    "Contributors": ["add_liveentry", "change_liveentry", "view_liveentry"],
    "Editors": [
        "add_liveentry",
        "change_liveentry",
        "delete_liveentry",
        "view_liveentry",
        "publish_liveentry",
    ],
}


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("live")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="live", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [("live", "0001_initial"), ("accounts", "0001_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
