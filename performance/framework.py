"""Writes that run the framework: indicators, targets (one, a year's for an indicator across providers on one
page, copied from another year with a percentage change, imported from a file) and publishing a year.

Every target write, whichever way it comes, goes through one writer (``_targets_write``): it checks each value
against the indicator's unit, saves with who and why in the history (each target's version moves on), and in the
same transaction records what the change touches: for a published year, a ``FrameworkChange`` listed on the
framework changes page; for returns already submitted in the year, a ``LateTargetChange`` shown beside the
ratings given against the old target. All or nothing: one refused value saves nothing.

Services take the acting ``user`` (None: an operator at the command line) and a ``reason``; they refuse with
``PermissionDenied`` anyone but an LCC officer, and with ``ValidationError`` what breaks the rules (code
"stale" when someone else changed the targets after the page was opened).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from contracts.models import Organisation
from core.events import publish
from core.periods import format_financial_year
from core.services import REASON_LENGTH, STALE_MESSAGE, delete_with_history, save_new_version, save_with_history
from districts.models import District
from performance import events
from performance.models import (
    FrameworkChange,
    FrameworkPublication,
    Indicator,
    LateTargetChange,
    Result,
    Return,
    Target,
)
from performance.resources import TargetResource
from performance.selectors import target_applying
from performance.selectors_framework import (
    districts_reported,
    providers_reporting,
    publication_of,
    quarter_label,
    reports_by_district,
    scope_label,
    target_set_fingerprint,
)
from performance.units import bounds_of

#: A target's place among an indicator's targets for a year: (provider id or None for all, district id or None
#: for every district, quarter or None for the annual target).
Scope = tuple[int | None, int | None, int | None]

#: Fields of an indicator that are not part of what it means (never listed as a framework change).
_NOT_FRAMEWORK = {"id"}


@dataclass
class TargetsReport:
    created: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    late: int = 0  # target changes recorded as made after returns were submitted

    def __iadd__(self, other: "TargetsReport") -> "TargetsReport":
        for name in ("created", "updated", "removed", "unchanged", "late"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.removed

    def __str__(self):
        parts = [f"{self.created} set", f"{self.updated} changed", f"{self.removed} removed"]
        text = ", ".join(parts) + f" ({self.unchanged} unchanged)"
        if self.late:
            text += f"; {self.late} changed after returns were submitted, shown beside their ratings"
        return text


class TargetsInvalid(ValidationError):
    """Values a target cannot take: ``by_scope`` maps each (provider id, district id, quarter) to what is wrong."""

    def __init__(self, by_scope: dict[Scope, str]):
        super().__init__(list(by_scope.values()), code="invalid")
        self.by_scope = by_scope


@dataclass(frozen=True)
class ImportProblem:
    row: int  # the spreadsheet's row number (the header is row 1); 0 for the file as a whole
    column: str
    message: str

    def __str__(self):
        if not self.row:
            return self.message
        return f"Row {self.row}, column {self.column}: {self.message}"


class TargetsImportInvalid(ValidationError):
    """A targets file that cannot be imported; ``problems`` names each by row and column. Nothing was saved."""

    def __init__(self, problems: list[ImportProblem]):
        super().__init__([str(problem) for problem in problems], code="invalid")
        self.problems = problems


def _require_manager(user) -> None:
    if user is not None and not user.has_perm("performance.manage_framework"):
        raise PermissionDenied("Only an LCC officer may change the framework.")


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter the reason for this change."})
    return reason[:REASON_LENGTH]


def target_value_problem(indicator: Indicator, value: Decimal) -> str | None:
    """What is wrong with ``value`` as a target of the indicator, or None: the bounds of its unit
    (``performance.units``, the one rule results are checked by too), as the end of "The target ..."."""
    if not value.is_finite() or abs(value) >= Decimal("1e12"):
        return "is too large: at most 12 digits before the decimal point"
    bounds = bounds_of(indicator)
    return None if bounds.allows(value) else f"must be {bounds.accepted}"


def rounded_for(indicator: Indicator, value: Decimal) -> Decimal:
    """A computed target as the indicator's unit writes it: counts whole, others to the penny or hundredth
    (half up)."""
    step = Decimal("1") if indicator.unit == Indicator.Unit.COUNT else Decimal("0.01")
    return value.quantize(step, rounding=ROUND_HALF_UP)


def _shown(value) -> str:
    return "none" if value is None else format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)


def _locked_indicators(indicators: Iterable[Indicator]) -> list[Indicator]:
    """The indicators' rows, locked in a fixed order: target writes for one indicator run one after the other."""
    ids = sorted({indicator.pk for indicator in indicators})
    return list(Indicator.objects.select_for_update().filter(pk__in=ids).order_by("pk"))


