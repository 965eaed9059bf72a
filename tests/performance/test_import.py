"""The CSV import: a good file reproduces exactly the rows it names; any bad line changes nothing and is
named by line and column; the command exits 1; LCC's upload page does the same."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from performance.models import Result, Return
from performance.services import period_lock

pytestmark = pytest.mark.django_db

HEADER = "period,provider,indicator,district,rag,actual,target,reason,narrative\n"
GOOD = HEADER + (
    '2010/11 Q3,VASL,LOC-1,,green,40,,,"Busy quarter, many enquiries"\n'
    "2010/11 Q3,VASL,LOC-2,,not_reported,,,not_yet_available,\n"
    "2010/11 Q3,VAL,VAL-02,,,45,,,Survey of 120 groups\n"
    "2010/11 Q3,VAL,VAL-09,,green,40,,Survey sample was small,Reps survey\n"
    "2010/11 Q3,VAL,LOC-1,blaby,amber,12,,,Blaby enquiries\n"
    "2010/11 Q3,VAL,LOC-4,melton,,8,10,,Melton groups\n"
)


def snapshot():
    """Every result and return as it stands, with the history tables' sizes: 'unchanged' means all equal."""
    return (
        list(Result.objects.order_by("pk").values()),
        list(Return.objects.order_by("pk").values()),
        Result.history.count(),
        Return.history.count(),
    )


def run(tmp_path, text: str | bytes, *args):
    path = tmp_path / "returns.csv"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    try:
        call_command("import_returns", str(path), *args)
    except SystemExit as exit_:
        return exit_.code
    return 0


