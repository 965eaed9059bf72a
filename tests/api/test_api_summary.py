"""GET /api/summary/: the dashboard summary, exactly what ``pmf_summary --format json`` prints (the same
selectors), with the dashboard's rule on drafts."""

import io
import json

import pytest
from django.core.management import call_command

from performance.models import Result

pytestmark = pytest.mark.django_db


def command(*args) -> dict:
    out = io.StringIO()
    call_command("pmf_summary", *args, stdout=out)
    return json.loads(out.getvalue())


def test_hubs_and_lrcs_in_2010_11_q2_equal_the_command(token_client):
    response = token_client("funder.reviewer").get(
        "/api/summary/", {"period": "2010/11 Q2", "provider_kind": "hub,lrc"}
    )
    assert response.status_code == 200, response.content
    assert response.json() == command("--period", "2010/11 Q2", "--provider-kind", "hub,lrc")
    body = response.json()
    assert body["indicators"] == 41
    assert body["totals"] == {"red": 0, "amber": 2, "green": 26, "not_reported": 13}


def test_val_compared_with_2009_10_q3_equals_the_command(token_client):
    response = token_client("funder.reviewer").get(
        "/api/summary/", {"period": "2010/11 Q2", "provider_kind": "cio", "compare_to": "2009/10 Q3"}
    )
    assert response.status_code == 200, response.content
    assert response.json() == command("--period", "2010/11 Q2", "--provider-kind", "cio", "--compare-to", "2009/10 Q3")
    assert response.json()["change"]["declined_indicators"] == ["VAL-28"]


def test_a_hub_reads_the_published_summary(token_client):
    response = token_client("vasl.hub").get("/api/summary/", {"period": "2010/11 Q2"})
    assert response.status_code == 200
    assert response.json() == command("--period", "2010/11 Q2")


def test_drafts_only_for_roles_the_dashboard_lets_include_them(token_client):
    Result.objects.filter(return_obj__provider__code="VASL", return_obj__period__quarter=3).update(rag="green")
    query = {"period": "2010/11 Q3", "provider_kind": "hub", "include_drafts": "true"}
    # A hub may not include drafts at all: refused, not silently ignored.
    refused = token_client("vasl.hub").get("/api/summary/", query)
    assert refused.status_code == 403
    assert "include_drafts" in refused.json()["detail"]
    # LCC sees every draft, as the command's operator does.
    lcc = token_client("lcc.officer").get("/api/summary/", query)
    assert lcc.json() == command("--period", "2010/11 Q3", "--provider-kind", "hub", "--include-drafts")
    assert lcc.json()["totals"]["green"] == 5
    # A funder may ask, but no provider's draft is visible to a funder.
    funder = token_client("funder.reviewer").get("/api/summary/", query)
    assert funder.status_code == 200
    assert funder.json()["indicators"] == 0
    # Without the flag, drafts never count.
    assert (
        token_client("lcc.officer").get("/api/summary/", {**query, "include_drafts": "false"}).json()["indicators"] == 0
    )


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({}, "period", "is not a reporting period: write it like 2010/11 Q2"),
        ({"period": "2015/16 Q1"}, "period", "There is no reporting period 2015/16 Q1"),
        ({"period": "2009/10 Q3", "compare_to": "2010/11 Q2"}, "compare_to", "Choose a period before 2009/10 Q3"),
        ({"period": "2010/11 Q2", "provider_kind": "hub,school"}, "provider_kind", "school is not a kind"),
        ({"period": "2010/11 Q2", "include_drafts": "perhaps"}, "include_drafts", "valid boolean"),
    ],
)
def test_bad_parameters_are_named(token_client, query, field, message):
    response = token_client("funder.reviewer").get("/api/summary/", query)
    assert response.status_code == 400
    assert message in " ".join(response.json()[field])


def test_no_credentials_is_401(client):
    assert client.get("/api/summary/", {"period": "2010/11 Q2"}).status_code == 401


def test_documented_in_the_schema(token_client):
    schema = token_client("funder.reviewer").get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/summary/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"period", "provider_kind", "compare_to", "include_drafts"}
    assert operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/Summary")