def _targets_write(
    *, indicator: Indicator, financial_year: int, wanted: dict[Scope, Decimal | None], user, reason: str
) -> TargetsReport:
    """Set (a value), or remove (None), each of the indicator's targets for the year named in ``wanted``; the
    caller holds the indicator's lock and has checked the values. Records the history, the changes to a published
    year and the changes that touch ratings already submitted."""
    report = TargetsReport()
    stored = Target.objects.filter(indicator=indicator, financial_year=financial_year)
    existing = {(t.provider_id, t.district_id, t.quarter): t for t in stored}
    before = [{"provider_id": p, "district_id": d, "quarter": q, "value": t.value} for (p, d, q), t in existing.items()]
    changed: list[tuple[Scope, Decimal | None, Decimal | None]] = []
    for scope, value in wanted.items():
        target = existing.get(scope)
        if value is None:
            if target is None:
                report.unchanged += 1
                continue
            delete_with_history(target, user=user, reason=reason)
            changed.append((scope, target.value, None))
            report.removed += 1
        elif target is None:
            target = Target(
                indicator=indicator,
                financial_year=financial_year,
                provider_id=scope[0],
                district_id=scope[1],
                quarter=scope[2],
                value=value,
            )
            save_with_history(target, user=user, reason=reason)
            changed.append((scope, None, value))
            report.created += 1
        elif target.value != value:
            old = target.value
            target.value = value
            save_new_version(target, user=user, reason=reason)
            changed.append((scope, old, value))
            report.updated += 1
        else:
            report.unchanged += 1
    if changed:
        after = [row for row in before if (row["provider_id"], row["district_id"], row["quarter"]) not in wanted]
        after += [
            {"provider_id": p, "district_id": d, "quarter": q, "value": v}
            for (p, d, q), v in wanted.items()
            if v is not None
        ]
        now = timezone.now()
        _record_framework_target_changes(indicator, financial_year, changed, user=user, reason=reason, when=now)
        report.late = _record_late_target_changes(
            indicator, financial_year, changed, before, after, user=user, reason=reason, when=now
        )
    return report


def _record_framework_target_changes(indicator, financial_year, changed, *, user, reason, when) -> None:
    publication = publication_of(financial_year)
    if publication is None:
        return
    providers = Organisation.objects.in_bulk([scope[0] for scope, _old, _new in changed if scope[0]])
    districts = District.objects.in_bulk([scope[1] for scope, _old, _new in changed if scope[1]])
    kinds = {
        (True, False): FrameworkChange.Kind.TARGET_SET,
        (False, True): FrameworkChange.Kind.TARGET_REMOVED,
        (False, False): FrameworkChange.Kind.TARGET_CHANGED,
    }
    FrameworkChange.objects.bulk_create(
        FrameworkChange(
            publication=publication,
            kind=kinds[(old is None, new is None)],
            indicator=indicator,
            what=f"Target for {scope_label(providers.get(scope[0]), scope[2], districts.get(scope[1]))}",
            before=_shown(old),
            after=_shown(new),
            reason=reason,
            changed_by=user,
            changed_at=when,
        )
        for scope, old, new in changed
    )


def _record_late_target_changes(indicator, financial_year, changed, before, after, *, user, reason, when) -> int:
    """For each changed target, the returns of the year already submitted (and counted) with a row of the
    indicator (of each district, where it is reported per district) rated against a different target than the one
    that now applies."""
    submitted = {
        return_obj.pk: return_obj
        for return_obj in Return.objects.counted()
        .filter(period__financial_year=financial_year, results__indicator=indicator)
        .distinct()
        .select_related("period")
    }
    rows: dict[int, set[int | None]] = {}
    held = Result.objects.filter(return_obj__in=list(submitted), indicator=indicator)
    for return_id, district_id in held.values_list("return_obj_id", "district_id"):
        rows.setdefault(return_id, set()).add(district_id)
    recorded = 0
    for (provider_id, district_id, quarter), old, new in changed:
        touched = []
        for return_obj in submitted.values():
            if provider_id is not None and return_obj.provider_id != provider_id:
                continue
            if quarter is not None and return_obj.period.quarter != quarter:
                continue
            for row_district in rows.get(return_obj.pk, ()):
                if district_id is not None and row_district != district_id:
                    continue
                where = {
                    "provider_id": return_obj.provider_id,
                    "quarter": return_obj.period.quarter,
                    "district_id": row_district,
                }
                was, now = target_applying(before, **where), target_applying(after, **where)
                if (was and was["value"]) != (now and now["value"]):
                    touched.append(return_obj)
                    break
        if touched:
            late = LateTargetChange.objects.create(
                indicator=indicator,
                financial_year=financial_year,
                quarter=quarter,
                provider_id=provider_id,
                district_id=district_id,
                value_before=old,
                value_after=new,
                reason=reason,
                changed_by=user,
                changed_at=when,
            )
            late.returns.set(touched)
            recorded += 1
    return recorded


