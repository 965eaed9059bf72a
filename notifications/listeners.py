"""Turns the events the services publish (``core.events``) into notifications, choosing who is told.

Each listener runs inside the service's transaction: the notifications it records commit or roll back with
the change, and their emails are queued only after the commit.
"""

from core.events import Event
from disputes.events import DISPUTE_DECIDED, DISPUTE_RAISED
from notifications.events import Kind
from notifications.selectors import dispute_audience, lcc_officers, provider_staff, reviewers_of
from notifications.services import notify
from performance import events
from performance.models import Return


def _version(return_obj: Return) -> str:
    # A return's version rises with every transition, so each sending back (or acceptance, ...) of the same
    # return is told once, and a later one is told again.
    return f"v{return_obj.version}"


def _period_opened(event: Event):
    period = event.obj
    still_open = period.returns.filter(status__in=[Return.Status.DRAFT, Return.Status.RETURNED])
    for return_obj in still_open.select_related("provider", "period"):
        notify(
            kind=Kind.PERIOD_OPENED,
            about=return_obj,
            recipients=provider_staff([return_obj.provider_id]),
            actor=event.actor,
        )


def _to_provider(kind: Kind):
    def listener(event: Event):
        return_obj = event.obj
        notify(
            kind=kind,
            about=return_obj,
            recipients=provider_staff([return_obj.provider_id]),
            actor=event.actor,
            occurrence=_version(return_obj),
            data=event.data,
        )

    return listener


def _submitted(event: Event):
    if not event.data.get("resubmitted"):
        return  # a first submission shows in the reviewer's list and on their home page; no email
    notify(
        kind=Kind.RESUBMITTED,
        about=event.obj,
        recipients=reviewers_of(event.obj),
        actor=event.actor,
        occurrence=_version(event.obj),
    )


def _accepted(event: Event):
    return_obj = event.obj
    notify(
        kind=Kind.ACCEPTED,
        about=return_obj,
        recipients=[*provider_staff([return_obj.provider_id]), *lcc_officers()],
        actor=event.actor,
        occurrence=_version(return_obj),
    )


def _dispute(kind: Kind):
    def listener(event: Event):
        notify(kind=kind, about=event.obj, recipients=dispute_audience(event.obj), actor=event.actor)

    return listener


LISTENERS = {
    events.PERIOD_OPENED: _period_opened,
    events.RETURN_SUBMITTED: _submitted,
    events.RETURN_ACCEPTED: _accepted,
    events.RETURN_SENT_BACK: _to_provider(Kind.SENT_BACK),
    events.RETURN_SIGNED_OFF: _to_provider(Kind.SIGNED_OFF),
    events.RETURN_REOPENED: _to_provider(Kind.REOPENED),
    DISPUTE_RAISED: _dispute(Kind.DISPUTE_RAISED),
    DISPUTE_DECIDED: _dispute(Kind.DISPUTE_DECIDED),
}


def on_event(event: Event) -> None:
    """The one subscriber: hands each event to its listener (events nobody is told about are ignored)."""
    listener = LISTENERS.get(event.name)
    if listener is not None:
        listener(event)
