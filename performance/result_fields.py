"""Which of a result's fields each role may write: declared once here, and asked by every channel that writes
results (the return form, the CSV import, the API), so a field one channel refuses none lets through.

A row names the result it writes (its indicator and district; in the CSV also its period and provider) and
the values it sets. Each channel names fields its own way: the form by the model's names, the CSV and the
API by the import's columns (``reason`` stands for the three reasons, ``evidence_url`` is the API's own).
Every name a row gives that is not its key must be one the channel knows and, for a value that is not blank,
one whose fields the role may write; anything else is refused, naming the field, before anything is saved.

Like the permission policies (``performance.policies``), this is where roles are compared; channels ask
``result_fields_writable(user)`` and ``refused_names(...)``, never the role.
"""

from core.policies import role_of
from core.roles import Role

#: What a provider's staff type for a row: its rating, figure, reasons, narrative and evidence.
ENTRY_FIELDS = frozenset(
    {"rag", "actual", "rag_override_reason", "not_reported_reason", "not_reported_other", "narrative", "evidence_url"}
)

#: The declaration: which of a result's fields each role may write with its figures. The target is LCC's (the
#: targets table's value, or one an LCC officer gives a row); the computed rating is the portal's own; the
#: validation and its comment are a reviewer's verdict, given on the return page (``results_validate``), never
#: written with the figures. A role not named writes nothing.
RESULT_FIELDS_WRITABLE: dict[Role, frozenset[str]] = {
    Role.PROVIDER_STAFF: ENTRY_FIELDS,
    Role.CIO_STAFF: ENTRY_FIELDS,
    Role.LCC_OFFICER: ENTRY_FIELDS | {"target"},
    Role.FUNDER_REVIEWER: frozenset(),
    Role.PEER_REVIEWER: frozenset(),
    Role.NATIONAL_REVIEWER: frozenset(),
}

#: A reviewer's verdict on a row, written only by a review (``results_validate``, the return page's verdicts),
#: and only on the returns the policy lets the reviewer review; the figures are never written there.
VERDICT_FIELDS = frozenset({"validation", "validation_comment"})
RESULT_FIELDS_REVIEWED: dict[Role, frozenset[str]] = {
    Role.LCC_OFFICER: VERDICT_FIELDS,
    Role.CIO_STAFF: VERDICT_FIELDS,
    Role.PROVIDER_STAFF: frozenset(),
    Role.FUNDER_REVIEWER: frozenset(),
    Role.PEER_REVIEWER: frozenset(),
    Role.NATIONAL_REVIEWER: frozenset(),
}

#: The command line's operator (``import_returns``, run with no user) writes as an LCC officer does.
OPERATOR_WRITES = RESULT_FIELDS_WRITABLE[Role.LCC_OFFICER]

#: Why a field is not the role's to set, for the message.
WHY_NOT = {
    "target": "the target comes from the framework's targets; only an LCC officer may give a row its own",
    "computed_rag": "the portal works the computed rating out from the figures and the target",
    "validation": "a reviewer gives the verdict on the return page, not with the figures",
    "validation_comment": "a reviewer writes it with the verdict on the return page, not with the figures",
}

#: The CSV's and the API's row cells (both read by ``performance.imports.result_row_read``), each with the
#: result fields it writes. ``ROW_KEY_CELLS`` say which result a row is; a CSV line also names its return
#: (``FILE_KEY_CELLS``), where the API's request names it in its address.
ROW_CELLS: dict[str, tuple[str, ...]] = {
    "rag": ("rag",),
    "actual": ("actual",),
    "target": ("target",),
    "reason": ("rag_override_reason", "not_reported_reason", "not_reported_other"),
    "narrative": ("narrative",),
    "evidence_url": ("evidence_url",),
}
ROW_KEY_CELLS = frozenset({"indicator", "district"})
FILE_KEY_CELLS = ROW_KEY_CELLS | {"period", "provider"}


def result_fields_writable(user) -> frozenset[str]:
    """The result fields this user may write (None: the command line's operator)."""
    if user is None:
        return OPERATOR_WRITES
    return RESULT_FIELDS_WRITABLE.get(role_of(user), frozenset())


def verdict_fields_writable(user) -> frozenset[str]:
    """The result fields this user may write in a review."""
    return RESULT_FIELDS_REVIEWED.get(role_of(user), frozenset())


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def refused_names(
    given: dict, *, writable: frozenset[str], fields: dict[str, tuple[str, ...]], keys=frozenset()
) -> list[tuple[str, str]]:
    """The names in ``given`` (name -> value) that this row may not carry, each with the message saying why:
    a name the channel does not know (``fields`` maps each name it knows to the result fields it writes;
    ``keys`` are the names saying which row it is), or a value that is not blank for a field outside
    ``writable``. A blank value for a field the role may not write sets nothing, and passes."""
    refused = []
    for name, value in given.items():
        if name in keys:
            continue
        if name not in fields:
            refused.append(
                (
                    name,
                    f"“{name}” cannot be set here"
                    + (f": {WHY_NOT[name]}" if name in WHY_NOT else "")
                    + f"; a row gives only {', '.join(sorted({*keys, *fields}))}",
                )
            )
        elif not _blank(value) and not set(fields[name]) <= writable:
            not_yours = sorted(set(fields[name]) - writable)
            why = "; ".join(WHY_NOT[field] for field in not_yours if field in WHY_NOT)
            refused.append((name, f"you may not set the {name}" + (f": {why}" if why else "")))
    return refused


def refused_cells(cells: dict, *, user, keys=ROW_KEY_CELLS) -> list[tuple[str, str]]:
    """A CSV or API row's cells this user may not give (see ``refused_names``)."""
    return refused_names(cells, writable=result_fields_writable(user), fields=ROW_CELLS, keys=keys)


def refused_form_names(data, *, prefix: str, form_fields, writable: frozenset[str]) -> list[tuple[str, str]]:
    """The names a form's row (its fields posted as ``<prefix>-<name>``: the return form's rows, the review's
    verdicts) gives that may not be set there: a name that is not one of the form's fields (the row's key
    included: a row is named by its prefix), or a value for a field outside ``writable``."""
    start = f"{prefix}-"
    given = {name[len(start) :]: data.get(name) for name in data if name.startswith(start)}
    return refused_names(given, writable=writable, fields={name: (name,) for name in form_fields})
