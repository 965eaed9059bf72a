"""Disputes are raised, heard and decided on the portal's pages (the services keep the binding decision final);
the admin shows them and their history, and writes nothing, for anyone."""

from django.contrib import admin

from core.admin import ReadOnlyHistoryAdmin
from disputes.models import Dispute


@admin.register(Dispute)
class DisputeAdmin(ReadOnlyHistoryAdmin):
    list_display = ["subject", "raised_by_organisation", "respondent", "status", "hearing_on", "decided_at"]
    list_filter = ["status"]
    search_fields = ["subject", "details", "decision"]
