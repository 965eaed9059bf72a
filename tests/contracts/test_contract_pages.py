"""The contract page: term, extension with its history, contributions, allocations and the reconciliation."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from contracts.models import BudgetLine, Contract, ContractExtension, SubContract
from districts.models import District
from vcsportal.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract():
    return Contract.objects.get(paid_from_pool_of=None)


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_2010_11_figures_are_shown_with_their_variances(funder_client, contract):
    page = text(funder_client.get(contract.get_absolute_url()))
    row = page[page.index("2010/11 £1,471,000.00") :][:200]
    assert row.startswith("2010/11 £1,471,000.00 £1,462,398.00 £1,485,000.00 £8,602.00 £14,000.00 £22,602.00")
    assert "No: the figures do not reconcile" in row
    assert "2011/12 £0.00 £1,254,878.00 (estimate)" in page
    # Nothing allocated for 2011/12 yet: that is what it says, not that its figures fail to reconcile.
    row_2011 = page[page.index("2011/12 £0.00 £1,254,878.00") :][:200]
    assert "Not yet allocated" in row_2011 and "do not reconcile" not in row_2011
    assert "Term 2009/10 to 2011/12" in page
    assert "2 years, not yet exercised" in page


def test_contributions_per_funder_and_allocations_are_listed(funder_client, contract):
    page = text(funder_client.get(contract.get_absolute_url()))
    assert (
        "The seven District Councils, combined 2010/11 District Councils&#x27; combined contribution £189,000.00"
        in page
    )
    assert "Leicestershire County Council 2010/11 Original grant £920,000.00" in page
    assert "Voluntary Action LeicesterShire VAL Countywide infrastructure organisation 2010/11 £979,000.00" in page
    assert "Share of the money allocated going to hubs and LRCs: 34.07%" in page


def test_exercising_the_extension_records_the_new_end_who_and_why(lcc_client, contract):
    response = lcc_client.post(
        reverse("contracts:extend", args=[contract.pk]),
        {"years": 2, "reason": "Recommendation Nine", "confirmed": "yes"},
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert (contract.end_year, contract.extension_exercised) == (2013, True)
    extension = ContractExtension.objects.get()
    assert (extension.previous_end_year, extension.new_end_year) == (2011, 2013)
    assert extension.exercised_by.username == "lcc.officer"
    latest = contract.history.first()
    assert latest.history_change_reason == "Extension exercised: Recommendation Nine"
    assert latest.history_user.username == "lcc.officer"
    page = text(lcc_client.get(contract.get_absolute_url()))
    assert "Term 2009/10 to 2013/14" in page
    assert "Laura Officer from 2011/12 to 2013/14 Recommendation Nine" in page
    assert "Exercise the extension" not in page
    # A second exercise is refused and changes nothing.
    again = lcc_client.post(reverse("contracts:extend", args=[contract.pk]), {"years": 1, "reason": "again"})
    assert again.status_code in (200, 403, 404) or again.status_code == 302
    contract.refresh_from_db()
    assert contract.end_year == 2013 and ContractExtension.objects.count() == 1


def test_the_extension_needs_a_reason_and_a_valid_length(lcc_client, contract):
    response = lcc_client.post(reverse("contracts:extend", args=[contract.pk]), {"years": 5, "reason": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_years"' in page and 'href="#id_reason"' in page
    contract.refresh_from_db()
    assert contract.end_year == 2011 and not ContractExtension.objects.exists()


def test_budget_lines_give_the_cio_front_line_share(lcc_client, contract):
    url = reverse("contracts:budget_lines", args=[contract.pk])
    melton = District.objects.get(slug="melton")
    response = lcc_client.post(
        url, {"financial_year": "2010/11", "category": "dva", "district": melton.pk, "amount": "97900", "note": ""}
    )
    assert response.status_code == 302
    lcc_client.post(url, {"financial_year": "2010/11", "category": "central", "amount": "500000"})
    page = text(lcc_client.get(url))
    assert "2010/11 £97,900.00 £500,000.00 £979,000.00 10.00% 10.00% 0.00%" in page
    detail = text(lcc_client.get(contract.get_absolute_url()))
    assert "Share of the CIO's allocation spent on front-line district staff: 10.00%" in detail


def test_a_front_line_line_needs_a_district(lcc_client, contract):
    url = reverse("contracts:budget_lines", args=[contract.pk])
    response = lcc_client.post(url, {"financial_year": "2010/11", "category": "ddo", "amount": "100"})
    assert "Front-line district staff belong to a district" in response.content.decode()
    assert not BudgetLine.objects.exists()


def test_a_stale_budget_line_edit_is_refused(lcc_client, contract):
    line = BudgetLine.objects.create(contract=contract, financial_year=2010, category="central", amount=100)
    url = reverse("contracts:budget_line_update", args=[line.pk])
    first = lcc_client.post(
        url, {f"line{line.pk}-version": 1, f"line{line.pk}-amount": "200", f"line{line.pk}-note": ""}
    )
    assert first.status_code == 302
    stale = lcc_client.post(
        url, {f"line{line.pk}-version": 1, f"line{line.pk}-amount": "300", f"line{line.pk}-note": ""}, follow=True
    )
    assert "Someone else changed this" in stale.content.decode()
    line.refresh_from_db()
    assert line.amount == Decimal("200.00")
    lcc_client.post(reverse("contracts:budget_line_delete", args=[line.pk]), {f"line{line.pk}-version": 2})
    assert not BudgetLine.objects.exists()
    assert BudgetLine.history.filter(history_type="-", history_user=User.objects.get(username="lcc.officer")).exists()


def test_the_contract_page_runs_a_bounded_number_of_queries(funder_client, contract, django_assert_max_num_queries):
    with django_assert_max_num_queries(30):
        assert funder_client.get(contract.get_absolute_url()).status_code == 200


def test_the_admin_lists_the_recorded_events_read_only(lcc_client, contract):
    User.objects.filter(username="lcc.officer").update(is_superuser=True)
    lcc_client.post(
        reverse("contracts:extend", args=[contract.pk]), {"years": 1, "reason": "Transition year", "confirmed": "yes"}
    )
    page = lcc_client.get(reverse("admin:contracts_contractextension_changelist")).content.decode()
    assert "2012" in page
    assert lcc_client.get(reverse("admin:contracts_contractextension_add")).status_code == 403


def test_contributions_are_totalled_per_funder_and_year(funder_client, contract):
    page = text(funder_client.get(contract.get_absolute_url()))
    assert "2010/11 Leicestershire County Council (LCC) 2 £1,042,000.00" in page
    assert "(DISTRICT-COUNCILS): a combined total, never split 1 £189,000.00" in page


def test_providers_owing_returns_follow_the_subcontracts(lcc_client):
    from contracts.selectors import providers_owing_returns

    assert providers_owing_returns(2010).count() == 11
    vam = SubContract.objects.get(provider__code="VAM")
    lcc_client.post(
        reverse("contracts:subcontract_vary", args=[vam.pk]),
        {
            "version": vam.version,
            "varied_on": "2010-04-01",
            "start_year": "2010/11",
            "end_year": "2010/11",
            "reason": "Social enterprise",
        },
    )
    assert "VAM" not in providers_owing_returns(2011).values_list("code", flat=True)
    assert "VAM" in providers_owing_returns(2010).values_list("code", flat=True)
    assert providers_owing_returns(2014).count() == 0
