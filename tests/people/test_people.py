"""People: an LCC officer invites someone (a real email through a real SMTP server), who sets a password from the
link and signs in; roles change with the admin's permissions following; a deactivated person's session and API
token stop working on their very next request; everything is recorded with who and why."""

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from contracts.models import Funder, Organisation
from core.roles import Role
from tests.signin import signed_in
from vcsportal.models import PersonChange, User
from vcsportal.people.roles import role_group_name
from vcsportal.people.services import person_fingerprint

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-new-password-2011"


def invite(client, **fields):
    data = {
        "email": "new.person@example.org",
        "first_name": "Nia",
        "last_name": "Newcomer",
        "role": Role.PROVIDER_STAFF,
        "organisation": Organisation.objects.get(code="VASL").pk,
        "funder": "",
        "reason": "New volunteering lead at VASL",
    }
    data.update(fields)
    return client.post(reverse("people:invite"), data)


def accept(client: Client, link: str, password: str = NEW_PASSWORD):
    """Follow the emailed link and set a password, as the new person would."""
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert "Set your password" in form_page.content.decode()
    return client.post(form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})


def test_an_invited_person_gets_the_email_sets_a_password_and_signs_in(lcc_client, smtp_inbox):
    response = invite(lcc_client)
    person = User.objects.get(email="new.person@example.org")
    assert response.status_code == 302 and response["Location"] == reverse("people:detail", args=[person.pk])
    assert person.username == "new.person@example.org" and not person.has_usable_password()
    assert person.organisation.code == "VASL" and person.groups.get().name == role_group_name(Role.PROVIDER_STAFF)

    (message,) = smtp_inbox.to("new.person@example.org")
    assert "invited" in message["Subject"]
    body = smtp_inbox.body(message)
    assert "Laura Officer has invited you" in body and "Voluntary Action South Leicestershire" in body
    link = smtp_inbox.link_to("new.person@example.org", "/accounts/invitation/")

    visitor = Client()
    done = accept(visitor, link)
    assert done.status_code == 302 and done["Location"] == reverse("login")
    signed = visitor.post(reverse("login"), {"username": "new.person@example.org", "password": NEW_PASSWORD})
    assert signed.status_code == 302 and signed["Location"] == reverse("home")
    assert "Welcome, Nia Newcomer" in visitor.get(reverse("home")).content.decode()
    # The link works once.
    assert "This invitation link does not work" in Client().get(link, follow=True).content.decode()

    change = PersonChange.objects.get(person=person)
    assert (change.kind, change.reason, change.changed_by.username) == (
        PersonChange.Kind.INVITED,
        "New volunteering lead at VASL",
        "lcc.officer",
    )
    assert change.after == "Hub or LRC staff (VASL)"


def test_an_invited_lcc_officer_sets_up_two_factor_at_first_sign_in(lcc_client, smtp_inbox):
    import pyotp

    invite(lcc_client, email="second.officer@example.org", role=Role.LCC_OFFICER, organisation="", funder="")
    person = User.objects.get(email="second.officer@example.org")
    assert person.is_staff and person.has_perm("performance.add_indicator")
    assert "two-factor" in smtp_inbox.body(smtp_inbox.to("second.officer@example.org")[0])
    visitor = Client()
    accept(visitor, smtp_inbox.link_to("second.officer@example.org", "/accounts/invitation/"))
    response = visitor.post(
        reverse("login"), {"username": "second.officer@example.org", "password": NEW_PASSWORD}, follow=True
    )
    # Straight to setting up the app: nothing else is open until then.
    assert response.redirect_chain[-1][0].startswith(reverse("twofactor:setup"))
    assert visitor.get(reverse("people:list")).status_code == 302
    secret = response.context["secret"].replace(" ", "")
    response = visitor.post(reverse("twofactor:setup"), {"code": pyotp.TOTP(secret).now()}, follow=True)
    assert "this is the only time they are shown" in response.content.decode()
    assert len(response.context["codes"]) == 10
    assert visitor.get(reverse("people:list")).status_code == 200


