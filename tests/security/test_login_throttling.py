"""Login throttling (django-axes): AXES_FAILURE_LIMIT wrong passwords for a username from one address lock
it, after which even the right password is refused; a successful sign-in before that resets the count."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _sign_in(client: Client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_limit_is_five():
    assert settings.AXES_FAILURE_LIMIT == 5


def test_repeated_wrong_passwords_lock_the_account_even_against_the_right_one(client, demo_password):
    for attempt in range(1, settings.AXES_FAILURE_LIMIT):
        response = _sign_in(client, "vasl.hub", f"wrong-{attempt}")
        assert response.status_code == 200, f"attempt {attempt} should still show the form"
        assert "Enter a correct username and password" in response.content.decode()
    locked = _sign_in(client, "vasl.hub", "wrong-again")
    assert locked.status_code == 429
    assert "Too many sign-in attempts" in locked.content.decode()

    refused = _sign_in(client, "vasl.hub", demo_password)
    assert refused.status_code == 429
    assert not _signed_in(client)
    # A fresh client (no cookies) from the same address is locked out too.
    assert _sign_in(Client(), "vasl.hub", demo_password).status_code == 429
    # The lock is for that username: a colleague from the same address still signs in.
    other = Client()
    assert _sign_in(other, "vac.hub", demo_password).status_code == 302
    assert _signed_in(other)


def test_a_successful_sign_in_resets_the_count(client, demo_password):
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, "lutterworth.lrc", f"wrong-{attempt}")
    assert _sign_in(client, "lutterworth.lrc", demo_password).status_code == 302
    client.logout()
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, "lutterworth.lrc", f"wrong-{attempt}").status_code == 200
    assert _sign_in(client, "lutterworth.lrc", demo_password).status_code == 302
    assert _signed_in(client)
