"""Production behaviour, proven on real responses: secure HttpOnly cookies, HSTS and HTTPS redirect, a strict
Content-Security-Policy on every page, and CSRF enforced on forms. (``check --deploy`` passing with production
settings is tested in tests/test_site.py.)"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]

#: The security settings whose production values are read from vcsportal.settings under DJANGO_ENV=production.
PRODUCTION_SECURITY_SETTINGS = [
    "DEBUG",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
]


@pytest.fixture(scope="module")
def production_settings() -> dict:
    """The values production really uses, read from the settings module in a subprocess."""
    env = dict(
        os.environ,
        DJANGO_ENV="production",
        SECRET_KEY="a-long-random-secret-key-for-reading-production-settings-0123456789",
        ALLOWED_HOSTS="testserver",
    )
    code = (
        "import json, vcsportal.settings as s; "
        f"print(json.dumps({{name: getattr(s, name, None) for name in {PRODUCTION_SECURITY_SETTINGS!r}}}))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    if values["SECURE_PROXY_SSL_HEADER"]:
        values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


def test_production_cookies_are_secure_and_http_only(production_settings, demo_password):
    with override_settings(**production_settings):
        client = Client()
        page = client.get(reverse("login"), secure=True)
        assert page.status_code == 200
        csrf = page.cookies["csrftoken"]
        assert csrf["secure"] and csrf["httponly"]
        signed_in = client.post(reverse("login"), {"username": "vasl.hub", "password": demo_password}, secure=True)
        assert signed_in.status_code == 302
        session = signed_in.cookies["sessionid"]
        assert session["secure"] and session["httponly"]
        assert session["samesite"] == "Lax"


def test_production_sends_hsts_and_redirects_plain_http(production_settings):
    with override_settings(**production_settings):
        client = Client()
        plain = client.get(reverse("login"))
        assert plain.status_code == 301
        assert plain["Location"].startswith("https://")
        secure = client.get(reverse("login"), secure=True)
        assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
        assert secure["X-Content-Type-Options"] == "nosniff"
        assert secure["X-Frame-Options"] == "DENY"


def _assert_strict_csp(response):
    policy = response["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in (item.strip() for item in policy.split(";")) if part
    )
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_every_kind_of_page_sends_a_strict_content_security_policy(client, login):
    _assert_strict_csp(client.get(reverse("login")))
    _assert_strict_csp(client.get("/no-such-page/"))  # a redirect to sign in
    signed_in = login("lcc.officer")
    _assert_strict_csp(signed_in.get(reverse("home")))
    _assert_strict_csp(signed_in.get("/no-such-page/"))  # the 404 page
    _assert_strict_csp(signed_in.get(reverse("admin:index")))


def test_portal_pages_carry_no_inline_script_or_style(login):
    page = login("vasl.hub").get(reverse("home")).content.decode()
    assert "<script>" not in page and " style=" not in page and "<style" not in page
    assert "onclick=" not in page.lower()


def test_the_login_form_refuses_a_post_without_its_csrf_token(demo_password):
    client = Client(enforce_csrf_checks=True)
    refused = client.post(reverse("login"), {"username": "vasl.hub", "password": demo_password})
    assert refused.status_code == 403
    assert "_auth_user_id" not in client.session
    # With the token from the form, as a browser sends it, the same sign-in works.
    page = client.get(reverse("login"))
    token = page.context["csrf_token"]
    accepted = client.post(
        reverse("login"), {"username": "vasl.hub", "password": demo_password, "csrfmiddlewaretoken": str(token)}
    )
    assert accepted.status_code == 302
    assert accepted["Location"] == reverse("home")


def test_signing_out_needs_the_csrf_token_too(demo_password):
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("login"))
    client.post(
        reverse("login"),
        {"username": "vasl.hub", "password": demo_password, "csrfmiddlewaretoken": str(page.context["csrf_token"])},
    )
    assert client.post(reverse("logout")).status_code == 403
    assert client.get(reverse("home")).status_code == 200  # still signed in


#: A sample of every kind of page, app by app: lists, details, forms, dashboards, downloads, the API.
PAGES_OF_EACH_APP = [
    ("vasl.hub", "/"),
    ("vasl.hub", "/accounts/password/"),
    ("lcc.officer", "/districts/"),
    ("lcc.officer", "/districts/blaby/"),
    ("lcc.officer", "/contracts/"),
    ("lcc.officer", "/contracts/scenarios/"),
    ("lcc.officer", "/contracts/scenarios/new/"),
    ("lcc.officer", "/contracts/disputes/"),
    ("vasl.hub", "/contracts/subcontracts/mine/"),
    ("vasl.hub", "/returns/"),
    ("lcc.officer", "/returns/review/"),
    ("lcc.officer", "/returns/import/"),
    ("lcc.officer", "/periods/"),
    ("funder.reviewer", "/dashboard/"),
    ("funder.reviewer", "/dashboard/providers/"),
    ("funder.reviewer", "/dashboard/change/"),
    ("funder.reviewer", "/dashboard/localities/"),
    ("funder.reviewer", "/dashboard/export/by-provider.csv"),
    ("funder.reviewer", "/indicators/LOC-1/"),
    ("funder.reviewer", "/open-data/360giving/"),
    ("funder.reviewer", "/api/docs/"),
    ("funder.reviewer", "/api/districts/"),
    ("peer.reviewer", "/contracts/"),  # a 403 page
]


@pytest.mark.parametrize("username, url", PAGES_OF_EACH_APP)
def test_pages_of_every_app_send_the_strict_policy(login, username, url):
    response = login(username).get(url)
    assert response.status_code in (200, 302, 403), response.status_code
    _assert_strict_csp(response)


def test_the_return_page_sends_the_strict_policy_and_no_inline_code(login):
    from performance.models import Return

    own = Return.objects.get(provider__code="VASL", period__financial_year=2010, period__quarter=3)
    response = login("vasl.hub").get(reverse("performance:return", args=[own.pk]))
    _assert_strict_csp(response)
    page = response.content.decode()
    assert "<script>" not in page and " style=" not in page and "<style" not in page
