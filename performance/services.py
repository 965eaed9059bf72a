"""Writes for periods, returns and their results. Views, commands, the CSV import and the API all change
state through these functions, so each change is checked, permitted and recorded (who, when, why) in one
transaction.

Every service takes the acting ``user`` (None when run from the command line by an operator) and raises
``ReturnRefused`` (or a subclass) with a message fit to show the person when the change is not allowed.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.events import publish
from core.services import lock_current, record_history, refuse_if_stale, save_new_version, save_with_history
from core.workflow import declared, require_step, transition_refusal
from districts.models import District
from performance import events
from performance.evidence import evidence_file_errors
from performance.models import (
    Evidence,
    Indicator,
    ReportingPeriod,
    Result,
    Return,
    SurveyFigure,
    Validation,
    not_locked,
)
from performance.rag import ResultEntry, rag_settled, result_entry_errors, row_label
from performance.selectors import (
    HistoryEntry,
    providers_reporting_in,
    return_history,
    return_version_loaded_at,
    rows_owed_by,
    targets_for,
)

#: A result row's natural key within a return: (indicator id, district id or None).
RowKey = tuple[int, int | None]


class ReturnRefused(Exception):
    """A change the workflow, the lock or the rules do not allow; ``message`` says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class StaleReturn(ReturnRefused):
    """The return changed since the form was loaded; ``changes`` lists what changed, newest first."""

    def __init__(self, message: str, *, changes: list[HistoryEntry], current_version: int):
        super().__init__(message)
        self.changes = changes
        self.current_version = current_version


class ReturnRowsInvalid(ReturnRefused):
    """One or more rows break the rules; ``errors`` maps each row's key to {field: message}."""

    def __init__(self, errors: dict, message: str = "Some rows need correcting"):
        super().__init__(message)
        self.errors = errors


@dataclass
class SaveReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class PeriodOpenReport:
    period: ReportingPeriod
    period_created: bool = False
    period_changed: bool = False
    returns_created: list = field(default_factory=list)
    results_created: int = 0

    @property
    def changed(self) -> bool:
        return self.period_created or self.period_changed or bool(self.returns_created) or bool(self.results_created)


def _require(user, permission: str, obj=None):
    """Command-line runs (user None) are trusted operators; everyone else needs the permission."""
    if user is not None and not user.has_perm(permission, obj):
        raise PermissionDenied(f"You may not do that ({permission}).")


def _stale(return_obj: Return, version: int) -> StaleReturn:
    loaded_at = return_version_loaded_at(return_obj, version)
    return StaleReturn(
        f"{return_obj} was changed by someone else after you opened it (you had version {version}, it is now "
        f"version {return_obj.version}). Your changes have not been saved: they are shown below, with what "
        "changed in the meantime.",
        changes=return_history(return_obj, since=loaded_at) if loaded_at else return_history(return_obj)[:20],
        current_version=return_obj.version,
    )


def _locked_return(return_obj: Return) -> Return:
    """The return as it is now, its row locked so two saves run one after the other (other providers' saves
    in the same period do not wait)."""
    return lock_current(return_obj, queryset=Return.objects.select_related("provider", "period"))


def _refuse_if_stale(return_obj: Return, version: int | None):
    refuse_if_stale(return_obj, version, stale=_stale)


def _refuse_if_locked(return_obj: Return):
    if not not_locked(return_obj):
        raise ReturnRefused(not_locked.refusal.format(obj=return_obj))


def _entry_from_result(result: Result) -> ResultEntry:
    return ResultEntry(
        rag=result.rag,
        actual=result.actual,
        target=result.target,
        rag_override_reason=result.rag_override_reason,
        not_reported_reason=result.not_reported_reason,
        not_reported_other=result.not_reported_other,
        narrative=result.narrative,
        evidence_url=result.evidence_url,
    )


def _row_target(entry: ResultEntry, targets, result: Result):
    """The row's target: the one it gives, else the indicator's target for the provider, period and the row's
    district."""
    if entry.target is not None:
        return entry.target
    found = targets.get(result.indicator_id, result.district_id)
    return found.value if found else None


