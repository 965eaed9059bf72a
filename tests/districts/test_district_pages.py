"""District pages: population, providers, money by source, negotiation status with notes and history, results."""

from decimal import Decimal

import pytest
from django.urls import reverse

from contracts.models import BudgetLine, Contract
from districts.models import District, NegotiationNote
from performance.models import Return
from performance.selectors import district_latest_results

pytestmark = pytest.mark.django_db


def test_the_list_shows_every_district_with_its_december_2010_status(hub_client):
    page = hub_client.get(reverse("districts:list")).content.decode()
    for district in District.objects.all():
        assert district.get_absolute_url() in page
    assert "166,100" in page and "Part agreed" in page and "Not agreed" in page


def test_a_district_page_shows_population_providers_and_money_by_source(funder_client):
    contract = Contract.objects.get(paid_from_pool_of=None)
    charnwood = District.objects.get(slug="charnwood")
    BudgetLine.objects.create(
        contract=contract, financial_year=2010, category="ddo", district=charnwood, amount=Decimal("24000")
    )
    page = funder_client.get(charnwood.get_absolute_url()).content.decode()
    assert "166,100" in page and "2011 Census" in page
    assert "Voluntary Action Charnwood (VAC, community hub)" in page and "Syston LRC (SYSLRC" in page
    assert "£78,000.00" in page  # VAC £68k + Syston £10k through sub-contracts in 2010/11
    assert "District Development Officer" in page and "£24,000.00" in page
    assert "Not agreed" in page and "population-based formula" in page


def test_lcc_adds_a_note_which_moves_the_status_with_history(lcc_client):
    melton = District.objects.get(slug="melton")
    response = lcc_client.post(
        reverse("districts:add_note", args=["melton"]),
        {"noted_on": "2011-01-31", "status": "agreed", "note": "Transition funding agreed for 2011/12."},
    )
    assert response.status_code == 302
    melton.refresh_from_db()
    assert melton.negotiation_status == "agreed"
    note = NegotiationNote.objects.get(district=melton, noted_on="2011-01-31")
    assert note.recorded_by.username == "lcc.officer"
    latest = melton.history.first()
    assert latest.history_change_reason == "Negotiation status Part agreed to Agreed"
    assert latest.history_user.username == "lcc.officer"
    page = lcc_client.get(melton.get_absolute_url()).content.decode()
    assert "31 January 2011: Agreed" in page and "Transition funding agreed" in page


def test_a_note_needs_its_fields(lcc_client):
    response = lcc_client.post(reverse("districts:add_note", args=["melton"]), {"status": "agreed"})
    page = response.content.decode()
    assert 'href="#id_noted_on"' in page and 'href="#id_note"' in page
    assert District.objects.get(slug="melton").negotiation_status == "part_agreed"


def test_results_show_each_providers_latest_counted_result():
    harborough = District.objects.get(slug="harborough")
    results = list(district_latest_results(harborough))
    # VASL (5 LOC indicators) and Lutterworth LRC (2) from the signed-off 2010/11 Q2; Q3 drafts do not count.
    assert len(results) == 7
    assert {r.return_obj.period.label for r in results} == {"2010/11 Q2"}
    assert {r.return_obj.provider.code for r in results} == {"VASL", "LUTLRC"}
    assert all(r.return_obj.status in Return.COUNTED for r in results)


def test_a_newer_counted_return_replaces_the_older_result():
    q3 = Return.objects.get(provider__code="VASL", period__financial_year=2010, period__quarter=3)
    Return.objects.filter(pk=q3.pk).update(status="submitted")
    harborough = District.objects.get(slug="harborough")
    vasl = [r for r in district_latest_results(harborough) if r.return_obj.provider.code == "VASL"]
    assert len(vasl) == 5 and {r.return_obj.period.label for r in vasl} == {"2010/11 Q3"}


def test_the_results_section_writes_rag_as_a_word(hub_client):
    page = hub_client.get(District.objects.get(slug="melton").get_absolute_url()).content.decode()
    assert '<span class="rag rag--amber">Amber</span>' in page
