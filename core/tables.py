"""The base table every portal table derives from: GOV.UK classes set once, columns declared per table."""

import django_tables2 as tables


class PortalTable(tables.Table):
    class Meta:
        template_name = "includes/govuk_table.html"
        attrs = {"class": "govuk-table"}
