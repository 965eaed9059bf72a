"""RAG ratings: how a quantitative result is rated against its target, and the rules every rated row obeys.

The return form and the CSV import both check a row here, so a row the form refuses the import refuses too,
with the same words. A check answers with a mapping of field name to message; the caller puts each message
beside its field (the form) or on its line and column (the import).
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from performance.models import Indicator, NotReportedReason, Rag
from performance.units import figure_error

HUNDRED = Decimal("100")

#: Control characters no text of a result may hold: PostgreSQL cannot store NUL, and spreadsheets (the XLSX
#: exports) refuse the others. Tab, line feed and carriage return are ordinary text.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

#: The typed text of a row: how each is named in a message, and its longest length (None: no limit).
TEXT_FIELDS = {
    "rag_override_reason": ("reason for the different rating", None),
    "not_reported_other": ("other reason it is not reported", 500),
    "narrative": ("narrative", None),
    "evidence_url": ("evidence link", 500),
}


def rag_compute(*, actual: Decimal | None, target: Decimal | None, higher_is_better: bool, tolerance_pct) -> str:
    """Rate an actual figure against its target: green at or better than target, amber when short of it by
    no more than ``tolerance_pct`` per cent of the target, red beyond. Direction-aware: when lower is
    better, "short" means above. Returns "" when there is nothing to compare."""
    if actual is None or target is None:
        return ""
    shortfall = (target - actual) if higher_is_better else (actual - target)
    if shortfall <= 0:
        return Rag.GREEN
    tolerance = abs(target) * Decimal(tolerance_pct) / HUNDRED
    return Rag.AMBER if shortfall <= tolerance else Rag.RED


@dataclass
class ResultEntry:
    """What someone typed (or a CSV line gave) for one result row, before it is saved."""

    rag: str = ""
    actual: Decimal | None = None
    #: A target given for this row (the import's ``target`` column); None means the targets table's.
    target: Decimal | None = None
    rag_override_reason: str = ""
    not_reported_reason: str = ""
    not_reported_other: str = ""
    narrative: str = ""
    evidence_url: str = ""


def row_label(indicator: Indicator, district=None) -> str:
    """How a row is named in messages: the indicator's code and short name, and its district if any."""
    where = f" ({district.name})" if district is not None else ""
    return f"{indicator.code} {indicator.short_name}{where}"


def result_entry_errors(
    entry: ResultEntry, *, indicator: Indicator, target: Decimal | None, label: str, complete: bool
) -> dict[str, str]:
    """Check one row. Consistency rules apply to every save (a draft too); ``complete`` adds the rules
    a row must meet before its return can be submitted. Returns {field: message}, empty when the row is fine.

    - Figures are what the indicator's unit accepts (performance.units): counts whole and not negative, ...
    - Not reported needs a reason from the fixed list; "other" needs text.
    - A Q indicator with a target is rated from its figures; a different rating needs a written reason.
    - NAR, X and ONE OFF indicators (and Q ones without a target) are self-rated and need a narrative.
    """
    errors = text_errors(entry, label=label)
    if errors:
        return errors
    # Figures the indicator's unit does not accept (a negative or part count, a percentage over 100).
    for name, what in (("actual", "actual figure"), ("target", "target")):
        message = figure_error(indicator, getattr(entry, name), label=label, what=what)
        if message:
            errors[name] = message
    if errors:
        return errors
    if entry.rag and entry.rag not in Rag.values:
        errors["rag"] = f"{label}: choose red, amber, green or not reported"
        return errors
    if entry.evidence_url:
        try:
            URLValidator(schemes=["http", "https"])(entry.evidence_url)
        except ValidationError:
            errors["evidence_url"] = f"{label}: enter the evidence link as a web address starting https://"

    if entry.rag == Rag.NOT_REPORTED:
        if entry.not_reported_reason not in NotReportedReason.values:
            errors["not_reported_reason"] = (
                f"{label}: say why it is not reported (no target set, not applicable, data not yet available or other)"
            )
        elif entry.not_reported_reason == NotReportedReason.OTHER and not entry.not_reported_other.strip():
            errors["not_reported_other"] = f"{label}: describe the other reason it is not reported"
        return errors

    computed = (
        rag_compute(
            actual=entry.actual,
            target=target,
            higher_is_better=indicator.higher_is_better,
            tolerance_pct=indicator.tolerance_pct,
        )
        if indicator.kind == Indicator.Kind.QUANTITATIVE
        else ""
    )
    if computed and entry.rag and entry.rag != computed and not entry.rag_override_reason.strip():
        errors["rag_override_reason"] = (
            f"{label}: the figures rate {Rag(computed).label.lower()}; write why you rate it "
            f"{Rag(entry.rag).label.lower()} instead"
        )

    if not complete:
        return errors
    if not entry.rag and not computed:
        errors["rag"] = f"{label}: choose a RAG rating, or not reported with a reason"
    if indicator.kind == Indicator.Kind.QUANTITATIVE and entry.actual is None:
        errors["actual"] = f"{label}: enter the actual figure, or mark it not reported with a reason"
    self_rated = indicator.kind != Indicator.Kind.QUANTITATIVE or target is None
    if self_rated and not entry.narrative.strip():
        errors["narrative"] = f"{label}: write a narrative explaining the rating"
    return errors


def text_errors(entry: ResultEntry, *, label: str) -> dict[str, str]:
    """Text that cannot be stored or exported: control characters (NUL included) and text over its length."""
    errors = {}
    for name, (what, longest) in TEXT_FIELDS.items():
        text = getattr(entry, name) or ""
        found = CONTROL_CHARACTERS.search(text)
        if found:
            errors[name] = (
                f"{label}: the {what} holds a control character (code {ord(found.group()):#04x}) that cannot be "
                "saved; use letters, numbers, punctuation and line breaks only"
            )
        elif longest is not None and len(text.strip()) > longest:
            errors[name] = f"{label}: the {what} must be at most {longest} characters (it has {len(text.strip())})"
    return errors


def rag_settled(entry: ResultEntry, *, indicator: Indicator, target: Decimal | None) -> tuple[str, str]:
    """The rating to store and the computed one: an empty rating on a Q indicator with figures takes the
    computed rating."""
    computed = ""
    if indicator.kind == Indicator.Kind.QUANTITATIVE and entry.rag != Rag.NOT_REPORTED:
        computed = rag_compute(
            actual=entry.actual,
            target=target,
            higher_is_better=indicator.higher_is_better,
            tolerance_pct=indicator.tolerance_pct,
        )
    return (entry.rag or computed), computed
