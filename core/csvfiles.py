"""Reading an uploaded CSV file strictly, and reporting its problems without letting a hostile file flood the page.

- ``csv_records(text, columns=N)``: each record with the line it starts on (a quoted field may span lines, so
  records and lines differ). A quote that is never closed, or closed in the wrong place, is not allowed to
  swallow the following lines into one field: the file is refused at the line where that quote opened
  (``CsvUnreadable``), with the column and what to do. A quoted field that runs over later lines which look
  like whole records (as many commas as a record has) is taken for the same mistake.
- ``CappedProblems``: a list of problems that keeps the first ``MAX_PROBLEMS`` and counts the rest, so a file
  with a million bad lines gives a page of the first hundred and "and 999,900 more".
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

#: Problems listed at most; the rest are counted.
MAX_PROBLEMS = 100


@dataclass(frozen=True)
class CsvRecord:
    line: int  # the physical line the record starts on (line 1 is the first line of the file)
    cells: list[str]


class CsvUnreadable(Exception):
    """The file cannot be read as CSV from ``line`` on; ``column`` is the 0-based field, when known."""

    def __init__(self, line: int, column: int | None, message: str):
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


def _line_start(text: str, line: int) -> int:
    position = 0
    for _ in range(line - 1):
        position = text.find("\n", position) + 1
        if position == 0:
            return len(text)
    return position


def _open_quote_column(text: str, line: int) -> int | None:
    """The field of the record starting on ``line`` that runs over lines or to the end (read leniently)."""
    rest = text[_line_start(text, line) :]
    try:
        row = next(csv.reader(io.StringIO(rest, newline="")))
    except (StopIteration, csv.Error):
        return None
    for position, cell in enumerate(row):
        if "\n" in cell or "\r" in cell:
            return position
    return len(row) - 1 if row else None


def _long_field_column(text: str, line: int, limit: int) -> int | None:
    """The 0-based field of the record starting on ``line`` that is longer than ``limit`` characters, read by
    hand (the reader stops at such a field without saying which)."""
    column, length, quoted, position = 0, 0, False, _line_start(text, line)
    while position < len(text):
        char = text[position]
        if quoted:
            if char == '"' and text.startswith('"', position + 1):
                position += 1
            elif char == '"':
                quoted = False
                position += 1
                continue
        elif char == '"':
            quoted = True
            position += 1
            continue
        elif char == ",":
            column, length = column + 1, 0
            position += 1
            continue
        elif char in "\r\n":
            return None
        length += 1
        if length > limit:
            return column
        position += 1
    return None


def _swallowed_line(cell: str, columns: int) -> int | None:
    """Which continuation line (1 = the line after the record's first) of a multi-line field looks like a
    whole record of ``columns`` fields, or None."""
    if columns < 2:
        return None
    for offset, part in enumerate(cell.splitlines()[1:], start=1):
        if part.count(",") >= columns - 1:
            return offset
    return None


def csv_records(text: str, *, columns: int) -> Iterator[CsvRecord]:
    """The records of ``text`` (already decoded), each with its first line. Raises ``CsvUnreadable`` at the first
    record that cannot be read strictly or that swallows lines looking like records of ``columns`` fields."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            reason = str(error)
            if "field larger than field limit" in reason:
                limit = csv.field_size_limit()
                message = f"the field is too long: at most {limit:,} characters"
                raise CsvUnreadable(start, _long_field_column(text, start, limit), message) from error
            message = (
                f"a quote opened on line {start} is not closed where a field ends (the reader reached line "
                f"{reader.line_num}: {reason}). Close the quote at the end of the field, and write a quote inside "
                'a field as two quotes ("")'
            )
            raise CsvUnreadable(start, _open_quote_column(text, start), message) from error
        for position, cell in enumerate(row):
            offset = _swallowed_line(cell, columns) if ("\n" in cell or "\r" in cell) else None
            if offset is not None:
                message = (
                    f"a quote opened on line {start} runs on over line {start + offset}, which looks like a row of "
                    "its own: close the quote at the end of the field (a quote inside a field is written as two "
                    'quotes, "")'
                )
                raise CsvUnreadable(start, position, message)
        yield CsvRecord(start, row)
        start = reader.line_num + 1


class CappedProblems(list):
    """A list of problems holding the first ``limit`` and counting every one: ``len()`` and truth are the whole
    count (so ``len(problems) > before`` still says a line had a problem), iteration gives those kept, and
    ``more`` says how many were left out."""

    def __init__(self, items=(), limit: int = MAX_PROBLEMS):
        super().__init__()
        self.limit = limit
        self.total = 0
        self.extend(items)

    def append(self, item):
        self.total += 1
        if super().__len__() < self.limit:
            super().append(item)

    def extend(self, items):
        for item in items:
            self.append(item)

    def __len__(self):
        return self.total

    def __bool__(self):
        return self.total > 0

    @property
    def shown(self) -> int:
        return super().__len__()

    @property
    def more(self) -> int:
        return self.total - self.shown
