"""Permission policies: one per model family, each answering both questions from one declaration.

A policy declares, for each action, *which objects* a user may do it to, as a filter (a ``Q``) on its model,
or ``None`` when the user may not do it at all. From that one declaration it answers:

- ``user_can(user, action, obj)``: may this user do this to this object? The filter is evaluated on the
  object in memory (``matches``), so asking costs no query beyond the object's own relations;
- ``user_can(user, action)``: may this user do this at all (to some object, or site-wide)?
- ``instances_for(user, action)``: the queryset of objects the user may do it to (a guessed id is a 404).

So a page, an export, a command and the API cannot disagree: they ask the same declaration. Each action may
also be registered under a Django permission name (``permissions``), so ``user.has_perm(name, obj)`` and
templates' ``perms`` ask the policy too. *(wagtail's ``permission_policies/base.py`` is the model:
``user_has_permission_for_instance`` beside ``instances_user_has_permission_for``.)*

A rule's filter may use plain lookups only (``exact``, ``in``, ``isnull``, comparisons) on fields and
foreign keys, so that it can be evaluated both ways; anything else is refused when it is evaluated.
"""

from __future__ import annotations

from collections.abc import Iterable

import rules
from django.db.models import Model, Q, QuerySet

from core.roles import NATIONAL_ROLES, Role

#: Every object of the model.
EVERY = Q()
#: No object at all, although the action exists for the user (an empty list rather than a refusal).
NOTHING = Q(pk__in=[])

_COMPARE = {
    "exact": lambda a, b: a == b,
    "in": lambda a, b: a in b,
    "isnull": lambda a, b: (a is None) == bool(b),
    "gt": lambda a, b: a is not None and a > b,
    "gte": lambda a, b: a is not None and a >= b,
    "lt": lambda a, b: a is not None and a < b,
    "lte": lambda a, b: a is not None and a <= b,
}


def role_of(user) -> Role | None:
    """The user's role, or None for an anonymous visitor (or a user without one)."""
    if user is None or not user.is_authenticated:
        return None
    try:
        return Role(user.role)
    except ValueError:
        return None


def in_partnership_of(user, path: str) -> Q:
    """The objects (reaching their partnership through ``path``) of the user's own partnership: a site
    administrator (a superuser in none) sees every partnership's; anybody else in none sees nothing."""
    partnership_id = getattr(user, "partnership_id", None)
    if partnership_id is None:
        return EVERY if user.is_superuser else NOTHING
    return Q(**{path: partnership_id})


def in_users_partnership(queryset: QuerySet, user) -> QuerySet:
    """The rows of ``queryset`` in the user's partnership, whatever their role may do with them (a page that
    answers 403 for a role still answers 404 for another partnership's id)."""
    path = getattr(queryset.model, "partnership_path", None)
    return queryset if path is None else queryset.filter(in_partnership_of(user, path))


def prefixed(q: Q, prefix: str) -> Q:
    """The same filter seen from a related model, e.g. a return's rule applied to its results through
    ``return_obj__``."""
    copy = Q()
    copy.connector, copy.negated = q.connector, q.negated
    copy.children = [
        prefixed(child, prefix) if isinstance(child, Q) else (f"{prefix}{child[0]}", child[1]) for child in q.children
    ]
    return copy


def _value_at(obj, path: list[str]):
    for name in path:
        if obj is None:
            return None
        obj = obj.pk if name == "pk" else getattr(obj, name)
    return obj


def matches(obj: Model, q: Q) -> bool:
    """Whether ``obj`` is one of the objects the filter ``q`` selects, worked out in memory."""
    outcomes = []
    for child in q.children:
        if isinstance(child, Q):
            outcomes.append(matches(obj, child))
            continue
        lookup, expected = child
        parts = lookup.split("__")
        operator = parts.pop() if parts[-1] in _COMPARE else "exact"
        if isinstance(expected, QuerySet | Iterable) and operator == "in":
            expected = list(expected.values_list("pk", flat=True)) if isinstance(expected, QuerySet) else expected
        elif hasattr(expected, "resolve_expression"):
            raise TypeError(f"A policy rule cannot be evaluated in memory: {lookup}={expected!r}")
        if isinstance(expected, Model):
            expected = expected.pk
        actual = _value_at(obj, parts)
        if isinstance(actual, Model):
            actual = actual.pk
        outcomes.append(_COMPARE[operator](actual, expected))
    result = all(outcomes) if q.connector == Q.AND else any(outcomes)
    return not result if q.negated else result


class Policy:
    """The base of every policy. A subclass names its ``model`` and declares each action as a method
    ``rule_<action>(self, user) -> Q | None`` (``None``: not at all; ``EVERY``: every object). ``permissions``
    maps the Django permission names that ask this policy to its actions."""

    model: type[Model]
    permissions: dict[str, str] = {}
    #: The actions a national role (one in no partnership, e.g. the national reviewer) may be granted by its
    #: rule; every other action is refused to them here, whatever the rule says, so a policy written before
    #: the role existed (``ReadableByEveryone`` among them) never lets them in.
    national_actions: frozenset[str] = frozenset()

    @property
    def partnership(self) -> str | None:
        """The lookup from the model to the id of the partnership (``districts.County``) that owns it, as the
        model declares it (``partnership_path``, e.g. ``"provider__county_id"``): every rule is narrowed to the
        user's own partnership's objects, so another partnership's ids are a 404 wherever the policy is asked.
        None: shared by every partnership."""
        return getattr(self.model, "partnership_path", None)

    def actions(self) -> list[str]:
        return sorted(name.removeprefix("rule_") for name in dir(self) if name.startswith("rule_"))

    def rule(self, user, action: str) -> Q | None:
        """The filter for ``action``, or None when the user may not do it at all (always for anonymous)."""
        role = role_of(user)
        if role is None or (role in NATIONAL_ROLES and action not in self.national_actions):
            return None
        try:
            declared = getattr(self, f"rule_{action}")
        except AttributeError:
            raise LookupError(f"{type(self).__name__} declares no action {action!r}") from None
        q = declared(user)
        if q is None or self.partnership is None:
            return q
        return q & self.partnership_scope(user)

    def partnership_scope(self, user) -> Q:
        return in_partnership_of(user, self.partnership)

    def user_can(self, user, action: str, obj: Model | None = None) -> bool:
        """May ``user`` do ``action`` to ``obj`` (or, without an object, at all)?"""
        q = self.rule(user, action)
        if q is None:
            return False
        if obj is None:
            return True
        return matches(obj, q)

    def instances_for(self, user, action: str, queryset: QuerySet | None = None) -> QuerySet:
        """The objects (of ``queryset``, default all) that ``user`` may do ``action`` to."""
        queryset = queryset if queryset is not None else self.model._default_manager.all()
        q = self.rule(user, action)
        return queryset.none() if q is None else queryset.filter(q)

    def register(self) -> None:
        """Register each named action as a Django permission that asks this policy (idempotent)."""
        for name, action in self.permissions.items():
            rules.set_perm(name, _predicate(self, action))


class ReadableByEveryone(Policy):
    """A model whose objects every signed-in user may read (districts, funders, providers, indicators...)."""

    def rule_view(self, user):
        return EVERY


def register(policies) -> None:
    """Register every named action of these policies (each app's ``policies`` module, when it is ready)."""
    for policy in policies:
        policy.register()


def _predicate(policy: Policy, action: str):
    def asks_the_policy(user, obj=None):
        return policy.user_can(user, action, obj)

    asks_the_policy.__name__ = f"{type(policy).__name__}.{action}"
    return rules.predicate(asks_the_policy)
