"""Who may see and change contracts and money: one policy per model family (see core.policies).

LCC manages; funders and the CIO read every figure; a hub or LRC reads only its own sub-contract and its own
allocations; the peer review member reads only the contract and sub-contract a dispute concerns (so the Peer
Review Body sees what it adjudicates), and no other contract money.
"""

from django.db.models import Q

from contracts.models import (
    Allocation,
    BudgetLine,
    BudgetScenario,
    Contract,
    Contribution,
    Funder,
    Organisation,
    SubContract,
)
from core.policies import EVERY, Policy, ReadableByEveryone, role_of
from core.roles import Role

#: The roles that read every contract figure.
CONTRACT_READERS = frozenset({Role.LCC_OFFICER, Role.FUNDER_REVIEWER, Role.CIO_STAFF})


def _readers_all_providers_own(user, own_field: str | None):
    """Every object for the contract readers; a hub's or LRC's own (through ``own_field``); else nothing."""
    role = role_of(user)
    if role in CONTRACT_READERS:
        return EVERY
    if role == Role.PROVIDER_STAFF and own_field is not None:
        return Q(**{own_field: user.organisation_id})
    return None


def _lcc_only(user):
    return EVERY if role_of(user) == Role.LCC_OFFICER else None


def _disputed(model):
    """For the peer review member: the objects a dispute concerns (read through the reverse relation, as
    disputes sit above this app)."""
    return Q(pk__in=model.objects.filter(disputes__isnull=False))


class ContractMoneyPolicy(Policy):
    """What every contract-money family shares: the contract readers read it, LCC manages it."""

    def rule_view(self, user):
        return _readers_all_providers_own(user, None)

    def rule_manage(self, user):
        return _lcc_only(user)


class ContractPolicy(ContractMoneyPolicy):
    """The CIO contract itself: its term, extension and pooled money."""

    model = Contract
    permissions = {
        "portal.view_contracts": "view",
        "portal.manage_contracts": "manage",
        "contracts.read_contract": "read",
    }

    def rule_read(self, user):
        """Open one contract's page: the contract readers any; the peer member one a dispute concerns."""
        if role_of(user) == Role.PEER_REVIEWER:
            return _disputed(Contract)
        return self.rule_view(user)


class ContributionPolicy(ContractMoneyPolicy):
    """The funders' contributions to the pool."""

    model = Contribution
    permissions = {}


class BudgetLinePolicy(ContractMoneyPolicy):
    """The CIO's own budget lines (front-line district staff, central costs)."""

    model = BudgetLine
    permissions = {}


class ScenarioPolicy(ContractMoneyPolicy):
    """Budget scenarios: read by the contract readers, saved and adopted by LCC."""

    model = BudgetScenario
    permissions = {"contracts.view_scenarios": "view"}


class SubContractPolicy(Policy):
    """Sub-contracts: the contract readers see every one; a hub or LRC its own; LCC lets and varies them."""

    model = SubContract
    permissions = {
        "contracts.view_subcontract": "view",
        "contracts.has_own_subcontract": "own",
        "contracts.manage_subcontract": "manage",
        "contracts.read_subcontract": "read",
    }

    def rule_view(self, user):
        return _readers_all_providers_own(user, "provider_id")

    def rule_read(self, user):
        """Open one sub-contract's page: who may view it; the peer member one a dispute concerns."""
        if role_of(user) == Role.PEER_REVIEWER:
            return _disputed(SubContract)
        return self.rule_view(user)

    def rule_own(self, user):
        return Q(provider_id=user.organisation_id) if role_of(user) == Role.PROVIDER_STAFF else None

    def rule_manage(self, user):
        return _lcc_only(user)


class AllocationPolicy(Policy):
    """Money allocated per organisation and year: as sub-contracts (a hub or LRC sees its own)."""

    model = Allocation

    def rule_view(self, user):
        return _readers_all_providers_own(user, "organisation_id")


class FunderPolicy(ReadableByEveryone):
    model = Funder


class OrganisationPolicy(ReadableByEveryone):
    model = Organisation


contracts = ContractPolicy()
contributions = ContributionPolicy()
budget_lines = BudgetLinePolicy()
scenarios = ScenarioPolicy()
subcontracts = SubContractPolicy()
allocations = AllocationPolicy()
funders = FunderPolicy()
organisations = OrganisationPolicy()

POLICIES = (contracts, contributions, budget_lines, scenarios, subcontracts, allocations, funders, organisations)
