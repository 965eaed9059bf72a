"""Selectors for the funders' quarterly dashboard: every figure is computed in the database.

The dashboard page, its CSV/XLSX exports and the ``pmf_summary`` command all call these functions with a
``DashboardFilters``, so the three can never disagree. Each selector issues a fixed number of queries
whatever the number of providers, periods or results (the tests assert it on a dataset ten times the
Leicestershire one).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    Exists,
    F,
    FilteredRelation,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, TruncDate
from django.db.models.lookups import GreaterThan, LessThan
from django.utils import timezone

from contracts.models import Allocation, BudgetLine, Organisation, Priority, Strand
from core.policies import prefixed
from districts.models import District
from performance.models import Indicator, Rag, ReportingPeriod, Result, Return, ReturnSummary

RATED = (Rag.RED, Rag.AMBER, Rag.GREEN)
#: Not rated counts as "not reported": an explicit not-reported rating, or a draft row left empty.
NOT_RATED = ~Q(rag__in=RATED)
RAG_KEYS = ("red", "amber", "green", "not_reported")
PROVIDER_CONTROL_FULL, PROVIDER_CONTROL_PARTIAL = "full", "partial"
PROVIDER_CONTROL_CHOICES = [
    (PROVIDER_CONTROL_FULL, "Under the provider's complete control"),
    (PROVIDER_CONTROL_PARTIAL, "Not under the provider's complete control"),
]


@dataclass(frozen=True)
class DashboardFilters:
    """What the dashboard is looking at. Built by the page's filter form or by the command's options.

    ``drafts`` says which draft (or sent-back) returns may be counted, as a filter on returns (``None``: drafts
    are not counted at all); who may count which is the return policy's ``include_drafts`` action.
    """

    period: ReportingPeriod
    compare_to: ReportingPeriod | None = None
    provider_kinds: tuple[str, ...] = ()
    providers: tuple[int, ...] = ()
    district: District | None = None
    strand: str = ""
    priority: str = ""
    rag: str = ""
    validation: str = ""
    #: "full": indicators under the provider's complete control; "partial": those that are not (Table One).
    provider_control: str = ""
    drafts: Q | None = field(default=None, compare=False)
    #: The partnership (a ``districts.County`` id) whose figures these are; None: every partnership's (a site
    #: administrator, or the command's operator).
    partnership: int | None = None

    @property
    def include_drafts(self) -> bool:
        return self.drafts is not None


# --- periods ------------------------------------------------------------------------------------------


def periods_with_counted_returns(partnership: int | None = None) -> QuerySet:
    """Periods in which at least one return has been submitted, accepted or signed off, newest first (in one
    partnership; None: in any)."""
    counted = Return.objects.counted().filter(period=OuterRef("pk"))
    if partnership is not None:
        counted = counted.filter(provider__county_id=partnership)
    return ReportingPeriod.objects.filter(Exists(counted)).newest_first()


def latest_period_with_returns(partnership: int | None = None) -> ReportingPeriod | None:
    """The default period of the dashboard: the latest with counted returns (else the latest period)."""
    return periods_with_counted_returns(partnership).first() or ReportingPeriod.objects.newest_first().first()


def previous_period_with_returns(period: ReportingPeriod, partnership: int | None = None) -> ReportingPeriod | None:
    """The default comparison: the latest period before ``period`` with counted returns."""
    return periods_with_counted_returns(partnership).before(period).first()


# --- the results in view ------------------------------------------------------------------------------


def _countable_returns(filters: DashboardFilters, prefix: str = "return_obj__") -> Q:
    """Submitted, accepted and signed-off returns; drafts too where included and visible to the viewer."""
    q = Q(**{f"{prefix}status__in": Return.COUNTED})
    if filters.drafts is not None:
        q |= Q(**{f"{prefix}status__in": Return.OPEN_TO_PROVIDER}) & prefixed(filters.drafts, prefix)
    if filters.partnership is not None:
        q &= Q(**{f"{prefix}provider__county_id": filters.partnership})
    return q


def _provider_q(filters: DashboardFilters, prefix: str = "") -> Q:
    """The organisations in view: by kind, by code, and by district (the countywide CIO works in every one)."""
    q = Q()
    if filters.partnership is not None:
        q &= Q(**{f"{prefix}county_id": filters.partnership})
    if filters.provider_kinds:
        q &= Q(**{f"{prefix}kind__in": filters.provider_kinds})
    if filters.providers:
        q &= Q(**{f"{prefix}pk__in": filters.providers})
    if filters.district is not None:
        q &= Q(**{f"{prefix}district": filters.district}) | Q(**{f"{prefix}kind": Organisation.Kind.CIO})
    return q


def _result_q(filters: DashboardFilters, *, with_rating_filters: bool = True) -> Q:
    """Every filter that is about the result itself (not the period or the return's status)."""
    q = _provider_q(filters, prefix="return_obj__provider__")
    if filters.district is not None:
        # A result's locality: its own district, else its provider's.
        q &= Q(district=filters.district) | Q(district__isnull=True, return_obj__provider__district=filters.district)
    if filters.strand:
        q &= Q(indicator__strand=filters.strand)
    if filters.priority:
        # Through a subquery, so an indicator linked to two outcomes of that priority is counted once.
        q &= Q(indicator__in=Indicator.objects.filter(outcomes__priority=filters.priority).values("pk"))
    if filters.provider_control:
        q &= Q(indicator__under_provider_control=filters.provider_control == PROVIDER_CONTROL_FULL)
    if with_rating_filters:
        if filters.rag == Rag.NOT_REPORTED:
            q &= NOT_RATED
        elif filters.rag:
            q &= Q(rag=filters.rag)
        if filters.validation:
            q &= Q(validation=filters.validation)
    return q


def results_in_view(filters: DashboardFilters, period: ReportingPeriod | None = None) -> QuerySet:
    """The results that count for the dashboard in ``period`` (default: the filters' period)."""
    period = period or filters.period
    return Result.objects.filter(_countable_returns(filters), _result_q(filters), return_obj__period=period).order_by()


def counts_whole_returns(filters: DashboardFilters) -> bool:
    """Whether every filter is about the return (its period, provider, status) rather than about each result.
    Then a return's results counted by RAG (``ReturnSummary``, kept by the database) give the same figures as
    counting the results one by one, reading one row per return instead of some 35: at national scale the
    headline, the kinds, the providers and the periods over time are counted that way."""
    return not (
        filters.district
        or filters.strand
        or filters.priority
        or filters.rag
        or filters.validation
        or filters.provider_control
    )


def _counted_summaries(filters: DashboardFilters) -> QuerySet:
    """The summaries of the returns that count for the dashboard, in any period."""
    return ReturnSummary.objects.filter(
        _countable_returns(filters), _provider_q(filters, prefix="return_obj__provider__")
    ).order_by()


def summaries_in_view(filters: DashboardFilters, period: ReportingPeriod | None = None) -> QuerySet:
    """The summaries of the returns that count for the dashboard in ``period`` (default: the filters')."""
    return _counted_summaries(filters).filter(return_obj__period=period or filters.period)


def rag_sums() -> dict:
    """Aggregates adding up return summaries: the same figures as ``rag_counts`` over their results."""
    return {key: Coalesce(Sum(key), 0) for key in (*RAG_KEYS, "total")}


def rag_counts() -> dict:
    """Aggregates counting results by RAG; not reported includes a row left unrated. The rating (never null)
    is counted rather than the id, so PostgreSQL can read the rows from the covering index
    ``result_return_cover`` alone."""
    return {
        "red": Count("rag", filter=Q(rag=Rag.RED)),
        "amber": Count("rag", filter=Q(rag=Rag.AMBER)),
        "green": Count("rag", filter=Q(rag=Rag.GREEN)),
        "not_reported": Count("rag", filter=NOT_RATED),
        "total": Count("rag"),
    }


def whole_per_cent(part: int, whole: int) -> int | None:
    """A share in whole per cent, halves rounded up, as the 2011 review writes them (26 of 41 is 63%)."""
    if not whole:
        return None
    return int((Decimal(100) * part / whole).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def with_percentages(row: dict) -> dict:
    """Adds ``<rag>_pct`` to a row of RAG counts (a formatting step on figures already counted)."""
    total = row.get("total") or 0
    return {**row, **{f"{key}_pct": whole_per_cent(row.get(key) or 0, total) for key in RAG_KEYS}}


# --- headline, by kind, by strand, by outcome priority ---------------------------------------------------


def headline(filters: DashboardFilters) -> dict:
    """RAG counts and whole per cents over every result in view; ``total`` is the number of indicators."""
    if counts_whole_returns(filters):
        return with_percentages(summaries_in_view(filters).aggregate(**rag_sums()))
    return with_percentages(results_in_view(filters).aggregate(**rag_counts()))


def by_provider_kind(filters: DashboardFilters) -> list[dict]:
    """One row per kind of provider (CIO, hub, LRC) with its RAG counts and per cents."""
    labels = dict(Organisation.Kind.choices)
    if counts_whole_returns(filters):
        rows = (
            summaries_in_view(filters)
            .values(kind=F("return_obj__provider__kind"))
            .annotate(**rag_sums())
            .filter(total__gt=0)
        )
    else:
        rows = results_in_view(filters).values(kind=F("return_obj__provider__kind")).annotate(**rag_counts())
    rows = rows.order_by("kind")
    return [with_percentages({**row, "label": labels.get(row["kind"], row["kind"])}) for row in rows]


def indicator_rag_counts(filters: DashboardFilters) -> dict[int, dict]:
    """The results in view counted by RAG per indicator (one query), keyed by indicator id: what the strand
    and outcome-priority sections add up. Counting per indicator first, then adding a few dozen rows up by
    each indicator's strand or priorities, reads the period's results once instead of once per section and
    needs no COUNT(DISTINCT) for indicators that serve two outcomes."""
    rows = results_in_view(filters).values("indicator").annotate(**rag_counts())
    return {row.pop("indicator"): row for row in rows}


def _added_up(per_indicator: dict[int, dict], groups_of: dict[int, set]) -> dict:
    """Per-indicator counts added up into each group an indicator belongs to."""
    totals: dict = {}
    for indicator, counts in per_indicator.items():
        for group in groups_of.get(indicator, {None}):
            row = totals.setdefault(group, dict.fromkeys((*RAG_KEYS, "total"), 0))
            for key in row:
                row[key] += counts[key]
    return totals


def by_strand(filters: DashboardFilters, per_indicator: dict[int, dict] | None = None) -> list[dict]:
    """One row per infrastructure strand with results in view. ``per_indicator``: ``indicator_rag_counts``
    of the same filters, where the caller already has it."""
    per_indicator = indicator_rag_counts(filters) if per_indicator is None else per_indicator
    indicators = Indicator.objects.filter(pk__in=list(per_indicator))
    strands = {pk: {strand} for pk, strand in indicators.values_list("pk", "strand")}
    labels = dict(Strand.choices)
    return [
        with_percentages({"strand": strand, **counts, "label": labels.get(strand, strand)})
        for strand, counts in sorted(_added_up(per_indicator, strands).items())
    ]


def by_outcome_priority(filters: DashboardFilters, per_indicator: dict[int, dict] | None = None) -> list[dict]:
    """One row per outcome priority: the results whose indicator serves an outcome of that priority.

    An indicator linked to outcomes of two priorities counts in both rows (once in each, however many of its
    outcomes share a priority); one linked to none counts under "No linked outcome". ``per_indicator`` as
    for ``by_strand``.
    """
    per_indicator = indicator_rag_counts(filters) if per_indicator is None else per_indicator
    priorities: dict[int, set] = {}
    links = Indicator.outcomes.through.objects.filter(indicator__in=list(per_indicator))
    for indicator, priority in links.values_list("indicator", "outcome__priority"):
        priorities.setdefault(indicator, set()).add(priority)
    labels = dict(Priority.choices)
    order = {Priority.HIGH: 0, Priority.MEDIUM: 1, Priority.LOW: 2}
    rows = [
        with_percentages({"priority": priority, **counts, "label": labels.get(priority, "No linked outcome")})
        for priority, counts in _added_up(per_indicator, priorities).items()
    ]
    return sorted(rows, key=lambda row: (order.get(row["priority"], 3), row["priority"] or ""))


# --- by provider and completeness --------------------------------------------------------------------------


def _count_for_provider(results: QuerySet, condition: Q | None = None):
    matching = results.filter(return_obj__provider=OuterRef("pk"))
    if condition is not None:
        matching = matching.filter(condition)
    counted = matching.values("return_obj__provider").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _providers_with_return(filters: DashboardFilters) -> QuerySet:
    """The organisations in view joined (not sub-queried) to their return for the period, annotated with
    ``return_status`` (drafts and sent-back returns read as not submitted; ``missing`` where there is no
    return), ``submitted_on`` (counted returns only) and ``timeliness`` (``on_time``, ``late``,
    ``overdue``, ``not_yet_due``, against the period's due date)."""
    period = filters.period
    due = period.due_on
    qs = (
        Organisation.objects.filter(_provider_q(filters))
        .annotate(period_return=FilteredRelation("returns", condition=Q(returns__period=period)))
        .annotate(
            return_status=Case(
                When(period_return__isnull=True, then=Value("missing")),
                When(period_return__status__in=Return.OPEN_TO_PROVIDER, then=Value("not_submitted")),
                default=F("period_return__status"),
                output_field=CharField(),
            ),
            submitted_on=Case(
                When(period_return__status__in=Return.COUNTED, then=TruncDate("period_return__submitted_at")),
                default=None,
            ),
            # The return itself (its id and status), so a page can link each provider to it where the
            # viewer may open it (asked of the return policy in memory, with no query per row).
            period_return_id=F("period_return__id"),
            period_return_status=F("period_return__status"),
        )
    )
    if due is None:
        timeliness = Value("not_yet_due")
    else:
        # Not yet submitted: overdue once the due date has passed, else not yet due.
        timeliness = Case(
            When(Q(period_return__status__in=Return.COUNTED, submitted_on__lte=due), then=Value("on_time")),
            When(period_return__status__in=Return.COUNTED, then=Value("late")),
            default=Value("overdue" if timezone.localdate() > due else "not_yet_due"),
            output_field=CharField(),
        )
    return qs.annotate(timeliness=timeliness)


def providers_in_view(filters: DashboardFilters) -> QuerySet:
    """One row per provider in view (whether or not it has made a return), in one query: its return as in
    ``_providers_with_return`` and its results in view counted as ``red``, ``amber``, ``green``,
    ``not_reported`` and ``total``."""
    providers = _providers_with_return(filters)
    if counts_whole_returns(filters):
        # Joined to the period's return and its summary: a return that does not count counts nothing.
        counted = _countable_returns(filters, prefix="period_return__")
        counts = {
            key: Case(When(counted, then=Coalesce(f"period_return__summary__{key}", 0)), default=0)
            for key in (*RAG_KEYS, "total")
        }
        return providers.annotate(**counts).order_by("kind", "code")
    results = results_in_view(filters)
    return providers.annotate(
        red=_count_for_provider(results, Q(rag=Rag.RED)),
        amber=_count_for_provider(results, Q(rag=Rag.AMBER)),
        green=_count_for_provider(results, Q(rag=Rag.GREEN)),
        not_reported=_count_for_provider(results, NOT_RATED),
        total=_count_for_provider(results),
    ).order_by("kind", "code")


RETURN_STATUS_LABELS = {
    "missing": "Missing",
    "not_submitted": "Not submitted",
    Return.Status.SUBMITTED: "Submitted",
    Return.Status.ACCEPTED: "Accepted",
    Return.Status.SIGNED_OFF: "Signed off",
}
TIMELINESS_LABELS = {
    "on_time": "On time",
    "late": "Late",
    "overdue": "Overdue",
    "not_yet_due": "Not yet due",
}


def completeness(filters: DashboardFilters) -> dict:
    """How many providers in view have submitted, been accepted, been signed off, not submitted (drafts,
    whether or not drafts are included in the figures), are missing, and were late or are overdue."""
    providers = _providers_with_return(filters).order_by()
    return providers.aggregate(
        providers=Count("pk"),
        submitted=Count("pk", filter=Q(return_status=Return.Status.SUBMITTED)),
        accepted=Count("pk", filter=Q(return_status=Return.Status.ACCEPTED)),
        signed_off=Count("pk", filter=Q(return_status=Return.Status.SIGNED_OFF)),
        not_submitted=Count("pk", filter=Q(return_status="not_submitted")),
        missing=Count("pk", filter=Q(return_status="missing")),
        on_time=Count("pk", filter=Q(timeliness="on_time")),
        late=Count("pk", filter=Q(timeliness="late")),
        overdue=Count("pk", filter=Q(timeliness="overdue")),
    )


def draft_returns_included(filters: DashboardFilters) -> QuerySet:
    """The not-yet-submitted returns whose figures are in view (empty unless drafts are included)."""
    if filters.drafts is None:
        return Return.objects.none()
    return (
        Return.objects.open_to_provider()
        .filter(filters.drafts, period=filters.period)
        .filter(provider__in=Organisation.objects.filter(_provider_q(filters)))
        .select_related("provider")
        .order_by("provider__code")
    )


# --- over time -------------------------------------------------------------------------------------------


#: How many reporting periods the over-time section looks back over, the filters' period included.
OVER_TIME_PERIODS = 8


def rag_over_time(filters: DashboardFilters) -> list[dict]:
    """RAG counts per period, for the last ``OVER_TIME_PERIODS`` periods up to and including the filters'
    period (in the same query, as a subquery), for each of them with results in view. Counting only these
    keeps the work bounded as years of returns pile up (every period would be half the results at scale)."""
    period = filters.period
    shown = (
        ReportingPeriod.objects.filter(
            Q(financial_year__lt=period.financial_year)
            | Q(financial_year=period.financial_year, quarter__lte=period.quarter)
        )
        .order_by("-financial_year", "-quarter")
        .values("pk")[:OVER_TIME_PERIODS]
    )
    by_period = {
        "financial_year": F("return_obj__period__financial_year"),
        "quarter": F("return_obj__period__quarter"),
    }
    if counts_whole_returns(filters):
        rows = (
            _counted_summaries(filters)
            .filter(return_obj__period__in=Subquery(shown))
            .values(**by_period)
            .annotate(**rag_sums())
            # Periods with results in view, as counting the results gives.
            .filter(total__gt=0)
        )
    else:
        rows = (
            Result.objects.filter(_countable_returns(filters), _result_q(filters))
            .filter(return_obj__period__in=Subquery(shown))
            .values(**by_period)
            .annotate(**rag_counts())
        )
    rows = rows.order_by("financial_year", "quarter")
    return [
        with_percentages(
            {**row, "label": ReportingPeriod(financial_year=row["financial_year"], quarter=row["quarter"]).label}
        )
        for row in rows
    ]


# --- change since an earlier period ------------------------------------------------------------------------

MOVES = (
    "improved",
    "steady",
    "declined",
    "newly_reported",
    "no_longer_reported",
    "not_yet_submitted",
    "still_not_reported",
)
MOVE_ORDER = (
    "declined",
    "improved",
    "newly_reported",
    "no_longer_reported",
    "not_yet_submitted",
    "steady",
    "still_not_reported",
)
MOVE_LABELS = {
    "improved": "Improved",
    "steady": "Steady",
    "declined": "Declined",
    "newly_reported": "Newly reported",
    "no_longer_reported": "No longer reported",
    # The provider's return for the period is not in yet (a draft, sent back, or none): not a dropped rating.
    "not_yet_submitted": "Not yet submitted",
    "still_not_reported": "Not reported in either",
}


def _rank(rag_field: str = "rag") -> Case:
    """red < amber < green; anything else (not reported, unrated) has no rank."""
    return Case(
        When(Q(**{rag_field: Rag.RED}), then=Value(0)),
        When(Q(**{rag_field: Rag.AMBER}), then=Value(1)),
        When(Q(**{rag_field: Rag.GREEN}), then=Value(2)),
        default=None,
        output_field=IntegerField(),
    )


def changes(filters: DashboardFilters):
    """One row per provider, indicator and district reported in either period (a values queryset, one
    query), pairing the rating in ``compare_to`` with the rating now: ``provider``, ``provider_kind``,
    ``indicator``, ``district``, ``earlier_rag``, ``current_rag`` (empty where absent) and ``move`` (one of
    MOVES). RAG and validation filters apply to the rating now; with one set, only pairs with a current
    result matching it are listed."""
    current_period, earlier_period = filters.period, filters.compare_to
    is_current = Q(return_obj__period=current_period)
    is_earlier = Q(return_obj__period=earlier_period)
    in_scope = _countable_returns(filters) & (
        (is_current & _result_q(filters)) | (is_earlier & _result_q(filters, with_rating_filters=False))
    )
    # Providers whose return for the period counts (submitted, or a draft the viewer included).
    returned_now = Return.objects.filter(_countable_returns(filters, prefix=""), period=current_period).values(
        "provider"
    )
    qs = (
        Result.objects.filter(in_scope)
        .values(
            provider=F("return_obj__provider__code"),
            provider_kind=F("return_obj__provider__kind"),
            indicator_code=F("indicator__code"),
            district_name=F("district__name"),
        )
        .annotate(
            has_current=Count("pk", filter=is_current),
            current_rag=Coalesce(Max("rag", filter=is_current), Value("")),
            earlier_rag=Coalesce(Max("rag", filter=is_earlier), Value("")),
            current_rank=Max(_rank(), filter=is_current),
            earlier_rank=Max(_rank(), filter=is_earlier),
        )
        .annotate(
            move=Case(
                When(
                    Q(current_rank__isnull=True) & ~Q(return_obj__provider__in=Subquery(returned_now)),
                    then=Value("not_yet_submitted"),
                ),
                When(current_rank__isnull=True, earlier_rank__isnull=True, then=Value("still_not_reported")),
                When(current_rank__isnull=True, then=Value("no_longer_reported")),
                When(earlier_rank__isnull=True, then=Value("newly_reported")),
                When(GreaterThan(F("current_rank"), F("earlier_rank")), then=Value("improved")),
                When(LessThan(F("current_rank"), F("earlier_rank")), then=Value("declined")),
                default=Value("steady"),
                output_field=CharField(),
            ),
        )
    )
    if filters.rag or filters.validation:
        qs = qs.filter(has_current__gt=0)
    # Declines first: they are what a funders' review asks about.
    move_order = Case(
        *(When(move=move, then=Value(n)) for n, move in enumerate(MOVE_ORDER)), output_field=IntegerField()
    )
    return qs.annotate(move_order=move_order).order_by(
        "move_order", "provider_kind", "provider", "indicator_code", "district_name"
    )


def change_summary(filters: DashboardFilters) -> dict | None:
    """Counts of each move and the codes of the indicators that declined, or None without ``compare_to``."""
    if filters.compare_to is None:
        return None
    qs = changes(filters)
    summary = qs.order_by().aggregate(
        **{move: Sum(Case(When(move=move, then=Value(1)), default=Value(0))) for move in MOVES}
    )
    declined = sorted({row["indicator_code"] for row in qs.filter(move="declined")})
    return {
        "compare_to": filters.compare_to.label,
        "improved": summary["improved"] or 0,
        "steady": summary["steady"] or 0,
        "declined": summary["declined"] or 0,
        "declined_indicators": declined,
        "newly_reported": summary["newly_reported"] or 0,
        "no_longer_reported": summary["no_longer_reported"] or 0,
        "not_yet_submitted": summary["not_yet_submitted"] or 0,
        "still_not_reported": summary["still_not_reported"] or 0,
    }


# --- localities --------------------------------------------------------------------------------------------


def local_indicators() -> QuerySet:
    """The indicators reported per locality (the LOC indicators)."""
    return Indicator.objects.filter(by_district=True).order_by("code")


def localities(filters: DashboardFilters, indicators: list[Indicator]) -> list[dict]:
    """One row per district (three queries, whatever the number of districts, providers or results):
    ``name``, ``slug``, ``population``; money going in for the period's financial year
    (``subcontract_money``: allocations to the hubs and LRCs based there; ``cio_district_staff``: the CIO's
    front-line staff budget lines for it, None where its budget does not say; ``money``: both); and for the
    local indicator at position n of ``indicators`` the district's ``actual`` figures in view:
    ``loc_<n>_cio``, ``loc_<n>_hub``, ``loc_<n>_lrc`` (who reported them), ``loc_<n>_total`` and
    ``loc_<n>_per_1000`` (per 1,000 residents). A figure nobody reported is None, not 0.

    A result's district is its own, else its provider's: so VAL's per-district figures and the hub's
    and LRC's figures for the same district sit side by side, and credit is visible."""
    year = filters.period.financial_year
    money_field = DecimalField(max_digits=14, decimal_places=2)
    subcontract_money = (
        Allocation.objects.filter(
            financial_year=year,
            organisation__district=OuterRef("pk"),
            organisation__kind__in=[Organisation.Kind.HUB, Organisation.Kind.LRC],
        )
        .values("organisation__district")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    staff_money = (
        BudgetLine.objects.filter(financial_year=year, district=OuterRef("pk"), category__in=BudgetLine.FRONT_LINE)
        .values("district")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    districts = (
        District.objects.filter(_district_q(filters))
        .annotate(
            subcontract_money=Subquery(subcontract_money, output_field=money_field),
            cio_district_staff=Subquery(staff_money, output_field=money_field),
        )
        .annotate(
            money=Coalesce("subcontract_money", Value(Decimal("0")), output_field=money_field)
            + Coalesce("cio_district_staff", Value(Decimal("0")), output_field=money_field)
        )
        .order_by("name")
        .values("pk", "name", "slug", "population", "subcontract_money", "cio_district_staff", "money")
    )
    figures = (
        results_in_view(filters)
        .filter(indicator__in=[i.pk for i in indicators], actual__isnull=False)
        .annotate(locality=Coalesce("district", "return_obj__provider__district"))
        .exclude(locality__isnull=True)
    )
    by_kind = figures.values("locality", "indicator", kind=F("return_obj__provider__kind")).annotate(
        figure=Sum("actual")
    )
    population = Coalesce("district__population", "return_obj__provider__district__population")
    totals = figures.values("locality", "indicator").annotate(
        figure=Sum("actual"),
        per_1000=Cast(Sum("actual"), FloatField()) * Value(1000.0) / Cast(Max(population), FloatField()),
    )
    position = {indicator.pk: n for n, indicator in enumerate(indicators)}
    # Place each figure the database summed into its district's row and column.
    placed = {}
    for row in by_kind:
        placed[(row["locality"], f"loc_{position[row['indicator']]}_{row['kind']}")] = row["figure"]
    for row in totals:
        n = position[row["indicator"]]
        placed[(row["locality"], f"loc_{n}_total")] = row["figure"]
        placed[(row["locality"], f"loc_{n}_per_1000")] = row["per_1000"]
    columns = [f"loc_{n}_{part}" for n in range(len(indicators)) for part in ("cio", "hub", "lrc", "total", "per_1000")]
    return [
        {**district, **{column: placed.get((district["pk"], column)) for column in columns}} for district in districts
    ]


def _district_q(filters: DashboardFilters) -> Q:
    q = Q(pk=filters.district.pk) if filters.district is not None else Q()
    return q & Q(county_id=filters.partnership) if filters.partnership is not None else q


# --- an indicator's history -------------------------------------------------------------------------------


def _counted_of(indicator: Indicator, partnership: int | None, prefix: str = "return_obj__") -> Q:
    """An indicator's counted results, in one partnership (None: every partnership's)."""
    q = Q(indicator=indicator, **{f"{prefix}status__in": Return.COUNTED})
    return q & Q(**{f"{prefix}provider__county_id": partnership}) if partnership is not None else q


def indicator_history(indicator: Indicator, partnership: int | None) -> QuerySet:
    """Every counted result of an indicator across periods and providers, oldest period first."""
    return (
        Result.objects.filter(_counted_of(indicator, partnership))
        .select_related("return_obj__period", "return_obj__provider", "indicator", "district")
        .order_by(
            "return_obj__period__financial_year",
            "return_obj__period__quarter",
            "return_obj__provider__code",
            "district__name",
        )
    )


def indicator_rag_over_time(indicator: Indicator, partnership: int | None) -> list[dict]:
    """An indicator's counted RAG ratings per period, over every provider."""
    rows = (
        Result.objects.filter(_counted_of(indicator, partnership))
        .values(financial_year=F("return_obj__period__financial_year"), quarter=F("return_obj__period__quarter"))
        .annotate(**rag_counts())
        .order_by("financial_year", "quarter")
    )
    return [
        with_percentages(
            {**row, "label": ReportingPeriod(financial_year=row["financial_year"], quarter=row["quarter"]).label}
        )
        for row in rows
    ]


def indicator_series(indicator: Indicator, provider: Organisation) -> list[dict]:
    """One provider's figures for an indicator per period: ``actual`` (summed over districts) and ``target``
    (the largest target it reported against), counted returns only."""
    rows = (
        Result.objects.filter(indicator=indicator, return_obj__provider=provider, return_obj__status__in=Return.COUNTED)
        .values(financial_year=F("return_obj__period__financial_year"), quarter=F("return_obj__period__quarter"))
        .annotate(actual=Sum("actual"), target=Max("target"))
        .order_by("financial_year", "quarter")
    )
    return [
        {**row, "label": ReportingPeriod(financial_year=row["financial_year"], quarter=row["quarter"]).label}
        for row in rows
    ]


def indicator_providers(indicator: Indicator, partnership: int | None) -> QuerySet:
    """The providers with counted results for an indicator, each with ``has_figures``: whether any of them
    gives a figure (the chart opens on the first that does, not on one with ratings and no figures)."""
    counted = Result.objects.filter(_counted_of(indicator, partnership), return_obj__provider=OuterRef("pk"))
    return (
        Organisation.objects.filter(Exists(counted))
        .annotate(has_figures=Exists(counted.filter(actual__isnull=False)))
        .order_by("kind", "code")
    )


# --- the summary the command prints -------------------------------------------------------------------------


def pmf_summary(filters: DashboardFilters) -> dict:
    """The shape ``pmf_summary`` prints: period, number of indicators, totals, per provider and (with a
    comparison period) the change."""
    totals = headline(filters)
    summary = {
        "period": filters.period.label,
        "indicators": totals["total"],
        "totals": {key: totals[key] for key in RAG_KEYS},
        "providers": [
            {"code": p.code, "kind": p.kind, **{key: getattr(p, key) for key in RAG_KEYS}}
            for p in providers_in_view(filters)
        ],
    }
    if filters.compare_to is not None:
        summary["change"] = change_summary(filters)
    return summary
