"""Every change to contracts and money. Each service is atomic, validates before it saves, and records who,
when and why in the same transaction (django-simple-history plus the explicit event rows shown on pages)."""

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from contracts.models import (
    Allocation,
    BudgetLine,
    BudgetScenario,
    Contract,
    ContractExtension,
    Organisation,
    ScenarioAdoption,
    ScenarioResult,
    ScenarioTransitionLine,
    Strand,
    SubContract,
    SubContractVariation,
)
from contracts.scenarios import scenario_calculate
from core.periods import format_financial_year
from core.services import delete_with_history, lock_current, save_new_version, save_with_history
from core.workflow import require_step, transition_refusal


def _require_reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: "Enter the reason for this change."})
    return reason


# --- the CIO contract -------------------------------------------------------------------------------------


@transaction.atomic
def contract_extend(*, contract: Contract, user, reason: str, years: int | None = None) -> ContractExtension:
    """Exercise the contract's extension option once: move the end year on and record who and why."""
    reason = _require_reason(reason)
    contract = lock_current(contract)
    if contract.extension_exercised:
        raise ValidationError({"years": "The extension option has already been exercised."})
    if not contract.extension_years:
        raise ValidationError({"years": "This contract has no extension option."})
    years = contract.extension_years if years is None else years
    if not 1 <= years <= contract.extension_years:
        raise ValidationError({"years": f"Enter a number of years from 1 to {contract.extension_years}."})
    previous = contract.end_year
    contract.end_year = previous + years
    contract.extension_exercised = True
    save_with_history(contract, user=user, reason=f"Extension exercised: {reason}")
    return ContractExtension.objects.create(
        contract=contract, previous_end_year=previous, new_end_year=contract.end_year, reason=reason, exercised_by=user
    )


# --- sub-contracts ----------------------------------------------------------------------------------------


def _check_strands(strands: Iterable[str]) -> list[str]:
    strands = list(dict.fromkeys(strands))
    unknown = [s for s in strands if s not in Strand.values]
    if unknown or not strands:
        raise ValidationError({"strands": f"Choose at least one strand from: {', '.join(Strand.values)}."})
    return strands


def _check_term(contract: Contract, start_year: int, end_year: int):
    if start_year > end_year:
        raise ValidationError({"end_year": "The last year must be the same as or after the first year."})
    if start_year < contract.start_year or end_year > contract.end_year:
        raise ValidationError(
            {"end_year": f"A sub-contract must sit within the contract's term, {contract.term_label}."}
        )


def _set_allocation(*, contract, organisation, financial_year, amount: Decimal, user, reason) -> Decimal | None:
    """Set an organisation's allocation for a year; returns the amount before (None if there was none)."""
    if amount < 0:
        raise ValidationError({"amount": "Enter an amount of £0.00 or more."})
    allocation = (
        Allocation.objects.select_for_update()
        .filter(contract=contract, organisation=organisation, financial_year=financial_year)
        .first()
    )
    before = allocation.amount if allocation else None
    amount = Decimal(amount).quantize(Decimal("0.01"))
    if before == amount:
        return before  # unchanged: no save, so no empty history entry
    if allocation is None:
        allocation = Allocation(contract=contract, organisation=organisation, financial_year=financial_year)
    allocation.amount = amount
    save_with_history(allocation, user=user, reason=reason)
    return before


def _value_in_force(*, contract, organisation, financial_year) -> Decimal | None:
    """The organisation's value in force for a year under the contract: that year's allocation, else the
    latest earlier year's (a year not yet allocated carries on the last value set), else None. An earlier
    year's value may have been paid under another contract of the county (in 2010/11 each hub and LRC had its
    own contract; review 2.5), and it is what carries on into the sub-contract's first year."""
    allocation = (
        Allocation.objects.filter(
            Q(contract=contract) | Q(contract__county_id=contract.county_id, financial_year__lt=financial_year),
            organisation=organisation,
            financial_year__lte=financial_year,
        )
        .order_by("-financial_year", "-pk")
        .first()
    )
    return allocation.amount if allocation else None


