"""LCC's upload page for the CSV import: the same import as ``manage.py import_returns``."""

from django.shortcuts import render
from django.views import View

from core.views import SiteWidePermissionMixin
from performance.forms import ReturnImportForm
from performance.imports import HEADER, returns_import


class ReturnImportView(SiteWidePermissionMixin, View):
    """Upload a CSV of results; show the counts, or every problem by line and column (nothing saved)."""

    permission_required = "portal.import_returns"
    template_name = "performance/import_form.html"

    def get(self, request):
        return render(request, self.template_name, {"form": ReturnImportForm(), "header": ",".join(HEADER)})

    def post(self, request):
        form = ReturnImportForm(data=request.POST, files=request.FILES)
        context = {"form": form, "header": ",".join(HEADER)}
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        report = returns_import(
            data=form.cleaned_data["file"].read(),
            user=request.user,
            dry_run=form.cleaned_data["dry_run"],
            submit=form.cleaned_data["submit"],
        )
        context["report"] = report
        return render(request, self.template_name, context, status=200 if report.ok else 400)
