"""Every role's home page lists what needs that person, with links (a test per role)."""

import pytest
from django.urls import reverse

from contracts.models import SubContract
from disputes.services import dispute_raise
from notifications.models import Notification
from performance.services import return_accept, return_send_back
from tests.notifications.test_events import q3, submitted, user

pytestmark = pytest.mark.django_db


def needs(client) -> dict:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return {section.key: section for section in response.context["needs"]}, response.content.decode()


def test_a_hubs_staff_see_their_open_return_with_its_due_date_status_and_the_reason_it_came_back(hub_client):
    return_obj = submitted("VASL", "vasl.hub")
    return_send_back(return_obj=return_obj, user=user("val.staff"), comment="LOC-2 needs a figure.")
    sections, page = needs(hub_client)
    [item] = sections["own"].items
    assert item.text == "VASL 2010/11 Q3"
    assert "Returned, due 31 January 2011" in item.detail and "overdue" in item.detail
    assert "Sent back: LOC-2 needs a figure." in item.detail
    assert f'href="{return_obj.get_absolute_url()}"' in page
    assert set(sections) == {"own"}  # nothing else is theirs


def test_the_cios_staff_see_their_own_return_the_hubs_waiting_for_review_and_the_lateness_they_chase(val_client):
    vasl = submitted("VASL", "vasl.hub")
    sections, page = needs(val_client)
    assert [item.text for item in sections["own"].items] == ["VAL 2010/11 Q3"]
    assert [item.text for item in sections["review"].items] == ["VASL 2010/11 Q3"]
    assert f'href="{vasl.get_absolute_url()}"' in page
    [overdue] = sections["overdue"].items
    assert overdue.text == "2010/11 Q3: 9 returns overdue"  # its sub-contractors' (VASL has submitted; VAL is its own)
    assert overdue.url == reverse("period_returns:list", args=["2010-11-q3"]) + "?status=overdue"
    assert "VAL" not in overdue.detail.split(": ", 1)[1].split(", ")
    assert "sign_off" not in sections and "periods" not in sections


def test_lcc_sees_returns_to_sign_off_overdue_returns_open_disputes_periods_past_due_and_failed_emails(lcc_client):
    accepted = return_accept(return_obj=submitted("VASL", "vasl.hub"), user=user("val.staff"))
    dispute = dispute_raise(
        user=user("vac.hub"),
        subject="VAC's allocation",
        details="D",
        subcontract=SubContract.objects.get(provider__code="VAC"),
    )
    Notification.objects.filter(kind="accepted").update(status=Notification.Status.FAILED, last_error="Refused")
    sections, page = needs(lcc_client)
    assert [item.text for item in sections["sign_off"].items] == ["VASL 2010/11 Q3"]
    assert sections["sign_off"].more_url == reverse("period_returns:list", args=["2010-11-q3"]) + "?status=accepted"
    assert f'href="{accepted.get_absolute_url()}"' in page
    assert sections["overdue"].items[0].text == "2010/11 Q3: 10 returns overdue"
    assert [item.text for item in sections["periods"].items] == ["2010/11 Q3"]
    assert [item.url for item in sections["disputes"].items] == [dispute.get_absolute_url()]
    assert sections["emails"].items[0].text == "2 emails failed"  # to VASL's staff and to LCC
    assert sections["emails"].items[0].url == reverse("notifications:delivery_log") + "?status=failed"


def test_lcc_sees_the_cios_submitted_return_waiting_for_its_review(lcc_client):
    val_return = submitted("VAL", "val.staff")
    sections, _ = needs(lcc_client)
    assert [item.url for item in sections["review"].items] == [val_return.get_absolute_url()]


def test_a_funder_sees_the_latest_signed_off_period_and_what_changed_with_links(funder_client):
    sections, page = needs(funder_client)
    headline, change = sections["latest"].items
    assert headline.text == "2010/11 Q2: 53 green, 5 amber, 0 red, 13 not reported of 71 indicators"
    assert headline.url == reverse("reports:pack", args=["2010-11-q2"])
    assert change.text.startswith("Since 2009/10 Q3: 20 improved, 1 declined (VAL-28)")
    assert change.url == reverse("performance:dashboard_change") + "?period=2010-11-q2&compare_to=2009-10-q3"
    assert funder_client.get(change.url).status_code == 200
    assert set(sections) == {"latest"}


def test_the_peer_reviewer_sees_the_open_disputes_waiting_for_a_decision(peer_client):
    sections, page = needs(peer_client)
    assert "Nothing needs you at the moment." in page
    dispute = dispute_raise(
        user=user("vasl.hub"),
        subject="The cut",
        details="D",
        subcontract=SubContract.objects.get(provider__code="VASL"),
    )
    sections, page = needs(peer_client)
    [item] = sections["disputes"].items
    assert item.url == dispute.get_absolute_url()
    assert "waiting for the Peer Review Body's decision" in item.detail
    assert q3("VASL").status == "draft"
