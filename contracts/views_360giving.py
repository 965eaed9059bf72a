"""The 360Giving publication in the browser: a page listing the years with money to publish, and the
downloads (JSON package or flat CSV). Read only; open to those who may read contract figures, and each
person publishes their own partnership's grants only (a site administrator in none has none to publish)."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import Http404, HttpResponse
from django.urls import path
from django.views import View
from django.views.generic import TemplateView

from contracts.giving360 import NothingToPublish, build_package, package_csv, package_json
from contracts.selectors_360giving import grant_years
from core.periods import format_financial_year


class Giving360IndexView(PermissionRequiredMixin, TemplateView):
    permission_required = "portal.view_contracts"
    template_name = "opendata/giving360.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["years"] = [
            {"start": year, "label": format_financial_year(year)}
            for year in grant_years(partnership=self.request.user.partnership_id)
        ]
        return context


class Giving360DownloadView(PermissionRequiredMixin, View):
    permission_required = "portal.view_contracts"
    http_method_names = ["get", "head"]

    def get(self, request, year: int, fmt: str):
        try:
            package = build_package(financial_year=year, partnership=request.user.partnership_id)
        except NothingToPublish as error:
            raise Http404(str(error)) from error
        filename = f"360giving-{format_financial_year(year).replace('/', '-')}.{fmt}"
        if fmt == "json":
            response = HttpResponse(package_json(package), content_type="application/json; charset=utf-8")
        else:
            response = HttpResponse(package_csv(package), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


giving360_urlpatterns = [
    path("360giving/", Giving360IndexView.as_view(), name="giving360"),
    path(
        "360giving/<financial_year:year>.json",
        Giving360DownloadView.as_view(),
        {"fmt": "json"},
        name="giving360-json",
    ),
    path(
        "360giving/<financial_year:year>.csv",
        Giving360DownloadView.as_view(),
        {"fmt": "csv"},
        name="giving360-csv",
    ),
]
