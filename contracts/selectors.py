"""Reads for contracts and money. Figures are aggregated in the database; pages, exports and commands share them."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum

from contracts.models import (
    Allocation,
    BudgetLine,
    BudgetScenario,
    Contract,
    ContractYear,
    Contribution,
    Organisation,
    ScenarioAdoption,
    SubContract,
    SubContractVariation,
)
from contracts.policies import allocations, subcontracts
from contracts.scenarios import percentage
from core.periods import format_financial_year
from districts.models import District

ZERO = Decimal("0.00")


def contract_list() -> QuerySet[Contract]:
    """Every contract with its commissioner and provider."""
    return Contract.objects.select_related("commissioner", "provider", "county")


@dataclass
class ReconciliationRow:
    """One year's money as the sources give it, with every variance shown (never 'fixed')."""

    financial_year: int
    contributions: Decimal
    stated_total: Decimal | None
    is_estimate: bool
    allocated: Decimal

    @property
    def year_label(self) -> str:
        return format_financial_year(self.financial_year)

    @property
    def contributions_minus_stated(self) -> Decimal | None:
        return None if self.stated_total is None else self.contributions - self.stated_total

    @property
    def allocated_minus_contributions(self) -> Decimal:
        return self.allocated - self.contributions

    @property
    def allocated_minus_stated(self) -> Decimal | None:
        return None if self.stated_total is None else self.allocated - self.stated_total

    @property
    def reconciles(self) -> bool:
        variances = [self.allocated_minus_contributions, self.contributions_minus_stated, self.allocated_minus_stated]
        return all(not v for v in variances if v is not None)


def contract_reconciliation(contract: Contract) -> list[ReconciliationRow]:
    """Per financial year: contributions, the stated total, what was allocated, and their variances."""
    contributions = dict(
        Contribution.objects.filter(contract=contract)
        .values("financial_year")
        .annotate(total=Sum("amount"))
        .values_list("financial_year", "total")
    )
    allocated = dict(
        Allocation.objects.filter(contract=contract)
        .values("financial_year")
        .annotate(total=Sum("amount"))
        .values_list("financial_year", "total")
    )
    stated = {
        year: (total, estimate)
        for year, total, estimate in ContractYear.objects.filter(contract=contract).values_list(
            "financial_year", "stated_total", "is_estimate"
        )
    }
    years = sorted(set(range(contract.start_year, contract.end_year + 1)) | set(contributions) | set(allocated))
    return [
        ReconciliationRow(
            financial_year=year,
            contributions=contributions.get(year, ZERO),
            stated_total=stated.get(year, (None, False))[0],
            is_estimate=stated.get(year, (None, False))[1],
            allocated=allocated.get(year, ZERO),
        )
        for year in years
    ]


def contract_contributions(contract: Contract) -> QuerySet[Contribution]:
    """The pooled contributions, each funder's lines per year."""
    return (
        Contribution.objects.filter(contract=contract)
        .select_related("funder")
        .order_by("financial_year", "funder__name", "description")
    )


def contract_allocations(contract: Contract, user) -> QuerySet[Allocation]:
    """The allocations this user may see, per year, the CIO first."""
    return allocations.instances_for(user, "view", Allocation.objects.filter(contract=contract)).select_related(
        "organisation__district"
    )


def subcontract_list(user, contract: Contract | None = None) -> QuerySet[SubContract]:
    """The sub-contracts this user may see, with provider and districts."""
    qs = SubContract.objects.select_related("provider__district", "contract").prefetch_related("districts")
    if contract is not None:
        qs = qs.filter(contract=contract)
    return subcontracts.instances_for(user, "view", qs).order_by("provider__kind", "provider__code")


def subcontract_allocations(subcontract: SubContract) -> QuerySet[Allocation]:
    """The sub-contract's money per year (its provider's allocations under the contract)."""
    return Allocation.objects.filter(contract_id=subcontract.contract_id, organisation_id=subcontract.provider_id)


def subcontract_variations(subcontract: SubContract) -> QuerySet[SubContractVariation]:
    """Every recorded variation, newest first, with who made it."""
    return subcontract.variations.select_related("varied_by")


def budget_lines(contract: Contract, financial_year: int | None = None) -> QuerySet[BudgetLine]:
    """The CIO's budget lines (front-line district staff and central costs)."""
    qs = BudgetLine.objects.filter(contract=contract).select_related("district")
    if financial_year is not None:
        qs = qs.filter(financial_year=financial_year)
    return qs


def budget_line_totals(contract: Contract) -> list[dict]:
    """Per year: front-line and central budget, and the CIO's allocation; aggregated in the database."""
    rows = (
        BudgetLine.objects.filter(contract=contract)
        .values("financial_year")
        .annotate(
            frontline=Sum("amount", filter=Q(category__in=BudgetLine.FRONT_LINE)),
            dva=Sum("amount", filter=Q(category=BudgetLine.Category.DISTRICT_VOLUNTEERING_ASSISTANT)),
            ddo=Sum("amount", filter=Q(category=BudgetLine.Category.DISTRICT_DEVELOPMENT_OFFICER)),
            central=Sum("amount", filter=Q(category=BudgetLine.Category.CENTRAL)),
        )
        .order_by("financial_year")
    )
    cio = dict(
        Allocation.objects.filter(contract=contract, organisation_id=contract.provider_id).values_list(
            "financial_year", "amount"
        )
    )
    result = []
    for row in rows:
        frontline = row["frontline"] or ZERO
        allocation = cio.get(row["financial_year"])
        result.append(
            {
                "year_label": format_financial_year(row["financial_year"]),
                "frontline": frontline,
                "central": row["central"] or ZERO,
                "cio_allocation": allocation,
                "frontline_share_pct": percentage(frontline, allocation) if allocation is not None else None,
                "dva_share_pct": percentage(row["dva"] or ZERO, allocation) if allocation is not None else None,
                "ddo_share_pct": percentage(row["ddo"] or ZERO, allocation) if allocation is not None else None,
            }
        )
    return result


