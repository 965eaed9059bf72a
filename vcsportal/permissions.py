"""Who may do what: the one place that answers both "may this user do X to this object?" and
"which objects may this user see?". Views, commands and the API ask here; templates never decide.

Object rules are `rules` predicates registered as Django permissions (``user.has_perm(name, obj)``).
Scoping functions return querysets limited to what the user may see, so a guessed id is a 404.
"""

import rules
from django.db.models import Q, QuerySet

from core.roles import Role


def _role(user) -> str | None:
    return getattr(user, "role", None) if user and user.is_authenticated else None


@rules.predicate
def is_lcc_officer(user):
    return _role(user) == Role.LCC_OFFICER


@rules.predicate
def is_funder_reviewer(user):
    return _role(user) == Role.FUNDER_REVIEWER


@rules.predicate
def is_cio_staff(user):
    return _role(user) == Role.CIO_STAFF


@rules.predicate
def is_provider_staff(user):
    return _role(user) == Role.PROVIDER_STAFF


@rules.predicate
def is_peer_reviewer(user):
    return _role(user) == Role.PEER_REVIEWER


#: Roles that read every published figure (dashboards, contracts, money).
is_reader_of_everything = is_lcc_officer | is_funder_reviewer


@rules.predicate
def owns_return(user, return_obj):
    return return_obj is not None and user.organisation_id == return_obj.provider_id


@rules.predicate
def reviews_return_as_cio(user, return_obj):
    """CIO staff review the returns of the CIO's sub-contractors (hubs and LRCs) once submitted."""
    return (
        return_obj is not None
        and user.organisation_id is not None
        and user.organisation.kind == "cio"
        and return_obj.provider.kind in ("hub", "lrc")
        and return_obj.status not in ("draft", "returned")
    )


# Site-wide abilities (no object).
rules.add_perm("portal.view_dashboard", rules.is_authenticated)
rules.add_perm("portal.export", is_lcc_officer | is_funder_reviewer | is_cio_staff | is_provider_staff)
rules.add_perm("portal.manage_contracts", is_lcc_officer)
rules.add_perm("portal.view_contracts", is_lcc_officer | is_funder_reviewer | is_cio_staff)
rules.add_perm("portal.manage_periods", is_lcc_officer)
rules.add_perm("portal.import_returns", is_lcc_officer)

# Returns.
rules.add_perm(
    "performance.view_return", is_reader_of_everything | owns_return | (is_cio_staff & reviews_return_as_cio)
)
rules.add_perm("performance.edit_return", (is_cio_staff | is_provider_staff) & owns_return)
rules.add_perm("performance.review_return", (is_cio_staff & reviews_return_as_cio) | is_lcc_officer)
rules.add_perm("performance.sign_off_return", is_lcc_officer)
rules.add_perm("performance.reopen_return", is_lcc_officer)


def visible_returns(user, queryset: QuerySet | None = None) -> QuerySet:
    """The returns this user may open: all for LCC and funders; own for providers; the CIO also sees
    its sub-contractors' returns once they leave draft (a provider's draft is its own)."""
    from performance.models import Return

    qs = queryset if queryset is not None else Return.objects.all()
    role = _role(user)
    if role in (Role.LCC_OFFICER, Role.FUNDER_REVIEWER):
        return qs
    if role == Role.CIO_STAFF:
        return qs.filter(
            Q(provider_id=user.organisation_id)
            | (Q(provider__kind__in=["hub", "lrc"]) & ~Q(status__in=["draft", "returned"]))
        )
    if role == Role.PROVIDER_STAFF:
        return qs.filter(provider_id=user.organisation_id)
    return qs.none()


# What the navigation offers each role (site-wide, no object).
rules.add_perm("performance.has_own_returns", is_cio_staff | is_provider_staff)
rules.add_perm("performance.review_any", is_cio_staff | is_lcc_officer)
rules.add_perm(
    "portal.view_disputes",
    is_lcc_officer | is_funder_reviewer | is_cio_staff | is_provider_staff | is_peer_reviewer,
)
rules.add_perm("portal.decide_disputes", is_peer_reviewer)


# The return workflow's steps (refining the return rules above). The services check the status and the
# period's lock; these rules say whose step each one is.
@rules.predicate
def is_cio_return(user, return_obj):
    return return_obj is not None and return_obj.provider.kind == "cio"


rules.add_perm("performance.accept_return", (is_cio_staff & reviews_return_as_cio) | (is_lcc_officer & is_cio_return))
rules.add_perm("performance.send_back_return", (is_cio_staff & reviews_return_as_cio) | is_lcc_officer)
rules.add_perm("performance.validate_results", (is_cio_staff & reviews_return_as_cio) | is_lcc_officer)


