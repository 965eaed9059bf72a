"""Targets per district: the local indicators the CIO reports per district take a target for a district (every
provider's rows for it) or for the CIO in a district. The most specific applies (provider and district, then
provider, then district, then all); the targets page sets them beside the providers'; a copy carries them; files
and the admin read and write the district; a change after submission names the district and is shown beside
that district's rating only."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
import tablib
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contracts.models import Organisation
from districts.models import District
from performance.framework import TargetsImportInvalid, targets_copy, targets_import, targets_set
from performance.models import Indicator, LateTargetChange, Result, Return, Target
from performance.selectors import targets_for
from performance.services import period_open, return_submit
from vcsportal.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return User.objects.get(username="lcc.officer")


def loc(code="LOC-1") -> Indicator:
    return Indicator.objects.get(code=code)


def org(code) -> Organisation:
    return Organisation.objects.get(code=code)


def district(slug) -> District:
    return District.objects.get(slug=slug)


def set_targets(officer, values, *, code="LOC-1", year=2010, reason="Agreed with VAL and the hubs"):
    return targets_set(indicator=loc(code), financial_year=year, values=values, seen=None, user=officer, reason=reason)


def found(provider, period, district_slug=None, code="LOC-1"):
    district_id = district(district_slug).pk if district_slug else None
    target = targets_for(provider=provider, period=period).get(loc(code).pk, district_id)
    return None if target is None else (target.value, target.scope)


def test_the_most_specific_target_applies_provider_and_district_then_provider_then_district_then_all(
    officer, q3_return
):
    val, vasl = org("VAL"), org("VASL")
    period = q3_return("VAL").period
    blaby, harborough = district("blaby").pk, district("harborough").pk
    set_targets(
        officer,
        {
            (None, None, None): Decimal("10"),
            (None, blaby, None): Decimal("20"),
            (None, harborough, None): Decimal("25"),
            (val.pk, None, None): Decimal("30"),
            (val.pk, blaby, None): Decimal("40"),
        },
    )
    assert found(val, period, "blaby") == (Decimal("40"), "VAL, Blaby, annual")
    assert found(val, period, "harborough") == (Decimal("30"), "VAL, annual")  # the provider's over the district's
    assert found(val, period, "charnwood") == (Decimal("30"), "VAL, annual")
    # A hub's rows have no district: a district's target is for the rows reported for it (the CIO's), not the hub's.
    assert found(vasl, period) == (Decimal("10"), "all providers, annual")
    set_targets(officer, {(val.pk, None, None): None, (val.pk, blaby, None): None})
    assert found(val, period, "blaby") == (Decimal("20"), "Blaby, annual")
    assert found(val, period, "harborough") == (Decimal("25"), "Harborough, annual")
    assert found(val, period, "charnwood") == (Decimal("10"), "all providers, annual")
    # Within the same scope, a quarter's beats the annual one; a district's quarter beats the district's year.
    set_targets(officer, {(None, blaby, 3): Decimal("22")})
    assert found(val, period, "blaby") == (Decimal("22"), "Blaby, Q3")


def test_the_cios_district_row_is_rated_against_its_districts_target(officer, val_client, q3_return):
    val = org("VAL")
    set_targets(
        officer,
        {
            (None, None, None): Decimal("10"),
            (None, district("charnwood").pk, None): Decimal("50"),
            (val.pk, district("blaby").pk, None): Decimal("40"),
        },
    )
    return_obj = q3_return("VAL")

    # VAL's long return is a task list: each district's local indicators are a section of their own.
    def section(slug):
        return val_client.get(reverse("performance:return_section", kwargs={"pk": return_obj.pk, "section": slug}))

    assert "Target 40 for the year (VAL, Blaby), set by LCC" in section("blaby").content.decode()
    assert "Target 50 for the year (Charnwood), set by LCC" in section("charnwood").content.decode()
    assert "Target 10 for the year, set by LCC" in section("melton").content.decode()
    for slug in ("blaby", "charnwood", "melton"):
        response = section(slug)
        data = {"version": response.context["version_form"]["version"].value(), "save": "1"}
        for form in response.context["forms"]:
            for name in form.fields:
                value = form[name].value()
                data[form.add_prefix(name)] = "" if value is None else str(value)
                data[form.add_initial_prefix(name)] = data[form.add_prefix(name)]
            if form.result.indicator.code == "LOC-1":
                data[form.add_prefix("actual")] = "37"
                data[form.add_prefix("rag")] = ""
        assert val_client.post(response.request["PATH_INFO"], data).status_code == 302
    rows = {
        r.district.slug: (r.target, r.computed_rag, r.rag)
        for r in Result.objects.filter(
            return_obj=return_obj, indicator__code="LOC-1", district__slug__in=["blaby", "charnwood", "melton"]
        ).select_related("district")
    }
    # 37 against 40 is within 10%: amber; against 50, red; against 10, green.
    assert rows == {
        "blaby": (Decimal("40"), "amber", "amber"),
        "charnwood": (Decimal("50"), "red", "red"),
        "melton": (Decimal("10"), "green", "green"),
    }


def test_the_targets_page_sets_districts_and_the_cio_in_each_district_beside_the_providers(lcc_client):
    url = reverse("performance:targets_set", kwargs={"year": 2011, "code": "LOC-1"})
    page = lcc_client.get(url)
    html = page.content.decode()
    for slug in District.objects.values_list("slug", flat=True):
        assert f'name="all-{slug}-annual"' in html and f'name="VAL-{slug}-q4"' in html
    assert 'name="VASL-harborough-annual"' not in html  # a hub reports once, not per district
    assert "LOC-1 2011/12 Q2 target for all providers in Blaby" in html
    assert "LOC-1 2011/12 annual target for VAL in Melton" in html
    # An indicator not reported per district has no district rows.
    html = lcc_client.get(reverse("performance:targets_set", kwargs={"year": 2011, "code": "VAL-09"})).content.decode()
    assert "-blaby-" not in html
    form = page.context["form"]
    data = {name: "" for name in form.fields if name not in ("reason", "seen")}
    data.update(
        {
            "all-annual": "30",
            "all-blaby-annual": "35",
            "VAL-charnwood-q1": "12",
            "seen": form.initial["seen"],
            "reason": "District targets agreed, March 2011",
        }
    )
    response = lcc_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    stored = {
        (t.provider.code if t.provider else None, t.district.slug if t.district else None, t.quarter): t.value
        for t in Target.objects.filter(indicator=loc(), financial_year=2011).select_related("provider", "district")
    }
    assert stored == {
        (None, None, None): Decimal("30"),
        (None, "blaby", None): Decimal("35"),
        ("VAL", "charnwood", 1): Decimal("12"),
    }
    entry = Target.objects.get(indicator=loc(), financial_year=2011, district__slug="blaby").history.get()
    assert (entry.history_change_reason, entry.history_user.username) == (
        "District targets agreed, March 2011",
        "lcc.officer",
    )
    # The page shows them again where they were set.
    form = lcc_client.get(url).context["form"]
    assert form.initial["all-blaby-annual"] == Decimal("35") and form.initial["VAL-charnwood-q1"] == Decimal("12")


def test_a_district_target_where_nobody_reports_per_district_is_refused_naming_it(officer, unchanged):
    blaby = district("blaby")
    cases = [
        ("VAL-09", (None, blaby.pk, None), "VAL-09 is not reported per district: leave the district empty."),
        ("LOC-1", (org("VASL").pk, blaby.pk, None), "VASL does not report LOC-1 per district"),
    ]
    for code, scope, message in cases:
        with unchanged(), pytest.raises(ValidationError, match=message):
            set_targets(officer, {scope: Decimal("5")}, code=code)


def test_a_copy_carries_each_districts_targets_with_the_percentage(officer):
    blaby, charnwood = district("blaby").pk, district("charnwood").pk
    set_targets(
        officer,
        {
            (None, None, None): Decimal("40"),
            (None, blaby, None): Decimal("20"),
            (org("VAL").pk, charnwood, 2): Decimal("10"),
        },
    )
    report = targets_copy(
        from_year=2010, to_year=2011, indicators=[loc()], change_pct=Decimal("5"), user=officer, reason="Plus 5%"
    )
    assert report.created == 3
    copied = {
        (t.provider.code if t.provider else None, t.district.slug if t.district else None, t.quarter): t.value
        for t in Target.objects.filter(indicator=loc(), financial_year=2011).select_related("provider", "district")
    }
    # 40 -> 42; 20 -> 21; 10 -> 10.5 -> 11 (a count, half up).
    assert copied == {
        (None, None, None): Decimal("42"),
        (None, "blaby", None): Decimal("21"),
        ("VAL", "charnwood", 2): Decimal("11"),
    }
    # Copying again over a changed district target names it.
    set_targets(officer, {(None, blaby, None): Decimal("30")}, year=2011)
    with pytest.raises(ValidationError, match="LOC-1 Blaby, annual already has a 2011/12 target of 30"):
        targets_copy(
            from_year=2010, to_year=2011, indicators=[loc()], change_pct=Decimal("5"), user=officer, reason="Again"
        )


def test_district_targets_export_and_import_back_by_slug(officer, lcc_client):
    set_targets(officer, {(None, district("blaby").pk, None): Decimal("20")})
    csv = lcc_client.get(reverse("performance:targets_export", kwargs={"year": 2010, "file_format": "csv"}))
    lines = csv.content.decode().strip().splitlines()
    assert "LOC-1,2010/11,annual,,blaby,20,1" in lines
    xlsx = lcc_client.get(reverse("performance:targets_export", kwargs={"year": 2010, "file_format": "xlsx"}))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "LOC-1" and row[4].value == "blaby":
            row[5].value = "24"
    sheet.append(["LOC-2", "2010/11", "Q1", "VAL", "melton", "6", ""])
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    response = lcc_client.post(
        reverse("performance:targets_import", kwargs={"year": 2010}),
        {"file": SimpleUploadedFile("targets.xlsx", buffer.getvalue()), "reason": "Districts revised"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Target.objects.get(indicator=loc(), financial_year=2010, district__slug="blaby").value == Decimal("24")
    new = Target.objects.get(indicator=loc("LOC-2"), provider__code="VAL", district__slug="melton", quarter=1)
    assert new.value == Decimal("6") and new.history.get().history_change_reason == "Districts revised"


def test_a_file_without_the_district_column_still_imports(officer):
    dataset = tablib.Dataset().load("indicator,financial_year,quarter,provider,value\nLOC-1,2011/12,annual,,44\n")
    report = targets_import(dataset=dataset, user=officer, reason="An older file")
    assert report.created == 1
    assert Target.objects.get(indicator=loc(), financial_year=2011).district is None


def test_an_imported_district_that_does_not_apply_is_named_by_row_and_column_and_nothing_saved(officer, unchanged):
    text = (
        "indicator,financial_year,quarter,provider,district,value,version\n"
        "LOC-1,2011/12,annual,,blaby,44,\n"  # row 2: fine on its own
        "LOC-1,2011/12,annual,,nowhere,44,\n"  # row 3: no such district
        "VAL-09,2011/12,annual,,blaby,3000,\n"  # row 4: VAL-09 is not reported per district
        "LOC-1,2011/12,annual,VASL,harborough,9,\n"  # row 5: a hub reports once, not per district
        "LOC-1,2011/12,annual,,Blaby,45,\n"  # row 6: the same target as row 2 (slugs read in any case)
    )
    with unchanged(), pytest.raises(TargetsImportInvalid) as raised:
        targets_import(dataset=tablib.Dataset().load(text, format="csv"), user=officer, reason="File")
    assert [str(problem) for problem in raised.value.problems] == [
        "Row 3, column district: no district has the slug 'nowhere': use a slug like blaby, or leave it empty",
        "Row 4, column district: VAL-09 is not reported per district: leave the district empty",
        "Row 5, column district: VASL does not report LOC-1 per district: leave the district empty",
        "Row 6, column indicator: the same target as row 2: give it once",
    ]


def test_the_admin_adds_a_district_target_and_refuses_one_that_does_not_apply(lcc_client, unchanged):
    url = reverse("admin:performance_target_add")
    data = {
        "indicator": loc().pk,
        "financial_year": "2011/12",
        "quarter": "",
        "provider": org("VASL").pk,
        "district": district("harborough").pk,
        "value": "9",
        "change_reason": "Hubs' meeting",
        "_save": "Save",
    }
    with unchanged():
        refused = lcc_client.post(url, data)
        assert refused.status_code == 200
        assert "VASL does not report LOC-1 per district: leave the district empty." in refused.content.decode()
    response = lcc_client.post(url, {**data, "provider": org("VAL").pk})
    assert response.status_code == 302, response.content.decode()[:3000]
    target = Target.objects.get(indicator=loc(), financial_year=2011)
    assert (target.provider.code, target.district.slug, target.value) == ("VAL", "harborough", Decimal("9"))
    assert target.history.get().history_change_reason == "Hubs' meeting"


def submitted_cio_return(officer, year=2011):
    """VAL's return for the year's Q1, filled in and submitted."""
    report = period_open(financial_year=year, quarter=1, due_on=datetime.date(year, 7, 15), user=officer)
    return_obj = Return.objects.get(provider__code="VAL", period=report.period)
    Result.objects.filter(return_obj=return_obj).update(rag="green", actual=50, narrative="A good quarter.")
    return return_submit(return_obj=return_obj, user=User.objects.get(username="val.staff"))


def test_a_district_target_changed_after_submission_names_the_district_beside_its_row_only(
    officer, lcc_client, val_client
):
    blaby = district("blaby")
    set_targets(officer, {(None, None, None): Decimal("42")}, year=2011)
    return_obj = submitted_cio_return(officer)
    # Blaby's rows were rated against 42 (all providers); a Blaby target of 45 changes what applies to them.
    set_targets(officer, {(None, blaby.pk, None): Decimal("45")}, year=2011, reason="Blaby raised")
    late = LateTargetChange.objects.get()
    assert (late.district, late.value_before, late.value_after, list(late.returns.all())) == (
        blaby,
        None,
        Decimal("45"),
        [return_obj],
    )
    assert late.scope_label == "2011/12, annual, all providers, Blaby"
    html = val_client.get(reverse("performance:return", args=[return_obj.pk])).content.decode()
    assert html.count("Target changed after submission:") == 1  # beside LOC-1 in Blaby, not every district
    # A change for a provider in a district none of whose returns were submitted touches nothing.
    set_targets(officer, {(org("VAL").pk, district("melton").pk, 2): Decimal("5")}, year=2011)
    assert LateTargetChange.objects.count() == 1


def test_the_years_page_shows_the_target_for_all_not_a_districts(officer, lcc_client):
    set_targets(officer, {(None, None, None): Decimal("40"), (None, district("blaby").pk, None): Decimal("20")})
    page = lcc_client.get(reverse("performance:framework_year", kwargs={"year": 2010}))
    (indicator,) = [i for i in page.context["indicators"] if i.code == "LOC-1"]
    assert indicator.annual_target == Decimal("40")


def test_a_copy_of_a_districts_target_into_a_year_with_no_such_rows_is_refused_naming_it(officer, unchanged):
    from performance.framework import indicator_save

    set_targets(officer, {(None, None, None): Decimal("40"), (None, district("blaby").pk, None): Decimal("20")})
    indicator = loc()
    indicator.by_district = False  # the CIO now reports LOC-1 once, not per district
    indicator_save(indicator=indicator, user=officer, reason="Reported countywide from 2011/12")
    with unchanged(), pytest.raises(ValidationError) as raised:
        targets_copy(
            from_year=2010, to_year=2011, indicators=[loc()], change_pct=Decimal("5"), user=officer, reason="Plus 5%"
        )
    assert raised.value.messages == [
        "LOC-1 Blaby, annual cannot be copied into 2011/12: LOC-1 is not reported per district. Remove that 2010/11 "
        "target, or leave LOC-1 out."
    ]
