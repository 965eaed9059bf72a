"""The page where users see, create and regenerate their own API token (POST with CSRF only); and the
open-data links on the contract page and in the navigation."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from contracts.models import Contract
from vcsportal.api.tokens import token_fingerprint
from vcsportal.models import User

pytestmark = pytest.mark.django_db
PAGE = "/account/api-token/"


def test_create_then_regenerate_a_token(hub_client):
    user = User.objects.get(username="vasl.hub")
    page = hub_client.get(PAGE).content.decode()
    assert "You do not have a token yet." in page
    assert "Create a token" in page

    response = hub_client.post(PAGE)
    token = Token.objects.get(user=user)
    page = response.content.decode()
    assert token.key in page and "shown only this once" in page
    assert "Your API token has been created" in page
    assert "no-store" in response["Cache-Control"]
    # The new key works on the API, and only as its owner.
    api = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/returns/").json()["count"] == user.organisation.returns.count()

    old = token.key
    page = hub_client.post(PAGE).content.decode()
    new = Token.objects.get(user=user).key
    assert new != old
    assert new in page and old not in page
    assert "The old one no longer works" in page
    assert Client(HTTP_AUTHORIZATION=f"Token {old}").get("/api/returns/").status_code == 401


def test_a_key_is_shown_once_then_only_its_fingerprint(hub_client):
    key = Token.objects.create(user=User.objects.get(username="vasl.hub")).key
    response = hub_client.get(PAGE)
    page = response.content.decode()
    assert key not in page
    assert token_fingerprint(Token.objects.get(key=key)) in page
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("how", ["the password page", "a password reset", "set_password"])
def test_a_password_change_revokes_the_token(hub_client, demo_password, how):
    user = User.objects.get(username="vasl.hub")
    key = Token.objects.create(user=user).key
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/returns/").status_code == 200
    new_password = "a-new-and-long-passphrase-42"
    if how == "the password page":
        response = hub_client.post(
            reverse("password_change"),
            {"old_password": demo_password, "new_password1": new_password, "new_password2": new_password},
        )
        assert response.status_code == 302
    elif how == "a password reset":
        from django.contrib.auth.forms import SetPasswordForm

        form = SetPasswordForm(user, {"new_password1": new_password, "new_password2": new_password})
        assert form.is_valid(), form.errors
        form.save()
    else:
        user.set_password(new_password)
        user.save()
    assert not Token.objects.filter(user=user).exists()
    assert api.get("/api/returns/").status_code == 401


def test_signing_in_and_other_saves_keep_the_token(client, demo_password):
    user = User.objects.get(username="vasl.hub")
    key = Token.objects.create(user=user).key
    client.post(reverse("login"), {"username": "vasl.hub", "password": demo_password})
    user.refresh_from_db()
    user.first_name = "Renamed"
    user.save()
    assert Token.objects.filter(key=key).exists()


def test_deactivation_revokes_the_token(login):
    from vcsportal.people.services import person_deactivate

    user = User.objects.get(username="vasl.hub")
    key = Token.objects.create(user=user).key
    person_deactivate(person=user, by=User.objects.get(username="lcc.officer"), reason="Left the organisation")
    assert not Token.objects.filter(key=key).exists()


def test_only_a_post_with_csrf_changes_it():
    user = User.objects.get(username="funder.reviewer")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(PAGE).status_code == 403
    assert not Token.objects.filter(user=user).exists()
    client.get(PAGE)  # a GET never creates one
    assert not Token.objects.filter(user=user).exists()
    response = client.post(PAGE, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value})
    assert response.status_code == 200  # the new key, shown this once
    assert Token.objects.filter(user=user).exists()
    assert Client().get(PAGE).status_code == 302  # signed out: to the login page


def test_another_users_token_is_never_shown(hub_client):
    other = Token.objects.create(user=User.objects.get(username="vac.hub"))
    assert other.key not in hub_client.get(PAGE).content.decode()


def test_the_page_is_offered_to_every_role_and_is_labelled(login):
    for username in ("lcc.officer", "funder.reviewer", "vasl.hub", "peer.reviewer"):
        home = login(username).get("/").content.decode()
        assert f'href="{PAGE}"' in home
    page = login("vasl.hub").get(PAGE).content.decode()
    assert '<h1 class="govuk-heading-l">Your API token</h1>' in page
    assert 'method="post"' in page and "csrfmiddlewaretoken" in page


def test_open_data_is_linked_for_those_who_may_download(login):
    contract = Contract.objects.get(paid_from_pool_of=None)
    page = login("funder.reviewer").get(contract.get_absolute_url()).content.decode()
    json_url = reverse("opendata:giving360-json", kwargs={"year": 2010})
    csv_url = reverse("opendata:giving360-csv", kwargs={"year": 2010})
    assert json_url in page and csv_url in page
    assert login("funder.reviewer").get(json_url).status_code == 200
    assert login("funder.reviewer").get(csv_url).status_code == 200
    index = reverse("opendata:giving360")
    assert f'href="{index}"' in login("funder.reviewer").get("/").content.decode()
    # A hub may not read contract money, so neither the link nor the download is offered.
    assert f'href="{index}"' not in login("vasl.hub").get("/").content.decode()
    assert login("vasl.hub").get(json_url).status_code == 403
