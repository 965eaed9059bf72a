"""The funders' quarterly dashboard in sections, its exports, and the indicator page.

The dashboard is four pages that share one filter form and a sub-navigation: the overview (``/dashboard/``:
headline, by kind of provider, completeness, by strand, by outcome priority, over time), providers, change
since an earlier period, and localities. Each section computes and renders only its own figures;
``DashboardSectionView`` holds what they share (the filters, the sub-navigation, who may export).

Every figure comes from ``performance.dashboard`` through ``DashboardTables``, which both the pages and the
exports use, so a downloaded table holds exactly what the page shows.
"""

from dataclasses import dataclass

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import TemplateView, View

from core.paging import paginate_table
from core.replicas import ReadsMayLagMixin
from performance import charts, dashboard, selectors_review
from performance.exports import table_response
from performance.filters import DashboardFilterSet
from performance.models import Indicator
from performance.policies import figures_partnership
from performance.selectors_framework import LateTargetRating, late_target_ratings
from performance.tables import (
    ChangeTable,
    CompletenessTable,
    LocalityTable,
    ProviderTable,
    RagCountsTable,
    ResultTable,
    SeriesTable,
    indicator_link,
)

EXPORTABLE = (
    "by-kind",
    "by-provider",
    "by-strand",
    "by-priority",
    "over-time",
    "change",
    "completeness",
    "localities",
    "results",
)

#: Rows per page of the providers, change and locality tables.
PER_PAGE = 25


@dataclass(frozen=True)
class DashboardSection:
    url_name: str
    label: str


#: The dashboard's sections, in the order the sub-navigation lists them.
SECTIONS = (
    DashboardSection("performance:dashboard", "Overview"),
    DashboardSection("performance:dashboard_providers", "Providers"),
    DashboardSection("performance:dashboard_change", "Change"),
    DashboardSection("performance:dashboard_localities", "Localities"),
)


def is_table_page_parameter(name: str) -> bool:
    """A table's page (``p-page``, ``l3-page``) or page size: it means nothing on another section."""
    return name in ("page", "per_page") or name.endswith(("-page", "-per_page"))


class DashboardTables:
    """Builds each of the dashboard's tables on demand from one set of filters."""

    def __init__(self, filters: dashboard.DashboardFilters, user):
        self.filters = filters
        self.user = user
        self.show_money = user.has_perm("portal.view_contracts")
        self._indicators = None
        self._per_indicator = None

    @property
    def per_indicator(self) -> dict:
        """The results in view counted per indicator, read once for the strand and priority tables."""
        if self._per_indicator is None:
            self._per_indicator = dashboard.indicator_rag_counts(self.filters)
        return self._per_indicator

    @property
    def local_indicators(self):
        if self._indicators is None:
            self._indicators = list(dashboard.local_indicators())
        return self._indicators

    def build(self, name: str):
        f = self.filters
        if name == "by-kind":
            return RagCountsTable(
                dashboard.by_provider_kind(f), label="Kind of provider", caption="By kind of provider"
            )
        if name == "by-provider":
            return ProviderTable(dashboard.providers_in_view(f), caption="By provider", user=self.user)
        if name == "by-strand":
            return RagCountsTable(dashboard.by_strand(f, self.per_indicator), label="Strand", caption="By strand")
        if name == "by-priority":
            return RagCountsTable(
                dashboard.by_outcome_priority(f, self.per_indicator),
                label="Outcome priority",
                caption="By outcome priority",
            )
        if name == "over-time":
            return RagCountsTable(dashboard.rag_over_time(f), label="Period", caption="Over time")
        if name == "change":
            if f.compare_to is None:
                raise Http404("There is no earlier period to compare with.")
            return ChangeTable(
                dashboard.changes(f),
                caption=f"Change since {f.compare_to.label}",
            )
        if name == "completeness":
            return CompletenessTable(dashboard.completeness(f))
        if name == "localities":
            return LocalityTable(
                dashboard.localities(f, self.local_indicators),
                indicators=self.local_indicators,
                show_money=self.show_money,
                caption="Localities",
            )
        if name == "results":
            return ResultTable(
                dashboard.results_in_view(f)
                .select_related("return_obj__period", "return_obj__provider", "indicator", "district")
                .order_by(
                    "return_obj__provider__kind", "return_obj__provider__code", "indicator__code", "district__name"
                ),
                caption="Results",
            )
        raise Http404(f"There is no table called {name}.")

    def filename(self, name: str) -> str:
        return f"{name}-{self.filters.period.slug}"


class DashboardMixin(ReadsMayLagMixin, PermissionRequiredMixin):
    """The dashboard's pages and exports: published figures, which may be read from a replica a moment behind."""

    permission_required = "portal.view_dashboard"
    raise_exception = True

    def get_filterset(self):
        if not hasattr(self, "_filterset"):
            self._filterset = DashboardFilterSet(self.request.GET or None, user=self.request.user)
        return self._filterset


