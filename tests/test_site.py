"""Signing in, the home page, the admin's reconciliation, and the production settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from contracts.models import Contract
from tests.signin import signed_in, totp_code
from vcsportal.demo import DEMO_USERS

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_health_check_needs_no_login(client):
    assert client.get("/health/").json() == {"status": "ok"}


@pytest.mark.parametrize("username", [user[0] for user in DEMO_USERS])
def test_every_demo_user_can_sign_in_and_sees_who_they_are(client, username, demo_password):
    response = client.post(reverse("login"), {"username": username, "password": demo_password}, follow=True)
    assert response.status_code == 200
    if username == "lcc.officer":
        # The LCC officer's role requires a second factor: the demo authenticator's code of the moment.
        assert response.redirect_chain[-1][0].startswith(reverse("twofactor:verify"))
        response = client.post(response.redirect_chain[-1][0], {"code": totp_code()}, follow=True)
        assert response.status_code == 200
    page = response.content.decode()
    assert response.context["user"].username == username
    assert response.context["user"].role_label in page
    organisation = response.context["user"].organisation
    if organisation:
        assert organisation.name in page


def test_a_wrong_password_is_refused_with_a_message(client):
    response = client.post(reverse("login"), {"username": "vasl.hub", "password": "wrong"})
    assert response.status_code == 200
    assert "Enter a correct username and password" in response.content.decode()


def test_admin_shows_the_unreconciled_2010_11_figures(client):
    from vcsportal.models import User

    officer = User.objects.get(username="lcc.officer")
    officer.is_superuser = True
    officer.save()
    signed_in(officer, client)
    contract = Contract.objects.get(paid_from_pool_of=None)
    page = client.get(reverse("admin:contracts_contract_change", args=[contract.pk])).content.decode()
    assert "contributions £1,471,000.00, stated £1,462,398.00, allocated £1,485,000.00" in page
    assert "allocated minus contributions £14,000.00; contributions minus stated £8,602.00" in page


def test_production_settings_pass_the_deploy_check():
    env = dict(
        os.environ,
        DJANGO_ENV="production",
        SECRET_KEY="a-long-random-secret-key-for-the-deploy-check-0123456789-abcdefghij",
        ALLOWED_HOSTS="example.org",
        DJANGO_SETTINGS_MODULE="vcsportal.settings",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS")}
    env.update(DJANGO_ENV="production", DJANGO_SETTINGS_MODULE="vcsportal.settings")
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
