"""RAG computed from actual against target at its boundaries, and on the return form."""

from decimal import Decimal

import pytest
from django.urls import reverse

from performance.models import Indicator, Rag, Target
from performance.rag import ResultEntry, rag_compute, result_entry_errors
from performance.selectors import targets_for
from tests.performance.conftest import page_data, row_prefix

D = Decimal


@pytest.mark.parametrize(
    ("actual", "target", "higher_is_better", "tolerance", "expected"),
    [
        (D("100"), D("100"), True, D("10"), Rag.GREEN),  # exactly at target
        (D("101"), D("100"), True, D("10"), Rag.GREEN),  # better than target
        (D("90"), D("100"), True, D("10"), Rag.AMBER),  # exactly at the tolerance edge
        (D("99.99"), D("100"), True, D("10"), Rag.AMBER),
        (D("89.99"), D("100"), True, D("10"), Rag.RED),  # just beyond
        (D("0"), D("100"), True, D("10"), Rag.RED),
        (D("100"), D("100"), False, D("10"), Rag.GREEN),  # lower is better: at target
        (D("50"), D("100"), False, D("10"), Rag.GREEN),  # lower is better: better than target
        (D("110"), D("100"), False, D("10"), Rag.AMBER),  # lower is better: at the edge
        (D("110.01"), D("100"), False, D("10"), Rag.RED),  # lower is better: just beyond
        (D("99.99"), D("100"), True, D("0"), Rag.RED),  # no tolerance: any shortfall is red
        (D("75"), D("100"), True, D("25"), Rag.AMBER),  # an indicator's own tolerance
        (D("74.99"), D("100"), True, D("25"), Rag.RED),
        (None, D("100"), True, D("10"), ""),  # nothing to compare
        (D("5"), None, True, D("10"), ""),
    ],
)
def test_rag_compute_boundaries(actual, target, higher_is_better, tolerance, expected):
    assert rag_compute(actual=actual, target=target, higher_is_better=higher_is_better, tolerance_pct=tolerance) == (
        expected
    )


@pytest.mark.django_db
def test_a_different_rating_needs_a_reason_and_narrative_rated_indicators_need_a_narrative():
    q = Indicator.objects.get(code="VAL-02")
    nar = Indicator.objects.get(code="VAL-04")
    label = "VAL-02 label"
    errors = result_entry_errors(
        ResultEntry(rag="green", actual=D("40")), indicator=q, target=D("50"), label=label, complete=False
    )
    assert errors == {"rag_override_reason": "VAL-02 label: the figures rate red; write why you rate it green instead"}
    assert not result_entry_errors(
        ResultEntry(rag="green", actual=D("40"), rag_override_reason="Survey sample too small"),
        indicator=q,
        target=D("50"),
        label=label,
        complete=True,
    )
    errors = result_entry_errors(ResultEntry(rag="amber"), indicator=nar, target=None, label="VAL-04", complete=True)
    assert errors == {"narrative": "VAL-04: write a narrative explaining the rating"}
    errors = result_entry_errors(
        ResultEntry(rag="not_reported", not_reported_reason="other"),
        indicator=nar,
        target=None,
        label="X",
        complete=False,
    )
    assert errors == {"not_reported_other": "X: describe the other reason it is not reported"}
    errors = result_entry_errors(ResultEntry(rag="not_reported"), indicator=nar, target=None, label="X", complete=False)
    assert "not_reported_reason" in errors


@pytest.mark.django_db
def test_targets_prefer_the_providers_own_and_the_quarters_own(q3_return):
    return_obj = q3_return("VAL")
    indicator = Indicator.objects.get(code="VAL-02")
    assert targets_for(provider=return_obj.provider, period=return_obj.period)[indicator.pk].value == D("50")
    Target.objects.create(indicator=indicator, financial_year=2010, quarter=3, value=D("55"))
    assert targets_for(provider=return_obj.provider, period=return_obj.period)[indicator.pk].value == D("55")
    Target.objects.create(
        indicator=indicator, financial_year=2010, quarter=None, provider=return_obj.provider, value=60
    )
    found = targets_for(provider=return_obj.provider, period=return_obj.period)[indicator.pk]
    assert (found.value, found.scope) == (D("60"), "VAL, annual")
    Target.objects.create(indicator=indicator, financial_year=2010, quarter=3, provider=return_obj.provider, value=65)
    assert targets_for(provider=return_obj.provider, period=return_obj.period)[indicator.pk].value == D("65")


