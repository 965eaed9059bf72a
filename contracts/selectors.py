"""Reads for contracts and money. Figures are aggregated in the database; pages, exports and commands share them."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, Max, Min, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from contracts.models import (
    Allocation,
    BudgetLine,
    BudgetScenario,
    Contract,
    ContractYear,
    Contribution,
    Funder,
    FundingPrinciple,
    Organisation,
    PlanFigure,
    PlanOutcome,
    ScenarioAdoption,
    SubContract,
    SubContractVariation,
)
from contracts.policies import allocations, subcontracts
from contracts.scenarios import ChangeBase, bases_by_year, percentage
from core.periods import InFinancialYear, format_financial_year
from districts.models import District

ZERO = Decimal("0.00")


def contract_list() -> QuerySet[Contract]:
    """Every contract with its commissioner and provider."""
    return Contract.objects.select_related("commissioner", "provider", "county")


@dataclass
class ReconciliationRow(InFinancialYear):
    """One year's money as the sources give it, with every variance shown (never 'fixed')."""

    financial_year: int
    contributions: Decimal
    stated_total: Decimal | None
    is_estimate: bool
    allocated: Decimal
    #: Whether anything is allocated for the year yet (an allocation of £0.00 counts: it was decided).
    has_allocations: bool = True

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

    @property
    def no_figures(self) -> bool:
        return not self.contributions and not self.has_allocations and self.stated_total is None

    @property
    def verdict(self) -> str:
        """Whether the year's figures reconcile, in words: a year with nothing allocated yet (2011/12 before
        its scenario is adopted) is "not yet allocated", not a failure to reconcile."""
        if self.no_figures:
            return "No figures recorded"
        if not self.has_allocations:
            return "Not yet allocated"
        return "Yes" if self.reconciles else "No: the figures do not reconcile"


def contract_reconciliation(contract: Contract) -> list[ReconciliationRow]:
    """Per financial year: contributions, the stated total, what was allocated, and their variances. What was
    allocated counts every contract paid from this contract's pooled funding (2010/11's separate hub and LRC
    contracts); a contract paid from another's pool is reconciled as that pool."""
    if contract.paid_from_pool_of_id:
        contract = contract.paid_from_pool_of
    contributions = dict(
        Contribution.objects.filter(contract=contract)
        .values("financial_year")
        .annotate(total=Sum("amount"))
        .values_list("financial_year", "total")
    )
    allocated = dict(
        Allocation.objects.filter(Q(contract=contract) | Q(contract__paid_from_pool_of=contract))
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
            has_allocations=year in allocated,
        )
        for year in years
    ]


def year_reconciliation(contracts: list[Contract], financial_year: int) -> list[tuple[Contract, ReconciliationRow]]:
    """The year's reconciliation row of each contract (as ``contract_reconciliation`` gives it, a contract paid
    from another's pool reconciled as that pool), in three queries whatever the number of contracts."""
    pool_of = {contract.pk: contract.paid_from_pool_of_id or contract.pk for contract in contracts}
    pools = set(pool_of.values())
    in_the_year = {"financial_year": financial_year}
    contributions = dict(
        Contribution.objects.filter(contract_id__in=pools, **in_the_year)
        .order_by()
        .values("contract_id")
        .annotate(total=Sum("amount"))
        .values_list("contract_id", "total")
    )
    allocated = dict(
        Allocation.objects.filter(Q(contract_id__in=pools) | Q(contract__paid_from_pool_of_id__in=pools), **in_the_year)
        .annotate(pool=Coalesce("contract__paid_from_pool_of_id", "contract_id"))
        .order_by()
        .values("pool")
        .annotate(total=Sum("amount"))
        .values_list("pool", "total")
    )
    stated = {
        contract_id: (total, estimate)
        for contract_id, total, estimate in ContractYear.objects.filter(
            contract_id__in=pools, **in_the_year
        ).values_list("contract_id", "stated_total", "is_estimate")
    }
    return [
        (
            contract,
            ReconciliationRow(
                financial_year=financial_year,
                contributions=contributions.get(pool_of[contract.pk], ZERO),
                stated_total=stated.get(pool_of[contract.pk], (None, False))[0],
                is_estimate=stated.get(pool_of[contract.pk], (None, False))[1],
                allocated=allocated.get(pool_of[contract.pk], ZERO),
                has_allocations=pool_of[contract.pk] in allocated,
            ),
        )
        for contract in contracts
    ]


