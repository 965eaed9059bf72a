"""Disputes for the Peer Review Body: raised by a party, decided by the chair, binding and then unchangeable."""

import pytest
from django.urls import reverse

from contracts.models import SubContract
from disputes.models import Dispute
from disputes.services import dispute_raise
from performance.models import Result
from vcsportal.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def vasl():
    return SubContract.objects.get(provider__code="VASL")


def raise_about_subcontract(client, subcontract, **extra):
    data = {"subcontract": subcontract.pk, "subject": "Where the cut falls", "details": "VAL wants it all from us."}
    data.update(extra)
    return client.post(reverse("disputes:create"), data)


def test_a_hub_raises_a_dispute_about_its_own_subcontract(hub_client, vasl):
    response = raise_about_subcontract(hub_client, vasl)
    assert response.status_code == 302
    dispute = Dispute.objects.get()
    assert (dispute.raised_by_organisation.code, dispute.respondent.code) == ("VASL", "VAL")
    assert dispute.status == "open"
    assert dispute.history.get().history_change_reason == "Raised by VASL"


def test_a_hub_cannot_raise_about_another_hubs_subcontract(hub_client):
    vac = SubContract.objects.get(provider__code="VAC")
    response = raise_about_subcontract(hub_client, vac)
    assert response.status_code == 200
    assert 'href="#id_subcontract"' in response.content.decode()
    assert not Dispute.objects.exists()


def test_the_cio_raises_a_rag_challenge_with_the_hub(val_client):
    result = Result.objects.get(
        return_obj__provider__code="MRCCA", return_obj__period__financial_year=2010, return_obj__period__quarter=2,
        indicator__code="LOC-1",
    )  # fmt: skip
    response = val_client.post(
        reverse("disputes:create"),
        {"result": result.pk, "subject": "Amber, not green?", "details": "The figures show more."},
    )
    assert response.status_code == 302
    dispute = Dispute.objects.get()
    assert (dispute.raised_by_organisation.code, dispute.respondent.code, dispute.result) == ("VAL", "MRCCA", result)


def test_either_a_subcontract_or_a_rating_must_be_chosen(hub_client):
    response = hub_client.post(reverse("disputes:create"), {"subject": "x", "details": "y"})
    assert "Choose either a sub-contract or a RAG rating" in response.content.decode()


def test_both_parties_lcc_funders_and_the_chair_see_it_others_do_not(login, vasl):
    dispute = dispute_raise(user=User.objects.get(username="vasl.hub"), subject="S", details="D", subcontract=vasl)
    for username in ("vasl.hub", "val.staff", "lcc.officer", "funder.reviewer", "peer.reviewer"):
        assert login(username).get(dispute.get_absolute_url()).status_code == 200, username
        assert "S</a>" in login(username).get(reverse("disputes:list")).content.decode()
    for username in ("vac.hub", "lutterworth.lrc"):
        assert login(username).get(dispute.get_absolute_url()).status_code == 404, username
        assert dispute.get_absolute_url() not in login(username).get(reverse("disputes:list")).content.decode()


def test_the_chair_sets_a_hearing_and_records_a_binding_decision(peer_client, hub_client, vasl):
    dispute = dispute_raise(user=User.objects.get(username="vasl.hub"), subject="S", details="D", subcontract=vasl)
    response = peer_client.post(reverse("disputes:hearing", args=[dispute.pk]), {"hearing_on": "2011-03-14"})
    assert response.status_code == 302
    response = peer_client.post(
        reverse("disputes:decide", args=[dispute.pk]), {"decision": "The cut is shared equally.", "confirmed": "yes"}
    )
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert dispute.status == "decided" and dispute.decided_by.username == "peer.reviewer"
    reasons = list(dispute.history.order_by("history_date").values_list("history_change_reason", flat=True))
    assert reasons == ["Raised by VASL", "Hearing set for 14 March 2011", "Decided (binding)"]
    page = hub_client.get(dispute.get_absolute_url()).content.decode()
    assert "Binding decision" in page and "The cut is shared equally." in page and "14 March 2011" in page


def test_a_decision_needs_text_and_a_hearing_date(peer_client, vasl):
    dispute = dispute_raise(user=User.objects.get(username="vasl.hub"), subject="S", details="D", subcontract=vasl)
    response = peer_client.post(reverse("disputes:decide", args=[dispute.pk]), {"decision": "Decided"})
    assert "Enter the date the Peer Review Body heard the dispute" in response.content.decode()
    response = peer_client.post(reverse("disputes:decide", args=[dispute.pk]), {"hearing_on": "2011-03-01"})
    assert 'href="#id_decide_decision"' in response.content.decode()
    dispute.refresh_from_db()
    assert dispute.status == "open"


def test_a_decided_dispute_cannot_be_edited_only_referenced(peer_client, hub_client, vasl):
    dispute = dispute_raise(user=User.objects.get(username="vasl.hub"), subject="S", details="D", subcontract=vasl)
    peer_client.post(
        reverse("disputes:decide", args=[dispute.pk]),
        {"decision": "Final", "hearing_on": "2011-03-01", "confirmed": "yes"},
    )
    edits = [("disputes:decide", {"decision": "Changed"}), ("disputes:hearing", {"hearing_on": "x"})]
    for name, data in edits:
        assert peer_client.post(reverse(name, args=[dispute.pk]), data).status_code == 403
    dispute.refresh_from_db()
    assert dispute.decision == "Final" and str(dispute.hearing_on) == "2011-03-01"
    assert "Record the binding decision" not in peer_client.get(dispute.get_absolute_url()).content.decode()
    response = raise_about_subcontract(hub_client, vasl, refers_to=dispute.pk, subject="New facts")
    assert response.status_code == 302
    follow_up = Dispute.objects.get(subject="New facts")
    assert follow_up.refers_to == dispute
    assert "New facts" in hub_client.get(dispute.get_absolute_url()).content.decode()
