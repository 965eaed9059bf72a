"""Shared fixtures. Every test database starts with the Leicestershire data and the demo users, loaded
once per session through the same code `make run` uses; tests then run in rolled-back transactions."""

import pytest
from django.test import Client  # noqa: F401

from performance.summaries import summary_mismatches
from tests.mail import smtp  # noqa: F401 - a fixture for every test package (the notifications, the browser)
from tests.security.conftest import unchanged  # noqa: F401 - ``with unchanged(): ...`` for every test package
from tests.signin import signed_in
from vcsportal.demo import DEMO_PASSWORD, demo_users_create
from vcsportal.leicestershire import load_leicestershire
from vcsportal.models import User


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_leicestershire()
        demo_users_create()


@pytest.fixture(autouse=True)
def _return_summaries_match_results(request):
    """After every test that touches the database, each return's stored RAG counts (kept by triggers) equal
    a fresh count of its results, whatever the test wrote and however it wrote it."""
    uses_database = request.node.get_closest_marker("django_db") or {"db", "transactional_db", "live_server"} & set(
        request.fixturenames
    )
    if not uses_database:
        yield
        return
    # Requested here so that the database is torn down after this check, not before it.
    request.getfixturevalue(
        "transactional_db" if {"transactional_db", "live_server"} & set(request.fixturenames) else "db"
    )
    yield
    assert summary_mismatches() == []


def _client_for(username: str) -> Client:
    return signed_in(User.objects.get(username=username))


@pytest.fixture
def login(db):
    """``login("vasl.hub")`` gives a test client signed in as that demo user."""
    return _client_for


@pytest.fixture
def lcc_client(db):
    return _client_for("lcc.officer")


@pytest.fixture
def funder_client(db):
    return _client_for("funder.reviewer")


@pytest.fixture
def val_client(db):
    return _client_for("val.staff")


@pytest.fixture
def hub_client(db):
    return _client_for("vasl.hub")


@pytest.fixture
def other_hub_client(db):
    return _client_for("vac.hub")


@pytest.fixture
def lrc_client(db):
    return _client_for("lutterworth.lrc")


@pytest.fixture
def peer_client(db):
    return _client_for("peer.reviewer")


@pytest.fixture
def demo_password():
    return DEMO_PASSWORD
