"""CSV and XLSX exports of the dashboard's tables: the same table objects the page renders, written out.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) as a
formula, so such text is neutralised with a leading single quote; numbers stay numbers. CSV is streamed
row by row; XLSX is written with openpyxl's write-only workbook so a big table stays small in memory.
"""

import csv
import datetime
import io
from collections.abc import Iterator
from decimal import Decimal

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django_tables2 import Column
from django_tables2.rows import BoundRow
from django_tables2.utils import signature
from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")
#: Rows read from the database at a time: a table of a million results is never held in memory at once.
CHUNK_ROWS = 2000
#: CSV lines sent to the client at a time.
CSV_BATCH_ROWS = 500


def neutralise(value):
    """Text a spreadsheet would run as a formula gets a leading quote; everything else is returned as is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float | Decimal | datetime.date):
        return value
    return neutralise(str(value))


_SIGNATURES: dict = {}


def _call_with_appropriate(fn, kwargs: dict):
    """django_tables2.utils.call_with_appropriate, with each function's signature read once rather than for
    every cell (reading it was half the time of a big export)."""
    key = getattr(fn, "__func__", fn)
    if key not in _SIGNATURES:
        _SIGNATURES[key] = signature(fn)
    args, catch_all = _SIGNATURES[key]
    if not catch_all:
        kwargs = {key: kwargs[key] for key in kwargs if key in args}
        if any(arg not in kwargs for arg in args):
            return None
    return fn(**kwargs)


class _ExportRow(BoundRow):
    """A table row whose export values are computed as django-tables2 does, with signatures cached."""

    def _call_value(self, bound_column, value=None):
        fn = bound_column.value
        if getattr(fn, "__func__", None) is Column.value:
            fn = bound_column.column.render  # what Column.value calls, with the same arguments
        return _call_with_appropriate(fn, self._optional_cell_arguments(bound_column, value))


def _records(table) -> Iterator:
    """The table's records in its order; a queryset is read in chunks (a server-side cursor on PostgreSQL)
    rather than all at once, as iterating ``table.rows`` would cache every row."""
    queryset = getattr(table.data, "data", None)
    if isinstance(queryset, QuerySet):
        return queryset.iterator(chunk_size=CHUNK_ROWS)
    return iter(table.data)


def table_rows(table) -> Iterator[list]:
    """The header row, then each row's export values (``value_<column>`` where the page shows HTML)."""
    columns = list(table.columns)
    yield [neutralise(str(column.header)) for column in columns]
    for record in _records(table):
        row = _ExportRow(record, table=table)
        yield [_cell(row.get_cell_value(column.name)) for column in columns]


class _Echo:
    """A file-like object that hands back what csv.writer writes, so rows can be streamed."""

    def write(self, value):
        return value


def csv_response(table, filename: str) -> StreamingHttpResponse:
    """The table as a streamed CSV file (UTF-8 with a byte-order mark, so Excel reads £ correctly)."""
    writer = csv.writer(_Echo())

    def lines():
        # Rows go out in batches: one chunk per row makes the server's per-chunk work dominate big exports.
        batch = ["\ufeff"]
        for row in table_rows(table):
            batch.append(writer.writerow(row))
            if len(batch) >= CSV_BATCH_ROWS:
                yield "".join(batch)
                batch = []
        if batch:
            yield "".join(batch)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(table, filename: str, sheet_title: str = "") -> HttpResponse:
    """The table as an XLSX workbook of one sheet."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=(sheet_title or filename)[:31])
    for row in table_rows(table):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def table_response(table, filename: str, file_format: str):
    """The table in the format asked for (``csv`` or ``xlsx``)."""
    if file_format == "xlsx":
        return xlsx_response(table, filename)
    return csv_response(table, filename)