def test_a_good_file_reproduces_exactly_the_rows_it_names(tmp_path, capsys):
    untouched = list(
        Result.objects.exclude(indicator__code__in=["LOC-1", "LOC-2", "VAL-02", "VAL-09", "LOC-4"]).values()
    )
    assert run(tmp_path, GOOD) == 0
    out = capsys.readouterr().out
    assert "0 results were created and 6 updated" in out

    def row(provider, code, district=None):
        return Result.objects.get(
            return_obj__provider__code=provider,
            return_obj__period__financial_year=2010,
            return_obj__period__quarter=3,
            indicator__code=code,
            district__slug=district,
        )

    loc1 = row("VASL", "LOC-1")
    assert (loc1.rag, loc1.actual, loc1.narrative) == ("green", Decimal("40"), "Busy quarter, many enquiries")
    loc2 = row("VASL", "LOC-2")
    assert (loc2.rag, loc2.not_reported_reason, loc2.actual) == ("not_reported", "not_yet_available", None)
    val02 = row("VAL", "VAL-02")
    assert (val02.rag, val02.computed_rag, val02.target) == ("amber", "amber", Decimal("50"))
    val09 = row("VAL", "VAL-09")
    assert (val09.rag, val09.computed_rag, val09.rag_override_reason) == ("green", "red", "Survey sample was small")
    blaby = row("VAL", "LOC-1", "blaby")
    assert (blaby.rag, blaby.actual, blaby.target) == ("amber", Decimal("12"), None)
    melton = row("VAL", "LOC-4", "melton")  # a target given in the file is this result's target
    assert (melton.rag, melton.computed_rag, melton.target) == ("red", "red", Decimal("10"))
    assert Result.history.filter(history_change_reason="CSV import").count() == 6
    # Every row the file does not name is exactly as it was.
    assert list(Result.objects.filter(pk__in=[r["id"] for r in untouched]).order_by("pk").values()) == sorted(
        untouched, key=lambda r: r["id"]
    )
    assert run(tmp_path, GOOD) == 0  # the same file again changes nothing
    assert "0 results were created and 0 updated (6 unchanged)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (b"", "line 1, column period: the file is empty"),
        ("period,provider,indicator,district,rag,actual,target,reason\n", "line 1, column narrative: the header"),
        (
            "Period,provider,indicator,district,rag,actual,target,reason,narrative\n",
            "line 1, column Period: the header",
        ),
        (HEADER + "2010/11 Q3,XYZ,LOC-1,,green,1,,,x\n", "line 2, column provider: unknown provider code “XYZ”"),
        (HEADER + "2010/11 Q3,VASL,LOC-9,,green,1,,,x\n", "line 2, column indicator: unknown indicator code “LOC-9”"),
        (HEADER + "2010/11 Q5,VASL,LOC-1,,green,1,,,x\n", "line 2, column period: “2010/11 Q5” is not a period"),
        (HEADER + "2010/11 Q4,VASL,LOC-1,,green,1,,,x\n", "line 2, column period: VASL has no return for 2010/11 Q4"),
        (
            HEADER + "2010/11 Q3,VASL,LOC-1,,green,1,,,x\n2010/11 Q3,VASL,LOC-2,,green,ten,,,x\n",
            "line 3, column actual: “ten” is not a number",
        ),
        (HEADER + "2010/11 Q3,VASL,LOC-1,,green,1,1.234,,x\n", "line 2, column target: “1.234” is not a usable number"),
        (
            HEADER + "2010/11 Q3,VASL,LOC-1,,green,1,,,x\n2010/11 Q3,VASL,LOC-1,,green,2,,,y\n",
            "line 3, column indicator: duplicate row: line 2 already gives VASL 2010/11 Q3 LOC-1",
        ),
        (HEADER + "2010/11 Q3,VASL,LOC-1,,purple,1,,,x\n", "line 2, column rag: “purple” is not a rating"),
        (HEADER + "2010/11 Q3,VASL,LOC-1,harborough,green,1,,,x\n", "line 2, column indicator: VASL does not report"),
        (HEADER + "2010/11 Q3,VASL,VAL-01,,green,1,,,x\n", "line 2, column indicator: VASL does not report VAL-01"),
        (
            HEADER + "2010/11 Q3,VASL,LOC-1,,not_reported,,,,\n",
            "line 2, column reason: LOC-1 volunteer enquiries: say why",
        ),
        (HEADER + "2010/11 Q3,VAL,VAL-02,,green,40,,,x\n", "line 2, column reason: VAL-02 % groups well informed"),
        (HEADER + "2010/11 Q2,VASL,LOC-1,,green,1,,,x\n", "line 2, column provider: VASL 2010/11 Q2 is signed off"),
        (HEADER + "2010/11 Q3,VASL,LOC-1,,green,1,,x\n", "line 2, column narrative: expected 9 columns, found 8"),
        (
            HEADER.encode() + "2010/11 Q3,VASL,LOC-1,,green,1,,,Caf\u00e9\n".encode("latin-1"),
            "line 2, column narrative: the file is not UTF-8",
        ),
    ],
    ids=[
        "empty",
        "short header",
        "wrong header",
        "unknown provider",
        "unknown indicator",
        "bad period",
        "period not open",
        "bad number",
        "too many decimals",
        "duplicate row",
        "bad rag",
        "district not owed",
        "indicator not owed",
        "not reported without reason",
        "override without reason",
        "signed off",
        "missing column",
        "not utf-8",
    ],
)
def test_a_bad_file_changes_nothing_and_names_the_line_and_column(tmp_path, capsys, text, expected):
    before = snapshot()
    assert run(tmp_path, text) == 1
    err = capsys.readouterr().err
    assert expected in err, err
    assert "nothing was saved" in err
    assert snapshot() == before


def test_a_locked_return_is_refused(tmp_path, capsys):
    period = Return.objects.get(provider__code="VASL", period__financial_year=2010, period__quarter=3).period
    period_lock(period=period)
    before = snapshot()
    assert run(tmp_path, HEADER + "2010/11 Q3,VASL,LOC-1,,green,1,,,x\n") == 1
    assert "line 2, column period: VASL 2010/11 Q3 is locked" in capsys.readouterr().err
    assert snapshot() == before


def test_every_problem_is_listed_not_just_the_first(tmp_path, capsys):
    text = HEADER + "2010/11 Q3,XYZ,LOC-1,,green,1,,,x\n2010/11 Q3,VASL,LOC-2,,green,abc,,,x\n"
    assert run(tmp_path, text) == 1
    err = capsys.readouterr().err
    assert "line 2, column provider" in err and "line 3, column actual" in err


