"""The partnership set-up workbook: its sheets and columns (one declaration read by the template, the reader,
the instructions and the exporter), reading its cells into plain Python values, and writing it.

Every cell is read to the type its column declares, or to a ``Problem`` that names the sheet, row and column and
says what would be accepted. Money and other decimals are read through ``str`` into ``Decimal`` (openpyxl gives a
float for a numeric cell; ``str`` gives its shortest exact spelling) and refused with more than two decimals.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from contracts.models import Arrangement, Funder, Organisation, Priority, Strand
from core.periods import YEAR_EXAMPLE, Period, format_financial_year, parse_financial_year
from districts.models import NegotiationStatus
from performance.models import Indicator, ReportingPeriod

#: An ONS geography code: a country letter and eight digits (E10000018 Leicestershire, E07000129 Blaby).
ONS_CODE = re.compile(r"^[EWSN]\d{8}$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the workbook, where it is and what would be accepted."""

    sheet: str
    row: int
    column: str  # the column's letter, "" for the whole row or sheet
    header: str
    message: str

    def __str__(self):
        if not self.sheet:
            return self.message  # the file as a whole
        where = f"sheet {self.sheet}" + (f", row {self.row}" if self.row else "")
        if self.column:
            where += f", column {self.column} ({self.header})"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Column:
    header: str
    key: str  # the model field it fills (or the reference it names)
    kind: str  # text, slug, code, ons, int, year, period, date, money, decimal, bool, choice, choices
    required: bool = True
    accepts: str = ""
    choices: tuple = ()  # (value, label) pairs for choice columns
    default: Any = None
    max_length: int | None = None

    def describe(self) -> str:
        """What a cell of this column accepts, for the instructions sheet and for messages."""
        if self.accepts:
            return self.accepts
        return {
            "slug": "lower-case letters, digits and hyphens, e.g. north-west-leicestershire",
            "code": "letters, digits, hyphens and underscores, e.g. VAL or BLABY-DC",
            "ons": "an ONS code: a letter (E, W, S or N) and eight digits, e.g. E07000129",
            "int": "a whole number, e.g. 93915",
            "year": f"a financial year written like {YEAR_EXAMPLE}",
            "period": "a reporting period written like 2010/11 Q2",
            "date": "a date, e.g. 2010-10-31 (a date cell or text written year-month-day)",
            "money": "pounds and pence, at most 2 decimals, e.g. 920000.00 (no £ sign needed)",
            "decimal": "a number with at most 2 decimals, e.g. 50 or 3327.5",
            "bool": "yes or no",
            "choice": "one of: " + "; ".join(f"{value} ({label})" for value, label in self.choices),
            "choices": "a comma-separated list of: " + "; ".join(f"{value} ({label})" for value, label in self.choices),
        }.get(self.kind, "text")


@dataclass(frozen=True)
class Sheet:
    name: str
    purpose: str
    columns: tuple[Column, ...]
    single_row: bool = False

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)

    def letter(self, key: str) -> str:
        return get_column_letter(1 + [column.key for column in self.columns].index(key))


def _choices(text_choices) -> tuple:
    return tuple((value, str(label)) for value, label in text_choices.choices)


STRANDS = _choices(Strand)
YES_NO = "yes or no (empty: {default})"

