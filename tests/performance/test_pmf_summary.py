"""``pmf_summary`` prints the dashboard's figures from the same selectors, in the issue's JSON shape."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from performance.models import Result

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("pmf_summary", *args, stdout=out)
    return out.getvalue()


def test_hubs_and_lrcs_in_2010_11_q2_print_table_three():
    summary = json.loads(run("--period", "2010/11 Q2", "--provider-kind", "hub,lrc"))
    assert summary["period"] == "2010/11 Q2"
    assert summary["indicators"] == 41
    assert summary["totals"] == {"red": 0, "amber": 2, "green": 26, "not_reported": 13}
    assert "change" not in summary
    providers = {p["code"]: p for p in summary["providers"]}
    assert providers["VASL"] == {"code": "VASL", "kind": "hub", "red": 0, "amber": 0, "green": 5, "not_reported": 0}
    assert providers["MRCCA"] == {"code": "MRCCA", "kind": "hub", "red": 0, "amber": 1, "green": 4, "not_reported": 0}
    assert providers["VAM"] == {"code": "VAM", "kind": "hub", "red": 0, "amber": 1, "green": 2, "not_reported": 2}
    assert providers["CDLRC"] == {"code": "CDLRC", "kind": "lrc", "red": 0, "amber": 0, "green": 0, "not_reported": 2}
    assert {
        code: (p["green"], p["not_reported"]) for code, p in providers.items() if code in ("OWCA", "VAC", "VAHB")
    } == {
        "OWCA": (2, 3),
        "VAC": (2, 3),
        "VAHB": (2, 3),
    }
    assert len(providers) == 10


def test_val_change_since_2009_10_q3():
    summary = json.loads(run("--period", "2010/11 Q2", "--provider-kind", "cio", "--compare-to", "2009/10 Q3"))
    change = summary["change"]
    assert change["compare_to"] == "2009/10 Q3"
    assert change["declined"] == 1
    assert change["declined_indicators"] == ["VAL-28"]
    assert change["improved"] + change["steady"] == 29
    assert set(change) >= {
        "improved",
        "steady",
        "declined",
        "declined_indicators",
        "newly_reported",
        "no_longer_reported",
    }


def test_the_command_and_the_page_agree(funder_client):
    query = {"period": "2010-11-q2", "compare_to": "2009-10-q3", "provider_kind": ["cio", "hub"]}
    page = funder_client.get(reverse("performance:dashboard"), query)
    summary = json.loads(run("--period", "2010/11 Q2", "--provider-kind", "cio,hub", "--compare-to", "2009/10 Q3"))
    headline = page.context["headline"]
    assert summary["totals"] == {key: headline[key] for key in ("red", "amber", "green", "not_reported")}
    assert summary["indicators"] == headline["total"]
    change = funder_client.get(reverse("performance:dashboard_change"), query).context["change"]
    assert {k: summary["change"][k] for k in change} == change


def test_csv_format():
    rows = list(csv.reader(io.StringIO(run("--period", "2010/11 Q2", "--provider-kind", "lrc", "--format", "csv"))))
    assert rows[0] == ["period", "code", "kind", "red", "amber", "green", "not_reported"]
    assert ["2010/11 Q2", "LUTLRC", "lrc", "0", "0", "2", "0"] in rows
    assert rows[-1] == ["2010/11 Q2", "TOTAL", "", "0", "0", "4", "2"]


def test_drafts_count_only_when_asked():
    Result.objects.filter(return_obj__provider__code="VASL", return_obj__period__quarter=3).update(rag="green")
    without = json.loads(run("--period", "2010/11 Q3", "--provider-kind", "hub"))
    assert without["indicators"] == 0
    with_drafts = json.loads(run("--period", "2010/11 Q3", "--provider-kind", "hub", "--include-drafts"))
    assert with_drafts["totals"]["green"] == 5
    assert with_drafts["indicators"] == 35


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2010/11 Q9"], "--period: “2010/11 Q9” is not a reporting period: write it like 2010/11 Q2"),
        (["--period", "2015/16 Q1"], "--period: There is no reporting period 2015/16 Q1"),
        (
            ["--period", "2010/11 Q2", "--compare-to", "last year"],
            "--compare-to: “last year” is not a reporting period",
        ),
        (["--period", "2009/10 Q3", "--compare-to", "2010/11 Q2"], "--compare-to: Choose a period before 2009/10 Q3"),
        (
            ["--period", "2010/11 Q2", "--provider-kind", "hub,school"],
            "--provider-kind: school is not a kind of provider",
        ),
    ],
)
def test_bad_options_are_named(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
