"""Roles are code: each role's group holds exactly the admin permissions core.roles gives it, every person is in
their role's group, and sync_roles puts right whatever drifted (idempotently). Walked over every model
permission of the portal's apps, for every demo user."""

import io

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from core.roles import ADMIN_ROLES, ROLE_MODEL_PERMISSIONS, Role
from vcsportal.demo import DEMO_USERS
from vcsportal.models import User
from vcsportal.people.roles import role_group_name

pytestmark = pytest.mark.django_db

OWN_APPS = ["core", "districts", "contracts", "performance", "disputes", "vcsportal"]


def sync() -> str:
    out = io.StringIO()
    call_command("sync_roles", stdout=out)
    return out.getvalue()


def every_model_permission() -> list[str]:
    return [
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.filter(content_type__app_label__in=OWN_APPS).select_related("content_type")
    ]


def test_sync_roles_is_idempotent():
    sync()
    assert "Nothing to change." in sync()


@pytest.mark.parametrize("username", [user[0] for user in DEMO_USERS])
def test_each_person_holds_exactly_their_roles_admin_permissions(username):
    person = User.objects.get(username=username)
    role = Role(person.role)
    assert [group.name for group in person.groups.all()] == [role_group_name(role)]
    assert person.is_staff == (role in ADMIN_ROLES)
    backend = ModelBackend()  # the admin's permissions, apart from the object rules of the policies
    wrong = [
        name
        for name in every_model_permission()
        if backend.has_perm(person, name) != (name in ROLE_MODEL_PERMISSIONS[role])
    ]
    assert not wrong, f"{username} ({role.label}): {wrong}"


def test_nobody_may_change_or_delete_a_return_or_result_by_role():
    for role, names in ROLE_MODEL_PERMISSIONS.items():
        assert not {n for n in names if n.split(".")[1].startswith(("add_", "change_", "delete_"))} & {
            "performance.add_return",
            "performance.change_return",
            "performance.delete_return",
            "performance.add_result",
            "performance.change_result",
            "performance.delete_result",
        }, role


def test_sync_roles_puts_right_what_drifted():
    group = Group.objects.get(name=role_group_name(Role.FUNDER_REVIEWER))
    group.permissions.add(Permission.objects.get(codename="change_indicator"))
    reviewer = User.objects.get(username="funder.reviewer")
    reviewer.groups.set([Group.objects.get(name=role_group_name(Role.LCC_OFFICER))])
    User.objects.filter(pk=reviewer.pk).update(is_staff=True)
    out = sync()
    assert "permission removed: Role: Funder reviewer: performance.change_indicator" in out
    assert "person brought into line with their role: funder.reviewer" in out
    reviewer = User.objects.get(pk=reviewer.pk)
    assert [g.name for g in reviewer.groups.all()] == [role_group_name(Role.FUNDER_REVIEWER)]
    assert not reviewer.is_staff and not reviewer.has_perm("performance.change_indicator")


def test_other_groups_are_kept():
    extra = Group.objects.create(name="Newsletter editors")
    officer = User.objects.get(username="lcc.officer")
    officer.groups.add(extra)
    sync()
    assert extra in officer.groups.all()