@dataclass
class StatedTotalChange(InFinancialYear):
    """A year's stated total (e.g. the 2011/12 estimate) against the year before, by each base."""

    financial_year: int
    stated_total: Decimal
    is_estimate: bool
    source: str
    changes: list[tuple[ChangeBase, Decimal, Decimal | None]]


def stated_total_changes(contract: Contract) -> list[StatedTotalChange]:
    """For each year of the contract with a stated total, its change from the year before against the year
    before's stated total, contributions and allocations (the bases the data holds), side by side."""
    rows = []
    years = list(ContractYear.objects.filter(contract=contract, stated_total__isnull=False).order_by("financial_year"))
    by_year = bases_by_year(contract, [year.financial_year for year in years])
    for year in years:
        bases = by_year[year.financial_year]
        if not bases:
            continue
        rows.append(
            StatedTotalChange(
                financial_year=year.financial_year,
                stated_total=year.stated_total,
                is_estimate=year.is_estimate,
                source=year.source,
                changes=[(base, base.change(year.stated_total), base.change_pct(year.stated_total)) for base in bases],
            )
        )
    return rows


@dataclass
class PrincipleAgainstPaid(InFinancialYear):
    """A funding principle a source states (e.g. £70,000 a year per Voluntary Action) beside what was allocated
    to each organisation of that kind in a year: the lowest and highest allocation, and how many."""

    principle: FundingPrinciple
    financial_year: int
    organisations: int
    lowest: Decimal
    highest: Decimal

    @property
    def paid_each(self) -> Decimal | None:
        """The one amount each was paid, when they were all paid the same."""
        return self.lowest if self.lowest == self.highest else None

    @property
    def short_of_principle(self) -> Decimal:
        """How far the highest allocation falls short of the principle (0 when it meets it)."""
        return max(self.principle.amount_per_year - self.highest, ZERO)


def funding_principles_against_allocations(contract: Contract) -> list[PrincipleAgainstPaid]:
    """Every funding principle beside the year's allocations to organisations of its kind under the contract's
    county's contracts (one query for the allocations)."""
    principles = list(FundingPrinciple.objects.all())
    if not principles:
        return []
    paid = (
        Allocation.objects.filter(contract__county_id=contract.county_id)
        .values("financial_year", "organisation__kind")
        .annotate(n=Count("organisation", distinct=True), lowest=Min("amount"), highest=Max("amount"))
        .order_by("financial_year")
    )
    rows = []
    for row in paid:
        for principle in principles:
            if principle.organisation_kind == row["organisation__kind"]:
                rows.append(
                    PrincipleAgainstPaid(
                        principle=principle,
                        financial_year=row["financial_year"],
                        organisations=row["n"],
                        lowest=row["lowest"],
                        highest=row["highest"],
                    )
                )
    return rows


@dataclass
class BaselineCell(InFinancialYear):
    """One contract year's figure to set beside a plan figure: one amount, or the lowest and highest of several
    (e.g. what each district's hubs and LRCs got)."""

    financial_year: int
    what: str
    lowest: Decimal | None
    highest: Decimal | None
    plan_amount: Decimal

    @property
    def single(self) -> Decimal | None:
        return self.lowest if self.lowest == self.highest else None

    @property
    def difference(self) -> Decimal | None:
        """The year's figure minus the plan's, when the year has one figure."""
        return None if self.single is None else self.single - self.plan_amount

    @property
    def difference_pct(self) -> Decimal | None:
        return None if self.difference is None else percentage(self.difference, self.plan_amount)


@dataclass
class BaselineRow:
    figure: PlanFigure
    cells: list[BaselineCell]


