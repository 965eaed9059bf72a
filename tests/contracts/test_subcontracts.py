"""Sub-contracts: created, varied and ended, each change a recorded variation; stale edits refused."""

from decimal import Decimal

import pytest
from django.urls import reverse

from contracts.models import Allocation, Contract, Organisation, SubContract, SubContractVariation
from districts.models import District

pytestmark = pytest.mark.django_db


@pytest.fixture
def vasl():
    return SubContract.objects.get(provider__code="VASL")


def vary(client, subcontract, **data):
    payload = {"version": subcontract.version, "varied_on": "2011-04-01", "reason": "Negotiated in Harborough"}
    payload.update(data)
    return client.post(reverse("contracts:subcontract_vary", args=[subcontract.pk]), payload)


def test_varying_the_value_records_before_after_reason_and_who(lcc_client, vasl):
    response = vary(lcc_client, vasl, financial_year="2011/12", amount="57000")
    assert response.status_code == 302
    allocation = Allocation.objects.get(organisation__code="VASL", financial_year=2011)
    assert allocation.amount == Decimal("57000.00")
    variation = SubContractVariation.objects.get(subcontract=vasl)
    # Against the value then in force: 2011/12 had no allocation yet, so 2010/11's £68,000 carried on.
    assert (variation.kind, variation.amount_before, variation.amount_after) == (
        "value", Decimal("68000.00"), Decimal("57000.00"),
    )  # fmt: skip
    assert variation.varied_by.username == "lcc.officer"
    # Issue 16, item 1: the sub-contract starts in 2011/12 (in 2010/11 VASL had its own contract, review 2.5), so
    # the second variation is a further 2011/12 change, read against the £57,000 now in force.
    vary(lcc_client, SubContract.objects.get(pk=vasl.pk), financial_year="2011/12", amount="49000")
    later = SubContractVariation.objects.filter(subcontract=vasl, financial_year=2011).order_by("pk").last()
    assert (later.amount_before, later.amount_after, later.amount_change) == (
        Decimal("57000.00"), Decimal("49000.00"), Decimal("-8000.00"),
    )  # fmt: skip
    assert Allocation.objects.get(organisation__code="VASL", financial_year=2011).history.first().history_user
    page = lcc_client.get(vasl.get_absolute_url()).content.decode()
    assert "£57,000.00" in page and "£49,000.00" in page and "(−£8,000.00)" in page
    assert "Negotiated in Harborough" in page


def test_varying_term_strands_and_districts_records_each(lcc_client, vasl):
    melton = District.objects.get(slug="melton")
    harborough = District.objects.get(slug="harborough")
    response = vary(
        lcc_client, vasl, start_year="2010/11", strands=["volunteering"], districts=[harborough.pk, melton.pk]
    )
    assert response.status_code == 302
    vasl.refresh_from_db()
    assert (vasl.start_year, vasl.strands, vasl.version) == (2010, ["volunteering"], 2)
    assert set(vasl.districts.values_list("slug", flat=True)) == {"harborough", "melton"}
    kinds = set(SubContractVariation.objects.filter(subcontract=vasl).values_list("kind", flat=True))
    assert kinds == {"term", "strands", "districts"}
    term = SubContractVariation.objects.get(subcontract=vasl, kind="term")
    # Issue 16, item 1: sub-contracts start in 2011/12, the transition year (Recommendation 5).
    assert (term.before, term.after) == ("2011/12 to 2011/12", "2010/11 to 2011/12")
    assert vasl.history.first().history_change_reason == "Varied: Negotiated in Harborough"


def test_a_stale_variation_is_refused_and_saves_nothing(lcc_client, vasl):
    old_version = vasl.version
    assert vary(lcc_client, vasl, financial_year="2011/12", amount="50000").status_code == 302
    vasl.version = old_version  # the second officer still has the page they opened before
    response = vary(lcc_client, vasl, financial_year="2011/12", amount="40000")
    assert response.status_code == 409
    assert "Someone else changed this" in response.content.decode()
    assert Allocation.objects.get(organisation__code="VASL", financial_year=2011).amount == Decimal("50000.00")
    assert SubContractVariation.objects.filter(subcontract=vasl).count() == 1


