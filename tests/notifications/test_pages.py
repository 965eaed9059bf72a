"""The Notifications page (each person their own), email preferences (only the non-essential kinds can be
turned off) and the header link to them."""

import pytest
from django.urls import reverse

from notifications.events import ESSENTIAL, OPTIONAL, Kind
from notifications.models import Notification, OptOut
from performance.services import return_send_back
from tests.notifications.test_events import submitted, user

pytestmark = pytest.mark.django_db


def test_each_person_sees_their_own_notifications_and_nobody_elses(login):
    return_obj = submitted("VASL", "vasl.hub")
    return_send_back(return_obj=return_obj, user=user("val.staff"), comment="Fix LOC-4.")
    page = login("vasl.hub").get(reverse("notifications:list")).content.decode()
    assert "Sent back: VASL 2010/11 Q3 return needs changes" in page
    assert f'href="/returns/{return_obj.pk}/"' in page
    assert "Fix LOC-4." in page
    assert "Queued" in page  # the worker has not run yet
    for username in ("vac.hub", "val.staff", "lcc.officer", "funder.reviewer", "peer.reviewer"):
        other = login(username).get(reverse("notifications:list")).content.decode()
        assert "Sent back: VASL" not in other, username


def test_every_page_links_to_the_notifications_page(login):
    for username in ("vasl.hub", "lcc.officer", "peer.reviewer"):
        page = login(username).get(reverse("home")).content.decode()
        assert f'href="{reverse("notifications:list")}"' in page


def test_the_preferences_page_offers_only_the_non_essential_kinds(login):
    page = login("vasl.hub").get(reverse("notifications:preferences")).content.decode()
    for kind in OPTIONAL:
        assert f'value="{kind.value}"' in page
        assert "checked" in page
    for kind in ESSENTIAL:
        assert f'value="{kind.value}"' not in page
        assert Kind(kind).label in page  # listed as always emailed


def test_turning_off_a_kind_keeps_the_notification_on_the_page_but_sends_no_email(login):
    client = login("vasl.hub")
    keep = [kind.value for kind in OPTIONAL if kind != Kind.SIGNED_OFF]
    response = client.post(reverse("notifications:preferences"), {"emailed": keep})
    assert response.status_code == 302
    assert list(OptOut.objects.filter(user=user("vasl.hub")).values_list("kind", flat=True)) == ["signed_off"]

    from performance.services import return_accept, return_sign_off

    return_obj = return_accept(return_obj=submitted("VASL", "vasl.hub"), user=user("val.staff"))
    return_sign_off(return_obj=return_obj, user=user("lcc.officer"))
    notification = Notification.objects.get(kind="signed_off", recipient=user("vasl.hub"))
    assert notification.status == Notification.Status.NOT_EMAILED
    assert "You turned these emails off." in client.get(reverse("notifications:list")).content.decode()
    # Accepted is still emailed.
    assert Notification.objects.get(kind="accepted", recipient=user("vasl.hub")).status == Notification.Status.QUEUED

    # Turning it back on.
    client.post(reverse("notifications:preferences"), {"emailed": [kind.value for kind in OPTIONAL]})
    assert not OptOut.objects.filter(user=user("vasl.hub")).exists()


def test_an_essential_kind_cannot_be_turned_off(login):
    response = login("vasl.hub").post(reverse("notifications:preferences"), {"emailed": ["sent_back"]})
    assert response.status_code == 400
    assert "from the list" in response.content.decode()
    assert not OptOut.objects.exists()
