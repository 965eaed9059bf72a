"""Who may do what to whom on the people pages, as a matrix, and tampering: every refused POST changes nothing
(no person, group, session, token or recorded change)."""

import pytest
from django.urls import reverse

from core.roles import Role
from tests.signin import signed_in
from vcsportal.models import User
from vcsportal.people.services import person_fingerprint

pytestmark = pytest.mark.django_db

USERS = ["lcc.officer", "funder.reviewer", "val.staff", "vasl.hub", "vac.hub", "lutterworth.lrc", "peer.reviewer"]
ACTIONS = ["change_role", "deactivate", "reactivate", "resend_invitation", "reset_two_factor"]


def action_data(person: User) -> dict:
    seen = person_fingerprint(person)
    return {
        "role-role": Role.PEER_REVIEWER,
        "role-organisation": "",
        "role-funder": "",
        "role-reason": "Tampered with",
        "role-seen": seen,
        "active-reason": "Tampered with",
        "active-seen": seen,
        "twofactor-reason": "Tampered with",
    }


@pytest.mark.parametrize("username", USERS)
def test_who_reads_the_people_pages(login, username):
    client = login(username)
    expected = 200 if username == "lcc.officer" else 403
    assert client.get(reverse("people:list")).status_code == expected
    assert client.get(reverse("people:invite")).status_code == expected
    assert client.get(reverse("people:detail", args=[User.objects.get(username="vac.hub").pk])).status_code == expected


@pytest.mark.parametrize("username", [u for u in USERS if u != "lcc.officer"])
@pytest.mark.parametrize("action", ACTIONS)
def test_nobody_but_lcc_and_site_administrators_changes_anyone(login, unchanged, username, action):
    client = login(username)
    victim = User.objects.get(username="vac.hub")
    with unchanged():
        response = client.post(reverse(f"people:{action}", args=[victim.pk]), action_data(victim))
        assert response.status_code == 403
        response = client.post(reverse("people:invite"), {"email": "sneaky@example.org", "role": Role.LCC_OFFICER})
        assert response.status_code == 403


@pytest.mark.parametrize("action", ACTIONS)
def test_an_lcc_officer_cannot_change_themselves_or_a_site_administrator(lcc_client, unchanged, action):
    admin = User.objects.create_superuser("site.admin", "site.admin@example.org", "not-used-here")
    signed_in(admin)  # gives them an authenticator, so a reset would have something to remove
    # Themselves: seen but refused. The site administrator works in no partnership, so is not even seen.
    for person, status in ((User.objects.get(username="lcc.officer"), 403), (admin, 404)):
        with unchanged():
            response = lcc_client.post(reverse(f"people:{action}", args=[person.pk]), action_data(person))
            assert response.status_code == status, person


def test_a_person_who_does_not_exist_is_not_found(lcc_client, unchanged):
    with unchanged():
        for action in ACTIONS:
            assert lcc_client.post(reverse(f"people:{action}", args=[999999]), {}).status_code == 404
        assert lcc_client.get(reverse("people:detail", args=[999999])).status_code == 404


def test_people_pages_change_nothing_on_get(lcc_client, unchanged):
    victim = User.objects.get(username="vac.hub")
    with unchanged():
        for action in ACTIONS:
            assert lcc_client.get(reverse(f"people:{action}", args=[victim.pk])).status_code == 405


def test_a_people_post_needs_the_csrf_token(unchanged):
    from django.test import Client

    client = signed_in(User.objects.get(username="lcc.officer"), Client(enforce_csrf_checks=True))
    victim = User.objects.get(username="vac.hub")
    with unchanged():
        assert client.post(reverse("people:deactivate", args=[victim.pk]), action_data(victim)).status_code == 403
