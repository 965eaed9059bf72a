"""Reads that may lag: how a view (or a selector's caller) says its reads may come from a replica.

Production can run PostgreSQL replicas beside the primary (``DATABASE_REPLICA_URL``). Every read goes to
the primary unless the code doing it has said, in one of the ways below, that a moment's lag is acceptable:
the dashboard, its exports, the indicator page and the API's lists say so; the return page, every write and
everything inside a transaction never do. The router (``vcsportal.db_routing``) reads the flag set here and
sends the reads of models that may lag to the replica; this module knows nothing of databases, so the
domain apps can declare their views without reaching up to the site.

- ``@reads_may_lag`` on a view function (or ``method_decorator(reads_may_lag, name="list")``),
  or ``ReadsMayLagMixin`` first among a class-based view's bases: the whole request, including the rendering
  of its template and the streaming of its download, which both happen after the view returns.
- ``with lagging_reads():`` around a selector call that is not a view (a command, a scheduled export).

A request made soon after the same browser wrote something is pinned to the primary (see
``pin_to_primary``), so people always see their own saves, even on a page whose reads may lag.
"""

import contextvars
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import wraps

from django.template.response import TemplateResponse

_reads_may_lag = contextvars.ContextVar("reads_may_lag", default=False)


def reading_may_lag() -> bool:
    """Whether the code running now has said its reads may come from a replica."""
    return _reads_may_lag.get()


@contextmanager
def lagging_reads():
    """Reads inside this block may come from a replica (writes and transactions still use the primary)."""
    token = _reads_may_lag.set(True)
    try:
        yield
    finally:
        _reads_may_lag.reset(token)


def pin_to_primary(request) -> None:
    """Mark ``request`` as one whose reads must see the primary (its browser wrote something moments ago)."""
    request.reads_pinned_to_primary = True


def pinned_to_primary(request) -> bool:
    return getattr(request, "reads_pinned_to_primary", False)


def _lagging_iteration(chunks: Iterable) -> Iterator:
    """Each chunk of a streamed response is produced inside ``lagging_reads``, one ``next`` at a time, so
    the flag is never left set between chunks while the server writes them out."""
    iterator = iter(chunks)
    while True:
        with lagging_reads():
            try:
                chunk = next(iterator)
            except StopIteration:
                return
        yield chunk


def reads_may_lag(view):
    """Decorate a view: its reads may come from a replica, unless the request is pinned to the primary.

    A ``TemplateResponse`` is rendered here (its template may still run queries), and a streamed response
    keeps the flag while each chunk is made, so every read of the request is covered, and none of another.
    """

    @wraps(view)
    def lagging(request, *args, **kwargs):
        if pinned_to_primary(request):
            return view(request, *args, **kwargs)
        with lagging_reads():
            response = view(request, *args, **kwargs)
            if isinstance(response, TemplateResponse) and not response.is_rendered:
                response.render()
        if getattr(response, "streaming", False):
            response.streaming_content = _lagging_iteration(response.streaming_content)
        return response

    lagging.reads_may_lag = True  # how tests (and method_decorator's copy) recognise a view that may lag
    return lagging


class ReadsMayLagMixin:
    """First among a class-based view's bases: every read of its requests may come from a replica."""

    def dispatch(self, request, *args, **kwargs):
        return reads_may_lag(super().dispatch)(request, *args, **kwargs)
