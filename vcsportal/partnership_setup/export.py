"""A partnership's set-up as the workbook ``partnership_setup`` reads: what generates
``data/partnerships/leicestershire.xlsx`` from the Leicestershire data, and lets any partnership's set-up be
taken out, changed and read back in.

Outcomes, indicators and reporting periods are shared by every partnership today, so all of them are written;
so are the targets of those indicators that are for every provider and district, or for this partnership's.
"""

from django.db.models import Q
from openpyxl import Workbook

from contracts.models import (
    Allocation,
    Contract,
    ContractYear,
    Contribution,
    Funder,
    Organisation,
    Outcome,
    SubContract,
)
from districts.models import County, District
from performance.models import Indicator, ReportingPeriod, Target
from vcsportal.partnership_setup.workbook import SHEETS_BY_NAME, workbook_write


def _fields(sheet: str, obj, **overrides) -> dict:
    values = {column.key: getattr(obj, column.key, None) for column in SHEETS_BY_NAME[sheet].columns}
    values.update(overrides)
    return values


def partnership_rows(county: County) -> dict[str, list[dict]]:
    """Every set-up row of ``county`` (and the shared framework), sheet by sheet, as {column key: value}."""
    contracts = Contract.objects.filter(county=county).select_related("commissioner", "provider", "paid_from_pool_of")
    return {
        "Partnership": [_fields("Partnership", county)],
        "Districts": [_fields("Districts", district) for district in District.objects.filter(county=county)],
        "Funders": [_fields("Funders", funder) for funder in Funder.objects.filter(county=county).order_by("pk")],
        "Organisations": [
            _fields("Organisations", organisation, district=organisation.district.slug if organisation.district else "")
            for organisation in Organisation.objects.filter(county=county).select_related("district").order_by("pk")
        ],
        "Contracts": [
            _fields(
                "Contracts",
                contract,
                commissioner=contract.commissioner.code,
                provider=contract.provider.code,
                paid_from_pool_of=contract.paid_from_pool_of.reference if contract.paid_from_pool_of else "",
            )
            for contract in contracts.order_by("pk")
        ],
        "Contract years": [
            _fields("Contract years", year, contract=year.contract.reference, allocations_must_add_up=False)
            for year in ContractYear.objects.filter(contract__county=county).select_related("contract").order_by("pk")
        ],
        "Contributions": [
            _fields("Contributions", item, contract=item.contract.reference, funder=item.funder.code)
            for item in Contribution.objects.filter(contract__county=county)
            .select_related("contract", "funder")
            .order_by("pk")
        ],
        "Sub-contracts": [
            _fields(
                "Sub-contracts",
                item,
                contract=item.contract.reference,
                provider=item.provider.code,
                districts=", ".join(district.slug for district in item.districts.order_by("slug")),
            )
            for item in SubContract.objects.filter(contract__county=county)
            .select_related("contract", "provider")
            .prefetch_related("districts")
            .order_by("pk")
        ],
        "Allocations": [
            _fields("Allocations", item, contract=item.contract.reference, organisation=item.organisation.code)
            for item in Allocation.objects.filter(contract__county=county)
            .select_related("contract", "organisation")
            .order_by("pk")
        ],
        "Outcomes": [_fields("Outcomes", outcome) for outcome in Outcome.objects.order_by("number")],
        "Indicators": [
            _fields(
                "Indicators",
                indicator,
                outcomes=", ".join(str(outcome.number) for outcome in indicator.outcomes.order_by("number")),
            )
            for indicator in Indicator.objects.prefetch_related("outcomes").order_by("pk")
        ],
        "Targets": [
            _fields(
                "Targets",
                target,
                indicator=target.indicator.code,
                provider=target.provider.code if target.provider else "",
                district=target.district.slug if target.district else "",
            )
            for target in Target.objects.filter(
                Q(provider__isnull=True, district__isnull=True)
                | Q(provider__county=county)
                | Q(district__county=county)
            )
            .select_related("indicator", "provider", "district")
            .order_by("pk")
        ],
        "Reporting periods": [
            _fields("Reporting periods", period, period=period.value) for period in ReportingPeriod.objects.all()
        ],
    }


def partnership_workbook(county: County | None = None) -> Workbook:
    """The workbook of ``county``'s set-up, or the blank template (with its Instructions sheet) without one."""
    return workbook_write(partnership_rows(county) if county is not None else None)
