"""CSV and XLSX exports of the dashboard's tables: the same table objects the page renders, written out.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) as a
formula, so such text is neutralised with a leading single quote; numbers stay numbers. CSV is streamed
in batches of lines; XLSX is written with openpyxl's write-only workbook so a big table stays small in memory.

Two ways to read a table's values, which write the same cells:

- A table over a QuerySet that declares ``export_fields`` (one ``ExportField`` per column: the database
  fields it reads and a plain-Python conversion) is read with ``values_list`` in chunks (joins in SQL, a
  server-side cursor on PostgreSQL), with no model instance and no django-tables2 cell per value. The
  results export of a million rows takes seconds rather than half an hour.
- Any other table (the small aggregated ones) is read cell by cell through django-tables2's ``value_<column>``.
"""

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from operator import itemgetter

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django_tables2 import Column
from django_tables2.rows import BoundRow
from django_tables2.utils import signature
from openpyxl import Workbook

from core.exports import FORMULA_STARTS, neutralise  # noqa: F401 - the export's rule, imported from here too
from core.exports import cell as _cell

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")
#: Rows read from the database at a time: a table of a million results is never held in memory at once.
CHUNK_ROWS = 2000
#: CSV lines sent to the client at a time.
CSV_BATCH_ROWS = 2000


class ExportField:
    """How an export reads one column of a table straight from the database.

    ``fields`` are the lookups ``values_list`` reads (``"return_obj__period__quarter"``: the join is made in
    SQL); ``convert`` turns them into the value the column's ``value_<column>`` gives for the same record
    (called with one argument per field; without it the single field's value is the cell's). As in
    django-tables2, a single field's value in the column's ``empty_values`` is an empty cell and is not
    converted.
    """

    __slots__ = ("convert", "fields")

    def __init__(self, *fields: str, convert: Callable | None = None):
        if not fields or (convert is None and len(fields) > 1):
            raise ValueError("An export field reads one database field, or several with a conversion.")
        self.fields = fields
        self.convert = convert

    def __repr__(self):
        return f"ExportField({', '.join(map(repr, self.fields))}, convert={self.convert!r})"


def _value_reader(field: ExportField, start: int, empty_values) -> Callable[[tuple], object]:
    """A function from a ``values_list`` row to the column's export value (before ``_cell``)."""
    convert = field.convert
    if len(field.fields) > 1:
        end = start + len(field.fields)
        return lambda record: convert(*record[start:end])
    if convert is None and all(value is None or value == "" for value in empty_values):
        return itemgetter(start)  # an empty value is an empty cell either way
    if not empty_values:
        return lambda record: convert(record[start])
    convert = convert or (lambda value: value)

    def read(record):
        value = record[start]
        return None if value in empty_values else convert(value)

    return read


def _database_rows(table) -> Iterator[list] | None:
    """The table's rows read with ``values_list`` as its ``export_fields`` declare (None when the table is
    not over a QuerySet or does not declare every column it shows)."""
    queryset = getattr(table.data, "data", None)
    declared = getattr(table, "export_fields", None)
    columns = list(table.columns)
    if not isinstance(queryset, QuerySet) or not declared or any(c.name not in declared for c in columns):
        return None
    lookups: list[str] = []
    readers = []
    for column in columns:
        field = declared[column.name]
        readers.append(_value_reader(field, len(lookups), tuple(column.column.empty_values)))
        lookups += field.fields
    records = queryset.values_list(*lookups).iterator(chunk_size=CHUNK_ROWS)
    return (list(map(_cell, [read(record) for read in readers])) for record in records)


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


def header_row(table) -> list:
    """The columns' headings, as the page shows them."""
    return [neutralise(str(column.header)) for column in table.columns]


def rendered_rows(table) -> Iterator[list]:
    """Each row's export values computed by django-tables2, cell by cell (``value_<column>`` where the page
    shows HTML): the way every table can be read, and the reference the database path must equal."""
    columns = list(table.columns)
    for record in _records(table):
        row = _ExportRow(record, table=table)
        yield [_cell(row.get_cell_value(column.name)) for column in columns]


def table_rows(table) -> Iterator[list]:
    """The header row, then each row's export values: straight from the database where the table declares
    its ``export_fields``, otherwise through django-tables2."""
    yield header_row(table)
    rows = _database_rows(table)
    yield from rendered_rows(table) if rows is None else rows


def _batches(rows: Iterable[list], size: int) -> Iterator[list[list]]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def csv_lines(rows: Iterable[list]) -> Iterator[str]:
    """The rows as CSV text (a byte-order mark first, so Excel reads £ correctly), in batches of lines: one
    chunk per row would make the server's per-chunk work dominate a big export."""
    yield "\ufeff"
    for batch in _batches(rows, CSV_BATCH_ROWS):
        buffer = io.StringIO()
        csv.writer(buffer).writerows(batch)  # the rows' cells are formula-safe already (table_rows)
        yield buffer.getvalue()


def csv_response(table, filename: str) -> StreamingHttpResponse:
    """The table as a streamed CSV file (UTF-8 with a byte-order mark)."""
    response = StreamingHttpResponse(csv_lines(table_rows(table)), content_type="text/csv; charset=utf-8")
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