@transaction.atomic
def subcontract_create(
    *,
    contract: Contract,
    provider: Organisation,
    start_year: int,
    end_year: int,
    strands: Sequence[str],
    districts: Iterable,
    amounts: dict[int, Decimal],
    user,
    reason: str,
) -> SubContract:
    """Create a sub-contract from the CIO to a hub or LRC, with its value for each year as allocations."""
    reason = _require_reason(reason)
    if provider.kind not in (Organisation.Kind.HUB, Organisation.Kind.LRC):
        raise ValidationError({"provider": "A sub-contract goes to a community hub or a local resource centre."})
    if SubContract.objects.filter(contract=contract, provider=provider).exists():
        raise ValidationError({"provider": f"{provider.name} already has a sub-contract under this contract."})
    _check_term(contract, start_year, end_year)
    subcontract = SubContract(
        contract=contract,
        provider=provider,
        start_year=start_year,
        end_year=end_year,
        strands=_check_strands(strands),
    )
    save_with_history(subcontract, user=user, reason=f"Created: {reason}")
    districts = list(districts)
    subcontract.districts.set(districts)
    today = timezone.localdate()
    SubContractVariation.objects.create(
        subcontract=subcontract,
        kind=SubContractVariation.Kind.CREATED,
        varied_on=today,
        after=f"{subcontract.term_label}; {_strands_text(subcontract.strands)}; {_districts_text(districts)}",
        reason=reason,
        varied_by=user,
    )
    for year, amount in sorted(amounts.items()):
        if not start_year <= year <= end_year:
            raise ValidationError({"amount": f"{format_financial_year(year)} is outside the sub-contract's term."})
        before = _set_allocation(
            contract=contract, organisation=provider, financial_year=year, amount=amount, user=user, reason=reason
        )
        SubContractVariation.objects.create(
            subcontract=subcontract,
            kind=SubContractVariation.Kind.VALUE,
            varied_on=today,
            financial_year=year,
            amount_before=before,
            amount_after=amount,
            reason=reason,
            varied_by=user,
        )
    return subcontract


def _strands_text(strands) -> str:
    return ", ".join(Strand(s).label for s in strands) or "no strands"


def _districts_text(districts) -> str:
    return ", ".join(sorted(d.name for d in districts)) or "no districts"


def _live_current(subcontract: SubContract, version: int) -> SubContract:
    """The sub-contract as it is now (locked), refusing an edit made on an older version or an ended one."""
    current = lock_current(subcontract, version=version)
    if current.status == SubContract.Status.ENDED:
        raise ValidationError("This sub-contract has ended; it can no longer be varied.", code="ended")
    return current


@transaction.atomic
def subcontract_vary(
    *,
    subcontract: SubContract,
    user,
    version: int,
    reason: str,
    varied_on: datetime.date | None = None,
    financial_year: int | None = None,
    amount: Decimal | None = None,
    start_year: int | None = None,
    end_year: int | None = None,
    strands: Sequence[str] | None = None,
    districts: Iterable | None = None,
) -> list[SubContractVariation]:
    """Vary a live sub-contract: its value for a year, its term, strands or districts. Each change is a
    recorded variation (date, before and after, reason, who). Refuses an edit made on an old version."""
    reason = _require_reason(reason)
    current = _live_current(subcontract, version)
    varied_on = varied_on or timezone.localdate()
    Kind = SubContractVariation.Kind
    variations = []

    def record(**fields):
        variations.append(
            SubContractVariation.objects.create(
                subcontract=current, varied_on=varied_on, reason=reason, varied_by=user, **fields
            )
        )

    new_start = current.start_year if start_year is None else start_year
    new_end = current.end_year if end_year is None else end_year
    if (new_start, new_end) != (current.start_year, current.end_year):
        _check_term(current.contract, new_start, new_end)
        before = current.term_label
        current.start_year, current.end_year = new_start, new_end
        record(kind=Kind.TERM, before=before, after=current.term_label)
    if strands is not None:
        strands = _check_strands(strands)
        if set(strands) != set(current.strands):  # a set: the order they are listed in is no change
            before = _strands_text(current.strands)
            current.strands = strands
            record(kind=Kind.STRANDS, before=before, after=_strands_text(strands))
    if districts is not None:
        districts = list(districts)
        old = list(current.districts.all())
        if {d.pk for d in districts} != {d.pk for d in old}:
            current.districts.set(districts)
            record(kind=Kind.DISTRICTS, before=_districts_text(old), after=_districts_text(districts))
    if amount is not None:
        if financial_year is None:
            raise ValidationError({"financial_year": "Choose the financial year the new value is for."})
        if not current.start_year <= financial_year <= current.end_year:
            raise ValidationError(
                {"financial_year": f"{format_financial_year(financial_year)} is outside the term {current.term_label}."}
            )
        in_force = _value_in_force(
            contract=current.contract, organisation=current.provider, financial_year=financial_year
        )
        before = _set_allocation(
            contract=current.contract,
            organisation=current.provider,
            financial_year=financial_year,
            amount=amount,
            user=user,
            reason=f"Sub-contract varied: {reason}",
        )
        if before != amount:
            record(kind=Kind.VALUE, financial_year=financial_year, amount_before=in_force, amount_after=amount)
    if not variations:
        raise ValidationError("Nothing was changed: enter a new value, term, strands or districts.", code="no_change")
    save_new_version(current, user=user, reason=f"Varied: {reason}")
    return variations


