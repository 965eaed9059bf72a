"""Who may see and change districts (see core.policies): everyone signed in reads them; LCC records the
negotiation notes that move a district's negotiation status."""

from core.policies import EVERY, ReadableByEveryone, role_of
from core.roles import Role
from districts.models import District


class DistrictPolicy(ReadableByEveryone):
    model = District
    permissions = {"districts.add_negotiation_note": "add_negotiation_note"}

    def rule_add_negotiation_note(self, user):
        return EVERY if role_of(user) == Role.LCC_OFFICER else None


districts = DistrictPolicy()

POLICIES = (districts,)