SHEETS = (
    Sheet(
        "Partnership",
        "The partnership (the county) itself: exactly one row. Its slug names it everywhere (leicestershire).",
        (
            Column("Name", "name", "text", max_length=100),
            Column("Slug", "slug", "slug", max_length=100),
            Column("ONS code", "ons_code", "ons"),
        ),
        single_row=True,
    ),
    Sheet(
        "Districts",
        "Its districts (lower-tier council areas), each with its population.",
        (
            Column("Name", "name", "text", max_length=100),
            Column("Slug", "slug", "slug", max_length=100),
            Column("ONS code", "ons_code", "ons"),
            Column("Population", "population", "int"),
            Column("Population source", "population_source", "text", max_length=200),
            Column(
                "Negotiation status",
                "negotiation_status",
                "choice",
                required=False,
                choices=_choices(NegotiationStatus),
                default=NegotiationStatus.NOT_AGREED,
            ),
        ),
    ),
    Sheet(
        "Funders",
        "The bodies whose money goes into the pool. A group funder stands for several bodies known only as a total.",
        (
            Column("Code", "code", "code", max_length=40, accepts="letters, digits and hyphens, e.g. BLABY-DC"),
            Column("Name", "name", "text", max_length=200),
            Column("Kind", "kind", "choice", choices=_choices(Funder.Kind)),
            Column("Group", "is_group", "bool", required=False, default=False, accepts=YES_NO.format(default="no")),
            Column("Organisation identifier", "org_id", "text", required=False, default="", max_length=100),
        ),
    ),
    Sheet(
        "Organisations",
        "The providers: the countywide infrastructure organisation (CIO), community hubs and local resource centres.",
        (
            Column("Code", "code", "code", max_length=20),
            Column("Name", "name", "text", max_length=200),
            Column("Kind", "kind", "choice", choices=_choices(Organisation.Kind)),
            Column(
                "District",
                "district",
                "slug",
                required=False,
                accepts="a district's slug from the Districts sheet (empty only for the CIO: countywide)",
            ),
            Column("Organisation identifier", "org_id", "text", required=False, default="", max_length=100),
            Column("Postcode", "postcode", "text", required=False, default="", accepts="a UK postcode, e.g. LE16 7AW"),
        ),
    ),
    Sheet(
        "Contracts",
        "Contracts: the CIO contract, and any contract paid from its pooled funding (e.g. a hub's own contract).",
        (
            Column("Reference", "reference", "text", max_length=40),
            Column("Title", "title", "text", max_length=300),
            Column("Commissioner", "commissioner", "code", accepts="a funder's code from the Funders sheet"),
            Column("Provider", "provider", "code", accepts="an organisation's code from the Organisations sheet"),
            Column("First year", "start_year", "year"),
            Column("Last year", "end_year", "year"),
            Column("Extension years", "extension_years", "int", required=False, default=0),
            Column(
                "Extension exercised",
                "extension_exercised",
                "bool",
                required=False,
                default=False,
                accepts=YES_NO.format(default="no"),
            ),
            Column(
                "Paid from the pool of",
                "paid_from_pool_of",
                "text",
                required=False,
                accepts="another contract's reference (empty: paid from its own contributions)",
            ),
        ),
    ),
    Sheet(
        "Contract years",
        "Each year of a contract with the pooled total as the source states it (or empty when none is stated).",
        (
            Column("Contract", "contract", "text", accepts="a contract's reference from the Contracts sheet"),
            Column("Financial year", "financial_year", "year"),
            Column("Stated total", "stated_total", "money", required=False),
            Column(
                "Estimate", "is_estimate", "bool", required=False, default=False, accepts=YES_NO.format(default="no")
            ),
            Column("Source", "source", "text", required=False, default="", max_length=200),
            Column("Arrangement", "arrangement", "choice", required=False, default="", choices=_choices(Arrangement)),
            Column("Arrangement source", "arrangement_source", "text", required=False, default="", max_length=200),
            Column(
                "Allocations must add up",
                "allocations_must_add_up",
                "bool",
                required=False,
                default=False,
                accepts="yes: the year's allocations (under this contract and every contract paid from its pool) "
                "must add up to the stated total exactly; no (empty): load them as stated, variances shown",
            ),
        ),
    ),
    Sheet(
        "Contributions",
        "Money a funder puts into a contract's pool for a year (a funder may make several, each described).",
        (
            Column("Contract", "contract", "text", accepts="a contract's reference from the Contracts sheet"),
            Column("Funder", "funder", "code", accepts="a funder's code from the Funders sheet"),
            Column("Financial year", "financial_year", "year"),
            Column("Description", "description", "text", max_length=200),
            Column("Amount", "amount", "money"),
        ),
    ),
    Sheet(
        "Sub-contracts",
        "Sub-contracts from the CIO to hubs and LRCs (their money per year is on the Allocations sheet).",
        (
            Column("Contract", "contract", "text", accepts="a contract's reference from the Contracts sheet"),
            Column("Provider", "provider", "code", accepts="an organisation's code from the Organisations sheet"),
            Column("First year", "start_year", "year"),
            Column("Last year", "end_year", "year"),
            Column("Strands", "strands", "choices", required=False, default=(), choices=STRANDS),
            Column(
                "Districts",
                "districts",
                "text",
                required=False,
                accepts="a comma-separated list of district slugs from the Districts sheet",
            ),
        ),
    ),
    Sheet(
        "Allocations",
        "Money allocated under a contract to one organisation for one year.",
        (
            Column("Contract", "contract", "text", accepts="a contract's reference from the Contracts sheet"),
            Column(
                "Organisation", "organisation", "code", accepts="an organisation's code from the Organisations sheet"
            ),
            Column("Financial year", "financial_year", "year"),
            Column("Amount", "amount", "money"),
        ),
    ),
    Sheet(
        "Outcomes",
        "The contract outcomes indicators serve; an indicator's priority is the priority of the outcomes it serves. "
        "Shared by every partnership (see the note above).",
        (
            Column("Number", "number", "int"),
            Column("Strand", "strand", "choice", choices=STRANDS),
            Column("Priority", "priority", "choice", choices=_choices(Priority)),
            Column("Wording", "wording", "text"),
        ),
    ),
    Sheet(
        "Indicators",
        "The measures of the performance framework. Shared by every partnership (see the note above).",
        (
            Column("Code", "code", "code", max_length=20),
            Column("Number", "number", "int", accepts="its position in its provider's list, e.g. 1"),
            Column("Short name", "short_name", "text", max_length=200),
            Column("Wording", "wording", "text"),
            Column("Strand", "strand", "choice", choices=STRANDS),
            Column(
                "Outcomes",
                "outcomes",
                "text",
                required=False,
                accepts="a comma-separated list of outcome numbers from the Outcomes sheet (their priority is the "
                "indicator's priority), e.g. 3, 4",
            ),
            Column("Kind", "kind", "choice", choices=_choices(Indicator.Kind)),
            Column(
                "Unit", "unit", "choice", required=False, default=Indicator.Unit.COUNT, choices=_choices(Indicator.Unit)
            ),
            Column(
                "Higher is better",
                "higher_is_better",
                "bool",
                required=False,
                default=True,
                accepts=YES_NO.format(default="yes"),
            ),
            Column(
                "Under provider control",
                "under_provider_control",
                "bool",
                required=False,
                default=True,
                accepts=YES_NO.format(default="yes"),
            ),
            Column("Amber tolerance (%)", "tolerance_pct", "decimal", required=False, default=Decimal("10.00")),
            Column(
                "Reported by the CIO",
                "for_cio",
                "bool",
                required=False,
                default=False,
                accepts=YES_NO.format(default="no"),
            ),
            Column(
                "Reported by hubs",
                "for_hub",
                "bool",
                required=False,
                default=False,
                accepts=YES_NO.format(default="no"),
            ),
            Column(
                "Reported by LRCs",
                "for_lrc",
                "bool",
                required=False,
                default=False,
                accepts=YES_NO.format(default="no"),
            ),
            Column(
                "By district",
                "by_district",
                "bool",
                required=False,
                default=False,
                accepts="yes: the CIO reports it per district; no (empty): once for the county",
            ),
            Column(
                "Illustrative",
                "is_illustrative",
                "bool",
                required=False,
                default=False,
                accepts=YES_NO.format(default="no"),
            ),
            Column(
                "Survey based",
                "survey_based",
                "bool",
                required=False,
                default=False,
                accepts=YES_NO.format(default="no"),
            ),
            Column("Note", "note", "text", required=False, default=""),
            Column("In the framework from", "first_year", "year", required=False),
            Column("Retired from", "retired_from", "year", required=False),
        ),
    ),
    Sheet(
        "Targets",
        "Indicators' targets for a year: for every provider or one, every district or one, annual or a quarter.",
        (
            Column("Indicator", "indicator", "code", accepts="an indicator's code from the Indicators sheet"),
            Column("Financial year", "financial_year", "year"),
            Column("Quarter", "quarter", "int", required=False, accepts="1, 2, 3 or 4 (empty: an annual target)"),
            Column(
                "Provider",
                "provider",
                "code",
                required=False,
                accepts="an organisation's code (empty: every provider that reports the indicator)",
            ),
            Column("District", "district", "slug", required=False, accepts="a district's slug (empty: every district)"),
            Column("Value", "value", "decimal"),
        ),
    ),
    Sheet(
        "Reporting periods",
        "The quarters providers report in. Shared by every partnership (see the note above).",
        (
            Column("Period", "period", "period"),
            Column("Opens on", "opens_on", "date", required=False),
            Column("Due on", "due_on", "date", required=False),
            Column("Locked on", "locked_on", "date", required=False),
            Column(
                "Status",
                "status",
                "choice",
                required=False,
                default=ReportingPeriod.Status.PLANNED,
                choices=_choices(ReportingPeriod.Status),
            ),
        ),
    ),
)
SHEETS_BY_NAME = {sheet.name: sheet for sheet in SHEETS}

