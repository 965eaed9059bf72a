"""The funders' quarterly pack: one period's picture, composed from each app's own selectors.

It lives on top (``vcsportal``) because it composes several apps: performance's dashboard selectors (the
headline, RAG by provider and by strand, the change since the previous period, completeness and timeliness,
localities per 1,000 residents), contracts' money (allocations and the reconciliation), the disputes still
open and the districts' negotiation status. The page, its PDF and ``quarterly_report`` all call
``quarterly_pack``, so the three show the same figures. Only submitted, accepted and signed-off returns
count (never drafts), whoever reads the pack. Every chart comes with the table of its figures.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from contracts.models import Allocation, Contract, Organisation, Strand
from contracts.selectors import year_reconciliation
from disputes.models import Dispute
from districts.models import District
from performance import charts
from performance.dashboard import (
    RAG_KEYS,
    RETURN_STATUS_LABELS,
    TIMELINESS_LABELS,
    DashboardFilters,
    by_strand,
    change_summary,
    completeness,
    headline,
    local_indicators,
    localities,
    previous_period_with_returns,
    providers_in_view,
    with_percentages,
)
from performance.models import ReportingPeriod
from performance.selectors_review import contradictions_in_view

#: The headline's rows: every provider, the CIO, and the hubs and LRCs together (the review's Table Three).
HEADLINE_ROWS = (
    ("All providers", ()),
    ("The CIO", (Organisation.Kind.CIO,)),
    ("Hubs and LRCs", (Organisation.Kind.HUB, Organisation.Kind.LRC)),
)


#: The strands' names short enough for a chart's labels (the table beside it gives them in full).
STRAND_SHORT = {
    Strand.COORDINATION: "Co-ordination",
    Strand.CAPACITY: "Capacity building",
    Strand.VOLUNTEERING: "Volunteering",
}


@dataclass
class Pack:
    period: ReportingPeriod
    previous: ReportingPeriod | None
    headline_rows: list[dict]
    headline_chart: charts.Chart
    providers: list
    providers_chart: charts.Chart
    strands: list[dict]
    strands_chart: charts.Chart
    change: dict | None
    change_rows: list[dict]
    change_chart: charts.Chart | None
    completeness: dict
    local_indicators: list
    localities: list[dict]
    allocations: list
    allocation_totals: list[dict]
    allocated_total: Decimal
    reconciliation: list
    open_disputes: list
    districts: list
    notes: list[str] = field(default_factory=list)
    #: The flagged contradictions on figures the headline counts (issue 16: flags, not notes).
    flags: list = field(default_factory=list)


def quarterly_pack(period: ReportingPeriod, *, disputes=None, partnership: int | None = None) -> Pack:
    """Every figure of the pack for ``period``. ``disputes``: the disputes the reader may see (a queryset;
    default every one, for an operator at the command line); ``partnership``: whose figures (None: every
    partnership's)."""

    def _filters(period, kinds=(), compare_to=None) -> DashboardFilters:
        return DashboardFilters(
            period=period, provider_kinds=tuple(kinds), compare_to=compare_to, partnership=partnership
        )

    in_partnership = {} if partnership is None else {"contract__county_id": partnership}
    everyone = _filters(period)
    previous = previous_period_with_returns(period, partnership)

    headline_rows = [{**headline(_filters(period, kinds)), "label": label} for label, kinds in HEADLINE_ROWS]
    providers = list(providers_in_view(everyone))
    for provider in providers:
        provider.return_status_label = (
            f"{RETURN_STATUS_LABELS.get(provider.return_status, provider.return_status)}"
            f" ({TIMELINESS_LABELS.get(provider.timeliness, provider.timeliness).lower()})"
        )
    provider_rows = [{"label": p.code, **{key: getattr(p, key) for key in RAG_KEYS}} for p in providers]
    strands = by_strand(everyone)

    change = change_summary(_filters(period, compare_to=previous)) if previous else None
    change_rows = []
    if previous is not None:
        change_rows = [{**headline(_filters(previous)), "label": previous.label}, {**headline_rows[0]}]
        change_rows[1]["label"] = period.label

    indicators = list(local_indicators())
    year = period.financial_year
    allocations = list(
        Allocation.objects.filter(financial_year=year, **in_partnership)
        .select_related("organisation__district", "contract")
        .order_by("organisation__kind", "organisation__code")
    )
    kind_labels = dict(Organisation.Kind.choices)
    allocation_totals = [
        {"kind": row["organisation__kind"], "label": kind_labels[row["organisation__kind"]], "total": row["total"]}
        for row in Allocation.objects.filter(financial_year=year, **in_partnership)
        .values("organisation__kind")
        .annotate(total=Sum("amount"))
        .order_by("organisation__kind")
    ]
    in_its_partnership = {} if partnership is None else {"county_id": partnership}
    reconciliation = year_reconciliation(
        list(
            Contract.objects.filter(
                start_year__lte=year, end_year__gte=year, paid_from_pool_of=None, **in_its_partnership
            ).order_by("reference")
        ),
        year,
    )
    disputes = disputes if disputes is not None else Dispute.objects.all()
    open_disputes = list(
        disputes.exclude(status=Dispute.Status.DECIDED)
        .select_related("raised_by_organisation", "respondent")
        .order_by("raised_at", "pk")
    )
    return Pack(
        period=period,
        previous=previous,
        flags=list(contradictions_in_view(_filters(period))),
        headline_rows=[with_percentages(row) for row in headline_rows],
        headline_chart=charts.rag_stacked_bars(
            headline_rows, chart_id="pack-headline", title=f"RAG ratings in {period.label}, by who reported"
        ),
        providers=providers,
        providers_chart=charts.rag_stacked_bars(
            provider_rows, chart_id="pack-providers", title=f"RAG ratings by provider, {period.label}"
        ),
        strands=strands,
        strands_chart=charts.rag_stacked_bars(
            [{**row, "short": STRAND_SHORT.get(row["strand"], row["label"])} for row in strands],
            chart_id="pack-strands",
            title=f"RAG ratings by strand, {period.label}",
            label_key="short",
        ),
        change=change,
        change_rows=[with_percentages(row) for row in change_rows],
        change_chart=charts.rag_stacked_bars(
            change_rows, chart_id="pack-change", title=f"RAG ratings in {previous.label} and {period.label}"
        )
        if previous
        else None,
        completeness=completeness(everyone),
        local_indicators=indicators,
        localities=[
            {
                **row,
                "figures": [
                    {"indicator": indicator, "total": row[f"loc_{n}_total"], "per_1000": row[f"loc_{n}_per_1000"]}
                    for n, indicator in enumerate(indicators)
                ],
            }
            for row in localities(everyone, indicators)
        ],
        allocations=allocations,
        allocation_totals=allocation_totals,
        allocated_total=sum((a.amount for a in allocations), Decimal("0")),
        reconciliation=reconciliation,
        open_disputes=open_disputes,
        districts=list(District.objects.select_related("county").order_by("county__name", "name")),
    )
