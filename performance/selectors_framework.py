"""Reads for the framework by year: which indicators and targets a financial year holds, who sets targets for
an indicator, whether a year is published and what changed in it since, and the targets changed after returns
were submitted (shown beside the ratings they touch)."""

import hashlib
import json
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from contracts.models import Organisation
from contracts.selectors import providers_owing_returns
from districts.models import District
from performance.models import (
    FrameworkChange,
    FrameworkPublication,
    Indicator,
    LateTargetChange,
    ReportingPeriod,
    Return,
    Target,
)

#: The quarter of a target as the pages and files write it: None is the annual target.
QUARTERS: tuple[int | None, ...] = (None, 1, 2, 3, 4)


def quarter_label(quarter: int | None) -> str:
    return "annual" if quarter is None else f"Q{quarter}"


def scope_label(provider: Organisation | None, quarter: int | None, district: District | None = None) -> str:
    """Whose target, where and for when, as people read it: "VASL, Q1", "VAL, Blaby, annual", "Blaby, Q2" (every
    provider's rows for Blaby) or "all providers, annual"."""
    parts = [provider.code if provider else None, district.name if district else None]
    if not any(parts):
        parts = ["all providers"]
    return ", ".join([part for part in parts if part] + [quarter_label(quarter)])


def framework_years() -> list[int]:
    """Every financial year the framework has something for (targets, periods or a publication), and the year
    after the latest (the one to prepare next), newest first."""
    years = set(Target.objects.values_list("financial_year", flat=True).distinct())
    years |= set(ReportingPeriod.objects.values_list("financial_year", flat=True).distinct())
    years |= set(FrameworkPublication.objects.values_list("financial_year", flat=True))
    if years:
        years.add(max(years) + 1)
    return sorted(years, reverse=True)


def publications() -> QuerySet[FrameworkPublication]:
    return FrameworkPublication.objects.select_related("published_by")


def publication_of(financial_year: int) -> FrameworkPublication | None:
    return FrameworkPublication.objects.select_related("published_by").filter(financial_year=financial_year).first()


def indicators_of_year(financial_year: int) -> QuerySet[Indicator]:
    """The year's indicator set, each with its count of targets in the year."""
    return (
        Indicator.objects.in_force(financial_year)
        .annotate(targets_in_year=Count("targets", filter=Q(targets__financial_year=financial_year)))
        .order_by("code")
    )


def indicators_retired_by(financial_year: int) -> QuerySet[Indicator]:
    """Indicators no longer in the year's framework because they were retired from it or before."""
    return Indicator.objects.filter(retired_from__lte=financial_year).order_by("code")


def providers_reporting(indicator: Indicator, financial_year: int) -> QuerySet[Organisation]:
    """The providers that report the indicator in the year (by their kind, among those owing returns then; every
    provider of a reporting kind when the year has no contract yet), in reporting order."""
    kinds = [
        kind
        for kind, reports in (
            (Organisation.Kind.CIO, indicator.for_cio),
            (Organisation.Kind.HUB, indicator.for_hub),
            (Organisation.Kind.LRC, indicator.for_lrc),
        )
        if reports
    ]
    owing = providers_owing_returns(financial_year)
    providers = owing if owing.exists() else Organisation.objects.all()
    return (
        Organisation.objects.filter(pk__in=providers.values("pk"), kind__in=kinds)
        .select_related("district")
        .order_by("kind", "code")
    )


def reports_by_district(provider: Organisation, indicator: Indicator) -> bool:
    """Whether the provider reports the indicator once per district (the CIO, for the local indicators)."""
    return provider.kind == Organisation.Kind.CIO and indicator.for_cio and indicator.by_district


def districts_reported(indicator: Indicator, financial_year: int) -> QuerySet[District]:
    """The districts the indicator is reported for in the year (the rows of the CIOs that report it per
    district: their counties' districts), by name; none when nobody reports it per district."""
    cios = [
        provider.county_id
        for provider in providers_reporting(indicator, financial_year)
        if reports_by_district(provider, indicator)
    ]
    return District.objects.filter(county_id__in=cios).order_by("name")


def targets_of(indicator: Indicator, financial_year: int) -> QuerySet[Target]:
    return Target.objects.filter(indicator=indicator, financial_year=financial_year).select_related(
        "provider", "district"
    )


def target_set_fingerprint(indicator: Indicator, financial_year: int) -> str:
    """A digest of the indicator's targets for the year as stored now: a page that set them from another digest
    was opened before someone else's change (a target added, changed or removed)."""
    rows = sorted(
        (row["provider_id"] or 0, row["district_id"] or 0, row["quarter"] or 0, str(row["value"]), row["version"])
        for row in Target.objects.filter(indicator=indicator, financial_year=financial_year).values(
            "provider_id", "district_id", "quarter", "value", "version"
        )
    )
    return hashlib.sha256(json.dumps([indicator.pk, financial_year, rows]).encode()).hexdigest()


def framework_changes(publication: FrameworkPublication) -> QuerySet[FrameworkChange]:
    """What changed in a published year's framework since it was published, newest first."""
    return publication.changes.select_related("indicator", "changed_by").order_by("-changed_at", "-id")


def late_target_changes_of_return(return_obj: Return) -> dict[int, list[LateTargetChange]]:
    """The target changes made after this return was submitted that touch its ratings, by indicator id."""
    found: dict[int, list[LateTargetChange]] = {}
    changes = return_obj.late_target_changes.select_related("changed_by", "provider", "district").order_by(
        "changed_at", "id"
    )
    for change in changes:
        found.setdefault(change.indicator_id, []).append(change)
    return found


@dataclass
class LateTargetRating:
    """A rating counted on the dashboard that was given against a target changed since."""

    provider: Organisation
    return_obj: Return
    change: LateTargetChange
    may_open: bool = False  # whether the viewer may open the return (the page asks the return policy)


def late_target_ratings(period: ReportingPeriod, returns: QuerySet[Return] | None = None) -> list[LateTargetRating]:
    """For the period, each counted return's ratings given against a target changed after it was submitted
    (``returns``: the returns the dashboard counts; default every counted return of the period)."""
    returns = returns if returns is not None else Return.objects.counted().filter(period=period)
    changes = LateTargetChange.objects.select_related("indicator", "provider", "district", "changed_by").order_by(
        "changed_at"
    )
    rows = []
    for return_obj in (
        returns.filter(late_target_changes__isnull=False)
        .distinct()
        .select_related("provider", "period")
        .prefetch_related(Prefetch("late_target_changes", queryset=changes))
        .order_by("provider__kind", "provider__code")
    ):
        for change in return_obj.late_target_changes.all():
            rows.append(LateTargetRating(return_obj.provider, return_obj, change))
    return rows
