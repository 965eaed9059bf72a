"""Against a real PostgreSQL streaming replica: the dashboard, its exports and the API's lists read the
standby; sign-in, the return page and everything after a write read the primary.

Run through ``python scripts/with_postgres.py --replica -- pytest tests/replication`` (``make test-postgres``
does): the script makes a hot standby of the throwaway cluster with ``pg_basebackup -R`` and sets
``DATABASE_REPLICA_URL``. The test database the suite creates on the primary reaches the standby by
replication, like everything else. Elsewhere (SQLite, or PostgreSQL without a standby) these tests skip.

Data can only ever be written to the primary, so the proof is twofold: the queries each connection ran
(``CaptureQueriesContext`` per alias), and lag made visible on purpose. With the standby's replay paused, a
change on the primary is missing from the dashboard a funder reads, yet shown on the return page and on
the dashboard of the officer who made it (pinned to the primary after a write); once replay resumes the
funder sees it too.
"""

import time

import pytest
from django.conf import settings as django_settings
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from performance.models import Return
from tests.signin import signed_in
from vcsportal.db_routing import PIN_COOKIE
from vcsportal.demo import demo_users_create
from vcsportal.leicestershire import load_leicestershire
from vcsportal.models import User

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="a streaming replica needs PostgreSQL: python scripts/with_postgres.py --replica -- pytest ...",
    ),
    pytest.mark.skipif(
        "replica" not in django_settings.DATABASES,
        reason="no replica: set DATABASE_REPLICA_URL (scripts/with_postgres.py --replica starts a real standby)",
    ),
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]

DASHBOARD = reverse("performance:dashboard")
HUBS_Q2 = {"period": "2010-11-q2", "provider_kind": ["hub", "lrc"]}
#: Tables only the primary serves, whatever the page: who is signed in.
SIGN_IN_TABLES = ("django_session", "vcsportal_user")


@pytest.fixture(scope="module")
def _leicestershire_restored_afterwards(django_db_setup, django_db_blocker):
    """These tests commit (the standby only sees committed data), so Django flushes the database after
    each; put the session's data back for the tests that follow, as the browser journeys do."""
    yield
    with django_db_blocker.unblock():
        load_leicestershire()
        demo_users_create()


def _replica_caught_up(expect, timeout: float = 30.0) -> None:
    """Wait until ``expect()`` (which reads the standby) is true: replication is asynchronous."""
    deadline = time.monotonic() + timeout
    while not expect():
        if time.monotonic() > deadline:
            pytest.fail("the standby did not catch up with the primary in time")
        time.sleep(0.1)


@pytest.fixture
def standby(settings, _leicestershire_restored_afterwards):
    """The ``replica`` alias pointed at the real standby's copy of the test database, and reads routed to it.

    During tests Django makes the alias a mirror of the primary (TEST MIRROR), so the rest of the suite
    needs no standby; here it is pointed back at the standby the environment named, keeping the test
    database's name (the standby replays its creation) and the mirror mark, so Django never flushes it.
    """
    load_leicestershire()
    demo_users_create()
    replica = connections["replica"]
    mirrored = replica.settings_dict
    standby_settings = django_settings.DATABASES["replica"]
    replica.close()
    replica.settings_dict = {
        **mirrored,
        "HOST": standby_settings["HOST"],
        "PORT": standby_settings["PORT"],
        "TEST": {**mirrored["TEST"], "MIRROR": "default"},
    }
    settings.READ_REPLICA = "replica"
    primary_returns = Return.objects.count()
    _replica_caught_up(
        lambda: (
            Return.objects.using("replica").count() == primary_returns
            and User.objects.using("replica").filter(username="funder.reviewer").exists()
        )
    )
    yield replica
    with replica.cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_resume()")
    replica.close()
    replica.settings_dict = mirrored


def _signed_in(username: str) -> Client:
    return signed_in(User.objects.get(username=username))  # with a second factor where the role needs one


def _queries(captured) -> list[str]:
    return [query["sql"] for query in captured.captured_queries]


