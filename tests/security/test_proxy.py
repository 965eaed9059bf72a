"""Behind a proxy, or not: X-Forwarded-Proto and X-Forwarded-For are believed only when TRUSTED_PROXY_COUNT says
that many proxies in front of the portal set them. Both states are tested: the settings production reads
(in a subprocess, as tests/security/test_production_headers.py does), and what a request then gets."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
VICTIM, ATTACKER, PROXY = "198.51.100.7", "203.0.113.66", "10.0.0.2"


def production_settings(**environment) -> dict:
    env = {name: value for name, value in os.environ.items() if name != "TRUSTED_PROXY_COUNT"}
    env.update(
        DJANGO_ENV="production",
        SECRET_KEY="a-long-random-secret-key-for-reading-production-settings-0123456789",
        ALLOWED_HOSTS="testserver",
        **environment,
    )
    names = ["SECURE_PROXY_SSL_HEADER", "SECURE_SSL_REDIRECT", "TRUSTED_PROXY_COUNT", "AXES_CLIENT_IP_CALLABLE"]
    code = f"import json, vcsportal.settings as s; print(json.dumps({{n: getattr(s, n, None) for n in {names!r}}}))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    if values["SECURE_PROXY_SSL_HEADER"]:
        values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


def test_without_a_proxy_setting_the_forwarded_headers_are_not_believed():
    values = production_settings()
    assert values["TRUSTED_PROXY_COUNT"] == 0
    assert values["SECURE_PROXY_SSL_HEADER"] is None
    with override_settings(**values):
        # Plain HTTP claiming to be HTTPS is still sent to HTTPS.
        response = Client().get(reverse("login"), HTTP_X_FORWARDED_PROTO="https")
        assert response.status_code == 301 and response["Location"].startswith("https://")


def test_behind_a_declared_proxy_its_scheme_header_is_believed():
    values = production_settings(TRUSTED_PROXY_COUNT="1")
    assert values["TRUSTED_PROXY_COUNT"] == 1
    assert values["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    with override_settings(**values):
        assert Client().get(reverse("login"), HTTP_X_FORWARDED_PROTO="https").status_code == 200
        assert Client().get(reverse("login"), HTTP_X_FORWARDED_PROTO="http").status_code == 301


def test_a_negative_proxy_count_is_refused():
    env = dict(os.environ, TRUSTED_PROXY_COUNT="-1")
    code = "import vcsportal.settings"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "TRUSTED_PROXY_COUNT" in result.stderr


def _sign_in(username: str, password: str, *, remote: str, forwarded: str | None = None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return Client().post(reverse("login"), {"username": username, "password": password}, **headers)


def test_behind_a_proxy_one_persons_failures_do_not_lock_out_another(demo_password):
    """Every request reaches the portal from the proxy's address; each client's own address is the entry the
    proxy appended. The attacker forges the victim's address to the left: it is not believed."""
    with override_settings(TRUSTED_PROXY_COUNT=1):
        for attempt in range(settings.AXES_FAILURE_LIMIT + 1):
            _sign_in("vasl.hub", f"wrong-{attempt}", remote=PROXY, forwarded=f"{VICTIM}, {ATTACKER}")
        assert _sign_in("vasl.hub", demo_password, remote=PROXY, forwarded=ATTACKER).status_code == 429
        # The person whose account it is, from their own address through the same proxy, signs in.
        assert _sign_in("vasl.hub", demo_password, remote=PROXY, forwarded=VICTIM).status_code == 302


def test_without_a_proxy_a_forged_forwarded_address_does_not_escape_the_lock(demo_password):
    with override_settings(TRUSTED_PROXY_COUNT=0):
        for attempt in range(settings.AXES_FAILURE_LIMIT + 1):
            _sign_in("vac.hub", f"wrong-{attempt}", remote=ATTACKER, forwarded=f"192.0.2.{attempt}")
        assert _sign_in("vac.hub", demo_password, remote=ATTACKER, forwarded=VICTIM).status_code == 429
        # Another address (REMOTE_ADDR, the connection's) is not locked out.
        assert _sign_in("vac.hub", demo_password, remote=VICTIM).status_code == 302


def test_a_forwarded_header_shorter_than_the_proxy_count_falls_back_to_the_connection():
    from django.test import RequestFactory

    from vcsportal.proxies import client_address

    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER)
    with override_settings(TRUSTED_PROXY_COUNT=2):
        assert client_address(request) == PROXY
    with override_settings(TRUSTED_PROXY_COUNT=1):
        assert client_address(request) == ATTACKER
    with override_settings(TRUSTED_PROXY_COUNT=0):
        assert client_address(request) == PROXY