def late_ratings(user, filters: dashboard.DashboardFilters) -> list[LateTargetRating]:
    """The period's counted ratings given against a target changed since, each saying whether the viewer may
    open its return."""
    rows = late_target_ratings(filters.period)
    for row in rows:
        row.may_open = user.has_perm("performance.view_return", row.return_obj)
    return rows


class DashboardSectionView(DashboardMixin, TemplateView):
    """What every section shares: the filter form and its filters, the sub-navigation (which keeps the query
    string, less the tables' page parameters), who may export and see money. A section names its url and
    template and adds its own figures in ``section_context``, which is called only when there is a period."""

    url_name: str

    def section_context(self, filters: dashboard.DashboardFilters, tables: DashboardTables) -> dict:
        raise NotImplementedError

    def paginate(self, table, prefix: str):
        """Page ``table`` by its own ``<prefix>page`` parameter, so paging one table leaves the others be."""
        return paginate_table(self.request, table, per_page=PER_PAGE, prefix=prefix)

    def sections(self) -> list[dict]:
        """The sub-navigation: each section's link with this page's filters, and which one is this page."""
        kept = self.request.GET.copy()
        for name in [name for name in kept if is_table_page_parameter(name)]:
            del kept[name]
        query = kept.urlencode()
        return [
            {
                "label": section.label,
                "url": reverse(section.url_name) + (f"?{query}" if query else ""),
                "current": section.url_name == self.url_name,
            }
            for section in SECTIONS
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.get_filterset()
        filters = filterset.dashboard_filters()
        context.update(
            filterset=filterset,
            filters=filters,
            form=filterset.form,
            section_url=reverse(self.url_name),
            section_label=next(s.label for s in SECTIONS if s.url_name == self.url_name),
            sections=self.sections(),
            may_export=self.request.user.has_perm("portal.export"),
            query=self.request.GET.urlencode(),
        )
        if filters is None:
            return context
        tables = DashboardTables(filters, self.request.user)
        context["show_money"] = tables.show_money
        context.update(self.section_context(filters, tables))
        return context


class DashboardView(DashboardSectionView):
    """The overview: the drafts note, headline, by kind of provider, completeness, by strand, by outcome
    priority and over time. Nothing of the other sections is computed here."""

    url_name = "performance:dashboard"
    template_name = "performance/dashboard.html"

    def section_context(self, filters, tables):
        over_time = dashboard.rag_over_time(filters)
        return {
            "headline": dashboard.headline(filters),
            # A figure counted here that a source contradicts is flagged beside it, not left to a footnote.
            "flags": list(selectors_review.contradictions_in_view(filters)),
            "drafts_included": list(dashboard.draft_returns_included(filters)),
            "kind_table": tables.build("by-kind"),
            "completeness_table": tables.build("completeness"),
            "strand_table": tables.build("by-strand"),
            "priority_table": tables.build("by-priority"),
            "over_time_periods": dashboard.OVER_TIME_PERIODS,
            "over_time_table": RagCountsTable(over_time, label="Period", caption="Over time"),
            "over_time_chart": charts.rag_stacked_bars(
                over_time, chart_id="chart-over-time", title="RAG ratings over time"
            ),
        }


class DashboardProvidersView(DashboardSectionView):
    """By provider: a chart of the page of providers shown, and the table (25 a page)."""

    url_name = "performance:dashboard_providers"
    template_name = "performance/dashboard_providers.html"

    def section_context(self, filters, tables):
        provider_table = self.paginate(tables.build("by-provider"), "p-")
        return {
            "late_ratings": late_ratings(self.request.user, filters),
            "provider_table": provider_table,
            "provider_chart": charts.rag_stacked_bars(
                [
                    {"code": row.record.code, **{key: getattr(row.record, key) for key in dashboard.RAG_KEYS}}
                    for row in provider_table.paginated_rows
                ],
                chart_id="chart-providers",
                title="RAG ratings by provider",
                label_key="code",
            ),
        }


class DashboardChangeView(DashboardSectionView):
    """Change since an earlier period: the summary and the table (25 a page); a note when there is none."""

    url_name = "performance:dashboard_change"
    template_name = "performance/dashboard_change.html"

    def section_context(self, filters, tables):
        if filters.compare_to is None:
            return {}
        return {
            "change": dashboard.change_summary(filters),
            "change_table": self.paginate(tables.build("change"), "c-"),
        }


class DashboardLocalitiesView(DashboardSectionView):
    """Localities: people and money by district, then one table per local indicator (25 districts a page)."""

    url_name = "performance:dashboard_localities"
    template_name = "performance/dashboard_localities.html"

    def section_context(self, filters, tables):
        indicators = tables.local_indicators
        rows = list(dashboard.localities(filters, indicators))
        # At national scale there are about a thousand districts: each locality table shows a page of them
        # (with its own page parameter, so paging one leaves the others where they are); the export has them all.
        locality_table = LocalityTable(
            rows, indicators=[], show_money=tables.show_money, caption="Localities: people and money"
        )
        return {
            "locality_table": self.paginate(locality_table, "l-"),
            "locality_indicator_tables": [
                self.paginate(
                    LocalityTable(
                        rows,
                        indicators=indicators,
                        only=n,
                        show_money=False,
                        caption=indicator_link(indicator.code, f"{indicator.code} {indicator.short_name}"),
                    ),
                    f"l{n}-",
                )
                for n, indicator in enumerate(indicators)
            ],
        }


class DashboardExportView(DashboardMixin, View):
    """``/dashboard/export/<table>.<csv|xlsx>`` with the page's query string: the same figures, downloaded."""

    permission_required = "portal.export"

    def get(self, request, table: str, file_format: str):
        if table not in EXPORTABLE:
            raise Http404(f"There is no table called {table}.")
        filters = self.get_filterset().dashboard_filters()
        if filters is None:
            raise Http404("There are no reporting periods yet.")
        built = DashboardTables(filters, request.user)
        return table_response(built.build(table), built.filename(table), file_format)


class IndicatorView(ReadsMayLagMixin, PermissionRequiredMixin, TemplateView):
    """An indicator: its wording, kind and outcomes, and its history across periods for every provider."""

    permission_required = "portal.view_dashboard"
    raise_exception = True
    template_name = "performance/indicator.html"

    def get_indicator(self):
        return get_object_or_404(Indicator, code=self.kwargs["code"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        indicator = self.get_indicator()
        partnership = figures_partnership(self.request.user)
        providers = list(dashboard.indicator_providers(indicator, partnership))
        chosen = next((p for p in providers if p.code == self.request.GET.get("provider")), None)
        chosen = chosen or next((p for p in providers if p.has_figures), providers[0] if providers else None)
        series = dashboard.indicator_series(indicator, chosen) if chosen else []
        rag_rows = dashboard.indicator_rag_over_time(indicator, partnership)
        history = ResultTable(
            dashboard.indicator_history(indicator, partnership), caption="Every result, period by period"
        )
        paginate_table(self.request, history, per_page=50)
        context.update(
            indicator=indicator,
            outcomes=indicator.outcomes.order_by("number"),
            providers=providers,
            chosen=chosen,
            series_chart=charts.line_with_target(
                series,
                chart_id="chart-series",
                title=f"{indicator.code}: {chosen.code if chosen else ''} actual and target",
            ),
            series_table=SeriesTable(series),
            rag_chart=charts.rag_stacked_bars(
                rag_rows, chart_id="chart-indicator-rag", title=f"{indicator.code}: RAG ratings over time"
            ),
            rag_table=RagCountsTable(rag_rows, label="Period", caption="RAG ratings over time"),
            history_table=history,
            may_export=self.request.user.has_perm("portal.export"),
            **selectors_review.indicator_review_notes(indicator),
        )
        return context


class IndicatorListView(ReadsMayLagMixin, PermissionRequiredMixin, TemplateView):
    """The CIO's indicators as the review describes them: the kinds of target counted beside the text's own
    count, which are not under the provider's complete control, which were amended, which are flagged."""

    permission_required = "portal.view_dashboard"
    raise_exception = True
    template_name = "performance/indicator_list.html"

    def get_context_data(self, **kwargs):
        kinds, kinds_flag = selectors_review.kinds_against_the_text()
        indicators = list(selectors_review.indicators_with_review_notes())
        return super().get_context_data(
            kinds=kinds,
            kinds_flag=kinds_flag,
            kinds_flags=[kinds_flag] if kinds_flag else [],
            counted_total=sum(row.counted for row in kinds),
            stated_total=sum(row.stated or 0 for row in kinds),
            indicators=indicators,
            not_under_control=[i for i in indicators if not i.under_provider_control],
            amended=[i for i in indicators if i.amendments.all()],
            **kwargs,
        )


class IndicatorExportView(ReadsMayLagMixin, PermissionRequiredMixin, View):
    """An indicator's history (every counted result, with narrative) as CSV or XLSX."""

    permission_required = "portal.export"
    raise_exception = True

    def get(self, request, code: str, file_format: str):
        indicator = get_object_or_404(Indicator, code=code)
        table = ResultTable(dashboard.indicator_history(indicator, figures_partnership(request.user)))
        return table_response(table, f"indicator-{indicator.code}", file_format)