class ScopeRules:
    """Whose targets an indicator may have in a year: the providers that report it, and the districts it is
    reported for (per district). Read once, asked for every target of a page or a file."""

    def __init__(self, indicator: Indicator, financial_year: int):
        self.indicator, self.financial_year = indicator, financial_year
        self.providers = {provider.pk: provider for provider in providers_reporting(indicator, financial_year)}
        self.districts = {district.pk: district for district in districts_reported(indicator, financial_year)}

    def problem(self, provider: Organisation | None, district: District | None) -> tuple[str, str] | None:
        """What is wrong with a target for ``provider`` (None: all) and ``district`` (None: every one), as (the
        field at fault, the message), or None. A provider must report the indicator that year; a district must be
        one it is reported for; a provider's target for a district needs a provider that reports it per district
        (in that district's county)."""
        code, year = self.indicator.code, format_financial_year(self.financial_year)
        if provider is not None and provider.pk not in self.providers:
            return "provider", f"{provider.code} does not report {code} in {year}"
        if district is None:
            return None
        if district.pk not in self.districts:
            if not self.indicator.by_district:
                return "district", f"{code} is not reported per district: leave the district empty"
            return "district", f"{code} is not reported for {district.name} in {year}"
        if provider is not None and not (
            reports_by_district(provider, self.indicator) and provider.county_id == district.county_id
        ):
            return "district", f"{provider.code} does not report {code} per district: leave the district empty"
        return None


def scope_problem(indicator: Indicator, financial_year: int, provider, district) -> tuple[str, str] | None:
    """``ScopeRules.problem`` for one target (the admin's form asks it)."""
    return ScopeRules(indicator, financial_year).problem(provider, district)


def _scope_problems(indicator: Indicator, financial_year: int, values: dict[Scope, Decimal | None]) -> dict:
    problems = {}
    rules = ScopeRules(indicator, financial_year)
    given = [scope for scope, value in values.items() if value is not None]
    providers = Organisation.objects.in_bulk([scope[0] for scope in given if scope[0] is not None])
    districts = District.objects.in_bulk([scope[1] for scope in given if scope[1] is not None])
    for scope, value in values.items():
        provider_id, district_id, quarter = scope
        if quarter not in (None, 1, 2, 3, 4):
            problems[scope] = "The quarter must be 1, 2, 3 or 4, or empty for the annual target."
            continue
        if value is None:
            continue  # removing a target (or leaving none) is always allowed
        if (provider_id is not None and provider_id not in providers) or (
            district_id is not None and district_id not in districts
        ):
            problems[scope] = "No such provider or district."
            continue
        wrong = rules.problem(providers.get(provider_id), districts.get(district_id))
        if wrong:
            problems[scope] = f"{wrong[1]}."
            continue
        problem = target_value_problem(indicator, value)
        if problem:
            problems[scope] = f"The {quarter_label(quarter)} target {problem}."
    return problems


@transaction.atomic
def targets_set(
    *,
    indicator: Indicator,
    financial_year: int,
    values: dict[Scope, Decimal | None],
    seen: str | None,
    user,
    reason: str,
) -> TargetsReport:
    """Set a year's targets for one indicator across providers and districts (and quarters) at once, as the
    targets page does: each (provider or all, district or every one, quarter or annual) to a value, or removed
    (None). ``seen`` is the digest of the targets the page showed (``target_set_fingerprint``): refused as stale
    when they changed since (None: no check).
    Refuses a value the indicator's unit does not allow, a provider that does not report it, a district it is not
    reported for (``ScopeRules``), an indicator not in the year's framework; all or nothing."""
    _require_manager(user)
    reason = _reason(reason)
    (indicator,) = _locked_indicators([indicator])
    if seen is not None and seen != target_set_fingerprint(indicator, financial_year):
        raise ValidationError(STALE_MESSAGE, code="stale")
    if not indicator.in_force(financial_year):
        raise ValidationError(f"{indicator.code} is not in the {format_financial_year(financial_year)} framework.")
    problems = _scope_problems(indicator, financial_year, values)
    if problems:
        raise TargetsInvalid(problems)
    return _targets_write(indicator=indicator, financial_year=financial_year, wanted=values, user=user, reason=reason)


