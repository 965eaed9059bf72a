"""Issue 16, item 5: the 2007 plan as the baseline. Its funding figures are loaded as a historical arrangement
(never a contract year) and compared on a money page with 2010/11 and 2011/12; its three outcomes and their
objectives are recorded against the 2011 framework's strands. Expected figures come from the loaded data."""

import pytest
from django.db.models import Sum
from django.urls import reverse

from contracts.models import Allocation, Contract, ContractYear, Contribution, PlanFigure, PlanObjective, PlanOutcome
from vcsportal import leicestershire_data as data

pytestmark = pytest.mark.django_db


def page(client):
    contract = Contract.objects.get(paid_from_pool_of=None)
    response = client.get(reverse("contracts:plan_baseline", args=[contract.pk]))
    assert response.status_code == 200
    return response.content.decode()


def section(html, marker, year):
    return html.split(marker)[1].split("</table>")[0].split(f'data-year="{year}"')[1].split("</tr>")[0]


def test_the_plans_figures_are_loaded_and_are_no_contract_year():
    figures = {f.code: f for f in PlanFigure.objects.all()}
    assert {code: figures[code].amount for code, *_ in data.PLAN_2007_FIGURES} == {
        code: amount for code, _label, amount, *_ in data.PLAN_2007_FIGURES
    }
    assert figures["sustainable-funding"].amount == 1_100_000 and figures["hub-and-spoke-per-district"].amount == 82_000
    assert not ContractYear.objects.filter(financial_year__lt=2009).exists()


def test_the_money_page_compares_the_plan_with_2010_11_and_2011_12(funder_client):
    html = page(funder_client)
    plan = {f.code: f.amount for f in PlanFigure.objects.all()}
    stated_2010 = ContractYear.objects.get(contract__paid_from_pool_of=None, financial_year=2010).stated_total
    estimate_2011 = ContractYear.objects.get(contract__paid_from_pool_of=None, financial_year=2011).stated_total
    row = section(html, 'data-plan-figure="sustainable-funding"', "2010/11")
    assert f"£{stated_2010:,.2f}" in row and f"+£{stated_2010 - plan['sustainable-funding']:,.2f}" in row
    row = section(html, 'data-plan-figure="sustainable-funding"', "2011/12")
    assert f"£{estimate_2011:,.2f}" in row and "an estimate" in row
    councils = Contribution.objects.filter(financial_year=2010, funder__code="DISTRICT-COUNCILS").aggregate(
        t=Sum("amount")
    )["t"]
    row = section(html, 'data-plan-figure="district-councils-funding"', "2010/11")
    assert f"£{councils:,.2f}" in row and f"+£{councils - plan['district-councils-funding']:,.2f}" in row
    sums = [
        Allocation.objects.filter(
            financial_year=2010, organisation__district__slug=slug, organisation__kind__in=["hub", "lrc"]
        ).aggregate(t=Sum("amount"))["t"]
        for slug in ("blaby", "charnwood")
    ]  # a district with a hub only, and one with a hub and an LRC
    row = section(html, 'data-plan-figure="hub-and-spoke-per-district"', "2010/11")
    assert f"£{min(sums):,.2f} to £{max(sums):,.2f}" in row
    for code in ("on-cost-equipment", "on-cost-direct", "on-cost-accommodation"):
        assert f'data-plan-figure="{code}"' in html and f"{plan[code]:.0f}%" in html


def test_the_three_outcomes_and_their_objectives_are_recorded_against_the_2011_strands(funder_client):
    assert list(PlanOutcome.objects.values_list("number", flat=True)) == [1, 2, 3]
    strands = {o.number: o.strand for o in PlanObjective.objects.all()}
    assert strands["1.2"] == "volunteering" and strands["2.1"] == "coordination" and strands["1.1"] == "capacity"
    assert PlanObjective.objects.count() == sum(len(objectives) for _n, _w, objectives in data.PLAN_2007_OUTCOMES)
    html = page(funder_client)
    for objective in PlanObjective.objects.select_related("outcome"):
        assert f'data-objective="{objective.number}"' in html
    assert "Volunteering" in html.split('data-objective="1.2"')[1].split("</tr>")[0]


def test_the_page_is_for_those_who_read_contracts(login):
    contract = Contract.objects.get(paid_from_pool_of=None)
    assert login("vasl.hub").get(reverse("contracts:plan_baseline", args=[contract.pk])).status_code == 403
