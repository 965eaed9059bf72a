"""Bulk import of results from a CSV file: the command ``import_returns`` and LCC's upload page.

Header, exactly: ``period,provider,indicator,district,rag,actual,target,reason,narrative``. One file is one
transaction: any bad line means nothing is saved, and every problem is reported as
``line N, column C: message`` (line 1 is the header). Rows are checked by the same rules as the return
form (performance.rag) and saved and submitted by the same services (performance.services).
"""

import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from contracts.models import Organisation
from core.csvfiles import CappedProblems, CsvUnreadable, csv_records
from core.periods import Period
from districts.models import District
from performance.models import Indicator, NotReportedReason, PendingImport, Rag, Return
from performance.rag import ResultEntry
from performance.result_fields import FILE_KEY_CELLS, ROW_KEY_CELLS, refused_cells
from performance.selectors import indicators_by_code
from performance.services import ReturnRefused, ReturnRowsInvalid, return_save, return_submit

HEADER = ["period", "provider", "indicator", "district", "rag", "actual", "target", "reason", "narrative"]

#: Which CSV column a row rule's field is reported under.
FIELD_COLUMN = {
    "rag": "rag",
    "actual": "actual",
    "target": "target",
    "rag_override_reason": "reason",
    "not_reported_reason": "reason",
    "not_reported_other": "reason",
    "narrative": "narrative",
    "evidence_url": "narrative",
    "indicator": "indicator",
}

#: The reason the import's saves record in each row's history.
IMPORT_REASON = "CSV import"


@dataclass
class ImportProblem:
    line: int
    column: str
    message: str

    def __str__(self):
        return f"line {self.line}, column {self.column}: {self.message}"


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    submitted: list[str] = field(default_factory=list)
    #: The first hundred problems, and how many there were in all (``len``; ``problems.more`` left out).
    problems: list[ImportProblem] = field(default_factory=CappedProblems)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        verb = "would be" if self.dry_run else "were"
        text = f"{self.created} results {verb} created and {self.updated} updated ({self.unchanged} unchanged)."
        if self.submitted:
            text += f" Submitted: {', '.join(self.submitted)}."
        if self.dry_run:
            text += " Dry run: nothing was saved."
        return text


class _RollBack(Exception):
    """Raised inside the import's transaction to undo it (a bad file or a dry run)."""


def number_read(text) -> tuple[Decimal | None, str]:
    """A figure written as text (``42``, ``12.5``, ``3,085``) as a Decimal, or the message saying why it is
    not one. Blank is None, with no message."""
    text = str(text).strip().replace(",", "") if text not in (None, "") else ""
    if not text:
        return None, ""
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None, f"“{text}” is not a number: write it like 42 or 12.5"
    if not value.is_finite() or abs(value) >= Decimal("1e12") or value != value.quantize(Decimal("0.01")):
        return None, f"“{text}” is not a usable number: at most 12 digits and 2 decimal places"
    return value, ""


@dataclass
class ResultRow:
    """One row read from the CSV file or the API's JSON: which result it is and what it gives."""

    indicator: Indicator
    district: District | None
    entry: ResultEntry

    @property
    def key(self) -> tuple[int, int | None]:
        return (self.indicator.pk, self.district.pk if self.district else None)


#: Longest text a column may hold where it is stored in a bounded field.


def result_row_read(
    cells: dict, *, indicators: dict[str, Indicator], districts: dict[str, District], user, keys=ROW_KEY_CELLS
) -> tuple[ResultRow | None, list[tuple[str, str]]]:
    """Read one row's cells, named by the CSV's columns (indicator, district, rag, actual, target, reason,
    narrative; the API may add evidence_url), into the entry the services take. Returns the row, or None
    and each problem as (column, message) saying what would be accepted. The CSV import and the API both
    read rows here, so they accept and refuse the same things in the same words; the rules that need the
    return (targets, ratings against figures, completeness) are the services'. A cell naming a field
    ``user`` may not set, or one the row does not know (``keys`` are those saying which row it is), is refused
    by name (performance.result_fields: one declaration for every channel)."""
    problems: list[tuple[str, str]] = refused_cells(cells, user=user, keys=keys)
    code = cells.get("indicator") or ""
    slug = cells.get("district") or ""
    indicator = indicators.get(code)
    district = districts.get(slug) if slug else None
    if indicator is None:
        problems.append(("indicator", f"unknown indicator code “{code}”"))
    if slug and district is None:
        problems.append(("district", f"unknown district “{slug}”: use a slug like blaby"))
    rag = cells.get("rag") or ""
    if rag and rag not in Rag.values:
        problems.append(("rag", f"“{rag}” is not a rating: use red, amber, green or not_reported"))
    figures = {}
    for column in ("actual", "target"):
        figures[column], message = number_read(cells.get(column))
        if message:
            problems.append((column, message))
    reason = cells.get("reason") or ""
    evidence_url = cells.get("evidence_url") or ""
    if problems:
        return None, problems

    entry = ResultEntry(
        rag=rag,
        actual=figures["actual"],
        target=figures["target"],
        narrative=cells.get("narrative") or "",
        evidence_url=evidence_url,
    )
    if rag == Rag.NOT_REPORTED:
        if reason in NotReportedReason.values and reason != NotReportedReason.OTHER:
            entry.not_reported_reason = reason
        elif reason:
            entry.not_reported_reason = NotReportedReason.OTHER
            entry.not_reported_other = reason
    else:
        entry.rag_override_reason = reason
    return ResultRow(indicator=indicator, district=district, entry=entry), []


