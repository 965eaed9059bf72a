"""Answers compressed where it is safe (vcsportal.compression): pages, JSON and CSV are gzipped for a browser
that accepts it; a page showing a credential never is, and nothing compressed ever holds one.

The rule is checked on every URL in the URLconf (walked as the URL walk does), signed in as someone who has
an API token: whichever pages are compressed, the token is never in one of them.
"""

import gzip

import pytest
from django.conf import settings
from django.urls import reverse

from tests.security.test_url_walk import (  # noqa: F401 (every_table_has_a_row is an autouse fixture)
    concrete_url,
    every_table_has_a_row,
    url_endpoints,
)
from vcsportal.api.tokens import api_token_regenerate
from vcsportal.models import User

pytestmark = pytest.mark.django_db
GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def _body(response) -> bytes:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return gzip.decompress(content) if response.get("Content-Encoding") == "gzip" else content


def test_pages_are_gzipped_for_browsers_that_accept_it_and_vary_on_it(funder_client):
    plain = funder_client.get(reverse("performance:dashboard"))
    compressed = funder_client.get(reverse("performance:dashboard"), **GZIP)
    assert "Content-Encoding" not in plain
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    body = gzip.decompress(compressed.content)
    assert b"<h1" in body and len(compressed.content) * 3 < len(body)
    assert len(body) == pytest.approx(len(plain.content), rel=0.01)  # the same page (CSRF tokens differ)


@pytest.mark.parametrize(
    ("url", "compressed"),
    [
        (reverse("api:result-list"), True),
        (reverse("performance:dashboard_export", kwargs={"table": "results", "file_format": "csv"}), True),
        # An XLSX file is a zip already: compressing it again only costs time.
        (reverse("performance:dashboard_export", kwargs={"table": "results", "file_format": "xlsx"}), False),
    ],
)
def test_json_and_csv_are_compressed_and_xlsx_is_not(funder_client, url, compressed):
    response = funder_client.get(url, **GZIP)
    assert response.status_code == 200
    assert (response.get("Content-Encoding") == "gzip") is compressed
    assert _body(response)


#: The pages that show a credential: the API token, a new authenticator's secret, new recovery codes.
CREDENTIAL_PAGES = ["api_token", "twofactor:setup", "twofactor:recovery_codes"]


@pytest.mark.parametrize("url_name", CREDENTIAL_PAGES)
def test_no_page_showing_a_credential_is_compressed_or_cached(login, url_name):
    response = login("vasl.hub").get(reverse(url_name), **GZIP)
    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert "no-store" in response["Cache-Control"]


def test_the_api_token_page_is_never_compressed_nor_cached(login):
    user = User.objects.get(username="vasl.hub")
    # The key is shown once, on the answer to the POST that makes it.
    response = login("vasl.hub").post(reverse("api_token"), **GZIP)
    assert response.status_code == 200
    assert User.objects.get(pk=user.pk).auth_token.key.encode() in response.content
    assert "Content-Encoding" not in response
    assert "no-store" in response["Cache-Control"]


def test_the_cookies_a_breach_attack_would_need_are_not_sent_cross_site():
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.CSRF_COOKIE_SAMESITE == "Lax"


@pytest.mark.parametrize("username", ["lcc.officer", "vasl.hub"])
def test_no_compressed_answer_anywhere_holds_the_users_api_token(login, username):
    user = User.objects.get(username=username)
    secret = api_token_regenerate(user=user).key.encode()
    client = login(username)
    client.raise_request_exception = False
    compressed = 0
    for endpoint in url_endpoints():
        response = client.get(concrete_url(endpoint), **GZIP)
        if response.get("Content-Encoding") == "gzip":
            compressed += 1
        # Shown once, when made (the POST), the key is in no page afterwards, compressed or not.
        assert secret not in _body(response), f"{endpoint} shows the API token again"
    assert compressed > 20, "the walk compressed almost nothing: is the middleware installed?"
