from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import RecordOnlyAdmin
from disputes.models import Dispute


@admin.register(Dispute)
class DisputeAdmin(SimpleHistoryAdmin, RecordOnlyAdmin):
    list_display = ["subject", "raised_by_organisation", "respondent", "status", "hearing_on", "decided_at"]
    list_filter = ["status"]
    search_fields = ["subject", "details", "decision"]
