from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from performance.models import Indicator, ReportingPeriod, Result, Return, Target


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
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
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "financial_year", "quarter", "provider", "value"]
    list_filter = ["financial_year", "quarter", "indicator__kind"]
    search_fields = ["indicator__code", "provider__code"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(SimpleHistoryAdmin):
    list_display = ["label", "opens_on", "due_on", "locked_on", "status"]
    list_filter = ["status", "financial_year"]


class ResultInline(admin.TabularInline):
    model = Result
    extra = 0
    fields = ["indicator", "district", "rag", "actual", "target", "validation"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True


@admin.register(Return)
class ReturnAdmin(SimpleHistoryAdmin):
    list_display = ["provider", "period", "status", "submitted_at", "signed_off_at"]
    list_filter = ["status", "period", "provider__kind"]
    search_fields = ["provider__code", "provider__name"]
    inlines = [ResultInline]
    # Returns change through the workflow services (with their history), not by editing the status here.
    readonly_fields = ["status", "version", "submitted_at", "accepted_at", "signed_off_at"]


@admin.register(Result)
class ResultAdmin(SimpleHistoryAdmin):
    list_display = ["return_obj", "indicator", "district", "rag", "actual", "target", "validation"]
    list_filter = ["rag", "validation", "indicator__kind", "return_obj__period", "return_obj__provider__kind"]
    search_fields = ["indicator__code", "return_obj__provider__code", "narrative"]
    list_select_related = ["return_obj__provider", "return_obj__period", "indicator", "district"]
