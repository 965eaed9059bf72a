"""Fuzzing the live API against its own OpenAPI schema with schemathesis: a bounded number of generated
requests per operation, through the real WSGI application and the test database. Checks: no 5xx, status
codes, content types and bodies as documented. Two more runs prove that denied requests stay denied
whatever the parameters: with a hub's token (no contract money, no other provider's returns) and with
no credentials at all (always 401). The one write operation (a return's results) is fuzzed as a funder
(always 403), as a hub writing bodies into its own draft (never a 5xx; every answer as documented) and
with no credentials (401)."""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from performance.models import Return
from vcsportal.models import User

MAX_EXAMPLES = 20
WRITE_PATH = "/api/returns/{id}/results/"
#: The contract and the pool, which a hub may not read at all.
CONTRACT_PATHS = ("/api/contracts/", "/api/contributions/")
#: Money a hub reads only its own of.
OWN_MONEY_PATHS = ("/api/subcontracts/", "/api/allocations/")
FUZZ_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)

DENIAL_SETTINGS = settings(FUZZ_SETTINGS, max_examples=8)


@pytest.fixture(autouse=True)
def keep_the_test_connection_open():
    """Django closes the database connection at the end of every request it handles; the test client
    stops it doing so, and so must we when schemathesis drives the real WSGI application, or the test's
    transaction (and on PostgreSQL the connection itself) would be gone after the first request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _token_header(username: str) -> dict:
    token, _ = Token.objects.get_or_create(user=User.objects.get(username=username))
    # Schemathesis calls the WSGI application directly, with no HTTP client to undo gzip, so it asks for plain
    # bodies (what is compressed, and when, is tested in tests/security/test_compression.py).
    return {"Authorization": f"Token {token.key}", "Accept-Encoding": "identity"}


@pytest.fixture
def funder_headers(db):
    return _token_header("funder.reviewer")


@pytest.fixture
def hub_headers(db):
    return _token_header("vasl.hub")


def _load_schema(*phases: str):
    """The schema exactly as /api/schema/ serves it, generated here at collection time (no database is
    needed to describe the API), wired to the real WSGI application so every case runs the full stack:
    middleware, authentication, permissions, the database."""
    spec = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(spec)))
    loaded.app = get_wsgi_application()
    loaded.config.phases.update(phases=list(phases))
    return loaded


#: The conformance run walks the schema's edge cases (coverage) and then fuzzes; the denial runs only
#: fuzz, which is enough to show that no parameter gets a refused request through.
schema = _load_schema("examples", "fuzzing")
denial_schema = _load_schema("fuzzing")


@pytest.mark.django_db
@schema.parametrize()
@FUZZ_SETTINGS
def test_every_operation_answers_as_documented(case, funder_headers):
    response = case.call(headers=funder_headers)
    case.validate_response(
        response,
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
        headers=funder_headers,
    )
    if case.operation.path == WRITE_PATH and case.method.upper() == "POST":
        # Funders read but never write: refused by role, whatever the id or the body.
        assert response.status_code == 403, response.text
    elif case.method.upper() == "GET":
        assert response.status_code in (200, 400, 404), response.text
    else:
        # schemathesis also tries methods the API does not offer: everything else is read-only.
        assert response.status_code == 405, response.text


@pytest.mark.django_db
@denial_schema.parametrize()
@DENIAL_SETTINGS
def test_denied_requests_stay_denied_for_a_hub(case, hub_headers):
    response = case.call(headers=hub_headers)
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
    path = case.operation.path
    if path.startswith(CONTRACT_PATHS):
        # Refused before anything else is looked at: no parameter, id or method gets past it.
        assert response.status_code == 403, (path, response.text)
    elif path.startswith(OWN_MONEY_PATHS) and case.method.upper() == "GET":
        # Its own sub-contract and allocations only: whatever the parameters, nothing of another provider's.
        assert response.status_code in (200, 400, 404), (path, response.text)
        if response.status_code == 200:
            body = response.json()
            rows = body.get("results", [body])
            assert {row["provider"] for row in rows} <= {"VASL"}, (path, response.text)
    elif path == WRITE_PATH and case.method.upper() == "POST":
        # A guessed id is another provider's return (404) or its own (then the body decides).
        assert response.status_code in (200, 400, 404, 409), (path, response.text)
    elif case.method.upper() != "GET":
        assert response.status_code == 405, (path, response.text)
    elif response.status_code == 200 and path.startswith(("/api/returns/", "/api/results/")):
        body = response.json()
        rows = body["results"] if "results" in body and "count" in body else [body]
        assert {row["provider"] for row in rows} <= {"VASL"}, (path, rows)


@pytest.mark.django_db
@denial_schema.parametrize()
@DENIAL_SETTINGS
def test_anonymous_requests_are_always_refused(case):
    response = case.call()
    assert response.status_code == 401, (case.operation.path, response.text)


write_schema = _load_schema("examples", "fuzzing").include(path=WRITE_PATH, method="POST")


@pytest.fixture
def vasl_draft(db):
    return Return.objects.get(provider__code="VASL", period__financial_year=2010, period__quarter=3)


@pytest.mark.django_db
@write_schema.parametrize()
@settings(FUZZ_SETTINGS, max_examples=12)
def test_a_hub_writing_its_own_draft_gets_documented_answers(case, hub_headers, vasl_draft):
    """Generated bodies against the hub's own open draft, so they reach the row reader and the services:
    any body is saved (200), refused with named rows (400) or refused as stale or no longer a draft (409)."""
    case.path_parameters = {"id": vasl_draft.pk}
    response = case.call(headers=hub_headers)
    case.validate_response(
        response,
        checks=[not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance],
        headers=hub_headers,
    )
    assert response.status_code in (200, 400, 409), response.text
