"""Reads for the people pages."""

from django.db.models import Q, QuerySet

from vcsportal.models import PersonChange, User
from vcsportal.policies import people_policy


def people_for(user, *, q: str = "", role: str = "", status: str = "") -> QuerySet:
    """The people this user may see, filtered, with what each list row shows."""
    people = people_policy.instances_for(user, "view").select_related("organisation", "funder")
    if q:
        people = people.filter(
            Q(username__icontains=q) | Q(email__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q)
        )
    if role:
        people = people.filter(role=role)
    if status == "active":
        people = people.filter(is_active=True)
    elif status == "deactivated":
        people = people.filter(is_active=False)
    return people.order_by("last_name", "first_name", "username")


def person_changes(person: User) -> QuerySet:
    return PersonChange.objects.filter(person=person).select_related("changed_by").order_by("-changed_at", "-id")
