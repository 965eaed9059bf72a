"""Tables for contracts and money: each declares only its columns (PortalTable sets the GOV.UK classes)."""

import django_tables2 as tables

from contracts.models import Allocation, BudgetScenario, Contribution
from contracts.templatetags.money import money
from core.periods import format_financial_year
from core.tables import PortalTable

NUMERIC = {"td": {"class": "numeric govuk-table__cell--numeric"}, "th": {"class": "govuk-table__header--numeric"}}


class MoneyColumn(tables.Column):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", NUMERIC)
        super().__init__(*args, **kwargs)

    def render(self, value):
        return money(value)


class YearColumn(tables.Column):
    def render(self, value):
        return format_financial_year(value)


class ContributionTable(PortalTable):
    funder = tables.Column(accessor="funder__name", verbose_name="Funder", orderable=False)
    financial_year = YearColumn(verbose_name="Year", orderable=False)
    description = tables.Column(verbose_name="Contribution", orderable=False)
    amount = MoneyColumn(verbose_name="Amount", orderable=False)

    class Meta(PortalTable.Meta):
        model = Contribution
        fields = ["funder", "financial_year", "description", "amount"]
        caption = "Contributions to the pool, per funder and year"


class AllocationTable(PortalTable):
    organisation = tables.Column(accessor="organisation__name", verbose_name="Organisation", orderable=False)
    code = tables.Column(accessor="organisation__code", verbose_name="Code", orderable=False)
    kind = tables.Column(accessor="organisation__kind", verbose_name="Kind", orderable=False)
    financial_year = YearColumn(verbose_name="Year", orderable=False)
    amount = MoneyColumn(verbose_name="Allocated", orderable=False)

    class Meta(PortalTable.Meta):
        model = Allocation
        fields = ["organisation", "code", "kind", "financial_year", "amount"]
        caption = "Allocations to the CIO and each sub-contract"

    def render_kind(self, record):
        return record.organisation.get_kind_display()


class ScenarioTable(PortalTable):
    name = tables.Column(verbose_name="Scenario", orderable=False, linkify=True)
    financial_year = YearColumn(verbose_name="Year", orderable=False)
    rule = tables.Column(verbose_name="Rule", orderable=False)
    total = MoneyColumn(verbose_name="Total", orderable=False)
    created_by = tables.Column(verbose_name="Saved by", orderable=False)
    adopted = tables.Column(verbose_name="Adopted", orderable=False)

    class Meta(PortalTable.Meta):
        model = BudgetScenario
        fields = ["name", "financial_year", "rule", "total", "created_by", "adopted"]
        caption = "Saved scenarios"
        empty_text = "No scenario has been saved yet."

    def render_rule(self, record):
        return record.get_rule_display()

    def render_created_by(self, value):
        return value.get_full_name() or value.username

    def render_adopted(self, value):
        return "Adopted" if value else "No"
