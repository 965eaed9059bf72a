"""CSV and XLSX exports hold the page's figures, and text a spreadsheet would run is made inert."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from performance.exports import neutralise
from performance.models import Result

pytestmark = pytest.mark.django_db
QUERY = {"period": "2010-11-q2", "provider_kind": ["hub", "lrc"]}


def export(client, table, file_format, query=QUERY):
    url = reverse("performance:dashboard_export", kwargs={"table": table, "file_format": file_format})
    response = client.get(url, query)
    assert response.status_code == 200, response.status_code
    if file_format == "csv":
        body = b"".join(response.streaming_content).decode("utf-8-sig")
        return list(csv.reader(io.StringIO(body)))
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_by_provider_export_matches_the_page(funder_client, file_format):
    page = funder_client.get(reverse("performance:dashboard_providers"), QUERY)
    on_page = {p.code: [p.red, p.amber, p.green, p.not_reported] for p in page.context["provider_table"].data}
    rows = export(funder_client, "by-provider", file_format)
    header = rows[0]
    assert header[:8] == ["Provider", "Code", "Kind", "Red", "Amber", "Green", "Not reported", "Indicators"]
    exported = {row[1]: [int(v) for v in row[3:7]] for row in rows[1:]}
    assert exported == on_page
    assert exported["MRCCA"] == [0, 1, 4, 0]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_by_kind_export_has_the_reviews_percentages(funder_client, file_format):
    rows = export(funder_client, "by-kind", file_format, {"period": "2010-11-q2"})
    assert rows[0][0] == "Kind of provider"
    hub = next(row for row in rows if row[0] == "Community hub")
    assert [int(v) for v in hub[1:]] == [0, 0, 2, 6, 22, 63, 11, 31, 35]  # 2 amber, 22 green, 11 not reported of 35


def test_xlsx_keeps_numbers_as_numbers(funder_client):
    rows = export(funder_client, "by-provider", "xlsx")
    assert isinstance(rows[1][5], int)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_narrative_starting_with_equals_exports_inert(funder_client, file_format):
    Result.objects.filter(
        return_obj__provider__code="VASL", return_obj__period__quarter=2, indicator__code="LOC-1"
    ).update(narrative='=HYPERLINK("http://evil.example","click")')
    rows = export(funder_client, "results", file_format)
    narrative_column = rows[0].index("Narrative")
    cells = [
        row[narrative_column] for row in rows[1:] if row[narrative_column] and "HYPERLINK" in row[narrative_column]
    ]
    assert cells == ['\'=HYPERLINK("http://evil.example","click")']


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_every_formula_start_is_neutralised(text):
    assert neutralise(text) == "'" + text


def test_plain_text_and_numbers_are_left_alone():
    assert neutralise("Volunteers placed") == "Volunteers placed"
    assert neutralise(-1) == -1


def test_indicator_history_export_neutralises_narrative(funder_client):
    Result.objects.filter(return_obj__provider__code="VAL", indicator__code="VAL-28").update(narrative="-2 since Q3")
    response = funder_client.get(
        reverse("performance:indicator_export", kwargs={"code": "VAL-28", "file_format": "csv"})
    )
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'-2 since Q3" in body
    assert "Amber" in body and "Green" in body


@pytest.mark.parametrize(
    "table",
    [
        "by-kind",
        "by-provider",
        "by-strand",
        "by-priority",
        "over-time",
        "change",
        "completeness",
        "localities",
        "results",
    ],
)
def test_every_table_exports_in_both_formats(lcc_client, table):
    for file_format in ("csv", "xlsx"):
        rows = export(lcc_client, table, file_format, {"period": "2010-11-q2"})
        assert len(rows) >= 2


def test_peer_reviewers_may_not_export(peer_client):
    url = reverse("performance:dashboard_export", kwargs={"table": "by-provider", "file_format": "csv"})
    assert peer_client.get(url).status_code == 403
    for section in ("dashboard", "dashboard_providers", "dashboard_change", "dashboard_localities"):
        page = peer_client.get(reverse(f"performance:{section}"))
        assert page.status_code == 200
        assert "Download this table" not in page.content.decode()


def test_an_unknown_table_is_not_found(funder_client):
    url = reverse("performance:dashboard_export", kwargs={"table": "salaries", "file_format": "csv"})
    assert funder_client.get(url).status_code == 404


def test_hub_exports_never_hold_another_providers_draft(hub_client):
    Result.objects.filter(return_obj__provider__code="VAC", return_obj__period__quarter=3).update(rag="green")
    rows = export(hub_client, "results", "csv", {"period": "2010-11-q3", "include_drafts": "true"})
    assert rows[1:] == []
