"""The framework in the admin: indicators, targets and periods change with a reason kept in their history;
returns and results are only shown (they change through the return workflow, for everyone, superusers too)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ImportForm

from core.admin import REASON_FIELD, ReadOnlyAdmin, ReadOnlyHistoryAdmin, ReadOnlyInline, ReasonRequiredAdmin
from core.csvfiles import CsvUnreadable, csv_records
from core.forms import FinancialYearField
from core.paging import database_integer
from core.periods import Period, format_financial_year, parse_financial_year
from core.services import REASON_LENGTH
from performance.framework import (
    TargetsImportInvalid,
    indicator_save,
    scope_problem,
    target_save,
    target_value_problem,
    targets_import,
)
from performance.models import (
    FrameworkChange,
    FrameworkPublication,
    Indicator,
    LateTargetChange,
    ReportingPeriod,
    Result,
    Return,
    Target,
)
from performance.resources import COLUMNS, TargetResource
from performance.services import ReturnRefused, period_lock, period_open
from performance.units import bounds_described


class YearListFilter(admin.SimpleListFilter):
    """A financial year written as people write it (2011/12), from the years the rows hold."""

    title = "financial year"
    parameter_name = "year"
    field = "financial_year"

    def lookups(self, request, model_admin):
        years = model_admin.get_queryset(request).values_list(self.field, flat=True).distinct()
        return [(year, format_financial_year(year)) for year in sorted({y for y in years if y is not None})]

    def queryset(self, request, queryset):
        year = database_integer(self.value())
        return queryset if year is None else queryset.filter(**{self.field: year})


class RetiredFromListFilter(YearListFilter):
    title = "retired from"
    parameter_name = "retired"
    field = "retired_from"


class IndicatorAdminForm(forms.ModelForm):
    first_year = FinancialYearField(
        label="In the framework from", required=False, help_text="For example, 2011/12. Empty: from the start."
    )
    retired_from = FinancialYearField(
        label="Retired from",
        required=False,
        help_text="The first financial year it is no longer reported in, for example 2012/13. Empty: still reported.",
    )

    class Meta:
        model = Indicator
        fields = [field.name for field in Indicator._meta.get_fields() if getattr(field, "editable", False)]
        help_texts = {
            "unit": "What its figures may be (results and targets): "
            + "; ".join(f"{label.lower()}: {bounds_described(unit)}" for unit, label in Indicator.Unit.choices)
            + "."
        }


@admin.register(Indicator)
class IndicatorAdmin(ReasonRequiredAdmin):
    """Indicators are added and changed through the framework's service (``indicator_save``): validated, with the
    reason in the history, and listed as a framework change of every published year they belong to."""

    form = IndicatorAdminForm
    list_display = [
        "code",
        "short_name",
        "strand",
        "kind",
        "unit",
        "accepts",
        "for_cio",
        "for_hub",
        "for_lrc",
        "by_district",
        "under_provider_control",
        "years",
        "is_illustrative",
    ]
    list_filter = [
        "strand",
        "kind",
        "unit",
        "for_cio",
        "for_hub",
        "for_lrc",
        "by_district",
        "under_provider_control",
        RetiredFromListFilter,
        "is_illustrative",
        "outcomes",
    ]
    search_fields = ["code", "short_name", "wording", "note"]
    filter_horizontal = ["outcomes"]
    readonly_fields = ["accepts", "amendments"]
    fieldsets = [
        (
            None,
            {"fields": ["code", "number", "short_name", "wording", "strand", "outcomes", "note", "is_illustrative"]},
        ),
        ("How it is measured", {"fields": ["kind", "unit", "accepts", "higher_is_better", "tolerance_pct"]}),
        (
            "Who reports it",
            {"fields": ["for_cio", "for_hub", "for_lrc", "by_district", "under_provider_control"]},
        ),
        ("Years", {"fields": ["first_year", "retired_from"]}),
        ("Amended", {"fields": ["amendments"]}),
    ]

    @admin.display(description="Figures accepted")
    def accepts(self, indicator):
        """What the unit's figures may be, by the rule the return form, the CSV import and the API check."""
        return bounds_described(indicator.unit) if indicator and indicator.unit else "–"

    @admin.display(description="Years in the framework")
    def years(self, indicator):
        start = format_financial_year(indicator.first_year) if indicator.first_year else "the start"
        if indicator.retired_from:
            return f"from {start}; retired from {format_financial_year(indicator.retired_from)}"
        return f"from {start}"

    @admin.display(description="Amended with what and when")
    def amendments(self, indicator):
        """Every recorded change to the indicator, newest first: when, who, why and each field's old and new value
        (from its history; the full record is on the History page)."""
        if indicator is None or indicator.pk is None:
            return "–"
        records = list(indicator.history.select_related("history_user").order_by("-history_date", "-history_id"))
        rows = []
        for record, older in zip(records, records[1:] + [None], strict=True):
            if older is None:
                what = "added"
            else:
                delta = record.diff_against(older)
                what = "; ".join(f"{change.field}: {change.old} to {change.new}" for change in delta.changes) or "saved"
            who = record.history_user.username if record.history_user else "the system"
            rows.append((f"{record.history_date:%d %B %Y %H:%M}", who, record.history_change_reason or "", what))
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{} by {} ({}): {}</li>", rows))

    def save_model(self, request, obj, form, change):
        indicator_save(
            indicator=obj,
            outcomes=form.cleaned_data.get("outcomes"),
            user=request.user,
            reason=form.cleaned_data[REASON_FIELD],
        )

    def save_related(self, request, form, formsets, change):
        # The outcomes were set by the service with the indicator; only inlines (none today) are left.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


