"""The funders' quarterly dashboard, its exports, and the indicator page.

Every figure comes from ``performance.dashboard`` through ``DashboardTables``, which both the page and the
exports use, so a downloaded table holds exactly what the page shows.
"""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView, View
from django_tables2 import RequestConfig

from performance import charts, dashboard
from performance.exports import table_response
from performance.filters import DashboardFilterSet
from performance.models import Indicator
from performance.tables import (
    ChangeTable,
    CompletenessTable,
    LocalityTable,
    ProviderTable,
    RagCountsTable,
    ResultTable,
    SeriesTable,
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


class DashboardTables:
    """Builds each of the dashboard's tables on demand from one set of filters."""

    def __init__(self, filters: dashboard.DashboardFilters, user):
        self.filters = filters
        self.show_money = user.has_perm("portal.view_contracts")
        self._indicators = None

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
            return ProviderTable(dashboard.providers_in_view(f), caption="By provider")
        if name == "by-strand":
            return RagCountsTable(dashboard.by_strand(f), label="Strand", caption="By strand")
        if name == "by-priority":
            return RagCountsTable(
                dashboard.by_outcome_priority(f), label="Outcome priority", caption="By outcome priority"
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


class DashboardMixin(PermissionRequiredMixin):
    permission_required = "portal.view_dashboard"
    raise_exception = True

    def get_filterset(self):
        if not hasattr(self, "_filterset"):
            self._filterset = DashboardFilterSet(self.request.GET or None, user=self.request.user)
        return self._filterset


class DashboardView(DashboardMixin, TemplateView):
    template_name = "performance/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.get_filterset()
        filters = filterset.dashboard_filters()
        context.update(filterset=filterset, filters=filters, form=filterset.form)
        if filters is None:
            return context
        built = DashboardTables(filters, self.request.user)
        paginate = RequestConfig(self.request, paginate={"per_page": 25})
        provider_table = built.build("by-provider")
        provider_table.prefix = "p-"
        paginate.configure(provider_table)
        over_time = dashboard.rag_over_time(filters)
        context.update(
            headline=dashboard.headline(filters),
            kind_table=built.build("by-kind"),
            provider_table=provider_table,
            strand_table=built.build("by-strand"),
            priority_table=built.build("by-priority"),
            over_time_periods=dashboard.OVER_TIME_PERIODS,
            over_time_table=RagCountsTable(over_time, label="Period", caption="Over time"),
            over_time_chart=charts.rag_stacked_bars(
                over_time, chart_id="chart-over-time", title="RAG ratings over time"
            ),
            provider_chart=charts.rag_stacked_bars(
                [
                    {"code": row.record.code, **{key: getattr(row.record, key) for key in dashboard.RAG_KEYS}}
                    for row in provider_table.paginated_rows
                ],
                chart_id="chart-providers",
                title="RAG ratings by provider",
                label_key="code",
            ),
            completeness_table=built.build("completeness"),
            drafts_included=list(dashboard.draft_returns_included(filters)),
            may_export=self.request.user.has_perm("portal.export"),
            show_money=built.show_money,
            query=self.request.GET.urlencode(),
        )
        if filters.compare_to is not None:
            change_table = built.build("change")
            change_table.prefix = "c-"
            paginate.configure(change_table)
            context.update(change=dashboard.change_summary(filters), change_table=change_table)
        indicators = built.local_indicators
        rows = list(dashboard.localities(filters, indicators))
        # At national scale there are about a thousand districts: each locality table shows a page of them
        # (with its own page parameter, so paging one leaves the others where they are); the export has them all.
        locality_table = LocalityTable(
            rows, indicators=[], show_money=built.show_money, caption="Localities: people and money"
        )
        locality_table.prefix = "l-"
        paginate.configure(locality_table)
        context["locality_table"] = locality_table
        context["locality_indicator_tables"] = []
        for n, indicator in enumerate(indicators):
            table = LocalityTable(
                rows,
                indicators=indicators,
                only=n,
                show_money=False,
                caption=f"{indicator.code} {indicator.short_name}",
            )
            table.prefix = f"l{n}-"
            paginate.configure(table)
            context["locality_indicator_tables"].append(table)
        return context


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


class IndicatorView(PermissionRequiredMixin, TemplateView):
    """An indicator: its wording, kind and outcomes, and its history across periods for every provider."""

    permission_required = "portal.view_dashboard"
    raise_exception = True
    template_name = "performance/indicator.html"

    def get_indicator(self):
        return get_object_or_404(Indicator, code=self.kwargs["code"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        indicator = self.get_indicator()
        providers = list(dashboard.indicator_providers(indicator))
        chosen = next((p for p in providers if p.code == self.request.GET.get("provider")), None)
        chosen = chosen or (providers[0] if providers else None)
        series = dashboard.indicator_series(indicator, chosen) if chosen else []
        rag_rows = dashboard.indicator_rag_over_time(indicator)
        history = ResultTable(dashboard.indicator_history(indicator), caption="Every result, period by period")
        RequestConfig(self.request, paginate={"per_page": 50}).configure(history)
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
        )
        return context


class IndicatorExportView(PermissionRequiredMixin, View):
    """An indicator's history (every counted result, with narrative) as CSV or XLSX."""

    permission_required = "portal.export"
    raise_exception = True

    def get(self, request, code: str, file_format: str):
        indicator = get_object_or_404(Indicator, code=code)
        table = ResultTable(dashboard.indicator_history(indicator))
        return table_response(table, f"indicator-{indicator.code}", file_format)