@pytest.mark.django_db
def test_the_form_computes_the_rating_and_marks_an_override(val_client, login, q3_return):
    return_obj = q3_return("VAL")
    # VAL's return is a task list: VAL-02 is filled in on its section's page, through the same row form.
    url = reverse("performance:return_section", args=[return_obj.pk, "coordination-1"])
    page = val_client.get(url)
    assert page.status_code == 200
    prefix = row_prefix(page, "VAL-02")
    data = page_data(page)
    data[f"{prefix}-actual"] = "45"  # target 50, 10% tolerance: exactly at the amber edge
    assert val_client.post(url, {**data, "save": "1"}).status_code == 302
    result = return_obj.results.get(indicator__code="VAL-02")
    assert (result.rag, result.computed_rag, result.target, result.is_override) == ("amber", "amber", D("50"), False)

    page = val_client.get(url)
    data = page_data(page)
    data[f"{prefix}-actual"] = "44.99"
    data[f"{prefix}-rag"] = "green"
    response = val_client.post(url, {**data, "save": "1"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text
    message = "VAL-02 % groups well informed about strategies and partnerships: the figures rate red"
    assert message in text
    assert f'href="#id_{prefix}-rag_override_reason"' in text
    assert return_obj.results.get(indicator__code="VAL-02").actual == D("45")  # nothing saved

    data[f"{prefix}-rag_override_reason"] = "Survey reached only the largest groups"
    assert val_client.post(url, {**data, "save": "1"}).status_code == 302
    result = return_obj.results.get(indicator__code="VAL-02")
    assert (result.rag, result.computed_rag, result.is_override) == ("green", "red", True)
    officer_view = login("lcc.officer").get(return_obj.get_absolute_url()).content.decode()
    assert "<strong>Override</strong> (figures give red): Survey reached only the largest groups" in officer_view


@pytest.mark.django_db
def test_not_reported_needs_a_reason_on_the_form_naming_the_district(val_client, q3_return):
    return_obj = q3_return("VAL")
    url = reverse("performance:return_section", args=[return_obj.pk, "melton"])
    page = val_client.get(url)
    prefix = row_prefix(page, "LOC-3", "melton")
    data = page_data(page)
    data[f"{prefix}-rag"] = "not_reported"
    response = val_client.post(url, {**data, "save": "1"})
    assert response.status_code == 400
    assert "LOC-3 volunteers referred to VAL for support (Melton): say why it is not reported" in (
        response.content.decode()
    )
    data[f"{prefix}-not_reported_reason"] = "other"
    response = val_client.post(url, {**data, "save": "1"})
    assert "(Melton): describe the other reason" in response.content.decode()
    data[f"{prefix}-not_reported_other"] = "Melton officer post vacant"
    assert val_client.post(url, {**data, "save": "1"}).status_code == 302
    result = return_obj.results.get(indicator__code="LOC-3", district__slug="melton")
    assert (result.rag, result.not_reported_reason, result.not_reported_other) == (
        "not_reported",
        "other",
        "Melton officer post vacant",
    )


@pytest.mark.django_db
def test_a_bad_number_and_a_bad_link_are_named_beside_the_field(hub_client, q3_return):
    return_obj = q3_return("VASL")
    url = reverse("performance:return", args=[return_obj.pk])
    page = hub_client.get(url)
    prefix = row_prefix(page, "LOC-1")
    data = page_data(page)
    data[f"{prefix}-actual"] = "lots"
    data[f"{prefix}-evidence_url"] = "not a link"
    response = hub_client.post(url, {**data, "save": "1"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "LOC-1 volunteer enquiries: enter the actual figure as a number" in text
    assert f'id="id_{prefix}-actual-error"' in text
    assert 'value="lots"' in text
