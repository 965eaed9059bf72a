"""Who may see and manage people: LCC contract officers and site administrators (superusers).

An LCC officer manages everyone but site administrators and themselves (nobody locks themselves out, or
changes their own role); a site administrator manages everyone but themselves."""

from django.db.models import Q

from core.policies import EVERY, Policy, role_of
from core.roles import Role
from districts.models import County
from vcsportal.models import User


class PersonPolicy(Policy):
    model = User
    permissions = {"portal.manage_people": "view", "portal.use_api": "use_api"}

    def rule_use_api(self, user) -> Q | None:
        """The API (its root, schema and docs) and one's own token for it: everyone in a partnership, whose
        pages the API mirrors; a national role, which reads none of them, is refused by the base policy."""
        return Q(pk=user.pk)

    def rule_view(self, user) -> Q | None:
        """The people pages: the whole list and each person's page."""
        if user.is_superuser or role_of(user) == Role.LCC_OFFICER:
            return EVERY
        return None

    def rule_manage(self, user) -> Q | None:
        """Invite, change the role of, deactivate or reactivate, resend the invitation to, reset two-factor."""
        if user.is_superuser:
            return ~Q(pk=user.pk)
        if role_of(user) == Role.LCC_OFFICER:
            return Q(is_superuser=False) & ~Q(pk=user.pk)
        return None


people_policy = PersonPolicy()


class PartnershipSetUpPolicy(Policy):
    """Who sets up a partnership from its workbook (a new county, or its set-up brought up to date): site
    administrators only, since the workbook writes the shared framework (indicators, periods) too."""

    model = County
    permissions = {"portal.set_up_partnerships": "set_up"}

    def rule_set_up(self, user) -> Q | None:
        return EVERY if user.is_superuser else None


partnership_set_up_policy = PartnershipSetUpPolicy()

POLICIES = (people_policy, partnership_set_up_policy)