def _row_errors(result: Result, entry: ResultEntry, target, *, complete: bool) -> dict[str, str]:
    """What is wrong with a row (``complete``: as it must be to submit; else as it may be saved)."""
    return result_entry_errors(
        entry,
        indicator=result.indicator,
        target=target,
        label=row_label(result.indicator, result.district),
        complete=complete,
    )


# Results --------------------------------------------------------------------------------------------------


@transaction.atomic
def return_save(
    *,
    return_obj: Return,
    user,
    entries: dict[RowKey, ResultEntry],
    version: int | None = None,
    reason: str = "Saved as draft",
    by_import: bool = False,
) -> SaveReport:
    """Save typed (or imported) rows into a return, all or nothing.

    Refuses: a user who may not edit it (providers edit their own; ``by_import`` needs the import
    permission), a return whose period is locked (unless LCC reopened it), a status other than draft or
    returned (the import may also write into a submitted return), a ``version`` older than the return's
    (``StaleReturn``, with what changed since), and rows that break the rules (``ReturnRowsInvalid``).
    A returned return goes back to draft. Every changed row keeps its history; the return's version rises.
    """
    return_obj = _locked_return(return_obj)
    if by_import:
        _require(user, "portal.import_returns")
        allowed = (Return.Status.DRAFT, Return.Status.SUBMITTED)
    else:
        _require(user, "performance.edit_return", return_obj)
        allowed = Return.OPEN_TO_PROVIDER
    if return_obj.status not in allowed:
        raise ReturnRefused(
            f"{return_obj} is {return_obj.get_status_display().lower()}: results can only be changed in a "
            + " or ".join(Return.Status(status).label.lower() for status in allowed)
            + " return."
        )
    _refuse_if_locked(return_obj)
    _refuse_if_stale(return_obj, version)

    existing = {(r.indicator_id, r.district_id): r for r in return_obj.results.select_related("indicator", "district")}
    owed = {
        (indicator.pk, district.pk if district else None): (indicator, district)
        for indicator, district in rows_owed_by(return_obj.provider, return_obj.period.financial_year)
    }
    targets = targets_for(provider=return_obj.provider, period=return_obj.period)
    errors: dict[RowKey, dict[str, str]] = {}
    to_save: list[tuple[Result, bool]] = []
    report = SaveReport()
    for key, entry in entries.items():
        result = existing.get(key)
        if result is None:
            if key not in owed:
                indicator = Indicator.objects.filter(pk=key[0]).first()
                district = District.objects.filter(pk=key[1]).first() if key[1] else None
                name = row_label(indicator, district) if indicator else "this indicator"
                errors[key] = {"indicator": f"{return_obj.provider.code} does not report {name}"}
                continue
            indicator, district = owed[key]
            result = Result(return_obj=return_obj, indicator=indicator, district=district)
        target = _row_target(entry, targets, result)
        row_errors = _row_errors(result, entry, target, complete=False)
        if row_errors:
            errors[key] = row_errors
            continue
        rag, computed = rag_settled(entry, indicator=result.indicator, target=target)
        not_reported = rag == "not_reported"
        values = {
            "rag": rag,
            "computed_rag": computed,
            "rag_override_reason": entry.rag_override_reason.strip() if computed and rag != computed else "",
            "not_reported_reason": entry.not_reported_reason if not_reported else "",
            "not_reported_other": entry.not_reported_other.strip()
            if not_reported and entry.not_reported_reason == "other"
            else "",
            "actual": entry.actual,
            "target": target,
            "narrative": entry.narrative.strip(),
            "evidence_url": entry.evidence_url.strip(),
        }
        changed = [name for name, value in values.items() if getattr(result, name) != value]
        if result.pk is None or changed:
            for name, value in values.items():
                setattr(result, name, value)
            if changed and result.validation != Validation.SELF_RATED:
                # New figures have not been checked: the reviewer's verdict (and its comment, kept in the row's
                # history) was on the old ones.
                result.validation = Validation.SELF_RATED
                result.validation_comment = ""
            to_save.append((result, result.pk is None))
        else:
            report.unchanged += 1
    if errors:
        raise ReturnRowsInvalid(errors)

    for result, created in to_save:
        record_history(result, user=user, reason=reason)
        result.save()
        if created:
            report.created += 1
        else:
            report.updated += 1
    resumed = return_obj.is_sent_back
    if resumed:
        return_obj.resume()
    if to_save or resumed:
        save_new_version(return_obj, user=user, reason=reason, validate=False)
    return report


