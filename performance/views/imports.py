"""LCC's upload page for the CSV import: the same import as ``manage.py import_returns``."""

import csv
import io

from django.http import HttpResponse
from django.shortcuts import render
from django.views import View

from contracts.models import Organisation
from contracts.policies import organisations as organisation_policy
from core.views import SiteWidePermissionMixin
from performance.forms import ReturnImportForm
from performance.imports import (
    HEADER,
    PENDING_IMPORT_MINUTES,
    PendingImportRefused,
    pending_import_confirm,
    pending_import_keep,
    returns_import,
)
from performance.models import ReportingPeriod, Result


def _open_period():
    return ReportingPeriod.objects.filter(status=ReportingPeriod.Status.OPEN).newest_first().first()


def _providers_with_returns(period, user):
    """The providers with a return in the period, of the user's partnership."""
    if period is None:
        return Organisation.objects.none()
    providers = organisation_policy.instances_for(user, "view").filter(returns__period=period)
    return providers.distinct().order_by("code")


class ReturnImportView(SiteWidePermissionMixin, View):
    """Upload a CSV of results; show the counts, or every problem by line and column (nothing saved). A dry run
    that passes keeps the file for its officer, who may then confirm the import with a button (``confirm``, an
    opaque token) instead of choosing the file again."""

    permission_required = "portal.import_returns"
    template_name = "performance/import_form.html"

    def get(self, request):
        return render(request, self.template_name, self.context(ReturnImportForm()))

    def context(self, form) -> dict:
        period = _open_period()
        return {
            "form": form,
            "header": ",".join(HEADER),
            "open_period": period,
            "template_providers": _providers_with_returns(period, self.request.user),
            "pending_minutes": PENDING_IMPORT_MINUTES,
        }

    def post(self, request):
        if "confirm" in request.POST:
            return self.confirm(request)
        form = ReturnImportForm(data=request.POST, files=request.FILES)
        context = self.context(form)
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        data = form.cleaned_data["file"].read()
        report = returns_import(
            data=data,
            user=request.user,
            dry_run=form.cleaned_data["dry_run"],
            submit=form.cleaned_data["submit"],
        )
        context["report"] = report
        if report.ok and report.dry_run:
            context["confirm_token"] = pending_import_keep(
                data=data, user=request.user, submit=form.cleaned_data["submit"]
            )
        return render(request, self.template_name, context, status=200 if report.ok else 400)

    def confirm(self, request):
        context = self.context(ReturnImportForm())
        try:
            report = pending_import_confirm(token=request.POST["confirm"], user=request.user)
        except PendingImportRefused as refusal:
            context["error_summary"] = [(context["form"]["file"].id_for_label, refusal.message)]
            return render(request, self.template_name, context, status=refusal.status)
        context["report"] = report
        return render(request, self.template_name, context, status=200 if report.ok else 400)


class ReturnImportTemplateView(SiteWidePermissionMixin, View):
    """The import's template: the header, then a line for every row the open period's returns hold for the
    chosen providers (all of them when none is chosen), with their figures as they stand: fill it in, upload it."""

    permission_required = "portal.import_returns"

    def get(self, request):
        period = _open_period()
        providers = _providers_with_returns(period, request.user)
        chosen = request.GET.getlist("provider")
        if chosen:
            # Only the codes of providers with returns are looked for (a hostile value never reaches the query).
            known = set(providers.values_list("code", flat=True))
            providers = providers.filter(code__in=[code for code in chosen if code in known])
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(HEADER)
        rows = (
            Result.objects.filter(return_obj__period=period, return_obj__provider__in=providers)
            .select_related("indicator", "district", "return_obj__provider")
            .order_by("return_obj__provider__code", "indicator__code", "district__name")
            if period is not None
            else []
        )
        for result in rows:
            reason = result.not_reported_reason or result.rag_override_reason
            writer.writerow(
                [
                    period.label,
                    result.return_obj.provider.code,
                    result.indicator.code,
                    result.district.slug if result.district_id else "",
                    result.rag if result.rag and result.rag != result.computed_rag else "",
                    "" if result.actual is None else f"{result.actual.normalize():f}",
                    "",
                    reason,
                    result.narrative,
                ]
            )
        name = f"returns-{period.slug}.csv" if period else "returns.csv"
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
