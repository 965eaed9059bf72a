"""The dashboard and every export make the same number of queries on the Leicestershire data and on a
dataset ten times its size: the count does not grow with providers, periods or results."""

import pytest
from django.urls import reverse

from contracts.models import Organisation
from performance.models import ReportingPeriod, Result
from performance.views.dashboard import EXPORTABLE
from tests.performance.scale import build_scaled_dataset

pytestmark = pytest.mark.django_db

#: The most queries a dashboard page or an export may make (session, user and permissions included).
PAGE_BOUND = 30
EXPORT_BOUND = 14
QUERY = {"period": "2010-11-q2", "compare_to": "2009-10-q3"}


def _assert_bounded(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(PAGE_BOUND):
        response = client.get(reverse("performance:dashboard"), QUERY)
        assert response.status_code == 200
    for table in EXPORTABLE:
        for file_format in ("csv", "xlsx"):
            url = reverse("performance:dashboard_export", kwargs={"table": table, "file_format": file_format})
            with django_assert_max_num_queries(EXPORT_BOUND):
                response = client.get(url, QUERY)
                assert response.status_code == 200, (table, file_format)
                body = b"".join(response.streaming_content) if response.streaming else response.content
                assert body


def test_query_counts_on_the_leicestershire_data(lcc_client, django_assert_max_num_queries):
    _assert_bounded(lcc_client, django_assert_max_num_queries)


def test_query_counts_on_ten_times_the_leicestershire_data(lcc_client, django_assert_max_num_queries):
    before = (Organisation.objects.count(), ReportingPeriod.objects.count(), Result.objects.count())
    build_scaled_dataset(factor=10)
    after = (Organisation.objects.count(), ReportingPeriod.objects.count(), Result.objects.count())
    assert after[0] >= 10 * before[0] - 9  # one CIO, ten times the hubs and LRCs
    assert after[1] >= 10 * before[1]
    assert after[2] >= 10 * before[2]
    _assert_bounded(lcc_client, django_assert_max_num_queries)
