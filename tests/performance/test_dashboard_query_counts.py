"""Each dashboard section and every export make the same number of queries on the Leicestershire data and on
a dataset ten times its size: the count does not grow with providers, periods or results. Each section runs
only its own figures' queries: the overview runs none of the providers', change or localities' ones."""

import pytest
from django.urls import reverse

from contracts.models import Organisation
from performance.models import ReportingPeriod, Result
from performance.views.dashboard import EXPORTABLE
from tests.performance.scale import build_scaled_dataset

pytestmark = pytest.mark.django_db

#: The queries each section makes for the LCC officer, exactly. Every section makes the same 8: the session,
#: the user, the two-factor device the session passed (django-otp: the officer's role requires one), the
#: reporting periods (the filter form), the user's and their groups' permissions (asked by ``has_perm`` where
#: the rules say no), and the options of the filter form's provider and district selects.
#: On top of those, its own figures:
SECTION_QUERIES = {
    # over time, headline, by kind and completeness, one query each; the results counted per indicator, once
    # for by strand and by outcome priority, then the indicators' strands and their outcomes' priorities.
    # The draft returns included are asked for only with include_drafts. The sources' contradictions about the
    # figures in view (shown beside them, as the review's own disagreements), one query.
    "performance:dashboard": 8 + 8,
    # the providers in view: a count and the page of 25; the ratings given against a target changed since.
    "performance:dashboard_providers": 8 + 3,
    # the change summary, the indicators that declined, and the change table: a count and the page of 25.
    "performance:dashboard_change": 8 + 4,
    # the local indicators and the three localities queries (the rows of every table on the page).
    "performance:dashboard_localities": 8 + 4,
}
EXPORT_BOUND = 14
QUERY = {"period": "2010-11-q2", "compare_to": "2009-10-q3"}


def _section_queries(client, django_assert_num_queries) -> dict[str, set[str]]:
    """Each section's SQL, after asserting how many queries it made."""
    queries = {}
    for name, expected in SECTION_QUERIES.items():
        with django_assert_num_queries(expected) as captured:
            response = client.get(reverse(name), QUERY)
            assert response.status_code == 200, name
        queries[name] = {query["sql"] for query in captured.captured_queries}
    return queries


def _assert_counts(client, django_assert_num_queries, django_assert_max_num_queries):
    queries = _section_queries(client, django_assert_num_queries)
    shared = set.intersection(*queries.values())
    own = {name: sql - shared for name, sql in queries.items()}
    assert all(own.values())
    others = set().union(*(sql for name, sql in own.items() if name != "performance:dashboard"))
    assert not own["performance:dashboard"] & others
    for table in EXPORTABLE:
        for file_format in ("csv", "xlsx"):
            url = reverse("performance:dashboard_export", kwargs={"table": table, "file_format": file_format})
            with django_assert_max_num_queries(EXPORT_BOUND):
                response = client.get(url, QUERY)
                assert response.status_code == 200, (table, file_format)
                body = b"".join(response.streaming_content) if response.streaming else response.content
                assert body


def test_query_counts_on_the_leicestershire_data(lcc_client, django_assert_num_queries, django_assert_max_num_queries):
    _assert_counts(lcc_client, django_assert_num_queries, django_assert_max_num_queries)


def test_query_counts_on_ten_times_the_leicestershire_data(
    lcc_client, django_assert_num_queries, django_assert_max_num_queries
):
    before = (Organisation.objects.count(), ReportingPeriod.objects.count(), Result.objects.count())
    build_scaled_dataset(factor=10)
    after = (Organisation.objects.count(), ReportingPeriod.objects.count(), Result.objects.count())
    assert after[0] >= 10 * before[0] - 9  # one CIO, ten times the hubs and LRCs
    assert after[1] >= 10 * before[1]
    assert after[2] >= 10 * before[2]
    _assert_counts(lcc_client, django_assert_num_queries, django_assert_max_num_queries)
