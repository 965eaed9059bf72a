"""Budget scenarios: the rules argued over for sharing a year's money, and the three figures funders asked for.

One calculation serves the scenario pages, the saved results and the ``budget_scenario`` command, so the
page and the command always print the same figures.

The stated rounding rule: money is split in whole pence by the **largest remainder** method. Each share is
worked out exactly in integer pence (never floats), every organisation first gets the whole pence of its
exact share, and the pence left over go one each to the largest fractional remainders; ties go to the
organisation that comes first in the listing order (the CIO, then hubs, then LRCs, each by code). So the
results always add up exactly to the total, and no organisation is more than a penny from its exact share.

Transition funding lines are top-sliced: they come out of the total first, the rule shares what is left,
and each line is then added to its organisation's result.
"""

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from math import lcm

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum

from contracts.models import (
    Allocation,
    BudgetLine,
    BudgetScenario,
    Contract,
    ContractYear,
    Contribution,
    Organisation,
    SubContract,
)
from core.periods import InFinancialYear
from districts.models import District

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")
KIND_ORDER = {Organisation.Kind.CIO: 0, Organisation.Kind.HUB: 1, Organisation.Kind.LRC: 2}
Rule = BudgetScenario.Rule


def to_pence(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def from_pence(pence: int) -> Decimal:
    return (Decimal(pence) / 100).quantize(PENNY)


def percentage(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part`` as a percentage of ``whole`` to two places (half up), or None when ``whole`` is zero."""
    if not whole:
        return None
    return (part * 100 / whole).quantize(PENNY, rounding=ROUND_HALF_UP)


def split_to_the_penny(pence: int, weights: Sequence[tuple[Hashable, int]]) -> dict[Hashable, int]:
    """Share ``pence`` between the keys in proportion to their integer weights, by largest remainder.

    The result sums exactly to ``pence``. Ties in the remainder go to the key listed first.
    """
    total_weight = sum(weight for _key, weight in weights)
    if total_weight <= 0:
        if pence:
            raise ValueError("nothing to share by: every weight is zero")
        return {key: 0 for key, _weight in weights}
    shares, remainders = {}, []
    for position, (key, weight) in enumerate(weights):
        whole, remainder = divmod(pence * weight, total_weight)
        shares[key] = whole
        remainders.append((-remainder, position, key))
    left_over = pence - sum(shares.values())
    for _remainder, _position, key in sorted(remainders)[:left_over]:
        shares[key] += 1
    return shares


@dataclass(frozen=True)
class ChangeBase(InFinancialYear):
    """One of the three figures a year's change in money can be measured against: the year before's stated
    total, its listed contributions, or its allocations. The sources disagree on which (the review's "14%
    decrease" in 2.10 is against the stated total), so every change names its base."""

    key: str
    label: str
    financial_year: int
    amount: Decimal
    is_estimate: bool = False

    KEYS = ("stated", "contributions", "allocations")

    def change(self, total: Decimal) -> Decimal:
        return total - self.amount

    def change_pct(self, total: Decimal) -> Decimal | None:
        return percentage(total - self.amount, self.amount)


BASE_LABELS = {
    "stated": "the stated total",
    "contributions": "the listed contributions",
    "allocations": "the allocations",
}


def bases_by_year(contract: Contract, financial_years) -> dict[int, list[ChangeBase]]:
    """For each of ``financial_years``, the three bases for a change to it: the year before's stated total,
    contributions and allocations, summed over every contract of the contract's county that year (so a year paid
    under several contracts counts them all). A base the data does not hold (no stated total, nothing listed) is
    left out. Three queries, however many years."""
    before = [year - 1 for year in financial_years]
    contracts = Contract.objects.filter(county_id=contract.county_id)

    def per_year(queryset, amount_field, **counted):
        rows = queryset.filter(contract__in=contracts, financial_year__in=before)
        return {
            row["financial_year"]: row
            for row in rows.values("financial_year").annotate(total=Sum(amount_field), **counted)
        }

    found = {
        "stated": per_year(
            ContractYear.objects.filter(stated_total__isnull=False),
            "stated_total",
            estimates=Count("id", filter=Q(is_estimate=True)),
        ),
        "contributions": per_year(Contribution.objects.all(), "amount"),
        "allocations": per_year(Allocation.objects.all(), "amount"),
    }
    result = {}
    for year in financial_years:
        bases = []
        for key in ChangeBase.KEYS:
            row = found[key].get(year - 1)
            if row and row["total"]:
                bases.append(
                    ChangeBase(
                        key=key,
                        label=BASE_LABELS[key],
                        financial_year=year - 1,
                        amount=row["total"].quantize(PENNY),
                        is_estimate=bool(row.get("estimates")),
                    )
                )
        result[year] = bases
    return result


def change_bases(contract: Contract, financial_year: int) -> list[ChangeBase]:
    """The bases for a change to ``financial_year`` (see ``bases_by_year``)."""
    return bases_by_year(contract, [financial_year])[financial_year]


@dataclass
class ScenarioLine:
    """One organisation's figures in a scenario."""

    organisation: Organisation
    last_year: Decimal
    amount: Decimal
    transition: Decimal = ZERO
    share_of_local_pct: Decimal | None = None

    @property
    def code(self) -> str:
        return self.organisation.code

    @property
    def is_local(self) -> bool:
        return self.organisation.kind in (Organisation.Kind.HUB, Organisation.Kind.LRC)

    @property
    def change(self) -> Decimal:
        return self.amount - self.last_year

    @property
    def change_pct(self) -> Decimal | None:
        return percentage(self.change, self.last_year)


@dataclass
class DistrictMoney:
    """What a district's own hubs and LRCs get, per 1,000 residents."""

    district: District
    providers: list[tuple[str, str]]
    amount: Decimal
    last_year: Decimal

    @property
    def per_thousand(self) -> Decimal:
        return (self.amount * 1000 / self.district.population).quantize(PENNY, rounding=ROUND_HALF_UP)

    @property
    def last_year_per_thousand(self) -> Decimal:
        return (self.last_year * 1000 / self.district.population).quantize(PENNY, rounding=ROUND_HALF_UP)

    @property
    def has_hub(self) -> bool:
        return any(kind == Organisation.Kind.HUB for _code, kind in self.providers)


@dataclass
class ScenarioFigures(InFinancialYear):
    """A year's allocations (proposed or actual) with the three figures funders asked for (Appendix Seven)."""

    financial_year: int
    total: Decimal
    rule: str
    lines: list[ScenarioLine]
    frontline_budget: Decimal | None = None
    districts: list[DistrictMoney] = field(default_factory=list)
    contract: Contract | None = field(default=None, repr=False, compare=False)

    @cached_property
    def bases(self) -> list[ChangeBase]:
        """The year before's figures to measure the change in the total against (read when first asked for)."""
        return [] if self.contract is None else change_bases(self.contract, self.financial_year)

    @property
    def change_pct_by_base(self) -> dict[str, Decimal]:
        """The change from the year before in the total, as a % of each base the data holds (see ChangeBase)."""
        return {base.key: base.change_pct(self.total) for base in self.bases}

    @property
    def changes_by_base(self) -> list[tuple[ChangeBase, Decimal, Decimal | None]]:
        """Each base with the change in money and in % of it, for the pages."""
        return [(base, base.change(self.total), base.change_pct(self.total)) for base in self.bases]

    def chosen_base(self, key: str | None) -> str | None:
        """The base a user asked for (``?base=``), else the stated total, else the first the data holds."""
        keys = [base.key for base in self.bases]
        if key in keys:
            return key
        return "stated" if "stated" in keys else (keys[0] if keys else None)

    @property
    def allocated(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def last_year_total(self) -> Decimal:
        return sum((line.last_year for line in self.lines), ZERO)

    @property
    def local_total(self) -> Decimal:
        return sum((line.amount for line in self.lines if line.is_local), ZERO)

    @property
    def cio_amount(self) -> Decimal:
        return sum((line.amount for line in self.lines if not line.is_local), ZERO)

    @property
    def hubs_and_lrcs_share_pct(self) -> Decimal | None:
        """Figure one: the % of the total going to hubs and LRCs."""
        return percentage(self.local_total, self.total)

    @property
    def cio_frontline_share_pct(self) -> Decimal | None:
        """Figure three: the % of the CIO's money on front-line district staff (None without budget lines)."""
        if self.frontline_budget is None:
            return None
        return percentage(self.frontline_budget, self.cio_amount)

    @property
    def county_per_thousand(self) -> Decimal | None:
        population = sum(item.district.population for item in self.districts)
        if not population:
            return None
        return (self.total * 1000 / population).quantize(PENNY, rounding=ROUND_HALF_UP)

    def as_dict(self) -> dict:
        """The command's JSON shape (an interface: keep it exact). Amounts are strings of pounds and pence."""
        return {
            "year": self.year_label,
            "total": f"{self.total.quantize(PENNY)}",
            "rule": self.rule,
            "allocations": [
                {"code": line.code, "amount": f"{line.amount}", "change": f"{line.change}"} for line in self.lines
            ],
            "hubs_and_lrcs_share_pct": _text(self.hubs_and_lrcs_share_pct),
            "cio_frontline_share_pct": _text(self.cio_frontline_share_pct),
            "change_pct_by_base": {key: f"{pct}" for key, pct in self.change_pct_by_base.items()},
        }

    CSV_HEADER = ("code", "name", "kind", "last_year", "transition", "amount", "change", "share_of_hubs_and_lrcs_pct")

    def csv_rows(self) -> Iterable[tuple]:
        for line in self.lines:
            # Money as Decimal (written as it prints, and never taken for a formula); names as text.
            yield (
                line.code,
                line.organisation.name,
                line.organisation.kind,
                line.last_year,
                line.transition,
                line.amount,
                line.change,
                line.share_of_local_pct,
            )


def _text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value}"


def scenario_organisations(contract: Contract, financial_year: int) -> list[Organisation]:
    """The CIO and every provider whose live sub-contract covers the year, in listing order."""
    providers = Organisation.objects.filter(
        Q(pk=contract.provider_id)
        | Q(subcontracts__contract=contract) & SubContract.live_in(financial_year, prefix="subcontracts__")
    ).distinct()
    return sorted(providers.select_related("district"), key=lambda org: (KIND_ORDER[org.kind], org.code))


def last_year_amounts(contract: Contract, financial_year: int) -> dict[int, Decimal]:
    """Each organisation's allocation in the financial year before ``financial_year``, summed across every
    contract of the contract's county that year: in 2010/11 the hubs and LRCs were paid under their own
    contracts, not under the CIO contract (review 2.5-2.6), and "last year" is what each was really paid."""
    rows = (
        Allocation.objects.filter(contract__county_id=contract.county_id, financial_year=financial_year - 1)
        .values("organisation_id")
        .annotate(total=Sum("amount"))
    )
    return {row["organisation_id"]: row["total"] for row in rows}


def frontline_budget(contract: Contract, financial_year: int) -> Decimal | None:
    """The CIO's front-line district staff budget for the year, or None when it has no budget lines."""
    figures = BudgetLine.objects.filter(contract=contract, financial_year=financial_year).aggregate(
        lines=Count("id"), frontline=Sum("amount", filter=Q(category__in=BudgetLine.FRONT_LINE))
    )
    if not figures["lines"]:
        return None
    return figures["frontline"] or ZERO


def figures_for(contract: Contract, financial_year: int, total: Decimal, rule: str, lines: list[ScenarioLine]):
    """Add the shares, the CIO's front-line figure and the per-district money to a set of lines."""
    figures = ScenarioFigures(
        financial_year=financial_year,
        total=total,
        rule=rule,
        lines=lines,
        frontline_budget=frontline_budget(contract, financial_year),
        contract=contract,
    )
    local_total = figures.local_total
    for line in lines:
        if line.is_local:
            line.share_of_local_pct = percentage(line.amount, local_total)
    for district in District.objects.filter(county_id=contract.county_id).order_by("name"):
        local = [line for line in lines if line.is_local and line.organisation.district_id == district.pk]
        figures.districts.append(
            DistrictMoney(
                district=district,
                providers=[(line.code, line.organisation.kind) for line in local],
                amount=sum((line.amount for line in local), ZERO),
                last_year=sum((line.last_year for line in local), ZERO),
            )
        )
    return figures


def scenario_calculate(
    *,
    contract: Contract,
    financial_year: int,
    total: Decimal,
    rule: str,
    custom_percentages: dict[str, Decimal] | None = None,
    transitions: Sequence[tuple[Organisation, Decimal]] = (),
) -> ScenarioFigures:
    """Share ``total`` for the year by ``rule``; the results sum exactly to ``total``.

    Raises ValidationError naming the field (``total``, ``rule``, ``custom_percentages`` or ``transitions``)
    when the rule cannot be applied, e.g. a total too small for what the rule keeps.
    """
    total = Decimal(total)
    if total < 0 or total != total.quantize(PENNY):
        raise ValidationError({"total": "Enter the total in pounds and pence, not negative, e.g. 1254878.00"})
    total = total.quantize(PENNY)
    if rule not in Rule.values:
        raise ValidationError({"rule": f"Choose a rule: {', '.join(Rule.values)}"})

    organisations = scenario_organisations(contract, financial_year)
    for organisation, _amount in transitions:
        if organisation not in organisations:
            organisations.append(organisation)
    organisations.sort(key=lambda org: (KIND_ORDER[org.kind], org.code))
    last = last_year_amounts(contract, financial_year)
    last_pence = {org.code: to_pence(last.get(org.pk, ZERO)) for org in organisations}
    transition_pence = {org.code: 0 for org in organisations}
    for organisation, amount in transitions:
        if amount < 0:
            raise ValidationError({"transitions": f"Transition funding for {organisation.code} cannot be negative."})
        transition_pence[organisation.code] += to_pence(Decimal(amount).quantize(PENNY))
    to_share = to_pence(total) - sum(transition_pence.values())
    if to_share < 0:
        raise ValidationError(
            {"transitions": "Transition funding adds up to more than the total: lower the lines or raise the total."}
        )

    shares = _apply_rule(rule, to_share, organisations, last_pence, custom_percentages or {})
    lines = [
        ScenarioLine(
            organisation=org,
            last_year=last.get(org.pk, ZERO).quantize(PENNY),
            transition=from_pence(transition_pence[org.code]),
            amount=from_pence(shares.get(org.code, 0) + transition_pence[org.code]),
        )
        for org in organisations
    ]
    figures = figures_for(contract, financial_year, total, rule, lines)
    assert figures.allocated == total, "a scenario must share the total exactly"
    return figures


def _apply_rule(rule, pence, organisations, last_pence, custom_percentages) -> dict[str, int]:
    cio = [org for org in organisations if org.kind == Organisation.Kind.CIO]
    hubs = [org for org in organisations if org.kind == Organisation.Kind.HUB]
    lrcs = [org for org in organisations if org.kind == Organisation.Kind.LRC]
    money = from_pence

    def keep(orgs):
        return {org.code: last_pence[org.code] for org in orgs}

    def by_last_year(orgs, amount, what):
        weights = [(org.code, last_pence[org.code]) for org in orgs]
        try:
            return split_to_the_penny(amount, weights)
        except ValueError:
            raise ValidationError(
                {"rule": f"{what} had no allocation last year, so there is nothing to share in proportion to."}
            ) from None

    if rule == Rule.EQUAL_CUT:
        return by_last_year(organisations, pence, "No organisation")

    if rule == Rule.CIO_ABSORBS:
        kept = keep(hubs + lrcs)
        rest = pence - sum(kept.values())
        if rest < 0:
            raise ValidationError(
                {"total": f"Too small for this rule: hubs and LRCs keep £{money(sum(kept.values())):,} between them."}
            )
        if not cio:
            raise ValidationError({"rule": "There is no CIO to take the change."})
        return {**kept, cio[0].code: rest}

    if rule == Rule.HUBS_ABSORB:
        kept = keep(cio + lrcs)
        pot = pence - sum(kept.values())
        if pot < 0:
            raise ValidationError(
                {"total": f"Too small for this rule: the CIO and LRCs keep £{money(sum(kept.values())):,}."}
            )
        return {**kept, **by_last_year(hubs, pot, "No hub")}

    if rule == Rule.POPULATION:
        everyone = sum(last_pence.values())
        cio_last = sum(last_pence[org.code] for org in cio)
        if not everyone:
            raise ValidationError({"rule": "No organisation had an allocation last year, so the CIO has no share."})
        cio_share = split_to_the_penny(pence, [("cio", cio_last), ("rest", everyone - cio_last)])["cio"]
        kept = keep(lrcs)
        pot = pence - cio_share - sum(kept.values())
        if pot < 0:
            raise ValidationError({"total": f"Too small for this rule: the LRCs keep £{money(sum(kept.values())):,}."})
        result = {**kept}
        if cio:
            result[cio[0].code] = cio_share
        # Each district's population counts once, shared equally by the hubs in it; a district with no hub
        # takes nothing from the pot, so its share goes to the districts that have one.
        hubs_per_district = {}
        for hub in hubs:
            hubs_per_district[hub.district_id] = hubs_per_district.get(hub.district_id, 0) + 1
        if not hubs:
            if pot:
                raise ValidationError({"rule": "No district has a hub, so the hub pot cannot be shared."})
            return result
        common = lcm(*hubs_per_district.values())
        weights = [(hub.code, hub.district.population * common // hubs_per_district[hub.district_id]) for hub in hubs]
        return {**result, **split_to_the_penny(pot, weights)}

    # custom: a percentage of the total (after transition funding) per organisation, adding up to 100.
    weights = []
    for org in organisations:
        raw = custom_percentages.get(org.code, Decimal("0"))
        try:
            pct = Decimal(raw)
        except ArithmeticError:
            raise ValidationError({"custom_percentages": f"{org.code}: “{raw}” is not a percentage."}) from None
        if pct < 0 or pct != pct.quantize(PENNY):
            raise ValidationError(
                {"custom_percentages": f"{org.code}: enter a percentage from 0 to 100 with at most two decimals."}
            )
        weights.append((org.code, int(pct * 100)))
    unknown = set(custom_percentages) - {org.code for org in organisations}
    if unknown:
        raise ValidationError({"custom_percentages": f"Not in this year's scenario: {', '.join(sorted(unknown))}."})
    if sum(weight for _code, weight in weights) != 10000:
        given = from_pence(sum(weight for _code, weight in weights))
        raise ValidationError({"custom_percentages": f"The percentages add up to {given}%: they must add up to 100%."})
    return split_to_the_penny(pence, weights)


def scenario_figures(scenario: BudgetScenario) -> ScenarioFigures:
    """A saved scenario's figures, from its stored results (the same shape the command prints)."""
    lines = [
        ScenarioLine(
            organisation=result.organisation,
            last_year=result.last_year,
            transition=result.transition,
            amount=result.amount,
        )
        for result in scenario.results.select_related("organisation__district")
    ]
    lines.sort(key=lambda line: (KIND_ORDER[line.organisation.kind], line.code))
    return figures_for(scenario.contract, scenario.financial_year, scenario.total, scenario.rule, lines)


def allocation_figures(contract: Contract, financial_year: int) -> ScenarioFigures:
    """The actual allocations for a year, with the same three figures (the total is what was allocated)."""
    last = last_year_amounts(contract, financial_year)
    lines = [
        ScenarioLine(organisation=allocation.organisation, last_year=last.get(allocation.organisation_id, ZERO),
                     amount=allocation.amount)
        for allocation in Allocation.objects.filter(
            Q(contract=contract) | Q(contract__paid_from_pool_of=contract), financial_year=financial_year
        ).select_related(
            "organisation__district"
        )
    ]  # fmt: skip
    lines.sort(key=lambda line: (KIND_ORDER[line.organisation.kind], line.code))
    total = sum((line.amount for line in lines), ZERO)
    return figures_for(contract, financial_year, total, "allocated", lines)
