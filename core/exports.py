"""Every file the portal writes is formula-safe: one writer for every CSV and XLSX it produces.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a
formula (``=cmd|' /C calc'!A0``, ``=HYPERLINK(...)``): any text the portal writes that people typed (names,
narratives, notes) gets a leading apostrophe, which the spreadsheet shows as text. Numbers are written as
numbers and are never changed.

- ``neutralise(value)``: one value made safe (text only);
- ``cell(value)``: a value as an export writes it (blank for None, Yes/No, numbers and dates as themselves,
  anything else as safe text);
- ``csv_writer(stream)``: ``csv.writer`` whose every row passes through ``cell``; use it for every CSV the
  portal writes, page or command. XLSX rows pass through ``cell`` too (``performance.exports``).
"""

import csv
import datetime
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Text a spreadsheet would run as a formula gets a leading quote; everything else is returned as is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def cell(value):
    """A value as an export writes it: text made formula-safe, numbers and dates as themselves."""
    if type(value) is str:  # most cells: the same answer as below, sooner
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float | Decimal | datetime.date):
        return value
    return neutralise(str(value))


class FormulaSafeWriter:
    """A ``csv.writer`` that writes every cell through ``cell``."""

    def __init__(self, stream, **kwargs):
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row):
        return self._writer.writerow([cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(stream, **kwargs) -> FormulaSafeWriter:
    """The CSV writer for every file the portal writes (arguments as ``csv.writer``'s)."""
    return FormulaSafeWriter(stream, **kwargs)