def returns_import(*, data: bytes, user=None, dry_run: bool = False, submit: bool = False) -> ImportReport:
    """Import a CSV file's results, all or nothing. Returns a report holding either the counts of results
    created and updated (and the returns submitted, with ``submit``) or every problem found, by line and
    column. With ``dry_run`` the file is checked and counted but nothing is saved."""
    report = ImportReport(dry_run=dry_run)
    try:
        with transaction.atomic():
            _import(data, user=user, submit=submit, report=report)
            if report.problems or dry_run:
                raise _RollBack
    except _RollBack:
        pass
    if report.problems:
        report.created = report.updated = report.unchanged = 0
        report.submitted = []
    return report


#: How long a checked file is kept for its officer to confirm the import without choosing it again.
PENDING_IMPORT_MINUTES = 30


class PendingImportRefused(Exception):
    """A confirmation that cannot be used: ``status`` is the HTTP answer, ``message`` says why and what to do."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.message, self.status = message, status


def _pending_expired_before():
    return timezone.now() - timedelta(minutes=PENDING_IMPORT_MINUTES)


def pending_import_keep(*, data: bytes, user, submit: bool) -> str:
    """Keep a file that passed its dry run for ``user`` to confirm; returns the opaque token naming it. Files
    kept longer than the limit (anyone's) are deleted here."""
    PendingImport.objects.filter(created__lt=_pending_expired_before()).delete()
    token = secrets.token_urlsafe(32)
    PendingImport.objects.create(token=token, user=user, data=data, submit=submit)
    return token


def pending_import_confirm(*, token: str, user) -> ImportReport:
    """Import the file ``user`` kept under ``token``, once: it is read again by the same strict reader and
    imported all or nothing (the figures may have changed since its dry run). The kept file is deleted whatever
    the outcome; another's token, an unknown or used one, and an expired one are refused."""
    with transaction.atomic():
        pending = PendingImport.objects.select_for_update().filter(token=str(token)[:64]).first()
        if pending is None or pending.user_id != user.pk:
            raise PendingImportRefused(
                "This checked file is not kept for you: it has been imported already, or it was never yours. "
                "Choose the file again to import it",
                404,
            )
        if pending.created < _pending_expired_before():
            pending.delete()
            expired = True
        else:
            expired = False
            data, submit = bytes(pending.data), pending.submit
            pending.delete()
            report = returns_import(data=data, user=user, submit=submit)
    PendingImport.objects.filter(created__lt=_pending_expired_before()).delete()
    if expired:
        raise PendingImportRefused(
            f"The checked file expired: it is kept for {PENDING_IMPORT_MINUTES} minutes. "
            "Choose the file again to import it",
            410,
        )
    return report


def _decode(data: bytes, report: ImportReport) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        line_start = data.rfind(b"\n", 0, error.start) + 1
        column = HEADER[min(data[line_start : error.start].count(b","), len(HEADER) - 1)]
        report.problems.append(
            ImportProblem(line, column, f"the file is not UTF-8 text (byte {error.start + 1}); save it as CSV UTF-8")
        )
        return None


def _import(data: bytes, *, user, submit: bool, report: ImportReport):
    text = _decode(data, report)
    if text is None:
        return
    try:
        # Strictly: a quote left open is reported at its line, never allowed to swallow the lines after it.
        records = list(csv_records(text, columns=len(HEADER)))
    except CsvUnreadable as error:
        column = HEADER[min(error.column, len(HEADER) - 1)] if error.column is not None else "-"
        report.problems.append(ImportProblem(error.line, column, error.message))
        return
    rows = [record.cells for record in records]
    if not rows or not any(cell.strip() for row in rows for cell in row):
        report.problems.append(
            ImportProblem(1, HEADER[0], f"the file is empty: the first line must be {','.join(HEADER)}")
        )
        return
    header = [cell.strip() for cell in rows[0]]
    if header != HEADER:
        for position, expected in enumerate(HEADER):
            found = header[position] if position < len(header) else ""
            if found != expected:
                report.problems.append(
                    ImportProblem(
                        1,
                        found or expected,
                        f"the header must be exactly {','.join(HEADER)} (found “{found}” where “{expected}” belongs)",
                    )
                )
                break
        else:
            report.problems.append(
                ImportProblem(1, header[len(HEADER)], f"the header must be exactly {','.join(HEADER)}")
            )
        return

    indicators = indicators_by_code()
    providers = {o.code: o for o in Organisation.objects.all()}
    districts = {d.slug: d for d in District.objects.all()}
    returns: dict[tuple[int, int], Return | None] = {}
    # Per return: its entries, and which line each row key came from.
    batches: dict[int, dict] = {}
    seen: dict[tuple, int] = {}
    problems = report.problems

    for record in records[1:]:
        line, row = record.line, record.cells
        if not any(cell.strip() for cell in row):
            continue  # blank lines (often at the end of a file) say nothing
        if len(row) != len(HEADER):
            column = HEADER[len(row)] if len(row) < len(HEADER) else HEADER[-1]
            problems.append(
                ImportProblem(
                    line,
                    column,
                    f"expected {len(HEADER)} columns, found {len(row)} (put text holding commas in double quotes)",
                )
            )
            continue
        cells = dict(zip(HEADER, (cell.strip() for cell in row), strict=True))
        before = len(problems)

        written = Period.parse_or_none(cells["period"])
        year, quarter = (written.financial_year, written.quarter) if written else (None, None)
        provider = providers.get(cells["provider"])
        if year is None:
            problems.append(
                ImportProblem(line, "period", f"“{cells['period']}” is not a period: write it like 2010/11 Q2")
            )
        if provider is None:
            problems.append(ImportProblem(line, "provider", f"unknown provider code “{cells['provider']}”"))
        row, row_problems = result_row_read(
            cells, indicators=indicators, districts=districts, user=user, keys=FILE_KEY_CELLS
        )
        problems.extend(ImportProblem(line, column, message) for column, message in row_problems)

        return_obj = None
        if year is not None and provider is not None:
            key = (provider.pk, year * 10 + quarter)
            if key not in returns:
                returns[key] = (
                    Return.objects.select_related("provider", "period")
                    .filter(provider=provider, period__financial_year=year, period__quarter=quarter)
                    .first()
                )
            return_obj = returns[key]
            if return_obj is None:
                problems.append(
                    ImportProblem(
                        line, "period", f"{provider.code} has no return for {cells['period']}: is the period open?"
                    )
                )
            elif return_obj.status == Return.Status.SIGNED_OFF:
                problems.append(ImportProblem(line, "provider", f"{return_obj} is signed off: it cannot be changed"))
            elif return_obj.is_locked:
                problems.append(
                    ImportProblem(
                        line, "period", f"{return_obj} is locked: only an LCC officer can reopen it, with a reason"
                    )
                )
            elif return_obj.status not in (Return.Status.DRAFT, Return.Status.SUBMITTED):
                problems.append(
                    ImportProblem(
                        line,
                        "provider",
                        f"{return_obj} is {return_obj.get_status_display().lower()}: "
                        "results go into draft or submitted returns only",
                    )
                )
        if len(problems) > before:
            continue

        row_key = (return_obj.pk, *row.key)
        if row_key in seen:
            problems.append(
                ImportProblem(
                    line,
                    "indicator",
                    f"duplicate row: line {seen[row_key]} already gives {return_obj} {row.indicator.code}"
                    + (f" in {row.district.slug}" if row.district else ""),
                )
            )
            continue
        seen[row_key] = line

        batch = batches.setdefault(return_obj.pk, {"return": return_obj, "entries": {}, "lines": {}})
        batch["entries"][row.key] = row.entry
        batch["lines"][row.key] = line

    if problems:
        return
    for batch in batches.values():
        return_obj, lines = batch["return"], batch["lines"]
        first_line = min(lines.values())
        try:
            saved = return_save(
                return_obj=return_obj, user=user, entries=batch["entries"], reason=IMPORT_REASON, by_import=True
            )
        except ReturnRowsInvalid as error:
            _row_problems(error.errors, lines, first_line, problems)
            continue
        except ReturnRefused as error:
            problems.append(ImportProblem(first_line, "provider", error.message))
            continue
        report.created += saved.created
        report.updated += saved.updated
        report.unchanged += saved.unchanged
    if problems or not submit:
        return
    for batch in batches.values():
        return_obj, lines = batch["return"], batch["lines"]
        try:
            return_submit(return_obj=return_obj, user=user, by_import=True)
        except ReturnRowsInvalid as error:
            _row_problems(
                error.errors, lines, min(lines.values()), problems, prefix=f"{return_obj} cannot be submitted: "
            )
            continue
        except ReturnRefused as error:
            problems.append(ImportProblem(min(lines.values()), "provider", error.message))
            continue
        report.submitted.append(str(return_obj))


def _row_problems(errors: dict, lines: dict, first_line: int, problems: list, prefix: str = ""):
    """A service's row errors as problems on the lines that gave those rows (or the return's first line,
    for rows the file does not name)."""
    for key, fields in errors.items():
        for name, message in fields.items():
            problems.append(ImportProblem(lines.get(key, first_line), FIELD_COLUMN.get(name, "-"), prefix + message))
    problems.sort(key=lambda problem: problem.line)
