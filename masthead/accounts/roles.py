"""The newsroom's three roles, as Wagtail groups.

The groups and their permissions are created by migration ``accounts.0001_roles`` so
every site has them; after that they are ordinary groups an administrator may adjust
under Settings > Groups. The one exception is Administrators, whose definition is
"everything": every permission that exists after a migration is added to it, so a
model added later needs no new grant.
"""

from django.contrib.auth.models import Group

CONTRIBUTORS = "Contributors"
EDITORS = "Editors"
ADMINISTRATORS = "Administrators"
ROLES = (CONTRIBUTORS, EDITORS, ADMINISTRATORS)

# Permissions the code checks, named once so wagtail_hooks, panels and tests agree.
OVERRIDE_CHECKS = "editorial.override_blocking"
CURATE_PICKS = "discovery.change_picklist"
PIN_RELATED = "discovery.change_relatedpin"
EXCLUDE_RELATED = "discovery.change_relatedexclusion"


def give_role(user, role: str) -> None:
    """Put ``user`` in exactly one role's group (other role groups are left)."""
    if role not in ROLES:
        raise ValueError(f"Unknown role {role!r}; choose one of {', '.join(ROLES)}.")
    others = Group.objects.filter(name__in=[r for r in ROLES if r != role])
    user.groups.remove(*others)
    user.groups.add(Group.objects.get(name=role))


def give_administrators_every_permission(sender, using="default", **kwargs) -> None:
    """Add every existing permission to the Administrators group, if the group exists."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Permission

    # This receiver may run before auth's own for the same app (apps listed before
    # django.contrib.auth connect first), so make the app's permissions now.
    create_permissions(sender, verbosity=0, using=using)

    group = Group.objects.using(using).filter(name=ADMINISTRATORS).first()
    if group is None:
        return
    missing = Permission.objects.using(using).exclude(group=group)
    if missing.exists():
        group.permissions.add(*missing)
