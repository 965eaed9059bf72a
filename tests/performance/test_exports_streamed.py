"""The big result exports read straight from the database (``ResultTable.export_fields``) and write exactly
what django-tables2's cell-by-cell rendering of the same table writes, in a constant number of queries."""

import csv
import io
from decimal import Decimal

import django_tables2 as tables
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.http import HttpResponse, StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from performance import dashboard
from performance.exports import ExportField, header_row, rendered_rows, table_rows
from performance.filters import DashboardFilterSet
from performance.models import Indicator, Result
from performance.tables import ResultTable
from performance.views.dashboard import DashboardTables

pytestmark = pytest.mark.django_db
PERIOD = {"period": "2010-11-q2"}
HOSTILE = ["=SUM(A1:A9)", "+44 116 000", "-2 since Q3", "@cmd", "\tindented", "\rreturn", 'a "quoted", line\nbreak']
#: (rag, not reported reason, actual, target, validation): every RAG value, None figures, Decimals.
MIXES = [
    ("red", "", Decimal("1234.56"), Decimal("2000.00"), "validated"),
    ("amber", "", Decimal("-3.50"), None, "challenged"),
    ("green", "", Decimal("0.00"), Decimal("0.05"), "self_rated"),
    ("not_reported", "no_target", None, None, "self_rated"),
    ("", "", None, Decimal("12.00"), "validated"),
]


def results_table(username: str, query=PERIOD) -> ResultTable:
    """The table the dashboard's results export writes for this user and query."""
    user = get_user_model().objects.get(username=username)
    filters = DashboardFilterSet(query, user=user).dashboard_filters()
    return DashboardTables(filters, user).build("results")


def make_awkward(results) -> None:
    """Give the first results every RAG value, None and Decimal figures and narrative a spreadsheet would run."""
    pks = list(results.values_list("pk", flat=True)[: max(len(HOSTILE), len(MIXES))])
    for n, pk in enumerate(pks):
        rag, reason, actual, target, validation = MIXES[n % len(MIXES)]
        Result.objects.filter(pk=pk).update(
            rag=rag,
            not_reported_reason=reason,
            actual=actual,
            target=target,
            validation=validation,
            narrative=HOSTILE[n % len(HOSTILE)],
        )


def reference_rows(table) -> list[list]:
    """The table as django-tables2 renders it cell by cell (the path every table can take)."""
    return [header_row(table), *rendered_rows(table)]


