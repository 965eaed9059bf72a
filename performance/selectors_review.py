"""Reads for what the 2011 review says about the indicators and their figures (issue 16, items 3 and 4): the kinds
of target counted against the text's own count, the indicators not under the provider's complete control, the
amendments, the City and County ratings, and the contradictions flagged wherever their figure is counted."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from performance import dashboard
from performance.models import Indicator, IndicatorAmendment, RatingSplit, Result, Return, SourceContradiction

#: The contradiction whose ``stated_figures`` are the text's count of the kinds of target (section 8.4).
KINDS_CONTRADICTION = "indicator-kinds-table-two-against-the-text"


def cio_indicators() -> QuerySet[Indicator]:
    """The CIO's own framework (VAL's thirty): reported by the CIO, countywide, not the local indicators."""
    return Indicator.objects.filter(for_cio=True, by_district=False)


@dataclass
class KindCount:
    kind: str
    label: str
    counted: int
    stated: int | None

    @property
    def difference(self) -> int | None:
        return None if self.stated is None else self.counted - self.stated


def kinds_against_the_text() -> tuple[list[KindCount], SourceContradiction | None]:
    """Per kind of target: how many of the CIO's indicators the data holds (Table Two's letters, counted in the
    database) beside how many the review's text says (its own count, loaded as stated figures)."""
    counted = dict(cio_indicators().values("kind").annotate(n=Count("id")).values_list("kind", "n"))
    flag = SourceContradiction.objects.filter(code=KINDS_CONTRADICTION).first()
    stated = flag.stated_figures if flag else {}
    rows = [
        KindCount(kind=kind, label=label, counted=counted.get(kind, 0), stated=stated.get(kind))
        for kind, label in Indicator.Kind.choices
    ]
    return rows, flag


def indicators_with_review_notes() -> QuerySet[Indicator]:
    """The CIO's indicators with their amendments and flags, for the indicators page."""
    return (
        cio_indicators()
        .order_by("number")
        .prefetch_related("amendments", "contradictions")
        .annotate(flags=Count("contradictions", distinct=True))
    )


def indicator_review_notes(indicator: Indicator) -> dict:
    """An indicator's amendments, split ratings and flagged contradictions."""
    return {
        "amendments": IndicatorAmendment.objects.filter(indicator=indicator),
        "rating_splits": RatingSplit.objects.filter(indicator=indicator).select_related("period"),
        "contradictions": SourceContradiction.objects.for_indicator(indicator).select_related("period"),
    }


def contradictions_by_indicator(return_obj: Return) -> dict[int, list[SourceContradiction]]:
    """The flags on a return's results, keyed by indicator id: on the indicator in the return's period (or in
    every period)."""
    flags = defaultdict(list)
    for flag in SourceContradiction.objects.filter(
        Q(period__isnull=True) | Q(period_id=return_obj.period_id),
        indicator__isnull=False,
        indicator__results__return_obj=return_obj,
    ).distinct():
        flags[flag.indicator_id].append(flag)
    return flags


def contradictions_in_view(filters: dashboard.DashboardFilters) -> QuerySet[SourceContradiction]:
    """The flags on any result the dashboard counts with these filters: a figure it shows includes them."""
    counted = dashboard.results_in_view(filters).filter(indicator=OuterRef("indicator"))
    return (
        SourceContradiction.objects.filter(Q(period__isnull=True) | Q(period=filters.period), indicator__isnull=False)
        .filter(Exists(counted))
        .select_related("indicator", "period")
    )


def result_contradictions(result: Result) -> QuerySet[SourceContradiction]:
    return SourceContradiction.objects.for_result(result)


def district_contradictions(district) -> QuerySet[SourceContradiction]:
    """The flags on a district's figures (e.g. two offers of money the review reports for one hub)."""
    return SourceContradiction.objects.filter(district=district)
