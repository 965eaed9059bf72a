"""The framework in the council's hands: a year's targets for an indicator set on one page, copied from another
year with a percentage change, imported and exported as CSV and XLSX (all or nothing, problems by row and
column), each change in the history with its reason; a target changed after returns were submitted is shown
beside the ratings; a published year lists what changed in it since."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
import tablib
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contracts.models import Organisation
from performance.framework import (
    TargetsImportInvalid,
    framework_publish,
    indicator_save,
    targets_copy,
    targets_import,
    targets_set,
)
from performance.models import FrameworkChange, Indicator, LateTargetChange, Result, Return, Target
from performance.selectors import targets_for
from performance.selectors_framework import target_set_fingerprint
from performance.services import period_open, return_submit
from vcsportal.models import User

pytestmark = pytest.mark.django_db

LOCAL = ["LOC-1", "LOC-2", "LOC-3", "LOC-4", "LOC-5"]


@pytest.fixture
def officer():
    return User.objects.get(username="lcc.officer")


def loc(code="LOC-1") -> Indicator:
    return Indicator.objects.get(code=code)


def provider(code) -> Organisation:
    return Organisation.objects.get(code=code)


def set_2010_local_targets(officer, values=None):
    """2010/11 annual targets for every provider for the local indicators: test figures an officer types in,
    not source figures (the review gives none for the hubs' indicators)."""
    values = values or {"LOC-1": "40", "LOC-2": "25", "LOC-3": "10", "LOC-4": "12", "LOC-5": "3"}
    for code, value in values.items():
        targets_set(
            indicator=loc(code),
            financial_year=2010,
            values={(None, None, None): Decimal(value)},
            seen=None,
            user=officer,
            reason="Agreed at the hubs' meeting",
        )


# --- a year's targets on one page ---------------------------------------------------------------------------


def page_post(client, year, code, values: dict[str, str], reason="Agreed with the hubs, March 2011"):
    url = reverse("performance:targets_set", kwargs={"year": year, "code": code})
    page = client.get(url)
    form = page.context["form"]
    data = {name: ("" if value is None else str(value)) for name, value in form.initial.items() if name != "seen"}
    data.update(values)
    data["seen"] = form.initial["seen"]
    data["reason"] = reason
    return client.post(url, data), url


def test_the_officer_sets_a_years_targets_for_an_indicator_across_providers_on_one_page(lcc_client):
    page = lcc_client.get(reverse("performance:targets_set", kwargs={"year": 2011, "code": "LOC-1"}))
    assert page.status_code == 200
    html = page.content.decode()
    # A row for all providers and one per provider that reports LOC-1 (the CIO, per district, hubs and LRCs).
    for code in ("VAL", "VASL", "VAC", "CABD", "SYSLRC", "LUTLRC"):
        assert f'name="{code}-annual"' in html and f'name="{code}-q4"' in html
    assert 'name="all-annual"' in html
    # LOC-3 is the hubs' (and the CIO's), not the LRCs'.
    html = lcc_client.get(reverse("performance:targets_set", kwargs={"year": 2011, "code": "LOC-3"})).content.decode()
    assert 'name="VASL-annual"' in html and 'name="SYSLRC-annual"' not in html
    response, _url = page_post(lcc_client, 2011, "LOC-1", {"all-annual": "42", "VASL-annual": "50", "VAC-q1": "12"})
    assert response.status_code == 302
    targets = {
        (t.provider.code if t.provider else None, t.quarter): t.value
        for t in Target.objects.filter(indicator=loc(), financial_year=2011)
    }
    assert targets == {(None, None): Decimal("42"), ("VASL", None): Decimal("50"), ("VAC", 1): Decimal("12")}
    entry = Target.objects.get(indicator=loc(), financial_year=2011, provider__code="VASL").history.get()
    assert (entry.history_change_reason, entry.history_user.username) == (
        "Agreed with the hubs, March 2011",
        "lcc.officer",
    )


def test_the_targets_page_refuses_bad_values_naming_each_box_and_saves_nothing(lcc_client, unchanged):
    with unchanged():
        response, _url = page_post(lcc_client, 2011, "LOC-1", {"all-annual": "12.5", "VASL-q2": "-3", "VAC-q3": "lots"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "VAC, Q3: enter the target as a number, like 120 or 52.5" in html
    response, _url = page_post(lcc_client, 2011, "LOC-1", {"all-annual": "12.5", "VASL-q2": "-3"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "The annual target must be a whole number, 0 or more." in html
    assert "The Q2 target must be a whole number, 0 or more." in html
    assert not Target.objects.filter(financial_year=2011).exists()


def test_a_targets_page_opened_before_someone_elses_change_is_refused(lcc_client, officer):
    url = reverse("performance:targets_set", kwargs={"year": 2011, "code": "LOC-2"})
    page = lcc_client.get(url)
    seen = page.context["form"].initial["seen"]
    targets_set(
        indicator=loc("LOC-2"),
        financial_year=2011,
        values={(None, None, None): Decimal("30")},
        seen=None,
        user=officer,
        reason="Meanwhile",
    )
    data = {"all-annual": "25", "seen": seen, "reason": "Typed on an old page"}
    response = lcc_client.post(url, data)
    assert response.status_code == 409
    assert "Someone else changed this since you opened it" in response.content.decode()
    assert Target.objects.get(indicator=loc("LOC-2"), financial_year=2011).value == Decimal("30")


def test_a_target_needs_a_reason(officer):
    with pytest.raises(ValidationError, match="Enter the reason"):
        targets_set(
            indicator=loc(),
            financial_year=2011,
            values={(None, None, None): Decimal("1")},
            seen=None,
            user=officer,
            reason=" ",
        )


def test_only_an_lcc_officer_sets_targets():
    for username in ("funder.reviewer", "val.staff", "vasl.hub", "peer.reviewer"):
        with pytest.raises(PermissionDenied):
            targets_set(
                indicator=loc(),
                financial_year=2011,
                values={(None, None, None): Decimal("1")},
                seen=None,
                user=User.objects.get(username=username),
                reason="Trying",
            )
    assert not Target.objects.filter(financial_year=2011).exists()


# --- copying a year -----------------------------------------------------------------------------------------


def test_the_officer_copies_last_years_targets_with_a_percentage_change(lcc_client, officer):
    set_2010_local_targets(officer)
    targets_set(
        indicator=loc("LOC-1"),
        financial_year=2010,
        values={(provider("VASL").pk, None, 2): Decimal("9")},
        seen=None,
        user=officer,
        reason="VASL's own Q2",
    )
    url = reverse("performance:targets_copy", kwargs={"year": 2011})
    assert lcc_client.get(url).status_code == 200
    response = lcc_client.post(
        url,
        {
            "from_year": "2010/11",
            "indicators": LOCAL,
            "change_pct": "5",
            "reason": "2011/12 targets: last year's plus 5%",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    copied = {
        (t.indicator.code, t.provider.code if t.provider else None, t.quarter): t.value
        for t in Target.objects.filter(financial_year=2011).select_related("indicator", "provider")
    }
    # Counts stay whole: 40 * 1.05 = 42, 25 * 1.05 = 26.25 -> 26, 10 -> 10.5 -> 11 (half up), 3 -> 3.15 -> 3.
    assert copied == {
        ("LOC-1", None, None): Decimal("42"),
        ("LOC-2", None, None): Decimal("26"),
        ("LOC-3", None, None): Decimal("11"),
        ("LOC-4", None, None): Decimal("13"),
        ("LOC-5", None, None): Decimal("3"),
        ("LOC-1", "VASL", 2): Decimal("9"),
    }
    entry = Target.objects.get(indicator=loc("LOC-3"), financial_year=2011).history.get()
    assert entry.history_change_reason == "2011/12 targets: last year's plus 5%"
    assert entry.history_user == officer


def test_a_copy_over_targets_already_set_is_refused_unless_replacing(officer):
    set_2010_local_targets(officer)
    targets_set(
        indicator=loc("LOC-1"),
        financial_year=2011,
        values={(None, None, None): Decimal("60")},
        seen=None,
        user=officer,
        reason="Set early",
    )
    with pytest.raises(ValidationError) as refused:
        targets_copy(
            from_year=2010,
            to_year=2011,
            indicators=[loc("LOC-1"), loc("LOC-2")],
            change_pct=Decimal("5"),
            user=officer,
            reason="Copy",
        )
    assert "LOC-1 all providers, annual already has a 2011/12 target of 60" in str(refused.value)
    assert Target.objects.filter(financial_year=2011).count() == 1  # nothing of LOC-2 either: all or nothing
    report = targets_copy(
        from_year=2010,
        to_year=2011,
        indicators=[loc("LOC-1"), loc("LOC-2")],
        change_pct=Decimal("5"),
        user=officer,
        reason="Copy",
        replace=True,
    )
    assert (report.created, report.updated) == (1, 1)
    assert Target.objects.get(indicator=loc("LOC-1"), financial_year=2011).value == Decimal("42")


def test_a_copy_with_nothing_to_copy_or_out_of_range_is_refused_naming_it(officer):
    with pytest.raises(ValidationError, match="LOC-1 has no 2010/11 targets to copy: set them first"):
        targets_copy(
            from_year=2010,
            to_year=2011,
            indicators=[loc("LOC-1")],
            change_pct=Decimal("5"),
            user=officer,
            reason="Copy",
        )
    # VAL-09's 2010/11 target is 50%: doubling it and more goes past 100%.
    with pytest.raises(
        ValidationError,
        match=r"VAL-09 all providers, annual: 50 changed by 120% is 110, which must be a percentage from 0 to 100",
    ):
        targets_copy(
            from_year=2010,
            to_year=2011,
            indicators=[Indicator.objects.get(code="VAL-09")],
            change_pct=Decimal("120"),
            user=officer,
            reason="Copy",
        )
    assert not Target.objects.filter(financial_year=2011).exists()


# --- import and export --------------------------------------------------------------------------------------


def csv_dataset(text: str) -> tablib.Dataset:
    return tablib.Dataset().load(text, format="csv")


def test_targets_export_as_csv_and_xlsx_and_import_back(lcc_client, officer):
    set_2010_local_targets(officer)
    csv = lcc_client.get(reverse("performance:targets_export", kwargs={"year": 2010, "file_format": "csv"}))
    assert csv.status_code == 200
    text = csv.content.decode()
    lines = text.strip().splitlines()
    assert lines[0] == "indicator,financial_year,quarter,provider,district,value,version"
    assert "LOC-1,2010/11,annual,,,40,1" in lines
    xlsx = lcc_client.get(reverse("performance:targets_export", kwargs={"year": 2010, "file_format": "xlsx"}))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    rows = [tuple(cell.value for cell in row) for row in sheet.iter_rows()]
    assert rows[0] == ("indicator", "financial_year", "quarter", "provider", "district", "value", "version")
    # Change the workbook: LOC-1 up to 44, a new VASL Q1 target for LOC-2, and import it.
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "LOC-1" and row[2].value == "annual" and not row[3].value:
            row[5].value = "44"
    sheet.append(["LOC-2", "2010/11", "Q1", "VASL", "", "7", ""])
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    upload = SimpleUploadedFile("targets.xlsx", buffer.getvalue())
    response = lcc_client.post(
        reverse("performance:targets_import", kwargs={"year": 2010}),
        {"file": upload, "reason": "Hubs' revised figures"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Target.objects.get(indicator=loc("LOC-1"), financial_year=2010, provider=None).value == Decimal("44")
    new = Target.objects.get(indicator=loc("LOC-2"), financial_year=2010, provider__code="VASL", quarter=1)
    assert new.value == Decimal("7") and new.history.get().history_change_reason == "Hubs' revised figures"


def test_an_import_with_problems_names_each_by_row_and_column_and_saves_nothing(officer, unchanged):
    set_2010_local_targets(officer)
    text = (
        "indicator,financial_year,quarter,provider,value,version\n"
        "LOC-1,2011/12,annual,,44,\n"  # row 2: fine on its own
        "LOC-9,2011/12,annual,,5,\n"  # row 3: no such indicator
        "LOC-2,2011-2012,Q1,,5,\n"  # row 4: the year written wrongly
        "LOC-3,2011/12,Q5,VASL,5,\n"  # row 5: no fifth quarter
        "LOC-4,2011/12,annual,NOPE,5,\n"  # row 6: no such provider
        "LOC-3,2011/12,annual,VAL,5,\n"  # row 7: fine (the CIO reports LOC-3 per district)
        "LOC-1,2011/12,annual,VASL,-2,\n"  # row 8: negative
        "LOC-5,2011/12,annual,,2.5,\n"  # row 9: a count with a fraction
        "LOC-1,2010/11,annual,,41,7\n"  # row 10: exported before someone else's change
        "LOC-1,2011/12,annual,,45,\n"  # row 11: the same target as row 2
    )
    with unchanged(), pytest.raises(TargetsImportInvalid) as refused:
        targets_import(dataset=csv_dataset(text), user=officer, reason="File from the hubs")
    problems = {(p.row, p.column) for p in refused.value.problems}
    messages = "\n".join(str(p) for p in refused.value.problems)
    assert {
        (3, "indicator"),
        (4, "financial_year"),
        (5, "quarter"),
        (6, "provider"),
        (8, "value"),
        (9, "value"),
        (10, "version"),
        (11, "indicator"),
    } <= problems, messages
    assert "Row 3, column indicator: no indicator has the code 'LOC-9'" in messages
    assert "Row 4, column financial_year: write the financial year like 2011/12, not '2011-2012'" in messages
    assert "Row 5, column quarter: write annual, Q1, Q2, Q3 or Q4, not 'Q5'" in messages
    assert "Row 6, column provider: no provider has the code 'NOPE'" in messages
    assert "Row 8, column value: LOC-1's target must be a whole number, 0 or more" in messages
    assert "Row 9, column value: LOC-5's target must be a whole number, 0 or more" in messages
    assert "Row 10, column version: this target was changed (or removed) by someone else" in messages
    assert "Row 11, column indicator: the same target as row 2: give it once" in messages
    assert not Target.objects.filter(financial_year=2011).exists()


def test_an_import_missing_a_column_says_which(officer):
    with pytest.raises(TargetsImportInvalid, match="Row 1, column value: this column is missing from the first row"):
        targets_import(
            dataset=csv_dataset("indicator,financial_year,quarter,provider\nLOC-1,2011/12,annual,\n"),
            user=officer,
            reason="File",
        )


def test_the_import_page_lists_the_problems(lcc_client, unchanged):
    upload = SimpleUploadedFile(
        "targets.csv", b"indicator,financial_year,quarter,provider,value\nLOC-1,2011/12,annual,,lots\n"
    )
    with unchanged():
        response = lcc_client.post(
            reverse("performance:targets_import", kwargs={"year": 2011}), {"file": upload, "reason": "File"}
        )
    assert response.status_code == 400
    assert "Row 2, column value: write the target as a number, not &#x27;lots&#x27;" in response.content.decode()


# --- a target changed after returns were submitted --------------------------------------------------------


def submitted_hub_return(officer, year=2011):
    """VASL's return for the year's Q1, filled in and submitted."""
    report = period_open(financial_year=year, quarter=1, due_on=datetime.date(year, 7, 15), user=officer)
    return_obj = Return.objects.get(provider__code="VASL", period=report.period)
    Result.objects.filter(return_obj=return_obj).update(rag="green", actual=50, narrative="A good quarter.")
    return return_submit(return_obj=return_obj, user=User.objects.get(username="vasl.hub"))


def test_a_target_changed_after_submission_is_recorded_and_shown_beside_the_rating(officer, lcc_client, hub_client):
    targets_set(
        indicator=loc(),
        financial_year=2011,
        values={(None, None, None): Decimal("42")},
        seen=None,
        user=officer,
        reason="Set",
    )
    return_obj = submitted_hub_return(officer)
    assert targets_for(provider=return_obj.provider, period=return_obj.period)[loc().pk].value == Decimal("42")
    # A change that touches no submitted rating (another provider's own target) is not a late change.
    targets_set(
        indicator=loc(),
        financial_year=2011,
        values={(provider("VAC").pk, None, None): Decimal("30")},
        seen=None,
        user=officer,
        reason="VAC's own",
    )
    assert not LateTargetChange.objects.exists()
    targets_set(
        indicator=loc(),
        financial_year=2011,
        values={(None, None, None): Decimal("55")},
        seen=None,
        user=officer,
        reason="Raised after the county review",
    )
    late = LateTargetChange.objects.get()
    assert (late.value_before, late.value_after, late.reason) == (
        Decimal("42"),
        Decimal("55"),
        "Raised after the county review",
    )
    assert list(late.returns.all()) == [return_obj]
    for client in (lcc_client, hub_client):
        html = client.get(reverse("performance:return", args=[return_obj.pk])).content.decode()
        assert "Target changed after submission:" in html and "from 42 to 55" in html
    providers = lcc_client.get(reverse("performance:dashboard_providers"), {"period": "2011-12-q1"}).content.decode()
    assert "Ratings given against a target changed since (1)" in providers


# --- publishing a year ----------------------------------------------------------------------------------------


def test_a_published_year_lists_every_change_since(officer, lcc_client, funder_client, hub_client):
    set_2010_local_targets(officer)
    targets_copy(
        from_year=2010,
        to_year=2011,
        indicators=[loc(c) for c in LOCAL],
        change_pct=Decimal("5"),
        user=officer,
        reason="Copy",
    )
    response = lcc_client.post(
        reverse("performance:framework_publish", kwargs={"year": 2011}),
        {"reason": "Agreed by the funders", "confirmed": "yes"},
    )
    assert response.status_code == 302
    with pytest.raises(ValidationError, match="was published on"):
        framework_publish(financial_year=2011, user=officer, reason="Again")
    targets_set(
        indicator=loc("LOC-2"),
        financial_year=2011,
        values={(None, None, None): Decimal("30")},
        seen=None,
        user=officer,
        reason="Hubs asked for more",
    )
    indicator = loc("LOC-5")
    indicator.wording = "Number of new groups supported to start up in the locality this quarter"
    indicator_save(indicator=indicator, user=officer, reason="Clearer wording")
    indicator = loc("LOC-4")
    indicator.retired_from = 2011
    indicator_save(indicator=indicator, user=officer, reason="Merged into LOC-5")
    kinds = {(c.kind, c.indicator.code) for c in FrameworkChange.objects.all()}
    assert kinds == {
        (FrameworkChange.Kind.TARGET_CHANGED, "LOC-2"),
        (FrameworkChange.Kind.INDICATOR_CHANGED, "LOC-5"),
        (FrameworkChange.Kind.INDICATOR_RETIRED, "LOC-4"),
    }
    for client in (lcc_client, funder_client, hub_client):
        page = client.get(reverse("performance:framework_changes", kwargs={"year": 2011}))
        html = page.content.decode()
        assert page.status_code == 200
        assert "Changes since publication (3)" in html
        assert "Hubs asked for more" in html and "Merged into LOC-5" in html and "Clearer wording" in html
    # A retired indicator leaves the year's returns.
    report = period_open(financial_year=2011, quarter=1, due_on=datetime.date(2011, 7, 15), user=officer)
    codes = set(
        Result.objects.filter(return_obj__period=report.period, return_obj__provider__code="VASL").values_list(
            "indicator__code", flat=True
        )
    )
    assert codes == {"LOC-1", "LOC-2", "LOC-3", "LOC-5"}


def test_the_fingerprint_moves_with_every_change(officer):
    before = target_set_fingerprint(loc(), 2011)
    targets_set(
        indicator=loc(),
        financial_year=2011,
        values={(None, None, 1): Decimal("5")},
        seen=before,
        user=officer,
        reason="Q1",
    )
    assert target_set_fingerprint(loc(), 2011) != before
