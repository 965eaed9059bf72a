"""The national comparison: every partnership's signed-off figures side by side, for the national reviewer
(a national funder or infrastructure body, in no partnership) and site administrators.

A page of the site: it puts the performance app's signed-off returns beside the contracts app's money and the
districts app's residents, asking each app's selectors. Only signed-off returns count (never a draft, a return
submitted or accepted but not signed off, or one sent back); which partnerships are compared, the partnership
policy says.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.http import Http404
from django.urls import path
from django.views.generic import TemplateView

from contracts.selectors import allocated_by_partnership, returns_owed_by_partnership
from core.replicas import ReadsMayLagMixin
from core.views import SiteWidePermissionMixin
from districts.models import County
from districts.policies import partnerships as partnership_policy
from districts.selectors import population_by_partnership
from performance.models import ReportingPeriod
from performance.selectors import (
    indicator_signed_off_by_partnership,
    indicators_reported_by_partnerships,
    periods_with_signed_off_returns,
    signed_off_by_partnership,
)

RAG_WORDS = (("green", "Green"), ("amber", "Amber"), ("red", "Red"), ("not_reported", "Not reported"))
PENNY = Decimal("0.01")


@dataclass
class RagMix:
    red: int = 0
    amber: int = 0
    green: int = 0
    not_reported: int = 0
    total: int = 0

    @property
    def in_words(self) -> list[tuple[str, int]]:
        return [(word, getattr(self, key)) for key, word in RAG_WORDS]


@dataclass
class PartnershipFigures:
    """One partnership's row: its signed-off returns in the period and its money for the period's year."""

    partnership: County
    owed: int
    signed_off: int
    on_time: int
    rag: RagMix
    allocated: Decimal
    residents: int

    @property
    def per_thousand_residents(self) -> Decimal | None:
        """Money allocated for the year per 1,000 residents of the partnership's districts (None without any)."""
        if not self.residents:
            return None
        return (self.allocated * 1000 / self.residents).quantize(PENNY, rounding=ROUND_HALF_UP)


@dataclass
class IndicatorFigures:
    partnership: County
    rag: RagMix


def _rag(row: dict | None) -> RagMix:
    row = row or {}
    return RagMix(**{key: row.get(key, 0) for key in ("red", "amber", "green", "not_reported", "total")})


def partnership_comparison(period: ReportingPeriod, partnerships) -> list[PartnershipFigures]:
    """Each of ``partnerships`` with its signed-off figures for the period (a fixed number of queries)."""
    signed_off = signed_off_by_partnership(period, partnerships)
    owed = returns_owed_by_partnership(period.financial_year)
    allocated = allocated_by_partnership(period.financial_year)
    residents = population_by_partnership()
    rows = []
    for partnership in partnerships:
        figures = signed_off.get(partnership.pk, {})
        rows.append(
            PartnershipFigures(
                partnership=partnership,
                owed=owed.get(partnership.pk, 0),
                signed_off=figures.get("signed_off", 0),
                on_time=figures.get("on_time", 0),
                rag=_rag(figures),
                allocated=allocated.get(partnership.pk, Decimal("0")),
                residents=residents.get(partnership.pk, 0),
            )
        )
    return rows


class ComparisonForm(forms.Form):
    period = forms.ChoiceField(label="Period", required=False, widget=forms.Select(attrs={"class": "govuk-select"}))
    indicator = forms.ChoiceField(
        label="Indicator", required=False, widget=forms.Select(attrs={"class": "govuk-select"})
    )

    def __init__(self, *args, periods, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(period.slug, period.label) for period in periods]
        self.fields["indicator"].choices = [
            (row["code"], f"{row['code']}: {row['name']} ({_partnerships_text(row['partnerships'])})")
            for row in indicators
        ]


def _partnerships_text(count: int) -> str:
    return "1 partnership" if count == 1 else f"{count} partnerships"


class NationalComparisonView(ReadsMayLagMixin, SiteWidePermissionMixin, TemplateView):
    permission_required = "portal.compare_partnerships"
    template_name = "pages/national.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partnerships = partnership_policy.instances_for(self.request.user, "compare").order_by("name")
        periods = list(periods_with_signed_off_returns())
        period = self._chosen(periods, self.request.GET.get("period"), lambda p: p.slug)
        indicators = list(indicators_reported_by_partnerships(period, partnerships)) if period else []
        # The first code two or more partnerships share, unless another is asked for.
        shared = [row for row in indicators if row["partnerships"] > 1]
        indicator = self._chosen(shared + indicators, self.request.GET.get("indicator"), lambda row: row["code"])
        context.update(
            period=period,
            form=ComparisonForm(
                initial={"period": period and period.slug, "indicator": indicator and indicator["code"]},
                periods=periods,
                indicators=indicators,
            ),
            rows=partnership_comparison(period, partnerships) if period else [],
            indicator=indicator,
            indicator_rows=self._indicator_rows(period, indicator, partnerships),
            rag_words=[word for _, word in RAG_WORDS],
        )
        return context

    @staticmethod
    def _chosen(options: list, asked: str | None, key):
        """The option asked for (a 404 when it is not one of them), or the first."""
        if not asked:
            return options[0] if options else None
        for option in options:
            if key(option) == asked:
                return option
        raise Http404("Choose one of the options offered.")

    @staticmethod
    def _indicator_rows(period, indicator, partnerships) -> list[IndicatorFigures]:
        if period is None or indicator is None:
            return []
        figures = indicator_signed_off_by_partnership(period, indicator["code"], partnerships)
        return [IndicatorFigures(p, _rag(figures[p.pk])) for p in partnerships if p.pk in figures]


app_name = "national"

urlpatterns = [path("", NationalComparisonView.as_view(), name="comparison")]
