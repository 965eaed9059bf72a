"""Tables for district pages (PortalTable sets the GOV.UK classes)."""

import django_tables2 as tables

from core.tables import PortalTable
from districts.models import District

NUMERIC = {"td": {"class": "govuk-table__cell--numeric"}, "th": {"class": "govuk-table__header--numeric"}}


class DistrictTable(PortalTable):
    name = tables.Column(verbose_name="District", linkify=True, orderable=False)
    population = tables.Column(verbose_name="Population", attrs=NUMERIC, orderable=False)
    provider_count = tables.Column(verbose_name="Local providers", attrs=NUMERIC, orderable=False)
    live_subcontracts = tables.Column(verbose_name="Live sub-contracts", attrs=NUMERIC, orderable=False)
    negotiation_status = tables.Column(verbose_name="Negotiation status", orderable=False)

    class Meta(PortalTable.Meta):
        model = District
        fields = ["name", "population", "provider_count", "live_subcontracts", "negotiation_status"]
        caption = "Districts"

    def render_population(self, value):
        return f"{value:,}"

    def render_negotiation_status(self, record):
        return record.get_negotiation_status_display()
