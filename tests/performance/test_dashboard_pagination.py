"""At scale the locality tables (the dashboard's localities section) show a page of districts each, with a page
parameter per table; the localities export still holds every district."""

import csv
import io

import pytest
from django.urls import reverse

from districts.models import District
from performance.models import ReportingPeriod, Result, Return
from tests.performance.scale import build_scaled_dataset

pytestmark = pytest.mark.django_db

QUERY = {"period": "2010-11-q2", "compare_to": "2009-10-q3"}


def _district_names() -> list[str]:
    return list(District.objects.order_by("name").values_list("name", flat=True))


def test_locality_tables_show_one_page_of_districts_each(lcc_client):
    build_scaled_dataset(factor=10)
    names = _district_names()
    assert len(names) > 50

    response = lcc_client.get(reverse("performance:dashboard_localities"), QUERY)
    assert response.status_code == 200
    tables = [response.context["locality_table"], *response.context["locality_indicator_tables"]]
    assert len(tables) > 1
    assert len({t.prefix for t in tables}) == len(tables)
    for table in tables:
        assert [row.record["name"] for row in table.paginated_rows] == names[:25]
        assert table.paginator.num_pages == -(-len(names) // 25)
    html = response.content.decode()
    assert names[0] in html
    assert "l-page=2" in html

    # The second page of the first table; the others stay on their first page.
    response = lcc_client.get(reverse("performance:dashboard_localities"), {**QUERY, "l-page": 2})
    assert response.status_code == 200
    first = response.context["locality_table"]
    assert [row.record["name"] for row in first.paginated_rows] == names[25:50]
    for table in response.context["locality_indicator_tables"]:
        assert [row.record["name"] for row in table.paginated_rows] == names[:25]


def test_localities_export_has_every_district(lcc_client):
    build_scaled_dataset(factor=10)
    names = _district_names()
    url = reverse("performance:dashboard_export", kwargs={"table": "localities", "file_format": "csv"})
    response = lcc_client.get(url, QUERY)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert sorted(row[0] for row in rows[1:]) == sorted(names)


def test_over_time_counts_the_last_eight_periods_up_to_the_chosen_one(lcc_client):
    build_scaled_dataset(factor=10)
    chosen = ReportingPeriod.objects.get(financial_year=2010, quarter=2)  # QUERY["period"]
    earlier = [
        p
        for p in ReportingPeriod.objects.order_by("-financial_year", "-quarter")
        if (p.financial_year, p.quarter) <= (chosen.financial_year, chosen.quarter)
    ]
    assert len(earlier) > 8
    response = lcc_client.get(reverse("performance:dashboard"), QUERY)
    assert response.status_code == 200
    rows = [row.record for row in response.context["over_time_table"].rows]
    assert [row["label"] for row in rows] == [p.label for p in reversed(earlier[:8])]
    # Each period's counts are its own results' ratings, as before.
    for row, period in zip(rows, reversed(earlier[:8]), strict=True):
        counted = Result.objects.filter(
            return_obj__period=period,
            return_obj__status__in=Return.COUNTED,
        )
        assert row["total"] == counted.count()
        assert row["green"] == counted.filter(rag="green").count()