class TargetAdminForm(forms.ModelForm):
    financial_year = FinancialYearField(label="Financial year")

    class Meta:
        model = Target
        fields = ["indicator", "financial_year", "quarter", "provider", "district", "value"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields.pop("financial_year", None)  # shown read-only: whose target it is never changes

    def clean(self):
        cleaned = super().clean()
        indicator = cleaned.get("indicator") or getattr(self.instance, "indicator", None)
        year = cleaned.get("financial_year") or self.instance.financial_year
        value = cleaned.get("value")
        if indicator is None or year is None:
            return cleaned
        if not indicator.in_force(year):
            self.add_error("indicator", f"{indicator.code} is not in the {format_financial_year(year)} framework.")
        if value is not None:
            problem = target_value_problem(indicator, value)
            if problem:
                self.add_error("value", f"The target {problem}.")
        provider = cleaned.get("provider") if "provider" in self.fields else self.instance.provider
        district = cleaned.get("district") if "district" in self.fields else self.instance.district
        wrong = scope_problem(indicator, year, provider, district)
        if wrong:
            self.add_error(wrong[0], f"{wrong[1]}.")
        quarter = cleaned.get("quarter")
        if quarter is not None and quarter not in (1, 2, 3, 4):
            self.add_error("quarter", "The quarter must be 1, 2, 3 or 4, or empty for the annual target.")
        return cleaned


class TargetsImportForm(ImportForm):
    """django-import-export's import form (file and format) with the reason every write keeps."""

    change_reason = forms.CharField(
        label="Reason for this change",
        max_length=REASON_LENGTH,
        help_text="Kept in the history with your name: who asked for the change, or why it was needed.",
        error_messages={"required": "Enter the reason for this change."},
    )


@admin.register(Target)
class TargetAdmin(ImportExportMixin, ReasonRequiredAdmin):
    """One target at a time, through the framework's target service (checked against the indicator's unit,
    recorded as a framework change or a change after submission where it is one). Import and Export buttons
    (django-import-export, the same ``TargetResource`` as the framework pages): an import goes through
    ``targets_import``, all or nothing, its problems listed by row and column; an export writes the targets
    the list shows (its filters and search), in the columns the import reads. A year's targets for an indicator
    across providers and districts, and copying a year, are the framework pages' (the actions go there)."""

    form = TargetAdminForm
    list_display = ["indicator", "year", "quarter", "provider", "district", "value", "version"]
    list_filter = [YearListFilter, "quarter", "indicator__kind", "provider__kind", "district", "indicator"]
    search_fields = ["indicator__code", "indicator__short_name", "provider__code", "provider__name", "district__name"]
    list_select_related = ["indicator", "provider", "district"]
    actions = ["set_on_one_page", "copy_to_next_year"]
    resource_classes = [TargetResource]
    formats = [CSV, XLSX]
    import_form_class = TargetsImportForm
    import_template_name = "admin/performance/target/import.html"

    def has_import_permission(self, request):
        return request.user.has_perm("performance.manage_framework")

    def has_export_permission(self, request):
        return self.has_view_permission(request) and request.user.has_perm("portal.export")

    def export_action(self, request, **kwargs):
        """django-import-export's export page reads the list's filters from the query string as the list does,
        but lets a filter that is not one (``?foo=1``) or a bad value fail as a server error: like the list,
        answer with the list's "bad filter" page instead."""
        try:
            return super().export_action(request, **kwargs)
        except IncorrectLookupParameters:
            return HttpResponseRedirect(reverse("admin:performance_target_changelist") + "?e=1")

    def process_import(self, request, **kwargs):
        """django-import-export's confirm step: never used, the import page imports in one step."""
        raise PermissionDenied("Targets are imported in one step, on the import page.")

    def import_action(self, request, **kwargs):
        """The import page (django-import-export's); a file posted to it is imported by ``targets_import`` in
        one step, all or nothing: no preview to confirm, since nothing is saved unless every row is right."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return super().import_action(request, **kwargs)
        form = self.create_import_form(request)
        problems = []
        if form.is_valid():
            input_format = self.get_import_formats()[int(form.cleaned_data["format"])]()
            if not input_format.is_binary():
                input_format.encoding = self.from_encoding
            content = form.cleaned_data["import_file"].read()
            try:
                if not input_format.is_binary():
                    # Strictly first (core.csvfiles): an open quote would swallow the rows after it.
                    list(csv_records(content.decode("utf-8-sig"), columns=len(COLUMNS)))
                dataset = input_format.create_dataset(content)
            except CsvUnreadable as error:
                form.add_error("import_file", f"Line {error.line}: {error.message}.")
            except Exception:  # a damaged workbook or CSV: tablib and openpyxl raise many kinds
                form.add_error("import_file", "The file could not be read as the format chosen (CSV or XLSX).")
            else:
                try:
                    report = targets_import(dataset=dataset, user=request.user, reason=form.cleaned_data[REASON_FIELD])
                except TargetsImportInvalid as error:
                    problems = error.problems
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    self.message_user(request, f"Targets imported: {report}.")
                    return HttpResponseRedirect(reverse("admin:performance_target_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": "Import targets",
            "form": form,
            "opts": self.model._meta,
            "media": self.media + form.media,
            "problems": problems,
            "fields_list": [
                (resource.get_display_name(), [f.column_name for f in resource.get_user_visible_fields()])
                for resource in [TargetResource()]
            ],
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_template_name], context, status=400)

    @admin.display(description="Financial year", ordering="financial_year")
    def year(self, target):
        return format_financial_year(target.financial_year)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields += ["indicator", "financial_year", "quarter", "provider", "district"]  # whose target: fixed
        return fields

    def save_model(self, request, obj, form, change):
        target_save(target=obj, user=request.user, reason=form.cleaned_data[REASON_FIELD])

    @admin.action(description="Set the selected targets' years on one page (the framework's targets page)")
    def set_on_one_page(self, request, queryset):
        target = queryset.select_related("indicator").order_by("-financial_year").first()
        return HttpResponseRedirect(
            reverse(
                "performance:targets_set",
                kwargs={"year": target.financial_year, "code": target.indicator.code},
            )
        )

    @admin.action(description="Copy the selected targets' indicators to the next year (with a %% change)")
    def copy_to_next_year(self, request, queryset):
        year = max(queryset.values_list("financial_year", flat=True))
        codes = sorted(set(queryset.values_list("indicator__code", flat=True)))
        url = reverse("performance:targets_copy", kwargs={"year": year + 1})
        query = urlencode({"from_year": format_financial_year(year), "indicators": codes}, doseq=True)
        return HttpResponseRedirect(f"{url}?{query}")

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm("performance.manage_framework"):
            actions.pop("set_on_one_page", None)
            actions.pop("copy_to_next_year", None)
        return actions


class ReportingPeriodForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        opens_on, due_on = cleaned.get("opens_on"), cleaned.get("due_on")
        if opens_on and due_on and due_on < opens_on:
            self.add_error("due_on", "The due date must not be before the day the period opens.")
        return cleaned


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(ReasonRequiredAdmin):
    """A period is added as planned, and its dates changed, with a reason; it is opened (which makes every
    provider's return) and locked only by the period services, through the actions."""

    list_display = ["label", "opens_on", "due_on", "locked_on", "status"]
    list_filter = ["status", YearListFilter, "quarter"]
    search_fields = ["financial_year"]
    search_help_text = "A period like 2011/12 Q1, or a financial year like 2011/12."
    form = ReportingPeriodForm
    readonly_fields = ["status", "locked_on"]
    actions = ["open_periods", "lock_periods"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields += ["financial_year", "quarter"]  # which quarter it is never changes
        return fields

    def get_search_results(self, request, queryset, search_term):
        """Searched as people write periods: ``2011/12 Q1`` (or its slug), or a financial year ``2011/12``."""
        period = Period.parse_or_none(search_term.strip())
        if period is not None:
            return queryset.for_period(period), False
        try:
            year = parse_financial_year(search_term.strip())
        except ValidationError:
            return super().get_search_results(request, queryset, search_term)
        return queryset.filter(financial_year=year), False

    def save_model(self, request, obj, form, change):
        if change and obj.status == ReportingPeriod.Status.OPEN and "due_on" in form.changed_data:
            # A new due date for an open period is the period service's change (as on the periods page).
            period_open(
                financial_year=obj.financial_year,
                quarter=obj.quarter,
                due_on=obj.due_on,
                user=request.user,
                reason=f"Due date changed: {form.cleaned_data['change_reason']}",
            )
            return
        super().save_model(request, obj, form, change)

    @admin.action(description="Open the selected periods (creates every provider's return)")
    def open_periods(self, request, queryset):
        for period in queryset:
            try:
                report = period_open(
                    financial_year=period.financial_year, quarter=period.quarter, due_on=None, user=request.user
                )
            except ReturnRefused as error:
                self.message_user(request, f"{period.label}: {error.message}", messages.ERROR)
            else:
                self.message_user(request, f"{period.label} is open: {len(report.returns_created)} returns created.")

    @admin.action(description="Lock the selected periods")
    def lock_periods(self, request, queryset):
        for period in queryset:
            try:
                locked = period_lock(period=period, user=request.user)
            except ReturnRefused as error:
                self.message_user(request, f"{period.label}: {error.message}", messages.ERROR)
            else:
                self.message_user(request, f"{period.label} {'is locked' if locked else 'was already locked'}.")

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self.has_change_permission(request):
            actions.pop("open_periods", None)
            actions.pop("lock_periods", None)
        return actions


class ResultInline(ReadOnlyInline, admin.TabularInline):
    model = Result
    fields = ["indicator", "district", "rag", "actual", "target", "validation"]
    readonly_fields = fields
    show_change_link = True


@admin.register(Return)
class ReturnAdmin(ReadOnlyHistoryAdmin):
    """Returns change through the workflow services (with their history), never here."""

    list_display = ["provider", "period", "status", "submitted_at", "signed_off_at"]
    list_filter = ["status", "period", "provider__kind"]
    search_fields = ["provider__code", "provider__name"]
    inlines = [ResultInline]


@admin.register(Result)
class ResultAdmin(ReadOnlyHistoryAdmin):
    """Results change through the return form, the import and the API (the same services), never here."""

    list_display = ["return_obj", "indicator", "district", "rag", "actual", "target", "validation"]
    list_filter = ["rag", "validation", "indicator__kind", "return_obj__period", "return_obj__provider__kind"]
    search_fields = ["indicator__code", "return_obj__provider__code", "narrative"]
    list_select_related = ["return_obj__provider", "return_obj__period", "indicator", "district"]


@admin.register(FrameworkPublication)
class FrameworkPublicationAdmin(ReadOnlyHistoryAdmin):
    """A year is published on the framework page (``framework_publish``), never here."""

    list_display = ["financial_year", "published_at", "published_by", "indicators_published", "targets_published"]


@admin.register(FrameworkChange)
class FrameworkChangeAdmin(ReadOnlyAdmin):
    list_display = ["publication", "kind", "indicator", "what", "before", "after", "changed_by", "changed_at"]
    list_filter = ["kind", "publication"]
    search_fields = ["indicator__code", "what", "reason"]


@admin.register(LateTargetChange)
class LateTargetChangeAdmin(ReadOnlyAdmin):
    list_display = ["indicator", "scope_label", "value_before", "value_after", "changed_by", "changed_at"]
    list_filter = [YearListFilter, "indicator"]
    search_fields = ["indicator__code", "reason"]