def test_a_variation_outside_the_contract_term_is_refused(lcc_client, vasl):
    response = vary(lcc_client, vasl, end_year="2014/15")
    assert response.status_code == 200
    assert "within the contract&#x27;s term" in response.content.decode()
    vasl.refresh_from_db()
    assert vasl.end_year == 2011 and not SubContractVariation.objects.exists()


def test_a_variation_with_no_change_is_refused(lcc_client, vasl):
    response = vary(lcc_client, vasl)
    assert "Nothing was changed" in response.content.decode()


def test_ending_a_subcontract(lcc_client, vasl):
    response = lcc_client.post(
        reverse("contracts:subcontract_end", args=[vasl.pk]),
        {"version": vasl.version, "ended_on": "2012-03-31", "reason": "Transition to VAL", "confirmed": "yes"},
    )
    assert response.status_code == 302
    vasl.refresh_from_db()
    assert vasl.status == "ended" and not vasl.covers(2011)
    assert SubContractVariation.objects.get(subcontract=vasl).kind == "ended"
    refused = vary(lcc_client, vasl, financial_year="2011/12", amount="1")
    assert "it can no longer be varied" in refused.content.decode()
    assert Allocation.objects.get(organisation__code="VASL", financial_year=2010).amount == Decimal("68000.00")
    assert not Allocation.objects.filter(organisation__code="VASL", financial_year=2011).exists()


def test_creating_a_subcontract_sets_its_value_per_year(lcc_client):
    contract = Contract.objects.get(paid_from_pool_of=None)
    SubContract.objects.filter(provider__code="CDLRC").delete()
    cdlrc = Organisation.objects.get(code="CDLRC")
    response = lcc_client.post(
        reverse("contracts:subcontract_create", args=[contract.pk]),
        {
            "provider": cdlrc.pk,
            "start_year": "2010/11",
            "end_year": "2011/12",
            "strands": ["volunteering"],
            "districts": [cdlrc.district_id],
            "amount": "9000",
            "reason": "Re-let after review",
        },
    )
    assert response.status_code == 302
    sub = SubContract.objects.get(provider=cdlrc)
    # Issue 16, item 1: CDLRC's 2010/11 £10,000 under its own contract stays; the sub-contract's values are its own.
    values = Allocation.objects.filter(organisation=cdlrc, contract=contract).values_list("financial_year", "amount")
    assert set(values) == {
        (2010, Decimal("9000.00")), (2011, Decimal("9000.00")),
    }  # fmt: skip
    assert SubContractVariation.objects.filter(subcontract=sub, kind="created").exists()


def test_creating_needs_every_field_named(lcc_client):
    contract = Contract.objects.get(paid_from_pool_of=None)
    response = lcc_client.post(reverse("contracts:subcontract_create", args=[contract.pk]), {})
    page = response.content.decode()
    for field in ("provider", "start_year", "end_year", "amount", "reason"):
        assert f'href="#id_{field}' in page, field


def test_a_cut_reads_against_the_value_then_in_force(lcc_client, vasl):
    """A cut for a year not yet allocated reads from the value in force (the last year's), never from "none"."""
    vary(lcc_client, vasl, financial_year="2011/12", amount="60000")
    variation = SubContractVariation.objects.get(subcontract=vasl)
    assert (variation.amount_before, variation.amount_change) == (Decimal("68000.00"), Decimal("-8000.00"))
    page = lcc_client.get(vasl.get_absolute_url()).content.decode()
    assert "£68,000.00" in page and "£60,000.00" in page and "(−£8,000.00)" in page
    assert "+£60,000.00" not in page


def test_strands_listed_in_another_order_are_no_change(lcc_client, vasl):
    assert vasl.strands == ["volunteering", "capacity"]
    response = vary(lcc_client, vasl, strands=["capacity", "volunteering"])
    assert response.status_code == 200 and "Nothing was changed" in response.content.decode()
    response = vary(lcc_client, vasl, strands=["capacity", "volunteering"], financial_year="2011/12", amount="60000")
    assert response.status_code == 302
    assert list(SubContractVariation.objects.filter(subcontract=vasl).values_list("kind", flat=True)) == ["value"]
