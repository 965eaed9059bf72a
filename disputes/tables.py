"""The disputes list (PortalTable sets the GOV.UK classes)."""

import django_tables2 as tables
from django.utils.html import format_html

from core.tables import PortalTable
from disputes.models import Dispute


class DisputeTable(PortalTable):
    subject = tables.Column(verbose_name="Dispute", orderable=False, linkify=True)
    raised_by_organisation = tables.Column(accessor="raised_by_organisation__code", verbose_name="Raised by")
    respondent = tables.Column(accessor="respondent__code", verbose_name="With")
    about = tables.Column(empty_values=(), verbose_name="About", orderable=False)
    status = tables.Column(verbose_name="Status", orderable=False)
    raised_at = tables.DateTimeColumn(verbose_name="Raised", format="j M Y", orderable=False)

    class Meta(PortalTable.Meta):
        model = Dispute
        fields = ["subject", "raised_by_organisation", "respondent", "about", "status", "raised_at"]
        caption = "Disputes"
        empty_text = "There are no disputes."
        orderable = False

    def render_about(self, record):
        if record.subcontract_id:
            return f"Sub-contract with {record.subcontract.provider.code}"
        return format_html("RAG rating of {}", record.result.indicator.code)

    def render_status(self, record):
        return record.get_status_display()