def target_save(*, target: Target, user, reason: str) -> TargetsReport:
    """One target, as the admin changes it (its indicator, year, provider and quarter fixed once made)."""
    return targets_set(
        indicator=target.indicator,
        financial_year=target.financial_year,
        values={(target.provider_id, target.district_id, target.quarter): target.value},
        seen=None,
        user=user,
        reason=reason,
    )


@transaction.atomic
def targets_copy(
    *,
    from_year: int,
    to_year: int,
    indicators: Iterable[Indicator],
    change_pct: Decimal,
    user,
    reason: str,
    replace: bool = False,
) -> TargetsReport:
    """Copy the indicators' targets of ``from_year`` (every provider's and district's, every quarter's) into
    ``to_year``, each
    changed by ``change_pct`` per cent and rounded as the unit writes it (counts whole, half up). A target the
    new year already holds with another value is replaced only when ``replace`` is given; otherwise the copy is
    refused naming it. Refused too: an indicator with nothing to copy, or not in the new year's framework, a
    copied value its unit does not allow (a percentage over 100), and a target of a provider or district that
    has none in the new year (``ScopeRules``). All or nothing."""
    _require_manager(user)
    reason = _reason(reason)
    if from_year == to_year:
        raise ValidationError({"from_year": "Copy from another year than the one you are setting."})
    if change_pct <= Decimal("-100"):
        raise ValidationError({"change_pct": "A change of -100% or less would leave no target: enter more than -100."})
    indicators = _locked_indicators(indicators)
    if not indicators:
        raise ValidationError({"indicators": "Choose the indicators whose targets to copy."})
    factor = 1 + change_pct / 100
    sources = Target.objects.filter(financial_year=from_year, indicator__in=indicators).select_related(
        "provider", "district"
    )
    by_indicator: dict[int, list[Target]] = {}
    for target in sources:
        by_indicator.setdefault(target.indicator_id, []).append(target)
    existing = {
        (t.indicator_id, t.provider_id, t.district_id, t.quarter): t.value
        for t in Target.objects.filter(financial_year=to_year, indicator__in=indicators)
    }
    problems = []
    plans: list[tuple[Indicator, dict[Scope, Decimal]]] = []
    to_label, from_label = format_financial_year(to_year), format_financial_year(from_year)
    for indicator in indicators:
        if not indicator.in_force(to_year):
            problems.append(f"{indicator.code} is not in the {to_label} framework (retired, or not yet in it).")
            continue
        targets = by_indicator.get(indicator.pk)
        if not targets:
            problems.append(f"{indicator.code} has no {from_label} targets to copy: set them first.")
            continue
        wanted = {}
        rules = ScopeRules(indicator, to_year)
        for target in targets:
            value = rounded_for(indicator, target.value * factor)
            where = f"{indicator.code} {scope_label(target.provider, target.quarter, target.district)}"
            problem = target_value_problem(indicator, value)
            held = existing.get((indicator.pk, target.provider_id, target.district_id, target.quarter))
            wrong = rules.problem(target.provider, target.district)
            if wrong:
                why = wrong[1].split(":")[0]  # the rule broken, without the advice meant for a page or a file
                problems.append(
                    f"{where} cannot be copied into {to_label}: {why}. Remove that {from_label} target, or leave "
                    f"{indicator.code} out."
                )
            elif problem:
                problems.append(
                    f"{where}: {_shown(target.value)} changed by {change_pct}% is {_shown(value)}, which {problem}."
                )
            elif held is not None and held != value and not replace:
                problems.append(
                    f"{where} already has a {to_label} target of {_shown(held)}: choose to replace targets already "
                    "set, or leave it out."
                )
            wanted[(target.provider_id, target.district_id, target.quarter)] = value
        plans.append((indicator, wanted))
    if problems:
        raise ValidationError(problems)
    report = TargetsReport()
    for indicator, wanted in plans:
        report += _targets_write(indicator=indicator, financial_year=to_year, wanted=wanted, user=user, reason=reason)
    return report