INSTRUCTIONS = (
    "How to set up a partnership with this workbook",
    "Fill in one sheet per table below, one row per thing, under the header row (keep the headers as they are). "
    "Empty rows are skipped. Codes and slugs are how rows are found again: running the same workbook twice changes "
    "nothing the second time, and a changed name or figure under an existing code is updated.",
    "All or nothing: the whole workbook is checked first and every problem is listed as 'sheet S, row N, column C: "
    "message'; if there is any problem nothing at all is saved. Preview it first (python manage.py "
    "partnership_setup FILE.xlsx --dry-run, or the preview on the set-up page).",
    "Money is pounds and pence: at most 2 decimals, no float rounding (1.005 is refused, not rounded).",
    "Known limitation: outcomes, indicators, reporting periods (and targets for every provider and district) are "
    "shared by every partnership today; their codes and numbers are unique across the whole portal. A row that "
    "matches an existing one exactly reuses it; a different definition under an existing code, number or period "
    "is refused (say it exactly as it is, or choose a new code).",
    "Financial years are written like 2010/11 (the year starting in April 2010); periods like 2010/11 Q2 "
    "(Q1 is April to June). Type them as text, not as dates.",
)


# --- reading ----------------------------------------------------------------------------------------------------


@dataclass
class Row:
    """One data row of a sheet, read to Python values."""

    sheet: Sheet
    number: int
    values: dict[str, Any] = field(default_factory=dict)
    broken: bool = False  # a cell did not read (its problem is recorded)

    def problem(self, key: str | None, message: str) -> Problem:
        if key is None:
            return Problem(self.sheet.name, self.number, "", "", message)
        return Problem(self.sheet.name, self.number, self.sheet.letter(key), self.sheet.column(key).header, message)

    def __getitem__(self, key):
        return self.values[key]


