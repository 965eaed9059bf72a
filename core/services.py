"""What every write shares: reading a row under lock, refusing a stale edit, and saving with its history.

Each domain service is still the one path for its change (STYLE.md); these helpers are the steps they all
take, written once: ``lock_current`` re-reads the row ``FOR UPDATE`` so two saves run one after the other,
and refuses an edit made on an older ``version``; ``save_with_history`` validates and saves with the
history entry's who and why; ``save_new_version`` does the same and moves the version on.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

#: django-simple-history keeps a change reason of up to 100 characters.
REASON_LENGTH = 100

STALE_MESSAGE = "Someone else changed this since you opened it. Reload the page to see their change, then try again."


def stale_refusal(current, version: int) -> Exception:
    """The plain refusal of a stale edit (a service may give a richer one, saying what changed)."""
    return ValidationError(STALE_MESSAGE, code="stale")


def lock_current(
    obj: models.Model,
    *,
    version: int | None = None,
    queryset: models.QuerySet | None = None,
    stale: Callable[[models.Model, int], Exception] = stale_refusal,
):
    """The row as it is now, locked until the transaction ends (only its own row: related rows stay free).
    With ``version``, refuse (raise ``stale(current, version)``) when the row has moved on since."""
    queryset = queryset if queryset is not None else type(obj)._default_manager.all()
    current = queryset.select_for_update(of=("self",)).get(pk=obj.pk)
    refuse_if_stale(current, version, stale=stale)
    return current


def refuse_if_stale(
    current: models.Model, version: int | None, *, stale: Callable[[models.Model, int], Exception] = stale_refusal
) -> None:
    """Refuse an edit made on an older version than ``current``'s (None: the caller did not say, so no check)."""
    if version is not None and current.version != version:
        raise stale(current, version)


def record_history(obj: models.Model, *, user, reason: str) -> None:
    """Say who (None: the system or an operator at the command line) and why, for the next history entry."""
    obj._change_reason = (reason or "")[:REASON_LENGTH]
    if user is not None:
        obj._history_user = user


def save_with_history(obj: models.Model, *, user, reason: str, validate: bool = True):
    """Validate (unless told the caller has) and save, recording who and why in the same transaction."""
    if validate:
        obj.full_clean()
    record_history(obj, user=user, reason=reason)
    obj.save()
    return obj


def save_new_version(obj: models.Model, *, user, reason: str, validate: bool = True):
    """Save a versioned object as its next version (so an edit made on this one is refused as stale)."""
    obj.version += 1
    if user is not None and hasattr(obj, "updated_by_id"):
        obj.updated_by = user
    return save_with_history(obj, user=user, reason=reason, validate=validate)


def delete_with_history(obj: models.Model, *, user, reason: str) -> None:
    """Delete, keeping the history entry's who and why."""
    record_history(obj, user=user, reason=reason)
    obj.delete()


def require(allowed: bool, message: str = "You may not do that.") -> None:
    """Refuse (PermissionDenied) when a policy said no."""
    if not allowed:
        raise PermissionDenied(message)