def return_incomplete_rows(return_obj: Return) -> dict[RowKey, dict[str, str]]:
    """The rows that stop the return being submitted, with why ({} when it is complete). Rows it owes
    but does not hold yet count as incomplete."""
    targets = targets_for(provider=return_obj.provider, period=return_obj.period)
    results = {(r.indicator_id, r.district_id): r for r in return_obj.results.select_related("indicator", "district")}
    errors: dict[RowKey, dict[str, str]] = {}
    for indicator, district in rows_owed_by(return_obj.provider, return_obj.period.financial_year):
        key = (indicator.pk, district.pk if district else None)
        if key not in results:
            errors[key] = {"rag": f"{row_label(indicator, district)}: choose a RAG rating"}
    for key, result in results.items():
        entry = _entry_from_result(result)
        row_errors = _row_errors(result, entry, _row_target(entry, targets, result), complete=True)
        if row_errors:
            errors[key] = row_errors
    return errors


@transaction.atomic
def return_submit(
    *,
    return_obj: Return,
    user,
    version: int | None = None,
    entries: dict[RowKey, ResultEntry] | None = None,
    by_import: bool = False,
) -> Return:
    """Submit a return: draft (or returned) -> submitted, only when every row is complete.

    With ``entries`` the rows are saved first (through ``return_save``) in the same transaction, so a
    refused submission saves nothing. Raises ``ReturnRowsInvalid`` naming each incomplete row,
    ``StaleReturn`` for an out-of-date version, ``ReturnRefused`` when locked or not a draft.
    """
    if entries:
        return_save(
            return_obj=return_obj,
            user=user,
            entries=entries,
            version=version,
            reason="Saved and submitted",
            by_import=by_import,
        )
        version = None  # return_save checked it; the save itself raised the version
    return_obj = _locked_return(return_obj)
    _require(user, "portal.import_returns" if by_import else "performance.edit_return", return_obj)
    _refuse_if_stale(return_obj, version)
    _refuse_if_locked(return_obj)
    if return_obj.status == Return.Status.SUBMITTED and by_import:
        return return_obj  # already submitted: the import only updated its figures
    refused = transition_refusal(return_obj, "submit")
    if refused:
        raise ReturnRefused(refused)
    errors = return_incomplete_rows(return_obj)
    if errors:
        raise ReturnRowsInvalid(errors, f"{return_obj} cannot be submitted until every row is complete")
    return _fire(return_obj, "submit", user=user, resubmitted=bool(return_obj.review_comment))


def _fire(return_obj: Return, step: str, *, user, comment: str = "", **event_data) -> Return:
    """Take one workflow step on a locked return whose step it is and where the machine says it is open:
    stamp it (the transition's body), record who, when and why, move the version on and announce it."""
    custom = declared(return_obj, step).custom
    arguments = {"when": timezone.now()}
    if "comment_label" in custom:
        arguments["comment"] = comment
        event_data[custom.get("comment_as", "comment")] = comment
    getattr(return_obj, step)(**arguments)
    save_new_version(return_obj, user=user, reason=custom["reason"].format(comment=comment), validate=False)
    publish(custom["event"], return_obj, actor=user, **event_data)
    return return_obj


