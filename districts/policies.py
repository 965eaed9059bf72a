"""Who may see and change districts (see core.policies): everyone signed in reads them; LCC records the
negotiation notes that move a district's negotiation status.

Locality agreements (Appendix Six) are drafted and signed by their two parties: VAL (the CIO's staff) and the
district's hub or LRC; LCC officers, funders and peer reviewers read them; a hub or LRC of another district
sees only agreed versions, never another district's drafts. District negotiations (Appendix Seven) are
recorded by the CIO's staff and LCC officers; a district's hub or LRC records its own position there."""

from django.db.models import Q

from core.policies import EVERY, Policy, ReadableByEveryone, role_of
from core.roles import NATIONAL_ROLES, Role
from districts.models import County, District, DistrictNegotiation, LocalityAgreement

#: The versions everybody signed in may read; a draft is for its parties (and those who oversee them).
SETTLED = Q(status__in=[LocalityAgreement.Status.AGREED, LocalityAgreement.Status.SUPERSEDED])


def _own_district(user, prefix: str = "") -> Q | None:
    """The rows of the district a hub's or LRC's staff member works in (None: no district)."""
    organisation = getattr(user, "organisation", None)
    district_id = getattr(organisation, "district_id", None)
    return Q(**{f"{prefix}district_id": district_id}) if district_id else None


class DistrictPolicy(ReadableByEveryone):
    model = District
    permissions = {"districts.add_negotiation_note": "add_negotiation_note"}

    def rule_add_negotiation_note(self, user):
        return EVERY if role_of(user) == Role.LCC_OFFICER else None


class LocalityAgreementPolicy(Policy):
    model = LocalityAgreement
    permissions = {
        "districts.view_locality_agreement": "view",
        "districts.draft_locality_agreement": "draft",
        "districts.edit_locality_agreement": "edit",
        "districts.sign_locality_agreement": "sign",
    }

    def rule_view(self, user):
        if role_of(user) == Role.PROVIDER_STAFF:
            own = _own_district(user)
            return SETTLED | own if own is not None else SETTLED
        return EVERY

    def rule_draft(self, user):
        """Start the next version (from any version of the district and year the user may read)."""
        role = role_of(user)
        if role == Role.CIO_STAFF:
            return EVERY
        if role == Role.PROVIDER_STAFF:
            return _own_district(user)
        return None

    def rule_edit(self, user):
        scope = self.rule_draft(user)
        return None if scope is None else scope & Q(status=LocalityAgreement.Status.DRAFT)

    def rule_sign(self, user):
        return self.rule_edit(user)


class DistrictNegotiationPolicy(ReadableByEveryone):
    model = DistrictNegotiation
    permissions = {
        "districts.record_negotiation": "record",
        "districts.record_negotiation_position": "record_position",
    }

    def rule_record(self, user):
        """The outputs the funders asked for and the route to mediation or the Peer Review Body."""
        return EVERY if role_of(user) in (Role.CIO_STAFF, Role.LCC_OFFICER) else None

    def rule_record_position(self, user):
        """A party's position: VAL's by the CIO's staff, the hub's or LRC's by its own staff, any by LCC."""
        role = role_of(user)
        if role in (Role.CIO_STAFF, Role.LCC_OFFICER):
            return EVERY
        if role == Role.PROVIDER_STAFF:
            return _own_district(user)
        return None


class PartnershipPolicy(Policy):
    """Comparing partnerships side by side (their signed-off figures): the national reviewer, who belongs to
    none and reads every one, and a site administrator. Nobody in a partnership compares it with another:
    each partnership's figures stay sealed from the others' people."""

    model = County
    permissions = {"portal.compare_partnerships": "compare"}
    national_actions = frozenset({"compare"})

    def rule_compare(self, user):
        return EVERY if role_of(user) in NATIONAL_ROLES or user.is_superuser else None

    def partnership_scope(self, user) -> Q:
        # A national role reads across partnerships; everyone else stays in their own (a superuser in none
        # sees every one).
        return EVERY if role_of(user) in NATIONAL_ROLES else super().partnership_scope(user)


districts = DistrictPolicy()
locality_agreements = LocalityAgreementPolicy()
negotiations = DistrictNegotiationPolicy()

partnerships = PartnershipPolicy()

POLICIES = (districts, locality_agreements, negotiations, partnerships)
