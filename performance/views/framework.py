"""The framework by year: its indicators and targets, publishing it, what changed since, and LCC's target pages
(a year's targets for an indicator on one page, copying a year with a percentage change, a file in and out)."""

import tablib
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from core.csvfiles import CsvUnreadable, csv_records
from core.periods import format_financial_year
from core.views import Confirmation, SiteWidePermissionMixin, confirmation_page, is_confirmed
from performance.forms_framework import FrameworkPublishForm, TargetsCopyForm, TargetsForm, TargetsImportForm
from performance.framework import (
    TargetsImportInvalid,
    TargetsInvalid,
    framework_publish,
    targets_copy,
    targets_export_dataset,
    targets_import,
    targets_set,
)
from performance.models import Indicator, Target
from performance.resources import COLUMNS
from performance.selectors_framework import (
    districts_reported,
    framework_changes,
    framework_years,
    indicators_of_year,
    indicators_retired_by,
    providers_reporting,
    publication_of,
    publications,
    target_set_fingerprint,
    targets_of,
)

READ = "portal.view_dashboard"
MANAGE = "performance.manage_framework"


def _year_url(year: int) -> str:
    return reverse("performance:framework_year", kwargs={"year": year})


class FrameworkListView(SiteWidePermissionMixin, View):
    """The years of the framework, each published or not."""

    permission_required = READ

    def get(self, request):
        published = {p.financial_year: p for p in publications()}
        years = [
            {"year": year, "label": format_financial_year(year), "publication": published.get(year)}
            for year in framework_years()
        ]
        return render(request, "performance/framework_list.html", {"years": years})


class FrameworkYearView(SiteWidePermissionMixin, View):
    """A year's framework: its indicators with their targets, whether it is published, and (for LCC) the ways to
    set its targets and publish it."""

    permission_required = READ

    def get(self, request, year):
        return self.render_page(request, year, FrameworkPublishForm())

    def render_page(self, request, year, form, status=200):
        indicators = list(indicators_of_year(year))
        annual = {
            t.indicator_id: t.value
            for t in Target.objects.filter(
                financial_year=year, provider__isnull=True, district__isnull=True, quarter__isnull=True
            )
        }
        for indicator in indicators:
            indicator.annual_target = annual.get(indicator.pk)
        publication = publication_of(year)
        context = {
            "year": year,
            "label": format_financial_year(year),
            "indicators": indicators,
            "retired": [
                (indicator, format_financial_year(indicator.retired_from)) for indicator in indicators_retired_by(year)
            ],
            "publication": publication,
            "changes_count": publication.changes.count() if publication else 0,
            "form": form,
            "manage": request.user.has_perm(MANAGE),
        }
        return render(request, "performance/framework_year.html", context, status=status)