@transaction.atomic
def return_transition(*, return_obj: Return, step: str, user, comment: str = "") -> Return:
    """Take a reviewer's workflow step (accept, sign off, send back, reopen) on a return, all or nothing.

    Refuses (PermissionDenied) a user whose step it is not (performance.policies); then a step that needs a
    comment without one, and a step the state machine says is not open now (``ReturnRefused``, saying why).
    """
    return_obj = _locked_return(return_obj)
    require_step(return_obj, step, user)
    custom = declared(return_obj, step).custom
    comment = (comment or "").strip()
    if "comment_label" in custom and not comment:
        raise ReturnRefused(custom["comment_missing"])
    refused = transition_refusal(return_obj, step)
    if refused:
        raise ReturnRefused(refused)
    return _fire(return_obj, step, user=user, comment=comment)


#: The steps a reviewer may take on several returns at once, after a confirmation page.
BULK_STEPS = ("accept", "sign_off")


@transaction.atomic
def returns_transition(*, returns: dict[int, int], step: str, user) -> list[Return]:
    """Take one reviewer's step (accept, or sign off) on several returns at once, in one transaction: each as
    ``return_transition`` takes it (whose step it is, whether the state machine has it open, its history,
    its event, so each provider is told), and all or nothing. ``returns`` maps each return's id to the
    version the person confirmed: a return changed since (another reviewer, a reopening) refuses the whole
    batch, as does the first step refused, saying which return and why."""
    if step not in BULK_STEPS:
        raise ReturnRefused(f"Only {' or '.join(BULK_STEPS)} can be taken on several returns at once.")
    if not returns:
        raise ReturnRefused("Choose at least one return.")
    done = []
    for return_obj in Return.objects.filter(pk__in=list(returns)).select_related("provider", "period").order_by("pk"):
        locked = _locked_return(return_obj)
        if locked.version != returns[locked.pk]:
            raise ReturnRefused(
                f"{locked} changed after you confirmed (it is now {locked.get_status_display().lower()}). "
                "Nothing has been changed: check the list and try again."
            )
        done.append(return_transition(return_obj=locked, step=step, user=user))
    if len(done) != len(returns):
        raise ReturnRefused("One of the chosen returns no longer exists. Nothing has been changed.")
    return done


def return_accept(*, return_obj: Return, user) -> Return:
    """Accept a submitted return: the CIO accepts its sub-contractors' returns, LCC the CIO's own."""
    return return_transition(return_obj=return_obj, step="accept", user=user)


def return_send_back(*, return_obj: Return, user, comment: str) -> Return:
    """Send a submitted or accepted return back to its provider with a comment saying what to change.
    Refused once the period is locked (then only LCC reopens, with a reason)."""
    return return_transition(return_obj=return_obj, step="send_back", user=user, comment=comment)


def return_sign_off(*, return_obj: Return, user) -> Return:
    """LCC signs off an accepted return; its figures are then final unless LCC reopens it."""
    return return_transition(return_obj=return_obj, step="sign_off", user=user)


def return_reopen(*, return_obj: Return, user, reason: str) -> Return:
    """LCC reopens a return to draft, with a reason: a submitted, accepted or signed-off one at any time;
    in a locked period also a draft or returned one, so its provider may finish it."""
    return return_transition(return_obj=return_obj, step="reopen", user=user, comment=reason)


@transaction.atomic
def results_validate(*, return_obj: Return, user, verdicts: dict[int, tuple[str, str]]) -> int:
    """A reviewer marks results validated or challenged (a challenge needs a comment), so dashboards can
    show self-rated against validated figures. ``verdicts`` maps result id to (validation, comment).
    Only while the return is submitted or accepted. Returns how many results changed."""
    return_obj = _locked_return(return_obj)
    _require(user, "performance.validate_results", return_obj)
    if not return_obj.is_in_review:
        raise ReturnRefused(
            f"{return_obj} is {return_obj.get_status_display().lower()}: ratings are validated while a return is "
            "submitted or accepted."
        )
    results = {r.pk: r for r in return_obj.results.select_related("indicator", "district")}
    errors = {}
    changed = []
    for result_id, (verdict, comment) in verdicts.items():
        result = results.get(result_id)
        if result is None:
            errors[result_id] = {"validation": "That result is not in this return."}
            continue
        label = row_label(result.indicator, result.district)
        if verdict not in Validation.values:
            errors[result_id] = {"validation": f"{label}: choose validated or challenged"}
            continue
        # A row put back to self-rated carries no reviewer's comment (the old one stays in its history).
        comment = "" if verdict == Validation.SELF_RATED else (comment or "").strip()
        if verdict == Validation.CHALLENGED and not comment:
            errors[result_id] = {"validation_comment": f"{label}: say why you challenge the rating"}
            continue
        if (result.validation, result.validation_comment) != (verdict, comment):
            result.validation, result.validation_comment = verdict, comment
            changed.append(result)
    if errors:
        raise ReturnRowsInvalid(errors)
    for result in changed:
        record_history(result, user=user, reason="Reviewed")
        result.save()
    if changed:
        save_new_version(return_obj, user=user, reason="Ratings reviewed", validate=False)
    return len(changed)


