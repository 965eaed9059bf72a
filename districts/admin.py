from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from districts.models import County, District, NegotiationNote


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "ons_code"]
    search_fields = ["name", "slug", "ons_code"]


class NegotiationNoteInline(admin.TabularInline):
    model = NegotiationNote
    extra = 0
    readonly_fields = ["recorded_by", "recorded_at"]


@admin.register(District)
class DistrictAdmin(SimpleHistoryAdmin):
    list_display = ["name", "county", "slug", "ons_code", "population", "negotiation_status"]
    list_filter = ["county", "negotiation_status"]
    search_fields = ["name", "slug", "ons_code"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [NegotiationNoteInline]


@admin.register(NegotiationNote)
class NegotiationNoteAdmin(admin.ModelAdmin):
    list_display = ["district", "noted_on", "status", "recorded_by"]
    list_filter = ["status", "district"]
    search_fields = ["note", "district__name"]