def read_money(value: Any) -> Decimal:
    """A cell as an exact Decimal with at most two decimals (ValueError otherwise, saying what is accepted)."""
    if isinstance(value, bool):
        raise ValueError("is yes/no, not an amount")
    if isinstance(value, float | int | Decimal):
        text = str(value)  # a float's shortest exact spelling: 0.1 stays 0.1, never 0.1000000000000000055
    else:
        text = str(value).strip().replace(",", "").removeprefix("£")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"“{value}” is not a number") from None
    if not number.is_finite():
        raise ValueError(f"“{value}” is not a number")
    if number != number.quantize(Decimal("0.01")):
        raise ValueError(f"“{value}” has more than 2 decimals")
    return number.quantize(Decimal("0.01"))


def _read_cell(column: Column, value: Any) -> Any:
    """The cell as its column's type; a ValueError says what is wrong (the caller adds what is accepted)."""
    if isinstance(value, str):
        value = value.strip()
    kind = column.kind
    if kind == "money" or kind == "decimal":
        number = read_money(value)
        if number < 0:
            raise ValueError("must not be negative")
        return number
    if kind == "int":
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, str) and value.isdigit())):
            raise ValueError(f"“{value}” is not a whole number")
        return int(value)
    if kind == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).lower()
        if text in ("yes", "y", "true", "1"):
            return True
        if text in ("no", "n", "false", "0"):
            return False
        raise ValueError(f"“{value}” is not yes or no")
    if kind == "year":
        if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
            return int(value)
        try:
            return parse_financial_year(str(value))
        except ValidationError:
            raise ValueError(f"“{value}” is not a financial year") from None
    if kind == "period":
        period = Period.parse_or_none(str(value))
        if period is None:
            raise ValueError(f"“{value}” is not a reporting period")
        return period
    if kind == "date":
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError:
            raise ValueError(f"“{value}” is not a date") from None
    if kind in ("choice", "choices"):
        lookup = {}
        for code, label in column.choices:
            lookup[str(code).lower()] = code
            lookup[label.lower()] = code
        items = [str(value)] if kind == "choice" else [item.strip() for item in str(value).split(",") if item.strip()]
        chosen = []
        for item in items:
            if item.lower() not in lookup:
                raise ValueError(f"“{item}” is not one of the choices")
            chosen.append(lookup[item.lower()])
        return chosen[0] if kind == "choice" else chosen
    text = str(value)
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if kind == "ons" and not ONS_CODE.match(text):
        raise ValueError(f"“{text}” is not an ONS code")
    if kind == "slug" and not SLUG.match(text):
        raise ValueError(f"“{text}” is not a slug")
    if kind == "code" and not CODE.match(text):
        raise ValueError(f"“{text}” is not a code")
    if column.max_length and len(text) > column.max_length:
        raise ValueError(f"is {len(text)} characters long, more than {column.max_length}")
    return text