@transaction.atomic
def targets_import(*, dataset, user, reason: str) -> TargetsReport:
    """Import targets from a file read by tablib (CSV or XLSX; columns in ``performance.resources``), all or
    nothing: every problem is named by row and column (``TargetsImportInvalid``), and one problem saves nothing.
    A row whose ``version`` is not the stored target's was exported before someone else's change: refused."""
    _require_manager(user)
    reason = _reason(reason)
    headers = dataset.headers or []
    missing = [name for name in ("indicator", "financial_year", "quarter", "provider", "value") if name not in headers]
    if missing:
        raise TargetsImportInvalid(
            [ImportProblem(1, column, "this column is missing from the first row") for column in missing]
        )
    resource = TargetResource(partnership=getattr(user, "partnership_id", None))
    result = resource.import_data(dataset, dry_run=False, raise_errors=False, use_transactions=True)
    problems = []
    for invalid in result.invalid_rows:
        for name, messages in invalid.error_dict.items():
            column = name if name in dataset.headers else "(row)"
            problems.extend(ImportProblem(invalid.number + 1, column, message) for message in messages)
    for number, errors in result.row_errors():
        problems.extend(ImportProblem(number + 1, "(row)", str(error.error)) for error in errors)
    rows = resource.rows
    if not rows and not problems:
        problems.append(ImportProblem(0, "", "The file has no rows of targets below its header."))
    seen_keys: dict[tuple, int] = {}
    plans: dict[tuple[int, int], dict[Scope, Decimal]] = {}
    indicators = {row.indicator.pk: row.indicator for row in rows}
    locked = {indicator.pk: indicator for indicator in _locked_indicators(indicators.values())}
    stored = {
        (t.indicator_id, t.financial_year, t.provider_id, t.district_id, t.quarter): t
        for t in Target.objects.filter(indicator__in=locked, financial_year__in={row.financial_year for row in rows})
    }
    scope_rules: dict[tuple[int, int], ScopeRules] = {}
    for row in rows:
        indicator = locked[row.indicator.pk]
        key = (
            indicator.pk,
            row.financial_year,
            row.provider.pk if row.provider else None,
            row.district.pk if row.district else None,
            row.quarter,
        )
        year_label = format_financial_year(row.financial_year)
        if key in seen_keys:
            message = f"the same target as row {seen_keys[key]}: give it once"
            problems.append(ImportProblem(row.row, "indicator", message))
            continue
        seen_keys[key] = row.row
        if not indicator.in_force(row.financial_year):
            message = f"{indicator.code} is not in the {year_label} framework"
            problems.append(ImportProblem(row.row, "indicator", message))
            continue
        rules = scope_rules.get((indicator.pk, row.financial_year))
        if rules is None:
            rules = scope_rules[(indicator.pk, row.financial_year)] = ScopeRules(indicator, row.financial_year)
        wrong = rules.problem(row.provider, row.district)
        if wrong:
            problems.append(ImportProblem(row.row, *wrong))
            continue
        problem = target_value_problem(indicator, row.value)
        if problem:
            problems.append(ImportProblem(row.row, "value", f"{indicator.code}'s target {problem}"))
            continue
        held = stored.get(key)
        if row.version is not None and (held is None or held.version != row.version):
            problems.append(
                ImportProblem(
                    row.row,
                    "version",
                    "this target was changed (or removed) by someone else after the file was exported: export it "
                    "again, or leave the version empty to overwrite",
                )
            )
            continue
        plans.setdefault((indicator.pk, row.financial_year), {})[key[2:]] = row.value
    if problems:
        raise TargetsImportInvalid(sorted(problems, key=lambda problem: (problem.row, problem.column)))
    report = TargetsReport()
    for (indicator_id, financial_year), wanted in plans.items():
        report += _targets_write(
            indicator=locked[indicator_id], financial_year=financial_year, wanted=wanted, user=user, reason=reason
        )
    return report


def targets_export_dataset(queryset):
    """The targets as a tablib dataset in the import's columns (to write as CSV or XLSX)."""
    return TargetResource().export(
        queryset.select_related("indicator", "provider", "district").order_by(
            "financial_year", "indicator__code", "provider__code", "district__name", "quarter"
        )
    )


# Indicators ------------------------------------------------------------------------------------------------


