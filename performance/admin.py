"""The framework in the admin: indicators, targets and periods change with a reason kept in their history;
returns and results are only shown (they change through the return workflow, for everyone, superusers too)."""

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode

from core.admin import REASON_FIELD, ReadOnlyAdmin, ReadOnlyHistoryAdmin, ReadOnlyInline, ReasonRequiredAdmin
from core.forms import FinancialYearField
from core.periods import format_financial_year
from performance.framework import indicator_save, target_save, target_value_problem
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
from performance.selectors_framework import providers_reporting
from performance.services import ReturnRefused, period_lock, period_open


class YearListFilter(admin.SimpleListFilter):
    """A financial year written as people write it (2011/12), from the years the rows hold."""

    title = "financial year"
    parameter_name = "year"
    field = "financial_year"

    def lookups(self, request, model_admin):
        years = model_admin.get_queryset(request).values_list(self.field, flat=True).distinct()
        return [(year, format_financial_year(year)) for year in sorted({y for y in years if y is not None})]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(**{self.field: int(self.value())})
        return queryset


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
    readonly_fields = ["amendments"]
    fieldsets = [
        (
            None,
            {"fields": ["code", "number", "short_name", "wording", "strand", "outcomes", "note", "is_illustrative"]},
        ),
        ("How it is measured", {"fields": ["kind", "unit", "higher_is_better", "tolerance_pct"]}),
        (
            "Who reports it",
            {"fields": ["for_cio", "for_hub", "for_lrc", "by_district", "under_provider_control"]},
        ),
        ("Years", {"fields": ["first_year", "retired_from"]}),
        ("Amended", {"fields": ["amendments"]}),
    ]

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
        fields = ["indicator", "financial_year", "quarter", "provider", "value"]

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
        if provider is not None and not providers_reporting(indicator, year).filter(pk=provider.pk).exists():
            self.add_error(
                "provider", f"{provider.code} does not report {indicator.code} in {format_financial_year(year)}."
            )
        quarter = cleaned.get("quarter")
        if quarter is not None and quarter not in (1, 2, 3, 4):
            self.add_error("quarter", "The quarter must be 1, 2, 3 or 4, or empty for the annual target.")
        return cleaned


@admin.register(Target)
class TargetAdmin(ReasonRequiredAdmin):
    """One target at a time, through the framework's target service (checked against the indicator's unit,
    recorded as a framework change or a change after submission where it is one). A year's targets for an
    indicator across providers, copying a year and importing or exporting a file are the framework pages'."""

    form = TargetAdminForm
    list_display = ["indicator", "year", "quarter", "provider", "value", "version"]
    list_filter = [YearListFilter, "quarter", "indicator__kind", "provider__kind", "indicator"]
    search_fields = ["indicator__code", "indicator__short_name", "provider__code", "provider__name"]
    list_select_related = ["indicator", "provider"]
    actions = ["set_on_one_page", "copy_to_next_year"]

    @admin.display(description="Financial year", ordering="financial_year")
    def year(self, target):
        return format_financial_year(target.financial_year)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields += ["indicator", "financial_year", "quarter", "provider"]  # whose target it is never changes
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
    list_filter = ["status", "financial_year"]
    form = ReportingPeriodForm
    readonly_fields = ["status", "locked_on"]
    actions = ["open_periods", "lock_periods"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields += ["financial_year", "quarter"]  # which quarter it is never changes
        return fields

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
