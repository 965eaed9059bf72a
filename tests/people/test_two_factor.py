"""Two-factor sign-in with real codes (pyotp computes what the authenticator app would show). LCC officers and
site administrators cannot reach any page but the code's until they pass it; anyone else may turn it on, and
then must pass it too; recovery codes work once; wrong codes are throttled; the password's own throttling
(django-axes) and the login-required rule still hold."""

import pyotp
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.signin import totp_code
from vcsportal.models import User

pytestmark = pytest.mark.django_db


def password_step(client: Client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password, "next": "/contracts/"})


def test_an_lcc_officer_cannot_reach_any_page_without_the_second_factor(client, demo_password):
    response = password_step(client, "lcc.officer", demo_password)
    assert response.status_code == 302
    assert response["Location"] == reverse("twofactor:verify") + "?next=%2Fcontracts%2F"
    for url in ("/", "/contracts/", "/people/", "/admin/", "/dashboard/", reverse("twofactor:manage")):
        refused = client.get(url)
        assert refused.status_code == 302 and refused["Location"].startswith(reverse("twofactor:verify")), url
    # Nor by a session through the API (a program gets a refusal it can read).
    assert client.get("/api/returns/").status_code == 403
    # Nor by setting up another app with only the password.
    assert client.get(reverse("twofactor:setup"))["Location"].startswith(reverse("twofactor:verify"))
    page = client.get(reverse("twofactor:verify")).content.decode()
    assert "Enter your two-factor code" in page and 'href="/contracts/"' not in page  # no navigation yet

    wrong = client.post(reverse("twofactor:verify"), {"code": "000000", "next": "/contracts/"})
    assert wrong.status_code == 400 and "That code is not right" in wrong.content.decode()
    assert client.get("/contracts/").status_code == 302


def test_the_code_from_the_app_lets_the_officer_in(client, demo_password):
    password_step(client, "lcc.officer", demo_password)
    response = client.post(reverse("twofactor:verify"), {"code": totp_code(), "next": "/contracts/"})
    assert response.status_code == 302 and response["Location"] == "/contracts/"
    assert client.get("/contracts/").status_code == 200
    assert client.get("/admin/").status_code == 200


def test_a_code_works_once(client, demo_password):
    code = totp_code()
    password_step(client, "lcc.officer", demo_password)
    assert client.post(reverse("twofactor:verify"), {"code": code})["Location"] == reverse("home")
    again = Client()
    password_step(again, "lcc.officer", demo_password)
    assert again.post(reverse("twofactor:verify"), {"code": code}).status_code == 400


def test_wrong_codes_are_throttled(client, demo_password):
    password_step(client, "lcc.officer", demo_password)
    client.post(reverse("twofactor:verify"), {"code": "000000"})
    client.post(reverse("twofactor:verify"), {"code": "111111"})
    # Straight after two wrong codes even the right one must wait (django-otp: 1, 2, 4... seconds).
    response = client.post(reverse("twofactor:verify"), {"code": totp_code()})
    assert response.status_code == 400
    assert "Too many wrong codes. Wait" in response.content.decode()
    assert client.get("/").status_code == 302


def test_a_recovery_code_works_once_instead_of_the_app(client, demo_password):
    officer = User.objects.get(username="lcc.officer")
    from vcsportal.twofactor.services import recovery_codes_create

    code = recovery_codes_create(user=officer)[0]
    password_step(client, "lcc.officer", demo_password)
    assert client.post(reverse("twofactor:verify"), {"code": code.upper()})["Location"] == reverse("home")
    assert not StaticToken.objects.filter(token=code).exists()
    again = Client()
    password_step(again, "lcc.officer", demo_password)
    assert again.post(reverse("twofactor:verify"), {"code": code}).status_code == 400


def test_the_password_is_still_throttled_for_an_officer(client, demo_password):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        password_step(client, "lcc.officer", f"wrong-{attempt}")
    assert password_step(client, "lcc.officer", demo_password).status_code == 429
    assert client.get("/").status_code == 302 and client.get("/")["Location"].startswith(reverse("login"))