@transaction.atomic
def subcontract_end(
    *, subcontract: SubContract, user, version: int, reason: str, ended_on: datetime.date | None = None
) -> SubContractVariation:
    """End a live sub-contract early: it stops covering later years; its allocations stay as history."""
    reason = _require_reason(reason)
    current = _live_current(subcontract, version)
    ended_on = ended_on or timezone.localdate()
    require_step(current, "end", user)
    refused = transition_refusal(current, "end")
    if refused:
        raise ValidationError(refused)
    current.end(ended_on=ended_on)
    save_new_version(current, user=user, reason=f"Ended: {reason}")
    return SubContractVariation.objects.create(
        subcontract=current,
        kind=SubContractVariation.Kind.ENDED,
        varied_on=ended_on,
        before="Live",
        after=f"Ended on {ended_on:%d %B %Y}",
        reason=reason,
        varied_by=user,
    )


# --- the CIO's budget lines -------------------------------------------------------------------------------


@transaction.atomic
def budget_line_create(
    *, contract: Contract, financial_year: int, category: str, district, amount: Decimal, note: str, user
) -> BudgetLine:
    """Add a line to the CIO's budget (front-line district staff need a district; central costs none)."""
    line = BudgetLine(
        contract=contract,
        financial_year=financial_year,
        category=category,
        district=None if category == BudgetLine.Category.CENTRAL else district,
        amount=amount,
        note=note,
    )
    if category != BudgetLine.Category.CENTRAL and district is None:
        raise ValidationError({"district": "Front-line district staff belong to a district: choose one."})
    return save_with_history(line, user=user, reason="Budget line added")


@transaction.atomic
def budget_line_update(*, line: BudgetLine, version: int, amount: Decimal, note: str, user) -> BudgetLine:
    """Change a budget line's amount or note; refuses an edit made on an old version."""
    current = lock_current(line, version=version)
    current.amount, current.note = amount, note
    return save_new_version(current, user=user, reason="Budget line changed")


@transaction.atomic
def budget_line_delete(*, line: BudgetLine, version: int, user) -> None:
    """Remove a budget line (its history is kept)."""
    current = lock_current(line, version=version)
    delete_with_history(current, user=user, reason="Budget line removed")


# --- budget scenarios -------------------------------------------------------------------------------------


@transaction.atomic
def scenario_create(
    *,
    contract: Contract,
    financial_year: int,
    name: str,
    total: Decimal,
    rule: str,
    user,
    custom_percentages: dict[str, Decimal] | None = None,
    transitions: Sequence[tuple[Organisation, Decimal, str]] = (),
) -> BudgetScenario:
    """Work out a scenario with the same calculation as the command and save it with a result per organisation."""
    if not (name or "").strip():
        raise ValidationError({"name": "Enter a name for the scenario."})
    figures = scenario_calculate(
        contract=contract,
        financial_year=financial_year,
        total=total,
        rule=rule,
        custom_percentages=custom_percentages,
        transitions=[(org, amount) for org, amount, _note in transitions],
    )
    scenario = BudgetScenario(
        contract=contract,
        financial_year=financial_year,
        name=name.strip(),
        total=figures.total,
        rule=rule,
        custom_percentages={code: f"{Decimal(pct)}" for code, pct in (custom_percentages or {}).items()}
        if rule == BudgetScenario.Rule.CUSTOM
        else {},
        created_by=user,
    )
    save_with_history(scenario, user=user, reason="Scenario saved")
    for org, amount, note in transitions:
        ScenarioTransitionLine.objects.create(scenario=scenario, organisation=org, amount=amount, note=note)
    ScenarioResult.objects.bulk_create(
        ScenarioResult(
            scenario=scenario,
            organisation=line.organisation,
            last_year=line.last_year,
            transition=line.transition,
            amount=line.amount,
        )
        for line in figures.lines
    )
    return scenario


