"""A provider's system writing a return's results as JSON. The rows are read by the CSV import's own reader
(``performance.imports.result_row_read``) and saved and submitted by the same services, called the way the
import calls them (``return_save`` then ``return_submit``, one transaction), so the API accepts, refuses
and records exactly what the import does.

Who writes decides how: a provider's staff write their own return as the return form does
(``performance.edit_return``: draft or sent-back returns); an LCC officer writes as the CSV upload does
(``portal.import_returns``: draft or submitted returns of any provider).
"""

from dataclasses import dataclass

from django.db import transaction

from districts.models import District
from performance.imports import FIELD_COLUMN, result_row_read
from performance.models import Indicator, Return
from performance.policies import returns as return_policy
from performance.rag import ResultEntry
from performance.selectors import indicators_by_code
from performance.services import ReturnRowsInvalid, SaveReport, return_save, return_submit

#: The reason the API's saves record in each row's history (the import records "CSV import"; the
#: submission itself is "Submitted" either way).
API_REASON = "API import"

#: A service's field names as the request names them (the CSV's columns, and evidence_url of its own).
REQUEST_FIELD = {**FIELD_COLUMN, "evidence_url": "evidence_url"}


@dataclass
class RowError:
    row: int | None
    indicator: str | None
    district: str | None
    field: str
    message: str


class ResultsRefused(Exception):
    """The request's rows (or the return, on submitting) break the rules; ``errors`` names each one."""

    def __init__(self, detail: str, errors: list[RowError]):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors


@dataclass
class ResultsWritten:
    return_obj: Return
    report: SaveReport
    submitted: bool


def return_results_write(*, return_obj: Return, user, version: int, rows: list[dict], submit: bool) -> ResultsWritten:
    """Save the rows into the return and, with ``submit``, submit it: all or nothing. Raises
    ``ResultsRefused`` naming each bad row (by position, indicator and district), and lets the services'
    ``StaleReturn``, ``ReturnRefused`` and ``PermissionDenied`` through."""
    # Its provider's staff write as the form does; LCC writes any return as the CSV import does.
    by_import = not return_policy.user_can(user, "edit", return_obj)
    indicators = indicators_by_code()
    districts = {d.slug: d for d in District.objects.all()}
    errors: list[RowError] = []
    entries: dict[tuple[int, int | None], ResultEntry] = {}
    positions: dict[tuple[int, int | None], int] = {}
    for position, cells in enumerate(rows):
        row, problems = result_row_read(cells, indicators=indicators, districts=districts, user=user)
        errors.extend(
            RowError(position, cells.get("indicator"), cells.get("district") or None, column, message)
            for column, message in problems
        )
        if row is None:
            continue
        if row.key in positions:
            errors.append(
                RowError(
                    position,
                    row.indicator.code,
                    row.district.slug if row.district else None,
                    "indicator",
                    f"duplicate row: row {positions[row.key]} already gives {row.indicator.code}"
                    + (f" in {row.district.slug}" if row.district else ""),
                )
            )
            continue
        positions[row.key] = position
        entries[row.key] = row.entry
    if errors:
        raise ResultsRefused("Some rows need correcting: nothing was saved.", errors)

    try:
        with transaction.atomic():
            report = return_save(
                return_obj=return_obj,
                user=user,
                entries=entries,
                version=version,
                reason=API_REASON,
                by_import=by_import,
            )
            if submit:
                return_submit(return_obj=return_obj, user=user, by_import=by_import)
    except ReturnRowsInvalid as error:
        raise ResultsRefused(f"{error.message}: nothing was saved.", _row_errors(error.errors, positions)) from error
    return_obj.refresh_from_db()
    return ResultsWritten(return_obj=return_obj, report=report, submitted=submit)


def _row_errors(errors: dict, positions: dict) -> list[RowError]:
    """A service's errors (keyed by indicator and district ids) named as the request names things."""
    indicator_ids = {key[0] for key in errors}
    district_ids = {key[1] for key in errors if key[1] is not None}
    codes = dict(Indicator.objects.filter(pk__in=indicator_ids).values_list("pk", "code"))
    slugs = dict(District.objects.filter(pk__in=district_ids).values_list("pk", "slug"))
    named = [
        RowError(
            positions.get(key),
            codes.get(key[0]),
            slugs.get(key[1]),
            REQUEST_FIELD.get(name, name),
            message,
        )
        for key, fields in errors.items()
        for name, message in fields.items()
    ]
    return sorted(
        named, key=lambda error: (error.row is None, error.row or 0, error.indicator or "", error.district or "")
    )
