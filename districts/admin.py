"""Counties and districts change here with a reason kept in their history; a district's negotiation status moves
only with a negotiation note, recorded on the district's page (the service keeps the two together)."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyInline, ReasonRequiredAdmin
from districts.models import County, District, NegotiationNote


@admin.register(County)
class CountyAdmin(ReasonRequiredAdmin):
    list_display = ["name", "slug", "ons_code"]
    search_fields = ["name", "slug", "ons_code"]


class NegotiationNoteInline(ReadOnlyInline, admin.TabularInline):
    model = NegotiationNote
    fields = ["noted_on", "status", "note", "recorded_by", "recorded_at"]
    readonly_fields = fields


@admin.register(District)
class DistrictAdmin(ReasonRequiredAdmin):
    list_display = ["name", "county", "slug", "ons_code", "population", "negotiation_status"]
    list_filter = ["county", "negotiation_status"]
    search_fields = ["name", "slug", "ons_code"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["negotiation_status"]
    inlines = [NegotiationNoteInline]


@admin.register(NegotiationNote)
class NegotiationNoteAdmin(ReadOnlyAdmin):
    list_display = ["district", "noted_on", "status", "recorded_by"]
    list_filter = ["status", "district"]
    search_fields = ["note", "district__name"]
