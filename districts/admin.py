"""Counties and districts change here with a reason kept in their history; a district's negotiation status moves
only with a negotiation note, recorded on the district's page (the service keeps the two together)."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyInline, ReasonRequiredAdmin
from districts.models import (
    County,
    District,
    DistrictNegotiation,
    LocalityAgreement,
    LocalityAgreementService,
    NegotiationNote,
    NegotiationPosition,
    NegotiationRoute,
)


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


# Locality agreements and structured negotiations change only through their services (sign-offs, versions,
# positions), so the admin shows them read only.
class LocalityAgreementServiceInline(ReadOnlyInline, admin.TabularInline):
    model = LocalityAgreementService
    fields = ["service", "delivered_by", "val_staff_based_in_hub", "note"]
    readonly_fields = fields


@admin.register(LocalityAgreement)
class LocalityAgreementAdmin(ReadOnlyAdmin):
    list_display = ["district", "financial_year", "number", "status", "val_signed_at", "local_signed_at"]
    list_filter = ["status", "district"]
    search_fields = ["district__name", "note"]
    inlines = [LocalityAgreementServiceInline]


class NegotiationPositionInline(ReadOnlyInline, admin.TabularInline):
    model = NegotiationPosition
    fields = ["party", "position", "source", "recorded_by", "recorded_at"]
    readonly_fields = fields


class NegotiationRouteInline(ReadOnlyInline, admin.TabularInline):
    model = NegotiationRoute
    fields = ["route", "decided_on", "reason", "recorded_by", "recorded_at"]
    readonly_fields = fields


@admin.register(DistrictNegotiation)
class DistrictNegotiationAdmin(ReadOnlyAdmin):
    list_display = ["district", "financial_year", "deadline", "pct_to_hubs_and_lrcs", "pct_val_frontline"]
    list_filter = ["district"]
    search_fields = ["district__name"]
    inlines = [NegotiationPositionInline, NegotiationRouteInline]