def test_signed_out_visitors_still_go_to_sign_in_first(client):
    for url in (reverse("twofactor:verify"), reverse("twofactor:setup"), "/people/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url


def test_a_site_administrator_must_set_up_a_second_factor():
    User.objects.create_superuser("site.admin", "site.admin@example.org", "admin-password-2011")
    client = Client()
    response = client.post(reverse("login"), {"username": "site.admin", "password": "admin-password-2011"}, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("twofactor:setup"))
    assert client.get("/admin/").status_code == 302
    secret = response.context["secret"].replace(" ", "")
    wrong = client.post(reverse("twofactor:setup"), {"code": "123456"})
    assert wrong.status_code == 400 and "That code is not right" in wrong.content.decode()
    assert client.post(reverse("twofactor:setup"), {"code": pyotp.TOTP(secret).now()}).status_code == 302
    assert client.get("/admin/").status_code == 200
    device = TOTPDevice.objects.get(user__username="site.admin")
    assert device.confirmed and device.key == bytes.hex(__import__("base64").b32decode(secret))
    # The required second factor cannot be turned off.
    assert client.post(reverse("twofactor:manage"), {"password": "admin-password-2011"}).status_code == 403


def test_anyone_may_turn_it_on_and_then_must_pass_it(hub_client, demo_password):
    setup = hub_client.get(reverse("twofactor:setup"))
    secret = setup.context["secret"].replace(" ", "")
    assert 'src="data:image/svg+xml' in setup.content.decode()  # the QR code, within the CSP (img-src data:)
    hub_client.post(reverse("twofactor:setup"), {"code": pyotp.TOTP(secret).now()})
    codes = hub_client.get(reverse("twofactor:recovery_codes")).context["codes"]
    assert len(codes) == 10
    # Shown once only.
    assert hub_client.get(reverse("twofactor:recovery_codes")).context["codes"] is None

    fresh = Client()
    password_step(fresh, "vasl.hub", demo_password)
    assert fresh.get("/").status_code == 302
    fresh.post(reverse("twofactor:verify"), {"code": codes[0]})
    assert fresh.get("/").status_code == 200

    # Turning it off asks for the password, then sign-in is the password alone again.
    assert fresh.post(reverse("twofactor:manage"), {"password": "wrong"}).status_code == 400
    assert fresh.post(reverse("twofactor:manage"), {"password": demo_password}).status_code == 302
    assert not TOTPDevice.objects.filter(user__username="vasl.hub").exists()
    later = Client()
    assert password_step(later, "vasl.hub", demo_password)["Location"] == "/contracts/"


def test_a_reset_by_an_officer_removes_the_app_and_ends_the_sessions(lcc_client, demo_password):
    from vcsportal.people.services import person_fingerprint

    funder = Client()
    password_step(funder, "funder.reviewer", demo_password)
    setup = funder.get(reverse("twofactor:setup"))
    funder.post(reverse("twofactor:setup"), {"code": pyotp.TOTP(setup.context["secret"].replace(" ", "")).now()})
    assert funder.get("/").status_code == 200
    person = User.objects.get(username="funder.reviewer")
    response = lcc_client.post(
        reverse("people:reset_two_factor", args=[person.pk]),
        {"twofactor-reason": "Lost phone and codes", "twofactor-seen": person_fingerprint(person)},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert funder.get("/")["Location"].startswith(reverse("login"))


def test_the_continue_link_after_the_recovery_codes_stays_on_this_site(hub_client):
    setup = hub_client.get(reverse("twofactor:setup"))
    secret = setup.context["secret"].replace(" ", "")
    response = hub_client.post(
        reverse("twofactor:setup") + "?next=javascript:alert(1)", {"code": pyotp.TOTP(secret).now()}, follow=True
    )
    page = response.content.decode()
    assert "javascript:" not in page and 'href="/">I have saved my recovery codes' in page