# Periods --------------------------------------------------------------------------------------------------


@transaction.atomic
def period_open(
    *,
    financial_year: int,
    quarter: int,
    due_on: datetime.date | None,
    user=None,
    opens_on: datetime.date | None = None,
    reason: str = "Period opened",
) -> PeriodOpenReport:
    """Open a reporting period (creating it if new) with its due date, and make sure every provider with a
    contract or live sub-contract covering that financial year has a draft return holding every row it
    owes. Idempotent: a second run changes nothing and records no history. A locked period is refused."""
    _require(user, "portal.manage_periods")
    if quarter not in (1, 2, 3, 4):
        raise ReturnRefused("The quarter must be 1, 2, 3 or 4.")
    period = ReportingPeriod.objects.select_for_update().filter(financial_year=financial_year, quarter=quarter).first()
    report = PeriodOpenReport(period=period)
    if period is None:
        period = ReportingPeriod(financial_year=financial_year, quarter=quarter)
        report.period, report.period_created = period, True
    if period.status == ReportingPeriod.Status.LOCKED:
        raise ReturnRefused(f"{period.label} is locked: reopen single returns instead.")
    wanted = {"status": ReportingPeriod.Status.OPEN}
    if due_on is not None:
        wanted["due_on"] = due_on
    elif period.due_on is None:
        raise ReturnRefused(f"Give {period.label} a due date.")
    if opens_on is not None:
        wanted["opens_on"] = opens_on
    elif period.opens_on is None:
        wanted["opens_on"] = timezone.localdate()
    if opens_on is not None and wanted.get("due_on", period.due_on) < opens_on:
        raise ReturnRefused("The due date must not be before the day the period opens.")
    changed = [name for name, value in wanted.items() if getattr(period, name) != value]
    opened = period.pk is None or "status" in changed
    if period.pk is None or changed:
        for name, value in wanted.items():
            setattr(period, name, value)
        record_history(period, user=user, reason=reason)
        period.full_clean()
        period.save()
        report.period_changed = not report.period_created

    for provider in providers_reporting_in(financial_year):
        return_obj = Return.objects.filter(provider=provider, period=period).first()
        if return_obj is None:
            return_obj = Return(provider=provider, period=period, updated_by=user)
            record_history(return_obj, user=user, reason=reason)
            return_obj.save()
            report.returns_created.append(return_obj)
        held = set(return_obj.results.values_list("indicator_id", "district_id"))
        for indicator, district in rows_owed_by(provider, financial_year):
            if (indicator.pk, district.pk if district else None) in held:
                continue
            result = Result(return_obj=return_obj, indicator=indicator, district=district)
            record_history(result, user=user, reason=reason)
            result.save()
            report.results_created += 1
    if opened:
        publish(events.PERIOD_OPENED, period, actor=user, returns=report.returns_created)
    return report


@transaction.atomic
def period_lock(*, period: ReportingPeriod, user=None) -> bool:
    """Lock an open period: from now on only LCC can reopen its returns, one by one, with a reason.
    Returns False (and changes nothing) when it was already locked."""
    _require(user, "portal.manage_periods")
    period = lock_current(period)
    if period.status == ReportingPeriod.Status.LOCKED:
        return False
    if period.status != ReportingPeriod.Status.OPEN:
        raise ReturnRefused(f"{period.label} has not been opened: open it before locking it.")
    period.status = ReportingPeriod.Status.LOCKED
    period.locked_on = timezone.localdate()
    save_with_history(period, user=user, reason="Period locked", validate=False)
    return True