def _empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_workbook(file) -> tuple[dict[str, list[Row]], list[Problem]]:
    """Every sheet's rows read to Python values, and every problem found (cells that are not what their column
    accepts, missing sheets or headers). A sheet with a problem row still gives its good rows."""
    problems: list[Problem] = []
    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        return {}, [Problem("", 0, "", "", "This is not an Excel workbook (.xlsx): save it as one and try again.")]
    rows: dict[str, list[Row]] = {}
    for sheet in SHEETS:
        rows[sheet.name] = []
        if sheet.name not in book.sheetnames:
            problems.append(Problem(sheet.name, 0, "", "", "the sheet is missing: add it as the blank template has it"))
            continue
        cells = list(book[sheet.name].iter_rows(values_only=True))
        headers = [str(value).strip().lower() if value is not None else "" for value in (cells[0] if cells else ())]
        position = {}
        for index, column in enumerate(sheet.columns):
            if column.header.lower() in headers:
                position[column.key] = headers.index(column.header.lower())
            elif column.required:
                problems.append(
                    Problem(
                        sheet.name,
                        1,
                        get_column_letter(index + 1),
                        column.header,
                        f"the header “{column.header}” is missing: keep the template's headers in row 1",
                    )
                )
        for number, values in enumerate(cells[1:], start=2):
            if all(_empty(value) for value in values):
                continue
            row = Row(sheet, number)
            for index, column in enumerate(sheet.columns):
                at = position.get(column.key)
                value = values[at] if at is not None and at < len(values) else None
                letter = get_column_letter((at if at is not None else index) + 1)
                if _empty(value):
                    if column.required:
                        problems.append(
                            Problem(sheet.name, number, letter, column.header, f"is empty: give {column.describe()}")
                        )
                        row.broken = True
                    row.values[column.key] = column.default
                    continue
                try:
                    row.values[column.key] = _read_cell(column, value)
                except ValueError as error:
                    problems.append(
                        Problem(sheet.name, number, letter, column.header, f"{error}: give {column.describe()}")
                    )
                    row.values[column.key] = None
                    row.broken = True
            rows[sheet.name].append(row)
        if sheet.single_row and len(rows[sheet.name]) != 1:
            problems.append(Problem(sheet.name, 2, "", "", f"give exactly one row (found {len(rows[sheet.name])})"))
    book.close()
    return rows, problems


