"""The framework in the admin, as the LCC officer uses it: an indicator with the years it is in the framework,
a target added and changed through the framework's target service (checked against the unit, the reason kept),
the actions that take a selection of targets to the targets pages, and the records of published years and late
target changes shown, never written."""

from decimal import Decimal

import pytest
from django.urls import reverse

from performance.framework import framework_publish
from performance.models import FrameworkChange, Indicator, Target
from vcsportal.models import User

pytestmark = pytest.mark.django_db


def test_the_officer_adds_a_target_in_the_admin_with_the_reason_in_its_history(lcc_client):
    indicator = Indicator.objects.get(code="LOC-1")
    url = reverse("admin:performance_target_add")
    data = {"indicator": indicator.pk, "financial_year": "2011/12", "quarter": "", "provider": "", "value": "12.5"}
    refused = lcc_client.post(url, {**data, "change_reason": "Hubs' meeting", "_save": "Save"})
    assert refused.status_code == 200 and "The target is a count: enter a whole number." in refused.content.decode()
    response = lcc_client.post(url, {**data, "value": "44", "change_reason": "Hubs' meeting", "_save": "Save"})
    assert response.status_code == 302, response.content.decode()[:2000]
    target = Target.objects.get(indicator=indicator, financial_year=2011)
    entry = target.history.get()
    assert (target.value, entry.history_change_reason, entry.history_user.username) == (
        Decimal("44"),
        "Hubs' meeting",
        "lcc.officer",
    )
    # Changing it: only the value is a field; whose target it is stays; the version moves on.
    change = reverse("admin:performance_target_change", args=[target.pk])
    page = lcc_client.get(change)
    html = page.content.decode()
    assert 'name="value"' in html and 'name="indicator"' not in html and 'name="provider"' not in html
    seen = page.context["adminform"].form["seen_fingerprint"].value()
    response = lcc_client.post(
        change, {"value": "46", "change_reason": "Corrected", "seen_fingerprint": seen, "_save": "Save"}
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.value, target.version) == (Decimal("46"), 2)
    assert target.history.first().history_change_reason == "Corrected"


def test_the_officer_adds_an_indicator_for_a_year_and_retires_another_listing_both_after_publication(lcc_client):
    framework_publish(financial_year=2011, user=User.objects.get(username="lcc.officer"), reason="Agreed")
    response = lcc_client.post(
        reverse("admin:performance_indicator_add"),
        {
            "code": "LOC-6",
            "number": "6",
            "short_name": "befriending schemes supported",
            "wording": "Number of befriending schemes given one-to-one support",
            "strand": "volunteering",
            "kind": "Q",
            "unit": "count",
            "higher_is_better": "on",
            "under_provider_control": "on",
            "tolerance_pct": "10",
            "for_hub": "on",
            "first_year": "2011/12",
            "retired_from": "",
            "note": "",
            "change_reason": "Agreed at the March 2011 review meeting",
            "_save": "Save",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    added = Indicator.objects.get(code="LOC-6")
    assert added.first_year == 2011 and not added.in_force(2010) and added.in_force(2011)
    change = FrameworkChange.objects.get(indicator=added)
    assert (
        change.kind == FrameworkChange.Kind.INDICATOR_ADDED
        and change.reason == "Agreed at the March 2011 review meeting"
    )
    # Retiring LOC-5 from 2011/12, from its change page; the amendments show on the page afterwards.
    loc5 = Indicator.objects.get(code="LOC-5")
    url = reverse("admin:performance_indicator_change", args=[loc5.pk])
    page = lcc_client.get(url)
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["outcomes"] = [outcome.pk for outcome in loc5.outcomes.all()]
    for name in (
        "higher_is_better",
        "under_provider_control",
        "for_cio",
        "for_hub",
        "for_lrc",
        "by_district",
        "is_illustrative",
    ):
        data[name] = "on" if getattr(loc5, name) else ""
    data.update({"retired_from": "2011/12", "first_year": "", "change_reason": "Merged into LOC-6", "_save": "Save"})
    response = lcc_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Indicator.objects.get(code="LOC-5").retired_from == 2011
    assert FrameworkChange.objects.filter(indicator__code="LOC-5", kind=FrameworkChange.Kind.INDICATOR_RETIRED).exists()
    html = lcc_client.get(url).content.decode()
    assert "Merged into LOC-6" in html and "Amended with what and when" in html


def test_a_retirement_before_the_first_year_is_refused(lcc_client):
    indicator = Indicator.objects.get(code="LOC-5")
    indicator.first_year, indicator.retired_from = 2011, 2011
    with pytest.raises(Exception, match="Retire it from a year after"):
        indicator.full_clean()


def test_the_target_actions_go_to_the_targets_pages(lcc_client):
    changelist = reverse("admin:performance_target_changelist")
    target = Target.objects.filter(indicator__code="VAL-09").first()
    response = lcc_client.post(changelist, {"action": "copy_to_next_year", "_selected_action": [target.pk]})
    assert response.status_code == 302
    assert response["Location"].startswith(
        reverse("performance:targets_copy", kwargs={"year": target.financial_year + 1})
    )
    assert "indicators=VAL-09" in response["Location"]
    response = lcc_client.post(changelist, {"action": "set_on_one_page", "_selected_action": [target.pk]})
    assert response["Location"] == reverse(
        "performance:targets_set", kwargs={"year": target.financial_year, "code": "VAL-09"}
    )


def test_the_admin_lists_the_framework_records_for_the_officer(lcc_client):
    for model_name in ("frameworkpublication", "frameworkchange", "latetargetchange"):
        changelist = reverse(f"admin:performance_{model_name}_changelist")
        assert lcc_client.get(changelist).status_code == 200
        assert lcc_client.get(reverse(f"admin:performance_{model_name}_add")).status_code == 403
