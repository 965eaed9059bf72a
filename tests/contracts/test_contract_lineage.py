"""Issue 16, item 1: contract lineage. In 2010/11 VAL was paid under its own contract and each hub and LRC "under
different contracts", so "one CIO was not implemented" (review 2.5-2.6); from 2011/12, the transition year
(Recommendation 5), the single CIO contract with sub-contracts applies. Every figure is read from the loaded data."""

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum

from contracts.models import Allocation, Arrangement, Contract, ContractYear, Organisation, SubContract
from contracts.selectors import contract_reconciliation

pytestmark = pytest.mark.django_db


def cio_contract() -> Contract:
    return Contract.objects.get(provider__code="VAL", paid_from_pool_of=None)


def test_2010_11_has_vals_contract_and_one_contract_per_hub_and_lrc():
    cio = cio_contract()
    local = Organisation.objects.exclude(kind=Organisation.Kind.CIO)
    own = Contract.objects.filter(start_year__lte=2010, end_year__gte=2010, paid_from_pool_of=cio)
    assert own.count() == local.count() == 10
    assert set(own.values_list("provider__code", flat=True)) == set(local.values_list("code", flat=True))
    for contract in own:
        allocation = Allocation.objects.get(contract=contract, financial_year=2010)
        assert allocation.organisation_id == contract.provider_id
    # The CIO contract holds only VAL's own 2010/11 allocation.
    assert list(Allocation.objects.filter(contract=cio, financial_year=2010).values_list("organisation__code")) == [
        ("VAL",)
    ]


def test_2010_11_allocations_across_the_years_real_contracts_keep_their_totals():
    cio = cio_contract()
    summed = Allocation.objects.filter(financial_year=2010).aggregate(total=Sum("amount"))["total"]
    assert summed == cio.allocated_total(2010) == Decimal("1485000.00")
    assert cio.contributions_total(2010) == Decimal("1471000.00")
    assert cio.stated_total(2010) == Decimal("1462398.00")
    row = next(row for row in contract_reconciliation(cio) if row.financial_year == 2010)
    assert (row.allocated, row.contributions, row.stated_total) == (
        summed,
        Decimal("1471000.00"),
        cio.stated_total(2010),
    )
    # A hub's own contract is reconciled as the pool it is paid from.
    hub_contract = Contract.objects.get(provider__code="VASL", paid_from_pool_of=cio)
    assert contract_reconciliation(hub_contract) == contract_reconciliation(cio)


def test_the_arrangement_of_each_year_is_recorded():
    cio = cio_contract()
    assert ContractYear.objects.get(contract=cio, financial_year=2010).arrangement == Arrangement.SEPARATE
    assert ContractYear.objects.get(contract=cio, financial_year=2011).arrangement == Arrangement.SINGLE_CIO
    assert set(
        ContractYear.objects.filter(contract__paid_from_pool_of=cio).values_list("financial_year", "arrangement")
    ) == {(2010, Arrangement.SEPARATE)}


def test_2011_12_is_the_cio_contract_with_sub_contracts():
    cio = cio_contract()
    subs = SubContract.objects.filter(contract=cio)
    assert subs.count() == Organisation.objects.exclude(kind=Organisation.Kind.CIO).count()
    assert set(subs.values_list("start_year", flat=True)) == {2011}
    assert not SubContract.objects.filter(SubContract.live_in(2010)).exists()


def test_pages_show_which_arrangement_applied_in_which_year(funder_client, lcc_client):
    cio = cio_contract()
    page = funder_client.get(cio.get_absolute_url()).content.decode()
    assert "Contracting arrangement per year" in page
    assert Arrangement.SEPARATE.label.replace("'", "&#x27;") in page
    assert Arrangement.SINGLE_CIO.label in page
    hub_contract = Contract.objects.get(provider__code="VASL", paid_from_pool_of=cio)
    own_page = funder_client.get(hub_contract.get_absolute_url()).content.decode()
    assert "Paid from the pooled funding of" in own_page and cio.reference in own_page
    vasl = SubContract.objects.get(provider__code="VASL", contract=cio)
    sub_page = lcc_client.get(vasl.get_absolute_url()).content.decode()
    paid = Allocation.objects.get(contract=hub_contract, financial_year=2010).amount
    assert f"Its own contract {hub_contract.reference}" in sub_page
    assert f"£{paid:,.2f}" in sub_page


def test_the_2010_11_360giving_grants_are_under_each_ones_own_contract(tmp_path):
    target = tmp_path / "grants.json"
    call_command("export_360giving", "--year", "2010/11", "--output", str(target), stdout=io.StringIO(),
                 stderr=io.StringIO())  # fmt: skip
    grants = json.loads(target.read_text(encoding="utf-8"))["grants"]
    by_programme = {grant["grantProgramme"][0]["code"]: grant for grant in grants}
    cio = cio_contract()
    for contract in Contract.objects.filter(paid_from_pool_of=cio):
        grant = by_programme[contract.reference]
        assert grant["recipientOrganization"][0]["name"] == contract.provider.name
        assert Decimal(str(grant["amountAwarded"])) == Allocation.objects.get(contract=contract).amount
        assert not any("no sub-contract" in warning for warning in grant.get("dataWarnings", []))
    assert by_programme[cio.reference]["recipientOrganization"][0]["name"] == cio.provider.name
    assert len(grants) == Allocation.objects.filter(financial_year=2010).count()


def test_scenario_last_year_is_summed_across_2010_11s_real_contracts():
    out = io.StringIO()
    call_command("budget_scenario", "--year", "2011/12", "--total", "1254878", "--rule", "equal_cut",
                 "--format", "json", stdout=out)  # fmt: skip
    printed = json.loads(out.getvalue())
    # Each line prints its amount and its change from last year: last year is the one less the other.
    last_year = sum(Decimal(line["amount"]) - Decimal(line["change"]) for line in printed["allocations"])
    assert last_year == Allocation.objects.filter(financial_year=2010).aggregate(total=Sum("amount"))["total"]
    assert last_year == Decimal("1485000.00")
