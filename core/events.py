"""What happened, announced by the services that made it happen, for whoever listens above them.

A domain app never imports the apps above it, yet its services are where things happen (a return sent back,
a period opened, a dispute decided). So a service calls ``publish`` with the event's name, the object it is
about, who did it and what else a listener needs; listeners (the notifications app, on top) ``subscribe``
when their app is ready. Listeners run inside the service's transaction, so what they record (a
notification owed) commits or rolls back with the change itself; anything that leaves the building (email)
they hand to a task queue that runs after commit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Event:
    name: str
    obj: Any
    actor: Any = None
    data: dict = field(default_factory=dict)


Listener = Callable[[Event], None]
_listeners: list[Listener] = []


def subscribe(listener: Listener) -> None:
    """Call ``listener`` with every event published from now on (once, however often it subscribes)."""
    if listener not in _listeners:
        _listeners.append(listener)


def unsubscribe(listener: Listener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def publish(name: str, obj, *, actor=None, **data) -> Event:
    """Announce that ``name`` happened to ``obj`` (done by ``actor``: a user, or None for the system)."""
    event = Event(name=name, obj=obj, actor=actor, data=data)
    for listener in list(_listeners):
        listener(event)
    return event