def plan_baseline(contract: Contract) -> list[BaselineRow]:
    """Each figure of the earlier plan beside the contract's years (those with money recorded): the pooled
    money as stated (else as contributed), the District Councils' contributions, and the lowest and highest sum
    a district's hubs and LRCs were allocated. Summed over the county's contracts, as the bases are."""
    contracts = Contract.objects.filter(county_id=contract.county_id)
    rows = {row.financial_year: row for row in contract_reconciliation(contract) if row.contributions or row.allocated
            or row.stated_total is not None}  # fmt: skip
    councils = dict(
        Contribution.objects.filter(contract__in=contracts, funder__kind=Funder.Kind.DISTRICT_COUNCIL)
        .values("financial_year")
        .annotate(total=Sum("amount"))
        .values_list("financial_year", "total")
    )
    per_district: dict[int, list[Decimal]] = {}
    for year, total in (
        Allocation.objects.filter(
            contract__in=contracts,
            organisation__kind__in=[Organisation.Kind.HUB, Organisation.Kind.LRC],
            organisation__district__isnull=False,
        )
        .values("financial_year", "organisation__district")
        .annotate(total=Sum("amount"))
        .values_list("financial_year", "total")
    ):
        per_district.setdefault(year, []).append(total)
    result = []
    for figure in PlanFigure.objects.exclude(compares_with=""):
        cells = []
        for year, row in sorted(rows.items()):
            if figure.compares_with == PlanFigure.ComparesWith.POOLED_TOTAL:
                stated = row.stated_total is not None
                amount = row.stated_total if stated else row.contributions
                what = (
                    ("stated total, an estimate" if row.is_estimate else "stated total") if stated else "contributions"
                )
                cells.append(BaselineCell(year, what, amount, amount, figure.amount))
            elif figure.compares_with == PlanFigure.ComparesWith.DISTRICT_COUNCILS and year in councils:
                cells.append(BaselineCell(year, "District Councils' contributions", councils[year], councils[year],
                                          figure.amount))  # fmt: skip
            elif figure.compares_with == PlanFigure.ComparesWith.PER_DISTRICT_LOCAL and year in per_district:
                sums = per_district[year]
                cells.append(BaselineCell(year, "to each district's hubs and LRCs", min(sums), max(sums),
                                          figure.amount))  # fmt: skip
        result.append(BaselineRow(figure=figure, cells=cells))
    return result


def plan_figures_for_the_record():
    """The plan figures that compare with nothing in the contract (e.g. its on-cost percentages)."""
    return PlanFigure.objects.filter(compares_with="")


def plan_outcomes():
    """The earlier plan's outcomes with their objectives (each against a 2011 strand)."""
    return PlanOutcome.objects.prefetch_related("objectives")


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


def subcontract_list(user, contract: Contract | None = None, action: str = "view") -> QuerySet[SubContract]:
    """The sub-contracts this user may see (or do ``action`` to), with provider and districts."""
    qs = SubContract.objects.select_related("provider__district", "contract").prefetch_related("districts")
    if contract is not None:
        qs = qs.filter(contract=contract)
    return subcontracts.instances_for(user, action, qs).order_by("provider__kind", "provider__code")


def subcontract_allocations(subcontract: SubContract) -> QuerySet[Allocation]:
    """The sub-contract's money per year: its provider's allocations under the contract, and before the
    sub-contract began, under the provider's own contract paid from the same pool (2010/11, review 2.5), each
    with the contract and that year's arrangement so the page says under which it was paid."""
    return (
        Allocation.objects.filter(
            Q(contract_id=subcontract.contract_id) | Q(contract__paid_from_pool_of_id=subcontract.contract_id),
            organisation_id=subcontract.provider_id,
        )
        .select_related("contract")
        .order_by("financial_year")
    )


def subcontract_variations(subcontract: SubContract) -> QuerySet[SubContractVariation]:
    """Every recorded variation, newest first, with who made it."""
    return subcontract.variations.select_related("varied_by", "scenario")


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
    """Money in through sub-contracts covering the district, and (2010/11, review 2.5) through the separate
    contracts of the hubs and LRCs based in it: per year and provider, only what the user may see."""
    covering = SubContract.objects.filter(
        districts=district, contract=OuterRef("contract"), provider=OuterRef("organisation")
    )
    own_contract = Q(contract__paid_from_pool_of__isnull=False, organisation__district=district)
    return (
        allocations.instances_for(user, "view", Allocation.objects.filter(Exists(covering) | own_contract))
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


def returns_owed_by_partnership(financial_year: int) -> dict[int, int]:
    """Per partnership (by id), how many providers owe a return in each of the year's periods (as
    ``providers_owing_returns`` decides). One query."""
    owing = providers_owing_returns(financial_year).values("pk")
    return dict(
        Organisation.objects.filter(pk__in=owing)
        .order_by()
        .values("county_id")
        .annotate(owing=Count("pk"))
        .values_list("county_id", "owing")
    )


def allocated_by_partnership(financial_year: int) -> dict[int, Decimal]:
    """Per partnership (by id), the money allocated for the financial year under its contracts, as stated. One
    query."""
    return dict(
        Allocation.objects.filter(financial_year=financial_year)
        .order_by()
        .values("contract__county_id")
        .annotate(total=Sum("amount"))
        .values_list("contract__county_id", "total")
    )
