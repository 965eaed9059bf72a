"""The roles of core.roles made real in the database: one group per role, holding exactly the model permissions
the role is given in code, and every person in their role's group (and in the admin when their role enters it).

``roles_sync`` is idempotent: run twice, the second run changes nothing. ``python manage.py sync_roles`` runs it
(`make run` after migrate, and every deployment); the people services keep one person in step when their role
changes, so nobody waits for the next sync.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

from core.roles import ADMIN_ROLES, ROLE_MODEL_PERMISSIONS, Role


@dataclass
class RolesSyncReport:
    groups_created: list[str] = field(default_factory=list)
    permissions_added: list[str] = field(default_factory=list)
    permissions_removed: list[str] = field(default_factory=list)
    people_changed: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.groups_created or self.permissions_added or self.permissions_removed or self.people_changed)


def role_group_name(role: Role) -> str:
    """The group of a role is named after it, e.g. "Role: LCC contract officer"."""
    return f"Role: {Role(role).label}"


def _permissions(names: frozenset[str]) -> dict[str, Permission]:
    """The Permission rows for ``app_label.codename`` names; an unknown name is an error in core.roles."""
    wanted = [name.split(".", 1) for name in names]
    query = Q(pk__in=[])
    for app_label, codename in wanted:
        query |= Q(content_type__app_label=app_label, codename=codename)
    found = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.filter(query).select_related("content_type")
    }
    missing = sorted(names - found.keys())
    if missing:
        raise LookupError(f"core.roles names permissions that do not exist (run migrate first?): {missing}")
    return found


@transaction.atomic
def roles_sync() -> RolesSyncReport:
    """Make each role's group hold exactly its permissions, and put every person in their role's group."""
    report = RolesSyncReport()
    for role in Role:
        group, created = Group.objects.get_or_create(name=role_group_name(role))
        if created:
            report.groups_created.append(group.name)
        wanted = _permissions(ROLE_MODEL_PERMISSIONS[role])
        held = {f"{p.content_type.app_label}.{p.codename}": p for p in group.permissions.select_related("content_type")}
        to_add = sorted(wanted.keys() - held.keys())
        to_remove = sorted(held.keys() - wanted.keys())
        group.permissions.add(*(wanted[name] for name in to_add))
        group.permissions.remove(*(held[name] for name in to_remove))
        report.permissions_added += [f"{group.name}: {name}" for name in to_add]
        report.permissions_removed += [f"{group.name}: {name}" for name in to_remove]
    for person in get_user_model().objects.prefetch_related("groups"):
        if person_role_sync(person):
            report.people_changed.append(person.get_username())
    return report


def person_role_sync(person) -> bool:
    """Put one person in their role's group (and out of the other roles' groups; other groups are kept), and
    in the admin if their role enters it. Superusers keep their admin access. Returns whether anything changed."""
    groups = {group.name: group for group in Group.objects.filter(name__in=[role_group_name(r) for r in Role])}
    own_name = role_group_name(person.role)
    own = groups.get(own_name) or Group.objects.get_or_create(name=own_name)[0]
    held = {group.name for group in person.groups.all() if group.name in groups or group.name == own_name}
    changed = False
    if held != {own_name}:
        person.groups.remove(*(groups[name] for name in held - {own_name}))
        person.groups.add(own)
        changed = True
    is_staff = person.is_superuser or Role(person.role) in ADMIN_ROLES
    if person.is_staff != is_staff:
        person.is_staff = is_staff
        person.save(update_fields=["is_staff"])
        changed = True
    return changed