def reference_csv(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(row)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_values(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def reference_xlsx(rows) -> list[list]:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="reference")
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return xlsx_values(buffer.getvalue())


def dashboard_export(client, file_format, query=PERIOD):
    url = reverse("performance:dashboard_export", kwargs={"table": "results", "file_format": file_format})
    return client.get(url, query)


def indicator_export(client, code, file_format):
    return client.get(reverse("performance:indicator_export", kwargs={"code": code, "file_format": file_format}))


def test_the_results_table_is_read_from_the_database_with_the_rendered_values():
    table = results_table("lcc.officer")
    make_awkward(table.data.data)
    fast = list(table_rows(table))
    reference = reference_rows(results_table("lcc.officer"))
    assert len(fast) > 50
    assert fast == reference
    assert {type(value) for row in fast[1:] for value in row[5:7]} == {str, Decimal}  # "" for None, else Decimal
    cells = {value for row in fast for value in row}
    assert {"Red", "Amber", "Green", "Not reported", "Not rated"} <= cells
    assert {"Self-rated", "Validated", "Challenged", "2010/11 Q2"} <= cells
    assert {"'" + text for text in HOSTILE[:6]} <= cells
    assert HOSTILE[6] in cells  # text not starting like a formula is left alone


def test_the_database_path_reads_only_the_exported_columns_in_one_query():
    table = results_table("lcc.officer")
    with CaptureQueriesContext(connection) as queries:
        rows = list(table_rows(table))
    assert len(rows) > 50
    assert len(queries) == 1
    sql = queries[0]["sql"]
    assert "narrative" in sql and "computed_rag" not in sql and "evidence_url" not in sql


def test_the_csv_export_streams_what_django_tables2_renders(lcc_client):
    make_awkward(results_table("lcc.officer").data.data)
    response = dashboard_export(lcc_client, "csv")
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="results-2010-11-q2.csv"'
    body = b"".join(response.streaming_content)
    assert body == reference_csv(reference_rows(results_table("lcc.officer")))
    assert b"'=SUM(A1:A9)" in body and b"'\tindented" in b"".join(body.split(b'"'))


def test_the_xlsx_export_holds_what_django_tables2_renders(lcc_client):
    make_awkward(results_table("lcc.officer").data.data)
    response = dashboard_export(lcc_client, "xlsx")
    assert response.status_code == 200
    exported = xlsx_values(response.content)
    assert exported == reference_xlsx(reference_rows(results_table("lcc.officer")))
    assert any(isinstance(value, float) for row in exported[1:] for value in row[5:7])  # numbers stay numbers


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("code", ["LOC-1", "VAL-01"])
def test_the_indicator_history_export_writes_what_django_tables2_renders(funder_client, code, file_format):
    indicator = Indicator.objects.get(code=code)
    make_awkward(dashboard.indicator_history(indicator, None))
    response = indicator_export(funder_client, code, file_format)
    assert response.status_code == 200
    reference = reference_rows(ResultTable(dashboard.indicator_history(indicator, None)))
    assert len(reference) > 2
    if code == "VAL-01":
        assert [row[0] for row in reference[1:]] == ["2009/10 Q3", "2010/11 Q2"]  # oldest period first
    if file_format == "csv":
        assert isinstance(response, StreamingHttpResponse)
        assert b"".join(response.streaming_content) == reference_csv(reference)
    else:
        assert isinstance(response, HttpResponse)
        assert xlsx_values(response.content) == reference_xlsx(reference)


def export_queries(client, get) -> tuple[int, int]:
    """(queries, lines) of an export request, its streamed body read inside the count."""
    with CaptureQueriesContext(connection) as queries:
        response = get(client)
        lines = b"".join(response.streaming_content).count(b"\r\n")
    return len(queries), lines


def test_an_indicator_export_takes_the_same_queries_however_many_rows(funder_client):
    export_queries(funder_client, lambda c: indicator_export(c, "VAL-28", "csv"))  # session and user warmed
    small = export_queries(funder_client, lambda c: indicator_export(c, "VAL-28", "csv"))
    big = export_queries(funder_client, lambda c: indicator_export(c, "LOC-1", "csv"))
    assert big[1] > small[1] + 5
    # session, user, the indicator, then the one query that streams every row
    assert small[0] == big[0] == 4


def test_a_results_export_takes_the_same_queries_however_many_rows(lcc_client, django_assert_num_queries):
    export_queries(lcc_client, lambda c: dashboard_export(c, "csv"))
    one_kind = export_queries(lcc_client, lambda c: dashboard_export(c, "csv", {**PERIOD, "provider_kind": "cio"}))
    every_kind = export_queries(lcc_client, lambda c: dashboard_export(c, "csv"))
    assert every_kind[1] > 2 * one_kind[1]
    # session, user, the session's two-factor device (an LCC officer's), two for the periods, one for every row
    assert one_kind[0] == every_kind[0] == 6
    with django_assert_num_queries(every_kind[0]):
        body = b"".join(dashboard_export(lcc_client, "csv").streaming_content)
    assert body.count(b"\r\n") == every_kind[1]


def test_a_table_that_does_not_declare_a_shown_column_is_rendered_cell_by_cell():
    class WithReturnStatus(ResultTable):
        status = tables.Column(accessor="return_obj__status", orderable=False)

    table = WithReturnStatus(results_table("lcc.officer").data.data)
    with CaptureQueriesContext(connection) as queries:
        rows = list(table_rows(table))
    assert rows[0][-1] == "Status"
    assert {row[-1] for row in rows[1:]} <= {"Accepted", "Signed off"}
    assert "computed_rag" in queries[0]["sql"]  # whole model instances, as django-tables2 needs


def test_an_export_field_of_several_database_fields_needs_a_conversion():
    with pytest.raises(ValueError, match="conversion"):
        ExportField("return_obj__period__financial_year", "return_obj__period__quarter")


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_peer_reviewers_may_not_export_results_or_histories(peer_client, file_format):
    assert dashboard_export(peer_client, file_format).status_code == 403
    assert indicator_export(peer_client, "LOC-1", file_format).status_code == 403


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_anonymous_exports_go_to_the_login_page(client, file_format):
    for response in (dashboard_export(client, file_format), indicator_export(client, "LOC-1", file_format)):
        assert response.status_code == 302
        assert "login" in response["Location"]


def test_a_hubs_results_export_holds_only_counted_results_it_may_see(hub_client):
    rows = list(csv.reader(io.StringIO(b"".join(dashboard_export(hub_client, "csv").streaming_content).decode())))
    expected = reference_rows(results_table("vasl.hub"))
    assert [row for row in rows[1:]] == [[str(v) for v in row] for row in expected[1:]]
