"""Every portal page is declared for the bench (bench/targets.py), and the bench's targets build and answer.

The URL list is generated from the URLconf, as the URL walk's is (tests/security/test_url_walk.py), so a new
view without a bench declaration fails here. Then every target bench/run.py would time is built against the
test database (Leicestershire and the demo users) and requested as its role: it must answer 200, and make the
same number of queries once a synthetic council is added (``generate_synthetic --councils 1``: more districts,
providers, periods, returns and results in every list), so no page's query count grows with the data.
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.targets import PAGES, Exempt, Page, bench_rows_create
from tests.security.test_url_walk import url_endpoints
from tests.signin import signed_in
from vcsportal.models import User

HOW_TO_DECLARE = (
    "Declare each in PAGES in bench/targets.py, one line: a page with figures or rows as the role that sees most "
    'of it, e.g. "app:name": Page(LCC, _pk("app.Model")),  or a form or action with its reason, e.g. '
    '"app:name": Exempt(FORM),'
)


#: Pages whose query count still grows with the data (found by this test, not yet fixed); empty since the
#: 360Giving package and the quarterly pack sum their reconciliation per contract at once. Remove a name when
#: its page is fixed.
KNOWN_GROWTH: set[str] = set()


def portal_url_names() -> set[str]:
    return {endpoint.name for endpoint in url_endpoints() if endpoint.name and not endpoint.name.startswith("admin:")}


def test_every_portal_url_name_has_a_bench_target_or_a_declared_exemption():
    missing = sorted(portal_url_names() - PAGES.keys())
    assert not missing, f"portal url names with no bench target nor exemption: {missing}. {HOW_TO_DECLARE}"


def test_no_stale_bench_declarations():
    stale = sorted(PAGES.keys() - portal_url_names())
    assert not stale, f"bench/targets.py declares url names the URLconf no longer has: {stale}; remove them"


def test_every_exemption_says_why():
    assert all(isinstance(entry, Page | Exempt) for entry in PAGES.values())
    assert not [name for name, entry in PAGES.items() if isinstance(entry, Exempt) and not entry.reason.strip()]


def _query_counts(targets, clients) -> dict[str, int]:
    counts, wrong = {}, []
    for target in targets:
        url = reverse(target.url_name, kwargs=target.kwargs or None)
        with CaptureQueriesContext(connection) as queries:
            response = clients[target.role].get(url, target.query)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
        if response.status_code != 200:
            wrong.append(f"{target.label} ({url}) as {target.role}: {response.status_code}")
        counts[target.label] = len(queries.captured_queries)
    assert not wrong, f"bench targets that do not answer 200: {wrong}"
    return counts


@pytest.mark.django_db
def test_bench_targets_build_answer_and_make_as_many_queries_with_more_data():
    from bench import run

    bench_rows_create()
    built = {target.label: run.concrete(target) for target in run.TARGETS}
    assert not [label for label, target in built.items() if target is None], "targets the bench would skip"
    declared = {name for name, entry in PAGES.items() if isinstance(entry, Page)}
    assert declared <= {target.url_name for target in run.TARGETS}, "a declared page with no target"
    targets = list(built.values())
    clients = {role: signed_in(User.objects.get(username=role)) for role in {t.role for t in targets}}

    before = _query_counts(targets, clients)
    call_command("generate_synthetic", councils=1, verbosity=0)
    after = _query_counts(targets, clients)
    grew = {label: (before[label], after[label]) for label in before if before[label] != after[label]}
    assert grew.keys() <= KNOWN_GROWTH, f"new N+1s: {dict((k, v) for k, v in grew.items() if k not in KNOWN_GROWTH)}"
    assert grew.keys() == KNOWN_GROWTH, f"fixed, so remove from KNOWN_GROWTH: {sorted(KNOWN_GROWTH - grew.keys())}"