class FrameworkPublishView(SiteWidePermissionMixin, View):
    """Publish the year's framework (POST only)."""

    permission_required = MANAGE
    http_method_names = ["post"]
    irreversible = True

    def post(self, request, year):
        form = FrameworkPublishForm(data=request.POST)
        if form.is_valid() and not is_confirmed(request):
            label = format_financial_year(year)
            return confirmation_page(
                request,
                Confirmation(
                    title=f"Publish the {label} framework?",
                    changes=[
                        f"The {label} framework (its indicators and targets as they stand now) is published to "
                        "funders and providers.",
                        "From then on every change to its indicators or targets is listed on its framework "
                        "changes page, with who made it, when and why.",
                    ],
                    extra=[("Why", form.cleaned_data["reason"])],
                    warning="A published framework cannot be unpublished.",
                    button=f"Publish the {label} framework",
                    cancel_url=_year_url(year),
                ),
            )
        if form.is_valid():
            try:
                publication = framework_publish(
                    financial_year=year, user=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(
                    request,
                    f"The {publication.year_label} framework is published: {publication.indicators_published} "
                    f"indicators and {publication.targets_published} targets. Changes from now on are listed.",
                )
                return HttpResponseRedirect(_year_url(year))
        return FrameworkYearView().render_page(request, year, form, status=400)


class FrameworkChangesView(SiteWidePermissionMixin, View):
    """What changed in a published year's framework since its publication, for funders and providers."""

    permission_required = READ

    def get(self, request, year):
        publication = publication_of(year)
        context = {
            "year": year,
            "label": format_financial_year(year),
            "publication": publication,
            "changes": framework_changes(publication) if publication else [],
        }
        return render(request, "performance/framework_changes.html", context)


def _indicator(code: str) -> Indicator:
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        raise Http404("No such indicator")
    return indicator


class TargetsSetView(SiteWidePermissionMixin, View):
    """A year's targets for one indicator, across every provider that reports it and for all of them, and (for an
    indicator reported per district) every district's and the CIO's in each district, annual and per quarter, set
    on one page (``targets_set``: all or nothing, refused when someone else changed them since
    the page was opened)."""

    permission_required = MANAGE
    template_name = "performance/targets_set.html"

    def _form(self, indicator, year, data=None):
        providers = providers_reporting(indicator, year)
        label = format_financial_year(year)
        districts = districts_reported(indicator, year)
        form = TargetsForm(data=data, indicator=indicator, providers=providers, year_label=label, districts=districts)
        if data is None:
            names = {scope: name for name, scope in form.scope_of().items()}
            for target in targets_of(indicator, year):
                name = names.get((target.provider_id, target.district_id, target.quarter))
                if name is not None:  # a target whose provider no longer reports it has no box
                    form.initial[name] = target.value.normalize()
            form.initial["seen"] = target_set_fingerprint(indicator, year)
        return form

    def get(self, request, year, code):
        indicator = _indicator(code)
        return self._render(request, indicator, year, self._form(indicator, year))

    def _render(self, request, indicator, year, form, status=200, stored=None):
        context = {
            "indicator": indicator,
            "year": year,
            "label": format_financial_year(year),
            "form": form,
            "in_force": indicator.in_force(year),
            "stored": stored,
        }
        return render(request, self.template_name, context, status=status)

    def post(self, request, year, code):
        indicator = _indicator(code)
        form = self._form(indicator, year, data=request.POST)
        if not form.is_valid():
            return self._render(request, indicator, year, form, status=400)
        try:
            report = targets_set(
                indicator=indicator,
                financial_year=year,
                values=form.values(),
                seen=form.cleaned_data["seen"] or None,
                user=request.user,
                reason=form.cleaned_data["reason"],
            )
        except TargetsInvalid as error:
            names = {scope: name for name, scope in form.scope_of().items()}
            for scope, message in error.by_scope.items():
                form.add_error(names[scope], message)
            return self._render(request, indicator, year, form, status=400)
        except ValidationError as error:
            form.add_service_error(error)
            stale = getattr(error, "code", None) == "stale"
            stored = targets_of(indicator, year) if stale else None
            return self._render(request, indicator, year, form, status=409 if stale else 400, stored=stored)
        messages.success(request, f"{indicator.code}'s {format_financial_year(year)} targets: {report}.")
        return HttpResponseRedirect(_year_url(year))


class TargetsCopyView(SiteWidePermissionMixin, View):
    """Copy another year's targets into this one with a percentage change (``targets_copy``)."""

    permission_required = MANAGE
    template_name = "performance/targets_copy.html"

    def _form(self, year, data=None, initial=None):
        return TargetsCopyForm(data=data, initial=initial, indicators=indicators_of_year(year))

    def get(self, request, year):
        initial = {"from_year": request.GET.get("from_year") or format_financial_year(year - 1), "change_pct": "0"}
        chosen = request.GET.getlist("indicators")
        if chosen:
            initial["indicators"] = chosen
        return self._render(request, year, self._form(year, initial=initial))

    def _render(self, request, year, form, status=200):
        context = {"year": year, "label": format_financial_year(year), "form": form}
        return render(request, self.template_name, context, status=status)

    def post(self, request, year):
        form = self._form(year, data=request.POST)
        if not form.is_valid():
            return self._render(request, year, form, status=400)
        data = form.cleaned_data
        try:
            report = targets_copy(
                from_year=data["from_year"],
                to_year=year,
                indicators=Indicator.objects.filter(code__in=data["indicators"]),
                change_pct=data["change_pct"],
                replace=data["replace"],
                user=request.user,
                reason=data["reason"],
            )
        except ValidationError as error:
            form.add_service_error(error)
            return self._render(request, year, form, status=400)
        messages.success(
            request,
            f"{format_financial_year(data['from_year'])} targets copied into {format_financial_year(year)} "
            f"with a change of {data['change_pct'].normalize():f}%: {report}.",
        )
        return HttpResponseRedirect(_year_url(year))


def _dataset_of(upload) -> tablib.Dataset:
    """The uploaded file as a tablib dataset; a file that cannot be read raises ValidationError saying so."""
    content = upload.read()
    try:
        if upload.name.lower().endswith(".xlsx"):
            return tablib.Dataset().load(content, format="xlsx")
        text = content.decode("utf-8-sig")
        # Strictly first (core.csvfiles): an open quote would swallow the rows after it.
        list(csv_records(text, columns=len(COLUMNS)))
        return tablib.Dataset().load(text, format="csv")
    except CsvUnreadable as error:
        raise ValidationError({"file": f"Line {error.line}: {error.message}."}) from None
    except UnicodeDecodeError:
        raise ValidationError({"file": "The CSV file must be saved as UTF-8 text."}) from None
    except Exception:  # a damaged workbook or CSV: tablib and openpyxl raise many kinds
        raise ValidationError({"file": "The file could not be read as a CSV or an Excel workbook."}) from None


class TargetsImportView(SiteWidePermissionMixin, View):
    """Import a file of targets (``targets_import``): all or nothing, problems named by row and column."""

    permission_required = MANAGE
    template_name = "performance/targets_import.html"

    def get(self, request, year):
        return self._render(request, year, TargetsImportForm())

    def _render(self, request, year, form, status=200, problems=None):
        context = {"year": year, "label": format_financial_year(year), "form": form, "problems": problems or []}
        return render(request, self.template_name, context, status=status)

    def post(self, request, year):
        form = TargetsImportForm(data=request.POST, files=request.FILES)
        if not form.is_valid():
            return self._render(request, year, form, status=400)
        try:
            dataset = _dataset_of(form.cleaned_data["file"])
            report = targets_import(dataset=dataset, user=request.user, reason=form.cleaned_data["reason"])
        except TargetsImportInvalid as error:
            return self._render(request, year, form, status=400, problems=error.problems)
        except ValidationError as error:
            form.add_service_error(error)
            return self._render(request, year, form, status=400)
        messages.success(request, f"Targets imported: {report}.")
        return HttpResponseRedirect(_year_url(year))


class TargetsExportView(SiteWidePermissionMixin, View):
    """The year's targets as CSV or XLSX, in the columns the import reads."""

    permission_required = "portal.export"

    def get(self, request, year, file_format):
        dataset = targets_export_dataset(Target.objects.filter(financial_year=year))
        name = f"targets-{format_financial_year(year).replace('/', '-')}.{file_format}"
        if file_format == "xlsx":
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            response = HttpResponse(dataset.export("xlsx"), content_type=content_type)
        else:
            response = HttpResponse(dataset.export("csv"), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