def results_as_entries(return_obj: Return) -> dict[RowKey, ResultEntry]:
    """The return's rows as they stand, in the shape ``return_save`` takes (to change a few and save)."""
    return {(r.indicator_id, r.district_id): _entry_from_result(r) for r in return_obj.results.all()}


class EvidenceRefused(ReturnRefused):
    """An evidence document refused; ``errors`` maps each form field to its message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def _evidence_document(upload) -> tuple[str, int]:
    errors, sniffed = evidence_file_errors(upload)
    if errors:
        raise EvidenceRefused({"document": errors[0]})
    return sniffed.content_type, upload.size


@transaction.atomic
def evidence_add(*, return_obj: Return, user, title: str, upload, result: Result | None = None) -> Evidence:
    """Keep ``upload`` (checked by size and by its bytes' type) as evidence for the return, or one of its
    results; the document goes to the default storage, its row and the history say who and when."""
    _require(user, "performance.add_evidence", return_obj)
    if result is not None and result.return_obj_id != return_obj.pk:
        raise EvidenceRefused({"result": "Choose one of this return's own indicators, or none for the whole return."})
    if not (title or "").strip():
        raise EvidenceRefused({"title": "Enter a title for the document, saying what it shows."})
    content_type, size = _evidence_document(upload)
    evidence = Evidence(
        return_obj=return_obj,
        result=result,
        title=title.strip(),
        original_name=upload.name[:255],
        content_type=content_type,
        size=size,
        uploaded_by=user,
        uploaded_at=timezone.now(),
    )
    evidence.document.save(upload.name, upload, save=False)
    return save_with_history(evidence, user=user, reason="Evidence added")


@transaction.atomic
def evidence_replace(*, evidence: Evidence, user, upload, version: int | None, reason: str = "") -> Evidence:
    """Replace a document with a new one: the old file stays in the storage and in the history (its row as
    it was), so what was relied on can still be read. Refused when the evidence moved on since it was read."""
    _require(user, "performance.add_evidence", evidence.return_obj)
    current = lock_current(evidence, version=version, stale=_evidence_stale)
    content_type, size = _evidence_document(upload)
    current.document.save(upload.name, upload, save=False)
    current.original_name = upload.name[:255]
    current.content_type = content_type
    current.size = size
    current.uploaded_by = user
    current.uploaded_at = timezone.now()
    return save_new_version(current, user=user, reason=(reason or "Document replaced"))


def _evidence_stale(current: Evidence, version: int) -> EvidenceRefused:
    return EvidenceRefused(
        {
            "version": f"{current.title} was replaced by someone else after you opened it (you had version "
            f"{version}, it is now version {current.version}). Check the newest document and try again."
        }
    )


@transaction.atomic
def survey_figure_record(
    *, result: Result, user, dimension: str, category: str, sample_size: int, value=None
) -> SurveyFigure:
    """Record (or correct) a survey-based result's sample and figure, overall or for one type of group or
    location; in the history."""
    _require(user, "performance.add_evidence", result.return_obj)
    if not result.indicator.survey_based:
        raise EvidenceRefused({"dimension": f"{result.indicator.code} is not measured by a survey."})
    category = "" if dimension == SurveyFigure.Dimension.OVERALL else (category or "").strip()
    figure = SurveyFigure.objects.filter(result=result, dimension=dimension, category=category).first()
    figure = figure or SurveyFigure(result=result, dimension=dimension, category=category)
    figure.sample_size = sample_size
    figure.value = value
    try:
        figure.full_clean()
    except ValidationError as error:
        raise EvidenceRefused({name: "; ".join(messages) for name, messages in error.message_dict.items()}) from error
    return save_with_history(figure, user=user, reason="Survey figure recorded", validate=False)
