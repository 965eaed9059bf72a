import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from vcsportal.models import User


@pytest.fixture
def token_client(db):
    """``token_client("vasl.hub")``: an API client carrying that demo user's personal token, the way a
    funder's analyst or a provider's system calls the API (no session, no CSRF)."""

    def make(username: str) -> APIClient:
        token, _ = Token.objects.get_or_create(user=User.objects.get(username=username))
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make
