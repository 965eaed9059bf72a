"""Funders, organisations, outcomes, contracts, their years and contributions change here with a reason kept in
their history. Sub-contracts and the money allocated under them, the CIO's budget lines and every recorded
event change only on the portal's pages (through their services, which record variations and adoptions), so
the admin shows them and no more."""

from django.contrib import admin

from contracts.models import (
    Allocation,
    BudgetLine,
    BudgetScenario,
    Contract,
    ContractExtension,
    ContractYear,
    Contribution,
    Funder,
    Organisation,
    Outcome,
    ScenarioAdoption,
    ScenarioResult,
    SubContract,
    SubContractVariation,
)
from core.admin import ReadOnlyAdmin, ReadOnlyHistoryAdmin, ReadOnlyInline, ReasonRequiredAdmin
from core.paging import database_integer
from core.periods import format_financial_year


class FinancialYearListFilter(admin.SimpleListFilter):
    title = "financial year"
    parameter_name = "financial_year"

    def lookups(self, request, model_admin):
        years = model_admin.get_queryset(request).values_list("financial_year", flat=True).distinct()
        return [(year, format_financial_year(year)) for year in sorted(set(years))]

    def queryset(self, request, queryset):
        year = database_integer(self.value())
        return queryset if year is None else queryset.filter(financial_year=year)


@admin.register(Funder)
class FunderAdmin(ReasonRequiredAdmin):
    list_display = ["code", "name", "kind", "is_group", "org_id"]
    list_filter = ["kind", "is_group"]
    search_fields = ["code", "name", "org_id"]


@admin.register(Organisation)
class OrganisationAdmin(ReasonRequiredAdmin):
    list_display = ["code", "name", "kind", "district", "org_id"]
    list_filter = ["kind", "county", "district"]
    search_fields = ["code", "name", "org_id"]


@admin.register(Outcome)
class OutcomeAdmin(ReasonRequiredAdmin):
    list_display = ["number", "strand", "priority", "wording"]
    list_filter = ["strand", "priority"]
    search_fields = ["wording"]


class ContractYearInline(admin.TabularInline):
    model = ContractYear
    extra = 0


@admin.register(Contract)
class ContractAdmin(ReasonRequiredAdmin):
    list_display = [
        "reference",
        "title",
        "commissioner",
        "provider",
        "start_year",
        "end_year",
        "extension_exercised",
    ]
    list_filter = ["county", "extension_exercised"]
    search_fields = ["reference", "title", "provider__code"]
    inlines = [ContractYearInline]
    readonly_fields = ["reconciliation", "extension_exercised"]  # the extension is exercised on the contract page

    @admin.display(description="Reconciliation (contributions / stated total / allocated)")
    def reconciliation(self, contract):
        if contract.pk is None:
            # The add page: a contract not yet saved has no term and no money to reconcile.
            return "–"
        lines = []
        for year in range(contract.start_year, contract.end_year + 1):
            contributions = contract.contributions_total(year)
            stated = contract.stated_total(year)
            allocated = contract.allocated_total(year)
            stated_text = f"£{stated:,.2f}" if stated is not None else "not stated"
            variance = f"; allocated minus contributions £{allocated - contributions:,.2f}"
            if stated is not None:
                variance += f"; contributions minus stated £{contributions - stated:,.2f}"
            lines.append(
                f"{format_financial_year(year)}: contributions £{contributions:,.2f}, stated {stated_text}, "
                f"allocated £{allocated:,.2f}{variance}"
            )
        return "\n".join(lines)


@admin.register(ContractYear)
class ContractYearAdmin(ReasonRequiredAdmin):
    list_display = ["contract", "financial_year", "stated_total", "is_estimate"]
    list_filter = [FinancialYearListFilter, "is_estimate"]
    search_fields = ["contract__reference"]


@admin.register(Contribution)
class ContributionAdmin(ReasonRequiredAdmin):
    list_display = ["contract", "funder", "financial_year", "description", "amount"]
    list_filter = [FinancialYearListFilter, "funder__kind", "funder"]
    search_fields = ["funder__code", "funder__name", "description"]


@admin.register(SubContract)
class SubContractAdmin(ReadOnlyHistoryAdmin):
    list_display = ["provider", "contract", "start_year", "end_year", "status"]
    list_filter = ["status", "provider__kind"]
    search_fields = ["provider__code", "provider__name"]
    filter_horizontal = ["districts"]


@admin.register(Allocation)
class AllocationAdmin(ReadOnlyHistoryAdmin):
    list_display = ["organisation", "contract", "financial_year", "amount"]
    list_filter = [FinancialYearListFilter, "organisation__kind"]
    search_fields = ["organisation__code", "organisation__name"]


@admin.register(BudgetLine)
class BudgetLineAdmin(ReadOnlyHistoryAdmin):
    list_display = ["contract", "financial_year", "category", "district", "amount"]
    list_filter = [FinancialYearListFilter, "category", "district"]
    search_fields = ["note", "district__name"]


@admin.register(ContractExtension)
class ContractExtensionAdmin(ReadOnlyAdmin):
    list_display = ["contract", "previous_end_year", "new_end_year", "exercised_by", "exercised_at"]


@admin.register(SubContractVariation)
class SubContractVariationAdmin(ReadOnlyAdmin):
    list_display = ["subcontract", "kind", "varied_on", "financial_year", "amount_before", "amount_after", "varied_by"]
    list_filter = ["kind"]


class ScenarioResultInline(ReadOnlyInline, admin.TabularInline):
    model = ScenarioResult
    readonly_fields = ["organisation", "last_year", "transition", "amount"]


@admin.register(BudgetScenario)
class BudgetScenarioAdmin(ReadOnlyHistoryAdmin):
    list_display = ["name", "financial_year", "rule", "total", "adopted", "created_by"]
    list_filter = ["rule", "adopted"]
    inlines = [ScenarioResultInline]


@admin.register(ScenarioAdoption)
class ScenarioAdoptionAdmin(ReadOnlyAdmin):
    list_display = ["scenario", "financial_year", "replaces", "adopted_by", "adopted_at"]
