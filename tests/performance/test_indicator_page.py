"""The indicator page: wording, kind, outcomes, and history for every provider with a chart and its table."""

import pytest
from django.urls import reverse

from performance.models import Indicator, Result

pytestmark = pytest.mark.django_db


def test_val_28_shows_its_wording_outcomes_and_decline(hub_client):
    indicator = Indicator.objects.get(code="VAL-28")
    response = hub_client.get(indicator.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert indicator.wording in page
    assert indicator.get_kind_display() in page
    for outcome in indicator.outcomes.all():
        assert f"Outcome {outcome.number} ({outcome.get_priority_display()} priority)" in page
    rags = [(r.return_obj.period.label, r.rag) for r in response.context["history_table"].data]
    assert rags == [("2009/10 Q3", "green"), ("2010/11 Q2", "amber")]
    assert '<span class="rag rag--amber">Amber</span>' in page
    assert "<svg" in page and "RAG ratings over time" in page


def test_the_line_chart_draws_actual_and_target(funder_client):
    response = funder_client.get(reverse("performance:indicator", kwargs={"code": "VAL-10"}))
    page = response.content.decode()
    assert response.context["chosen"].code == "VAL"
    series = {row["label"]: (row["actual"], row["target"]) for row in response.context["series_table"].data}
    assert series["2010/11 Q2"][1] == 50
    assert 'class="chart__target"' in page
    assert "Dashed line: target" in page


def test_a_local_indicator_lists_every_provider(funder_client):
    response = funder_client.get(reverse("performance:indicator", kwargs={"code": "LOC-1"}), {"provider": "VASL"})
    assert response.context["chosen"].code == "VASL"
    assert len(response.context["providers"]) == 10
    counts = response.context["rag_table"].data
    assert [(row["label"], row["green"], row["amber"], row["not_reported"]) for row in counts] == [
        ("2010/11 Q2", 7, 2, 1)
    ]


def test_drafts_never_appear_in_an_indicators_history(lcc_client):
    Result.objects.filter(indicator__code="LOC-2", return_obj__period__quarter=3).update(rag="red")
    response = lcc_client.get(reverse("performance:indicator", kwargs={"code": "LOC-2"}))
    assert all(r.return_obj.period.quarter == 2 for r in response.context["history_table"].data)


def test_an_unknown_indicator_is_not_found(funder_client):
    assert funder_client.get(reverse("performance:indicator", kwargs={"code": "VAL-99"})).status_code == 404


def test_the_chart_opens_on_the_first_provider_that_gives_figures(funder_client):
    """LOC-1's providers rate it without figures except, here, VASL: the chart opens on VASL's figures rather
    than on an empty chart of CABD's (the first in the list)."""
    Result.objects.filter(
        indicator__code="LOC-1", return_obj__provider__code="VASL", return_obj__period__quarter=2
    ).update(actual=120)
    response = funder_client.get(reverse("performance:indicator", kwargs={"code": "LOC-1"}))
    assert response.context["providers"][0].code == "CABD"
    assert response.context["chosen"].code == "VASL"
    assert [row["actual"] for row in response.context["series_table"].data] == [120]
    page = response.content.decode()
    assert ">120<" in page and "120.00" not in page  # a count is written whole
    assert 'class="rag rag--Green"' not in page and "rag rag--green" in page.split("Every result")[1]