def _subcontracts_adoption_varies(scenario: BudgetScenario) -> dict[int, SubContract]:
    """The live sub-contracts under the scenario's contract covering its year, locked, by provider."""
    subcontracts = SubContract.objects.select_for_update().filter(
        SubContract.live_in(scenario.financial_year), contract=scenario.contract
    )
    return {subcontract.provider_id: subcontract for subcontract in subcontracts}


def _record_adoption_variations(
    scenario: BudgetScenario, subcontracts: dict[int, SubContract], changes: dict[int, list], *, user, reason: str
) -> None:
    """A sub-contract whose value the adoption changed records it as a variation (who, when, from the value
    then in force, to the new one, which scenario), so its page tells one story: its value for the year is
    its last variation's."""
    for provider_id, values in changes.items():
        subcontract = subcontracts[provider_id]
        for before, after in values:
            SubContractVariation.objects.create(
                subcontract=subcontract,
                kind=SubContractVariation.Kind.VALUE,
                varied_on=timezone.localdate(),
                financial_year=scenario.financial_year,
                amount_before=before,
                amount_after=after,
                reason=f"Budget scenario “{scenario.name}” adopted: {reason}",
                varied_by=user,
                scenario=scenario,
            )
        save_new_version(subcontract, user=user, reason=f"Varied by adopting scenario {scenario.pk}: {reason}")


@transaction.atomic
def scenario_adopt(*, scenario: BudgetScenario, user, reason: str) -> ScenarioAdoption:
    """Make a saved scenario its year's allocations. Recorded; only a later adoption replaces it."""
    reason = _require_reason(reason)
    scenario = lock_current(scenario)
    if scenario.adopted:
        raise ValidationError("This scenario is already the adopted one for its year.", code="already_adopted")
    if scenario.contract.end_year < scenario.financial_year:
        raise ValidationError(
            f"{scenario.year_label} is after the contract's term ({scenario.contract.term_label}): "
            "exercise the extension first.",
            code="outside_term",
        )
    previous = (
        BudgetScenario.objects.select_for_update()
        .filter(contract=scenario.contract, financial_year=scenario.financial_year, adopted=True)
        .first()
    )
    if previous is not None:
        previous.adopted = False
        save_with_history(previous, user=user, reason=f"Replaced by scenario {scenario.pk}")
    history_reason = f"Scenario {scenario.pk} adopted: {reason}"
    year = scenario.financial_year
    subcontracts = _subcontracts_adoption_varies(scenario)
    varied: dict[int, list] = {}
    kept = set()
    for result in scenario.results.select_related("organisation"):
        in_force = _value_in_force(contract=scenario.contract, organisation=result.organisation, financial_year=year)
        before = _set_allocation(
            contract=scenario.contract,
            organisation=result.organisation,
            financial_year=year,
            amount=result.amount,
            user=user,
            reason=history_reason,
        )
        if result.organisation_id in subcontracts and before != result.amount:
            varied.setdefault(result.organisation_id, []).append((in_force, result.amount))
        kept.add(result.organisation_id)
    for stale in Allocation.objects.filter(contract=scenario.contract, financial_year=year).exclude(
        organisation_id__in=kept
    ):
        if stale.organisation_id in subcontracts:
            varied.setdefault(stale.organisation_id, []).append((stale.amount, None))
        delete_with_history(stale, user=user, reason=history_reason)
    _record_adoption_variations(scenario, subcontracts, varied, user=user, reason=reason)
    scenario.adopted = True
    save_with_history(scenario, user=user, reason=f"Adopted: {reason}")
    return ScenarioAdoption.objects.create(
        scenario=scenario, financial_year=scenario.financial_year, replaces=previous, reason=reason, adopted_by=user
    )