def test_dry_run_counts_but_saves_nothing(tmp_path, capsys):
    before = snapshot()
    assert run(tmp_path, GOOD, "--dry-run") == 0
    assert "6 updated" in capsys.readouterr().out
    assert snapshot() == before


def test_submit_goes_through_the_submit_service_and_an_incomplete_return_refuses_the_whole_file(tmp_path, capsys):
    before = snapshot()
    assert run(tmp_path, GOOD, "--submit") == 1  # VASL's LOC-3..5 and most of VAL's rows are empty
    err = capsys.readouterr().err
    assert "VASL 2010/11 Q3 cannot be submitted: LOC-3" in err
    assert snapshot() == before

    rows = "".join(f"2010/11 Q3,VASL,LOC-{n},,green,{n},,,Quarter {n} narrative\n" for n in range(1, 6))
    assert run(tmp_path, HEADER + rows, "--submit") == 0
    assert "Submitted: VASL 2010/11 Q3" in capsys.readouterr().out
    submitted = Return.objects.get(provider__code="VASL", period__financial_year=2010, period__quarter=3)
    assert submitted.status == Return.Status.SUBMITTED
    assert submitted.history.filter(history_change_reason="Submitted").exists()


def _upload(client, text: bytes, name="returns.csv", content_type="text/csv", **extra):
    upload = SimpleUploadedFile(name, text, content_type=content_type)
    return client.post(reverse("performance:import"), {"file": upload, **extra})


def test_the_upload_page_imports_for_lcc_and_lists_problems(lcc_client):
    assert lcc_client.get(reverse("performance:import")).status_code == 200
    response = _upload(lcc_client, GOOD.encode())
    assert response.status_code == 200
    assert "0 results were created and 6 updated" in response.content.decode()
    assert Result.history.filter(history_change_reason="CSV import", history_user__username="lcc.officer").count() == 6

    before = snapshot()
    response = _upload(lcc_client, (HEADER + "2010/11 Q3,VASL,LOC-1,,green,x,,,x\n").encode())
    assert response.status_code == 400
    assert "line 2, column actual: “x” is not a number" in response.content.decode()
    assert snapshot() == before


def test_the_upload_page_refuses_the_wrong_type_and_too_big_a_file(lcc_client):
    response = _upload(lcc_client, GOOD.encode(), name="returns.xlsx", content_type="application/octet-stream")
    assert response.status_code == 400
    assert "The file must be a CSV file" in response.content.decode()
    with override_settings(RETURN_IMPORT_MAX_BYTES=100):
        response = _upload(lcc_client, GOOD.encode())
    assert response.status_code == 400
    assert "The file must be smaller than 100" in response.content.decode()


def test_only_lcc_may_upload(hub_client, val_client, funder_client):
    for client in (hub_client, val_client, funder_client):
        assert client.get(reverse("performance:import")).status_code == 403
        assert _upload(client, GOOD.encode()).status_code == 403


def test_the_template_holds_the_header_and_the_open_periods_rows_for_the_chosen_providers(lcc_client):
    """The import page offers a template: fill it in and upload it."""
    url = reverse("performance:import_template")
    page = lcc_client.get(reverse("performance:import")).content.decode()
    assert url in page and "Download a template for 2010/11 Q3" in page
    response = lcc_client.get(url, {"provider": ["VASL", "LUTLRC"]})
    assert response["Content-Disposition"] == 'attachment; filename="returns-2010-11-q3.csv"'
    lines = response.content.decode().splitlines()
    assert lines[0] + "\n" == HEADER
    assert len(lines) == 1 + 5 + 2
    assert lines[1].startswith("2010/11 Q3,LUTLRC,LOC-1,")
    everyone = lcc_client.get(url).content.decode().splitlines()
    assert len(everyone) == 1 + 30 + 35 + 7 * 5 + 3 * 2


def test_the_template_is_for_those_who_import(hub_client):
    assert hub_client.get(reverse("performance:import_template")).status_code == 403
