"""The framework in the admin: indicators, targets and periods change with a reason kept in their history;
returns and results are only shown (they change through the return workflow, for everyone, superusers too)."""

from django import forms
from django.contrib import admin, messages

from core.admin import ReadOnlyHistoryAdmin, ReadOnlyInline, ReasonRequiredAdmin
from performance.models import Indicator, ReportingPeriod, Result, Return, Target
from performance.services import ReturnRefused, period_lock, period_open


@admin.register(Indicator)
class IndicatorAdmin(ReasonRequiredAdmin):
    list_display = [
        "code",
        "short_name",
        "strand",
        "kind",
        "unit",
        "for_cio",
        "for_hub",
        "for_lrc",
        "is_illustrative",
    ]
    list_filter = ["strand", "kind", "unit", "for_cio", "for_hub", "for_lrc", "is_illustrative"]
    search_fields = ["code", "short_name", "wording"]
    filter_horizontal = ["outcomes"]


@admin.register(Target)
class TargetAdmin(ReasonRequiredAdmin):
    list_display = ["indicator", "financial_year", "quarter", "provider", "value"]
    list_filter = ["financial_year", "quarter", "indicator__kind"]
    search_fields = ["indicator__code", "provider__code"]


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