def test_the_replica_is_a_hot_standby_streaming_from_the_primary(standby):
    with standby.cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone() == (True,)
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), (SELECT state FROM pg_stat_replication LIMIT 1)")
        assert cursor.fetchone() == (False, "streaming")


def test_the_dashboard_reads_the_replica_and_the_sign_in_reads_the_primary(standby):
    funder = _signed_in("funder.reviewer")
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(standby) as replica,
    ):
        response = funder.get(DASHBOARD, HUBS_Q2)
    assert response.status_code == 200
    assert response.context["headline"]["total"] == 41  # the review's Table Three, read from the standby
    assert replica.captured_queries, "the dashboard read nothing from the replica"
    assert any("performance_" in sql for sql in _queries(replica))
    # The primary served only who is signed in: the session and the user.
    assert _queries(primary), "the session was not read"
    for sql in _queries(primary):
        assert any(table in sql for table in SIGN_IN_TABLES), sql
        assert "performance_" not in sql and "contracts_" not in sql, sql


@pytest.mark.parametrize(
    "url",
    [
        reverse("performance:dashboard_export", kwargs={"table": "results", "file_format": "csv"}),
        reverse("performance:indicator", kwargs={"code": "LOC-1"}),
        reverse("api:result-list"),
        reverse("api:summary") + "?period=2010/11 Q2",
    ],
)
def test_exports_the_indicator_page_and_the_api_lists_read_the_replica(standby, url):
    funder = _signed_in("funder.reviewer")
    with CaptureQueriesContext(connections["default"]) as primary, CaptureQueriesContext(standby) as replica:
        response = funder.get(url, HUBS_Q2 if "export" in url else {})
        if response.streaming:
            b"".join(response.streaming_content)  # a download reads as it streams
    assert response.status_code == 200
    assert any("performance_" in sql for sql in _queries(replica)), url
    assert not any("performance_" in sql for sql in _queries(primary)), url


def test_lag_shows_on_the_funders_dashboard_never_on_the_return_page_nor_to_whoever_made_the_change(standby):
    funder = _signed_in("funder.reviewer")
    officer = _signed_in("lcc.officer")
    assert funder.get(DASHBOARD, HUBS_Q2).context["headline"]["total"] == 41
    vasl_q2 = Return.objects.get(provider__code="VASL", period__financial_year=2010, period__quarter=2)
    assert vasl_q2.status == Return.Status.SIGNED_OFF

    with standby.cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    # The officer reopens VASL's signed-off 2010/11 Q2 return: its five results stop counting.
    reopened = officer.post(reverse("performance:return_reopen", args=[vasl_q2.pk]), {"comment": "Figures queried"})
    assert reopened.status_code == 302
    assert PIN_COOKIE in reopened.cookies

    # The return page reads the primary, for the officer who saved and for anyone else alike: the provider's own
    # staff see it back with them; to the funder it is a draft again, not theirs to read (the primary says so).
    for client in (officer, _signed_in("vasl.hub")):
        with CaptureQueriesContext(standby) as replica:
            page = client.get(vasl_q2.get_absolute_url())
        assert page.status_code == 200
        assert page.context["return"].status == Return.Status.DRAFT
        assert replica.captured_queries == []
    with CaptureQueriesContext(standby) as replica:
        assert funder.get(vasl_q2.get_absolute_url()).status_code == 404
    assert replica.captured_queries == []

    # The officer has just written, so even the dashboard reads the primary for them: they see their change.
    with CaptureQueriesContext(standby) as replica:
        assert officer.get(DASHBOARD, HUBS_Q2).context["headline"]["total"] == 36
    assert replica.captured_queries == []

    # The funder's dashboard reads the paused standby: a moment behind, still counting the five.
    assert funder.get(DASHBOARD, HUBS_Q2).context["headline"]["total"] == 41

    with standby.cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_resume()")
    _replica_caught_up(lambda: Return.objects.using("replica").get(pk=vasl_q2.pk).status == Return.Status.DRAFT)
    assert funder.get(DASHBOARD, HUBS_Q2).context["headline"]["total"] == 36