def test_the_invitation_refuses_an_address_already_in_use_and_a_provider_role_without_organisation(lcc_client):
    taken = invite(lcc_client, email="VASL.HUB@example.org")
    assert taken.status_code == 400
    assert "already has an account" in taken.content.decode()
    no_org = invite(lcc_client, organisation="")
    assert no_org.status_code == 400
    assert "Choose the organisation this person works for" in no_org.content.decode()
    wrong_kind = invite(lcc_client, role=Role.CIO_STAFF)
    assert "CIO staff work for the countywide organisation" in wrong_kind.content.decode()
    no_funder = invite(lcc_client, role=Role.FUNDER_REVIEWER, organisation="")
    assert "Choose the funder this person reviews for" in no_funder.content.decode()
    assert not User.objects.filter(email="new.person@example.org").exists()


def test_an_email_that_cannot_be_sent_leaves_the_account_and_says_so(lcc_client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2  # nothing listens there
    response = invite(lcc_client, email="unlucky@example.org")
    person = User.objects.get(email="unlucky@example.org")
    page = lcc_client.get(response["Location"]).content.decode()
    assert "could not be sent" in page and "Send the invitation again" in page
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    lcc_client.post(reverse("people:resend_invitation", args=[person.pk]))
    assert [m.to for m in mail.outbox] == [["unlucky@example.org"]]
    assert PersonChange.objects.filter(person=person, kind=PersonChange.Kind.INVITATION_SENT).exists()


def test_a_forgotten_password_is_reset_from_the_emailed_link(smtp_inbox, client, demo_password):
    response = client.post(reverse("password_reset"), {"email": "vasl.hub@example.org"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    link = smtp_inbox.link_to("vasl.hub@example.org", "/accounts/password/reset/")
    form_page = client.get(link, follow=True)
    assert "Set a new password" in form_page.content.decode()
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == reverse("password_reset_complete")
    assert client.post(reverse("login"), {"username": "vasl.hub", "password": demo_password}).status_code == 200
    assert client.post(reverse("login"), {"username": "vasl.hub", "password": NEW_PASSWORD}).status_code == 302
    # An unknown address gets the same answer, and no email.
    assert client.post(reverse("password_reset"), {"email": "nobody@example.org"})["Location"] == reverse(
        "password_reset_done"
    )
    assert not smtp_inbox.to("nobody@example.org")


def _role_form(person, **fields):
    data = {
        "role-role": person.role,
        "role-organisation": person.organisation_id or "",
        "role-funder": person.funder_id or "",
        "role-reason": "Moved to the council",
        "role-seen": person_fingerprint(person),
    }
    data.update({f"role-{name}": value for name, value in fields.items()})
    return data


def test_a_role_change_moves_the_admin_permissions_with_it_and_is_recorded(lcc_client):
    person = User.objects.get(username="vasl.hub")
    lcc = Funder.objects.get(code="LCC")
    response = lcc_client.post(
        reverse("people:change_role", args=[person.pk]),
        _role_form(person, role=Role.LCC_OFFICER, organisation="", funder=lcc.pk),
    )
    assert response.status_code == 302
    person = User.objects.get(pk=person.pk)
    assert (person.role, person.organisation, person.funder, person.is_staff) == (Role.LCC_OFFICER, None, lcc, True)
    assert [g.name for g in person.groups.all()] == [role_group_name(Role.LCC_OFFICER)]
    assert person.has_perm("contracts.add_contribution")
    change = PersonChange.objects.get(person=person, kind=PersonChange.Kind.ROLE)
    assert (change.before, change.after, change.reason) == (
        "Hub or LRC staff (VASL)",
        "LCC contract officer (LCC)",
        "Moved to the council",
    )
    page = lcc_client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert "Moved to the council" in page and "Laura Officer" in page


def test_a_role_change_made_on_a_stale_page_is_refused(lcc_client, unchanged):
    person = User.objects.get(username="vasl.hub")
    stale = _role_form(person, role=Role.FUNDER_REVIEWER, organisation="", funder=Funder.objects.get(code="PCT").pk)
    User.objects.filter(pk=person.pk).update(organisation=Organisation.objects.get(code="VAC"))
    with unchanged():
        response = lcc_client.post(reverse("people:change_role", args=[person.pk]), stale)
        assert response.status_code == 400
        assert "Someone else changed this person since you opened the page" in response.content.decode()


def test_a_role_change_needs_a_reason(lcc_client, unchanged):
    person = User.objects.get(username="vasl.hub")
    with unchanged():
        response = lcc_client.post(
            reverse("people:change_role", args=[person.pk]), _role_form(person, role=Role.PEER_REVIEWER, reason="")
        )
        assert response.status_code == 400
        assert "Enter the reason for this change" in response.content.decode()


def test_a_deactivated_persons_session_and_token_stop_working_on_their_next_request(lcc_client, demo_password):
    person = User.objects.get(username="vasl.hub")
    browser = Client()
    assert browser.post(reverse("login"), {"username": "vasl.hub", "password": demo_password}).status_code == 302
    assert browser.get(reverse("performance:my_returns")).status_code == 200
    token = Token.objects.create(user=person)
    api = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/returns/").status_code == 200
    sessions_before = Session.objects.count()

    response = lcc_client.post(
        reverse("people:deactivate", args=[person.pk]),
        {"active-reason": "Left VASL in March", "active-seen": person_fingerprint(person)},
    )
    assert response.status_code == 302

    signed_out = browser.get(reverse("performance:my_returns"))
    assert signed_out.status_code == 302 and signed_out["Location"].startswith(reverse("login"))
    assert api.get("/api/returns/").status_code == 401
    assert not Token.objects.filter(user=person).exists()
    assert Session.objects.count() == sessions_before - 1
    assert browser.post(reverse("login"), {"username": "vasl.hub", "password": demo_password}).status_code == 200
    change = PersonChange.objects.get(person=person, kind=PersonChange.Kind.DEACTIVATED)
    assert (change.reason, change.after) == ("Left VASL in March", "Hub or LRC staff (VASL), deactivated")

    lcc_client.post(
        reverse("people:reactivate", args=[person.pk]),
        {"active-reason": "Back from leave", "active-seen": person_fingerprint(User.objects.get(pk=person.pk))},
    )
    assert browser.post(reverse("login"), {"username": "vasl.hub", "password": demo_password}).status_code == 302


def test_the_people_list_filters_and_searches(lcc_client):
    def table(**query):
        return lcc_client.get(reverse("people:list"), query).content.decode().split("<table")[1]

    assert "Hannah Hub" in table(role=Role.PROVIDER_STAFF) and "Laura Officer" not in table(role=Role.PROVIDER_STAFF)
    assert "Priya Reviewer" in table(q="priya") and "Hannah Hub" not in table(q="priya")
    User.objects.filter(username="vac.hub").update(is_active=False)
    assert "Charlie Hub" in table(status="deactivated") and "Hannah Hub" not in table(status="deactivated")


def test_the_people_link_is_offered_to_those_who_manage_people_only(login):
    assert 'href="/people/"' in login("lcc.officer").get("/").content.decode()
    for username in ("funder.reviewer", "val.staff", "vasl.hub", "peer.reviewer"):
        assert 'href="/people/"' not in login(username).get("/").content.decode()


def test_a_site_administrator_manages_people_too():
    admin = User.objects.create_superuser("site.admin", "site.admin@example.org", "not-used-here")
    client = signed_in(admin)
    officer = User.objects.get(username="lcc.officer")
    response = client.post(
        reverse("people:deactivate", args=[officer.pk]),
        {"active-reason": "Left the council", "active-seen": person_fingerprint(officer)},
    )
    assert response.status_code == 302
    assert not User.objects.get(pk=officer.pk).is_active
