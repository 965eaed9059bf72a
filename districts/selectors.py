"""Reads for district pages: population, providers, money in by source, negotiation and latest results."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from contracts.models import Allocation, BudgetLine, Organisation, SubContract
from core.periods import format_financial_year
from districts.models import District, NegotiationNote
from performance.models import Result, Return
from vcsportal.permissions import visible_allocations


def district_list() -> QuerySet[District]:
    """Every district with its count of local providers and live sub-contracts covering it."""
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
        visible_allocations(user, Allocation.objects.filter(Exists(covering)))
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


def district_notes(district: District) -> QuerySet[NegotiationNote]:
    """The dated negotiation notes, newest first, with who recorded them."""
    return district.negotiation_notes.select_related("recorded_by")


def district_status_history(district: District):
    """Every recorded change to the district's negotiation status, newest first."""
    return district.history.select_related("history_user").order_by("-history_date")


def district_latest_results(district: District) -> QuerySet[Result]:
    """For each local (LOC) indicator, the district's latest counted result from each provider.

    Counted means the return is submitted, accepted or signed off (Return.COUNTED). The district's results are
    those the CIO reports per district and those of hubs and LRCs based in the district.
    """
    in_district = Q(district=district) | Q(district__isnull=True, return_obj__provider__district=district)
    counted = Result.objects.filter(
        in_district, indicator__code__startswith="LOC-", return_obj__status__in=Return.COUNTED
    )
    newer = counted.filter(
        indicator=OuterRef("indicator"),
        return_obj__provider=OuterRef("return_obj__provider"),
        district=OuterRef("district"),
    ).filter(
        Q(return_obj__period__financial_year__gt=OuterRef("return_obj__period__financial_year"))
        | Q(
            return_obj__period__financial_year=OuterRef("return_obj__period__financial_year"),
            return_obj__period__quarter__gt=OuterRef("return_obj__period__quarter"),
        )
    )
    newer_local = counted.filter(
        indicator=OuterRef("indicator"),
        return_obj__provider=OuterRef("return_obj__provider"),
        district__isnull=True,
    ).filter(
        Q(return_obj__period__financial_year__gt=OuterRef("return_obj__period__financial_year"))
        | Q(
            return_obj__period__financial_year=OuterRef("return_obj__period__financial_year"),
            return_obj__period__quarter__gt=OuterRef("return_obj__period__quarter"),
        )
    )
    return (
        counted.exclude(Q(district__isnull=False) & Exists(newer))
        .exclude(Q(district__isnull=True) & Exists(newer_local))
        .select_related("indicator", "return_obj__provider", "return_obj__period")
        .order_by("indicator__code", "return_obj__provider__kind", "return_obj__provider__code")
    )
