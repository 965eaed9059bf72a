"""Filtering, ordering and paging: by period, provider, district and indicator codes; a malformed value
is a 400 naming what would be accepted; pages never overlap; queries do not grow with the page."""

import pytest

from performance.models import Result, Return


def test_results_filter_by_period_and_provider(token_client):
    funder = token_client("funder.reviewer")
    response = funder.get("/api/results/", {"period": "2010/11 Q2", "provider": "VASL"})
    rows = response.json()["results"]
    assert response.json()["count"] == 5
    assert {row["rag"] for row in rows} == {"green"}
    assert {row["period"] for row in rows} == {"2010/11 Q2"}
    assert [row["indicator"] for row in rows] == ["LOC-1", "LOC-2", "LOC-3", "LOC-4", "LOC-5"]


def test_results_filter_by_indicator_and_district(token_client):
    funder = token_client("funder.reviewer")
    rows = funder.get("/api/results/", {"period": "2010/11 Q2", "indicator": "LOC-1", "district": "harborough"})
    providers = {row["provider"] for row in rows.json()["results"]}
    # Harborough's hub and LRC report LOC-1 for their district.
    assert {"VASL", "LUTLRC"} <= providers
    assert "VAC" not in providers
    expected = Result.objects.filter(
        return_obj__period__financial_year=2010,
        return_obj__period__quarter=2,
        indicator__code="LOC-1",
    ).filter(district__slug="harborough") | Result.objects.filter(
        return_obj__period__financial_year=2010,
        return_obj__period__quarter=2,
        indicator__code="LOC-1",
        district__isnull=True,
        return_obj__provider__district__slug="harborough",
    )
    assert rows.json()["count"] == expected.count()


def test_returns_filter_by_period_and_status(token_client):
    funder = token_client("funder.reviewer")
    # Drafts are their providers' own (and LCC's): a funder filtering for them finds none, LCC all eleven.
    assert funder.get("/api/returns/", {"period": "2010/11 Q3", "status": "draft"}).json()["count"] == 0
    lcc = token_client("lcc.officer")
    assert lcc.get("/api/returns/", {"period": "2010/11 Q3", "status": "draft"}).json()["count"] == 11
    assert funder.get("/api/returns/", {"period": "2010/11 Q2", "district": "melton"}).json()["count"] == 1


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"period": "Q2 2010"}, "period", "write it like 2010/11 Q2"),
        ({"period": "2010/12 Q2"}, "period", "the second part must be the next year"),
        ({"rag": "purple"}, "rag", "Select a valid choice"),
    ],
)
def test_malformed_filters_are_a_400_naming_the_field(token_client, params, field, message):
    response = token_client("funder.reviewer").get("/api/results/", params)
    assert response.status_code == 400
    assert message in " ".join(response.json()[field])


def test_allocations_filter_by_financial_year(token_client):
    funder = token_client("funder.reviewer")
    assert funder.get("/api/allocations/", {"financial_year": "2010/11"}).json()["count"] == 11
    assert funder.get("/api/allocations/", {"financial_year": "2011/12"}).json()["count"] == 0
    bad = funder.get("/api/allocations/", {"financial_year": "2010"})
    assert bad.status_code == 400
    assert "write it like 2010/11" in bad.json()["financial_year"][0]


def test_pages_are_stable_and_never_overlap(token_client):
    funder = token_client("funder.reviewer")
    seen = []
    url, params = "/api/results/", {"page_size": 9, "ordering": "rag"}
    while url:
        body = funder.get(url, params).json()
        seen.extend(row["id"] for row in body["results"])
        url, params = body["next"], None
    assert len(seen) == len(set(seen)) == Result.objects.exclude(return_obj__status__in=Return.OPEN_TO_PROVIDER).count()


def test_page_size_is_capped(token_client):
    body = token_client("funder.reviewer").get("/api/results/", {"page_size": 100000}).json()
    assert len(body["results"]) == min(500, body["count"])


def test_listing_results_takes_a_fixed_number_of_queries(token_client, django_assert_max_num_queries):
    funder = token_client("funder.reviewer")
    with django_assert_max_num_queries(6):
        body = funder.get("/api/results/", {"page_size": 200}).json()
    assert len(body["results"]) > 50


def test_a_return_with_its_results_takes_a_fixed_number_of_queries(token_client, django_assert_max_num_queries):
    from performance.models import Return

    val_q2 = Return.objects.get(provider__code="VAL", period__financial_year=2010, period__quarter=2)
    funder = token_client("funder.reviewer")
    with django_assert_max_num_queries(8):
        body = funder.get(f"/api/returns/{val_q2.pk}/").json()
    assert len(body["results"]) >= 30


def test_the_schema_is_openapi_3_and_answers_a_token(token_client):
    response = token_client("funder.reviewer").get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/results/" in schema["paths"]


def test_a_percent_sign_in_a_filter_is_a_400_that_quotes_it(funder_client):
    """DRF formats filter messages with ``%``: what was typed must not be taken for a format string."""
    for path, query in (("/api/contributions/", {"financial_year": "%s/%d"}), ("/api/results/", {"period": "%s Q%"})):
        response = funder_client.get(path, query)
        assert response.status_code == 400, response.content
        assert "%s" in " ".join(next(iter(response.json().values())))