# --- writing ----------------------------------------------------------------------------------------------------


def cell_value(column: Column, value: Any) -> Any:
    """A Python value as the workbook writes it (the inverse of reading)."""
    if value is None or value == "" or value == ():
        return None
    if column.kind == "bool":
        return "yes" if value else "no"
    if column.kind == "year":
        return format_financial_year(value)
    if column.kind == "period":
        return value.label
    if column.kind == "choices":
        return ", ".join(value)
    if column.kind in ("money", "decimal"):
        return Decimal(value)
    return value


def workbook_write(rows: dict[str, list[dict]] | None = None) -> Workbook:
    """The workbook with its Instructions sheet and one sheet per table: blank (the template) or with ``rows``
    (sheet name to a list of {column key: value})."""
    book = Workbook()
    instructions = book.active
    instructions.title = "Instructions"
    instructions.column_dimensions["A"].width = 24
    instructions.column_dimensions["B"].width = 28
    instructions.column_dimensions["C"].width = 12
    instructions.column_dimensions["D"].width = 100
    instructions.append([INSTRUCTIONS[0]])
    instructions["A1"].font = Font(bold=True, size=14)
    for paragraph in INSTRUCTIONS[1:]:
        instructions.append([paragraph])
    instructions.append([])
    instructions.append(["Sheet", "Column", "Required", "Accepts"])
    for cell in instructions[instructions.max_row]:
        cell.font = Font(bold=True)
    for sheet in SHEETS:
        instructions.append([sheet.name, "", "", sheet.purpose])
        instructions.cell(instructions.max_row, 1).font = Font(bold=True)
        for column in sheet.columns:
            instructions.append(["", column.header, "required" if column.required else "optional", column.describe()])
    for row in instructions.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=cell.column == 4, vertical="top")

    for sheet in SHEETS:
        ws = book.create_sheet(sheet.name)
        ws.append([column.header for column in sheet.columns])
        for index, column in enumerate(sheet.columns, start=1):
            ws.cell(1, index).font = Font(bold=True)
            ws.column_dimensions[get_column_letter(index)].width = max(14, min(60, len(column.header) + 4))
        for values in (rows or {}).get(sheet.name, []):
            ws.append([cell_value(column, values.get(column.key)) for column in sheet.columns])
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text that looks like a formula stays text, never a formula
        # Years and periods as text, so a spreadsheet does not read 2010/11 as a date (on the blank template's
        # first 200 rows too); money with its pence.
        last = max(ws.max_row, 1 if rows else 201)
        for index, column in enumerate(sheet.columns, start=1):
            number_format = {"money": "#,##0.00", "decimal": "0.00", "year": "@", "period": "@"}.get(column.kind)
            if number_format:
                for (cell,) in ws.iter_rows(min_row=2, max_row=last, min_col=index, max_col=index):
                    cell.number_format = number_format
        ws.freeze_panes = "A2"
    return book