def contract_extensions(contract: Contract):
    """Every exercise of the extension option, with who and why."""
    return contract.extensions.select_related("exercised_by")


def contract_history(contract: Contract):
    """The contract's own change history (term, extension), newest first."""
    return contract.history.select_related("history_user").order_by("-history_date")[:20]


def scenario_list(contract: Contract | None = None) -> QuerySet[BudgetScenario]:
    """Saved scenarios, newest year first, with who made them."""
    qs = BudgetScenario.objects.select_related("created_by", "contract")
    return qs.filter(contract=contract) if contract is not None else qs


def scenario_adoptions(contract: Contract):
    """Every adoption of a scenario as a year's allocations, newest first."""
    return ScenarioAdoption.objects.filter(scenario__contract=contract).select_related(
        "scenario", "replaces", "adopted_by"
    )


def subcontracts_with_money(user, contract: Contract) -> QuerySet[SubContract]:
    """Visible sub-contracts with their allocations prefetched for the listing."""
    return subcontract_list(user, contract).prefetch_related(
        Prefetch(
            "provider__allocations",
            queryset=Allocation.objects.filter(contract=contract).order_by("financial_year"),
            to_attr="contract_allocations",
        )
    )


def contributions_by_funder(contract: Contract) -> QuerySet:
    """Each funder's total contribution per financial year (a funder may make several contributions)."""
    return (
        Contribution.objects.filter(contract=contract)
        .values("financial_year", "funder__code", "funder__name", "funder__is_group")
        .annotate(total=Sum("amount"), lines=Count("id"))
        .order_by("financial_year", "-total", "funder__name")
    )


def providers_owing_returns(financial_year: int) -> QuerySet[Organisation]:
    """The CIO of every contract covering the year and every provider whose live sub-contract covers it:
    the organisations that owe quarterly returns in that year's periods."""
    covering_contracts = Contract.objects.filter(start_year__lte=financial_year, end_year__gte=financial_year)
    return Organisation.objects.filter(
        Q(contracts__in=covering_contracts)
        | Q(subcontracts__contract__in=covering_contracts)
        & SubContract.live_in(financial_year, prefix="subcontracts__")
    ).distinct()


# --- districts: who works in each and the money that goes there --------------------------------------------


def districts_with_coverage() -> QuerySet[District]:
    """Every district with its count of local providers and of live sub-contracts covering it."""
    return District.objects.select_related("county").annotate(
        provider_count=Count("organisations", distinct=True),
        live_subcontracts=Count("subcontracts", filter=Q(subcontracts__status=SubContract.Status.LIVE), distinct=True),
    )


def district_providers(district: District) -> QuerySet[Organisation]:
    """The hubs and LRCs based in the district or sub-contracted to cover it."""
    return (
        Organisation.objects.filter(Q(district=district) | Q(subcontracts__districts=district))
        .distinct()
        .select_related("district")
        .order_by("kind", "code")
    )


def district_subcontract_money(district: District, user) -> QuerySet:
    """Money in through sub-contracts covering the district: per year and provider, only what the user may see."""
    covering = SubContract.objects.filter(
        districts=district, contract=OuterRef("contract"), provider=OuterRef("organisation")
    )
    return (
        allocations.instances_for(user, "view", Allocation.objects.filter(Exists(covering)))
        .values("financial_year", "organisation__code", "organisation__name")
        .annotate(total=Sum("amount"))
        .order_by("financial_year", "organisation__code")
    )


def district_frontline_money(district: District) -> QuerySet:
    """Money in through the CIO's front-line district staff budget lines, per year and kind of post."""
    return (
        BudgetLine.objects.filter(district=district, category__in=BudgetLine.FRONT_LINE)
        .values("financial_year", "category")
        .annotate(total=Sum("amount"))
        .order_by("financial_year", "category")
    )


def district_money_by_year(district: District, user, *, include_frontline: bool) -> list[dict]:
    """Totals by year and source (sub-contracts; the CIO's front-line staff), aggregated in the database."""
    subcontracts = dict(
        district_subcontract_money(district, user)
        .values("financial_year")
        .annotate(total=Sum("amount"))
        .values_list("financial_year", "total")
        .order_by()
    )
    frontline = {}
    if include_frontline:
        frontline = dict(
            BudgetLine.objects.filter(district=district, category__in=BudgetLine.FRONT_LINE)
            .values("financial_year")
            .annotate(total=Sum("amount"))
            .values_list("financial_year", "total")
            .order_by()
        )
    rows = []
    for year in sorted(set(subcontracts) | set(frontline)):
        rows.append(
            {
                "year_label": format_financial_year(year),
                "subcontracts": subcontracts.get(year),
                "frontline": frontline.get(year) if include_frontline else None,
            }
        )
    return rows