def _indicator_value(indicator: Indicator, name: str) -> str:
    field = Indicator._meta.get_field(name)
    value = getattr(indicator, name)
    if name in ("first_year", "retired_from"):
        return format_financial_year(value) if value else "none"
    if field.choices:
        return dict(field.flatchoices).get(value, value) or "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return _shown(value) if value not in ("", None) else "none"


def _outcome_numbers(indicator: Indicator) -> str:
    numbers = sorted(indicator.outcomes.values_list("number", flat=True)) if indicator.pk else []
    return ", ".join(str(number) for number in numbers) or "none"


def _record_indicator_changes(before: Indicator | None, before_outcomes: str, after: Indicator, *, user, reason):
    names = [f.name for f in Indicator._meta.concrete_fields if f.name not in _NOT_FRAMEWORK]
    after_outcomes = _outcome_numbers(after)
    now = timezone.now()
    changes = []
    for publication in FrameworkPublication.objects.all():
        year = publication.financial_year
        was_in = before is not None and before.in_force(year)
        is_in = after.in_force(year)
        common = {"publication": publication, "indicator": after, "reason": reason}
        common |= {"changed_by": user, "changed_at": now}
        if is_in and not was_in:
            added = FrameworkChange.Kind.INDICATOR_ADDED
            changes.append(FrameworkChange(kind=added, what="in the framework", after=str(after), **common))
        elif was_in and not is_in:
            changes.append(
                FrameworkChange(
                    kind=FrameworkChange.Kind.INDICATOR_RETIRED,
                    what="retired from",
                    before=_indicator_value(before, "retired_from"),
                    after=_indicator_value(after, "retired_from"),
                    **common,
                )
            )
        elif was_in and is_in:
            for name in names:
                old, new = _indicator_value(before, name), _indicator_value(after, name)
                if old != new:
                    what = str(Indicator._meta.get_field(name).verbose_name)
                    kind = FrameworkChange.Kind.INDICATOR_CHANGED
                    changes.append(FrameworkChange(kind=kind, what=what, before=old, after=new, **common))
            if before_outcomes != after_outcomes:
                changes.append(
                    FrameworkChange(
                        kind=FrameworkChange.Kind.INDICATOR_CHANGED,
                        what="outcomes",
                        before=before_outcomes,
                        after=after_outcomes,
                        **common,
                    )
                )
    FrameworkChange.objects.bulk_create(changes)


@transaction.atomic
def indicator_save(*, indicator: Indicator, user, reason: str, outcomes=None) -> Indicator:
    """Add an indicator or change one (its wording, kind, unit, who reports it, the years it is in the framework,
    ``outcomes`` when given), validated, with who and why in its history. A change to an indicator of a published
    year's framework is listed as a framework change of that year (added, changed field by field, retired)."""
    _require_manager(user)
    reason = _reason(reason)
    before, before_outcomes = None, "none"
    if indicator.pk is not None:
        before = Indicator.objects.select_for_update().get(pk=indicator.pk)
        before_outcomes = _outcome_numbers(before)
    save_with_history(indicator, user=user, reason=reason)
    if outcomes is not None:
        indicator.outcomes.set(outcomes)
    _record_indicator_changes(before, before_outcomes, indicator, user=user, reason=reason)
    return indicator


# Publishing a year -----------------------------------------------------------------------------------------


@transaction.atomic
def framework_publish(*, financial_year: int, user, reason: str) -> FrameworkPublication:
    """Publish a financial year's framework (its indicator set and targets as they stand). From then on every
    change to them is listed on the year's framework changes page. Refused when already published or when the
    year has no indicators."""
    _require_manager(user)
    reason = _reason(reason)
    label = format_financial_year(financial_year)
    already = FrameworkPublication.objects.select_for_update().filter(financial_year=financial_year).first()
    if already is not None:
        raise ValidationError(
            f"The {label} framework was published on {already.published_at:%d %B %Y}: changes to it are listed as "
            "framework changes."
        )
    indicators = Indicator.objects.in_force(financial_year)
    if not indicators.exists():
        raise ValidationError(f"The {label} framework has no indicators to publish.")
    publication = FrameworkPublication(
        financial_year=financial_year,
        published_at=timezone.now(),
        published_by=user,
        reason=reason,
        indicators_published=indicators.count(),
        targets_published=Target.objects.filter(financial_year=financial_year, indicator__in=indicators).count(),
    )
    save_with_history(publication, user=user, reason=reason)
    publish(events.FRAMEWORK_PUBLISHED, publication, actor=user)
    return publication
