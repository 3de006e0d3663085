"""Editors name running stories and decide what belongs to them; contributors may look."""

from django.db import migrations

ROLES = {
    "Contributors": ["view_runningstory"],
    "Editors": [
        f"{action}_{model}"
        for action in ("add", "change", "delete", "view")
        for model in ("runningstory", "runningstorymember")
    ],
}


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("running")
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
            *Permission.objects.filter(content_type__app_label="running", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [("running", "0001_initial"), ("accounts", "0001_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
