"""No cache keeps what a signed-in person is sent: every URL in the URLconf, requested by a signed-in person
(every page, export and API answer, whatever its status), and every API URL requested with a token, answers
``Cache-Control: no-store``. The URLs are the URL walk's, generated from the URLconf."""

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from tests.security.test_url_walk import (  # noqa: F401 - the fixture fills every table, as for the URL walk
    SUPERUSER,
    _client_for,
    concrete_url,
    every_table_has_a_row,
    url_endpoints,
)
from vcsportal.models import User

pytestmark = pytest.mark.django_db


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.mark.parametrize("role", ["lcc.officer", "vasl.hub", SUPERUSER])
def test_every_signed_in_answer_says_no_store(role):
    client = _client_for(role)
    client.raise_request_exception = False
    wrong = []
    for endpoint in url_endpoints():
        url = concrete_url(endpoint)
        response = client.get(url)
        if not _no_store(response):
            wrong.append(f"{url} ({endpoint.name}) answered {response.status_code} without no-store")
    assert not wrong, f"as {role}:\n" + "\n".join(wrong)


def test_every_api_answer_to_a_token_says_no_store():
    token = Token.objects.create(user=User.objects.get(username="funder.reviewer"))
    client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    wrong = []
    for endpoint in url_endpoints():
        if not (endpoint.name or "").startswith("api:"):
            continue
        url = concrete_url(endpoint)
        response = client.get(url)
        if not _no_store(response):
            wrong.append(f"{url} ({endpoint.name}) answered {response.status_code} without no-store")
    assert not wrong, "\n".join(wrong)


def test_the_sign_in_page_and_signed_in_posts_say_no_store(client, lcc_client):
    assert _no_store(client.get("/accounts/login/"))
    assert _no_store(lcc_client.post("/account/api-token/"))
