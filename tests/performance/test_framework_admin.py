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
    assert refused.status_code == 200 and "The target must be a whole number, 0 or more." in refused.content.decode()
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


# --- Import and Export buttons (django-import-export) ----------------------------------------------------------


def import_post(client, text: str, reason="File from the hubs"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("admin:performance_target_import")
    page = client.get(url)
    form = page.context["form"]
    csv_format = next(value for value, label in form.fields["format"].choices if label.lower() == "csv")
    upload = SimpleUploadedFile("targets.csv", text.encode(), content_type="text/csv")
    data = {"format": csv_format, "import_file": upload, "change_reason": reason}
    if "resource" in form.fields:
        data["resource"] = form.fields["resource"].initial or 0
    return client.post(url, data)


def test_the_targets_list_has_import_and_export_buttons_for_the_officer(lcc_client):
    html = lcc_client.get(reverse("admin:performance_target_changelist")).content.decode()
    assert f"href='{reverse('admin:performance_target_import')}'" in html and ">Import</a>" in html
    assert f'href="{reverse("admin:performance_target_export")}' in html and ">Export</a>" in html
    page = lcc_client.get(reverse("admin:performance_target_import"))
    assert page.status_code == 200 and 'name="change_reason"' in page.content.decode()


def test_an_admin_import_saves_through_the_service_with_the_reason(lcc_client):
    response = import_post(
        lcc_client,
        "indicator,financial_year,quarter,provider,district,value,version\n"
        "LOC-1,2011/12,annual,,,44,\n"
        "LOC-1,2011/12,Q1,VAL,blaby,9,\n",
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    targets = {
        (t.provider.code if t.provider else None, t.district.slug if t.district else None, t.quarter): t.value
        for t in Target.objects.filter(indicator__code="LOC-1", financial_year=2011).select_related(
            "provider", "district"
        )
    }
    assert targets == {(None, None, None): Decimal("44"), ("VAL", "blaby", 1): Decimal("9")}
    entry = Target.objects.get(indicator__code="LOC-1", financial_year=2011, provider=None).history.get()
    assert (entry.history_change_reason, entry.history_user.username) == ("File from the hubs", "lcc.officer")


def test_the_import_has_no_confirm_step_to_go_around(lcc_client, unchanged):
    with unchanged():
        response = lcc_client.post(
            reverse("admin:performance_target_process_import"),
            {"import_file_name": "x", "original_file_name": "x.csv", "format": "0", "resource": "0"},
        )
    assert response.status_code == 403


def test_an_admin_import_with_problems_lists_them_by_row_and_column_and_saves_nothing(lcc_client, unchanged):
    text = (
        "indicator,financial_year,quarter,provider,district,value,version\n"
        "LOC-1,2011/12,annual,,,44,\n"
        "LOC-1,2011/12,annual,,nowhere,44,\n"
        "LOC-2,2011/12,annual,,,lots,\n"
    )
    with unchanged():
        response = import_post(lcc_client, text)
        assert response.status_code == 400
        html = response.content.decode()
        assert "Row 3, column district: no district has the slug &#x27;nowhere&#x27;" in html
        assert "Row 4, column value: write the target as a number, not &#x27;lots&#x27;" in html
        refused = import_post(lcc_client, text.splitlines()[0] + "\nLOC-1,2011/12,annual,,,44,\n", reason="")
        assert refused.status_code == 400 and "Enter the reason for this change." in refused.content.decode()


def test_an_admin_export_writes_the_listed_targets_in_the_import_columns(lcc_client):
    officer = User.objects.get(username="lcc.officer")
    from performance.framework import targets_set

    targets_set(
        indicator=Indicator.objects.get(code="LOC-1"),
        financial_year=2011,
        values={(None, None, None): Decimal("44")},
        seen=None,
        user=officer,
        reason="Set",
    )
    url = reverse("admin:performance_target_export") + "?year=2011"
    form = lcc_client.get(url).context["form"]
    data = {name: "on" for name in form.fields if name not in ("format", "resource", "export_items")}
    data["format"] = next(value for value, label in form.fields["format"].choices if label.lower() == "csv")
    data["resource"] = 0
    response = lcc_client.post(url, data)
    assert response.status_code == 200, response.content.decode()[:2000]
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0] == "indicator,financial_year,quarter,provider,district,value,version"
    assert lines[1:] == ["LOC-1,2011/12,annual,,,44,1"]


def test_periods_are_searched_as_people_write_them(lcc_client):
    changelist = reverse("admin:performance_reportingperiod_changelist")
    page = lcc_client.get(changelist, {"q": "2010/11 Q3"})
    assert [period.label for period in page.context["cl"].result_list] == ["2010/11 Q3"]
    page = lcc_client.get(changelist, {"q": "2010/11"})
    assert {period.financial_year for period in page.context["cl"].result_list} == {2010}


def test_an_admin_xlsx_export_imports_back_through_the_admin(lcc_client):
    import io

    import openpyxl
    from django.core.files.uploadedfile import SimpleUploadedFile

    from performance.framework import targets_set

    targets_set(
        indicator=Indicator.objects.get(code="LOC-1"),
        financial_year=2011,
        values={(None, None, None): Decimal("44")},
        seen=None,
        user=User.objects.get(username="lcc.officer"),
        reason="Set",
    )
    url = reverse("admin:performance_target_export") + "?year=2011"
    form = lcc_client.get(url).context["form"]
    data = {name: "on" for name in form.fields if name not in ("format", "resource", "export_items")}
    data["format"] = next(value for value, label in form.fields["format"].choices if label.lower() == "xlsx")
    data["resource"] = 0
    workbook = openpyxl.load_workbook(io.BytesIO(lcc_client.post(url, data).content))
    sheet = workbook.active
    assert [cell.value for cell in sheet[2]][:6] == ["LOC-1", "2011/12", "annual", None, None, "44"]
    sheet.cell(row=2, column=6).value = 46  # typed as a number this time
    buffer = io.BytesIO()
    workbook.save(buffer)
    page = lcc_client.get(reverse("admin:performance_target_import")).context["form"]
    response = lcc_client.post(
        reverse("admin:performance_target_import"),
        {
            "format": next(value for value, label in page.fields["format"].choices if label.lower() == "xlsx"),
            "resource": 0,
            "import_file": SimpleUploadedFile("targets.xlsx", buffer.getvalue()),
            "change_reason": "Revised in the workbook",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    target = Target.objects.get(indicator__code="LOC-1", financial_year=2011)
    assert (target.value, target.history.first().history_change_reason) == (Decimal("46"), "Revised in the workbook")