# Contracts and money (issue 5). LCC manages; funders and the CIO read everything; a hub or LRC sees only
# its own sub-contract's figures; the peer review member sees disputes, not contract money.
@rules.predicate
def owns_subcontract(user, subcontract):
    return subcontract is not None and user.organisation_id == subcontract.provider_id


@rules.predicate
def is_party_to_dispute(user, dispute):
    return dispute is not None and user.organisation_id in (dispute.raised_by_organisation_id, dispute.respondent_id)


@rules.predicate
def dispute_is_undecided(user, dispute):
    return dispute is not None and dispute.status != "decided"


rules.add_perm(
    "contracts.view_subcontract", is_reader_of_everything | is_cio_staff | (is_provider_staff & owns_subcontract)
)
rules.add_perm("contracts.has_own_subcontract", is_provider_staff)
rules.add_perm("contracts.view_scenarios", is_reader_of_everything | is_cio_staff)
rules.add_perm("contracts.raise_dispute", is_cio_staff | is_provider_staff)
rules.add_perm(
    "contracts.view_dispute",
    is_reader_of_everything | is_peer_reviewer | ((is_cio_staff | is_provider_staff) & is_party_to_dispute),
)
rules.add_perm("contracts.decide_dispute", is_peer_reviewer & dispute_is_undecided)
rules.add_perm("districts.add_negotiation_note", is_lcc_officer)


def _contract_money_scoped(user, queryset: QuerySet, *, own_field: str) -> QuerySet:
    """All for LCC, funders and the CIO; a hub's or LRC's own (``own_field`` names its organisation)."""
    role = _role(user)
    if role in (Role.LCC_OFFICER, Role.FUNDER_REVIEWER, Role.CIO_STAFF):
        return queryset
    if role == Role.PROVIDER_STAFF:
        return queryset.filter(**{own_field: user.organisation_id})
    return queryset.none()


def visible_subcontracts(user, queryset: QuerySet | None = None) -> QuerySet:
    """Sub-contracts this user may open: all for LCC, funders and the CIO; a hub's or LRC's own only."""
    from contracts.models import SubContract

    qs = queryset if queryset is not None else SubContract.objects.all()
    return _contract_money_scoped(user, qs, own_field="provider_id")


def visible_allocations(user, queryset: QuerySet | None = None) -> QuerySet:
    """Allocations this user may see: all for LCC, funders and the CIO; a hub's or LRC's own only."""
    from contracts.models import Allocation

    qs = queryset if queryset is not None else Allocation.objects.all()
    return _contract_money_scoped(user, qs, own_field="organisation_id")


def visible_disputes(user, queryset: QuerySet | None = None) -> QuerySet:
    """Disputes this user may open: all for LCC, funders and the Peer Review Body; the parties' own."""
    from contracts.models import Dispute

    qs = queryset if queryset is not None else Dispute.objects.all()
    role = _role(user)
    if role in (Role.LCC_OFFICER, Role.FUNDER_REVIEWER, Role.PEER_REVIEWER):
        return qs
    if role in (Role.CIO_STAFF, Role.PROVIDER_STAFF):
        return qs.filter(Q(raised_by_organisation_id=user.organisation_id) | Q(respondent_id=user.organisation_id))
    return qs.none()


# Dashboard drafts. Everyone signed in sees the dashboard of submitted, accepted and signed-off returns.
# Only LCC, funders and the CIO may ask for drafts to be included, and even then a provider's draft is
# seen only by its own staff and by LCC: a hub never sees another provider's draft figures.
rules.add_perm("performance.include_drafts", is_lcc_officer | is_funder_reviewer | is_cio_staff)


def draft_providers_visible(user) -> QuerySet | None:
    """The organisations whose draft (or sent-back) returns may count in this user's dashboard when they
    ask for drafts: every provider for LCC; their own organisation for CIO staff; none for funders.
    None means the user may not include drafts at all."""
    from contracts.models import Organisation

    if not user.has_perm("performance.include_drafts"):
        return None
    role = _role(user)
    if role == Role.LCC_OFFICER:
        return Organisation.objects.all()
    if user.organisation_id is not None:
        return Organisation.objects.filter(pk=user.organisation_id)
    return Organisation.objects.none()


def visible_results(user, queryset: QuerySet | None = None) -> QuerySet:
    """The results this user may read: exactly those of the returns ``visible_returns`` lets them open,
    so a provider never reads another provider's draft figures through a result either."""
    from performance.models import Result

    qs = queryset if queryset is not None else Result.objects.all()
    return qs.filter(return_obj__in=visible_returns(user).values("pk"))


def visible_contract_money(user, queryset: QuerySet) -> QuerySet:
    """Contracts, sub-contracts, allocations and contributions: all for those who may view contracts
    (LCC, funders, the CIO), none for anyone else."""
    return queryset if user.has_perm("portal.view_contracts") else queryset.none()
