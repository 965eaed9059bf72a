"""Past one machine: reads that may lag go to a PostgreSQL streaming replica, everything else to the primary.

With ``DATABASE_REPLICA_URL`` set, settings add a ``replica`` database alias (``READ_REPLICA``) and this
router sends to it the reads of code that has said a moment's lag is acceptable (``core.replicas``: the
dashboard and its exports, the indicator page, the API's lists and summary). Everything else reads and
writes the primary: writes, reads inside a transaction (a service reading what it is about to change), the
return page and every other page, and at all times the tables of sign-in and sessions (users, groups and
permissions, sessions, API tokens, login throttling, the admin's log), which must never be a moment old.

``PrimaryAfterWriteMiddleware`` pins a browser's reads to the primary for a few seconds after it wrote
anything (any POST, PUT, PATCH or DELETE), so whoever just saved sees their save everywhere, dashboards
included, however far the replica has fallen behind.

Without a replica the router answers nothing and Django's single database serves everything as before.
"""

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from core.replicas import pin_to_primary, reading_may_lag

#: Apps whose tables are always read on the primary: who is signed in, and whether they may.
PRIMARY_ONLY_APPS = frozenset({"auth", "sessions", "authtoken", "axes", "admin", "contenttypes"})

#: The cookie that pins a browser's reads to the primary for a while after it wrote something.
PIN_COOKIE = "reads_primary"

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def read_replica() -> str | None:
    return getattr(settings, "READ_REPLICA", None)


def _primary_only(model) -> bool:
    return model._meta.app_label in PRIMARY_ONLY_APPS or model._meta.label == settings.AUTH_USER_MODEL


class ReplicaRouter:
    """Reads that may lag to the replica; every other read, every write and every migration to the primary."""

    def db_for_read(self, model, **hints):
        replica = read_replica()
        if replica is None:
            return None
        if (
            reading_may_lag()
            and not _primary_only(model)
            # A read inside a transaction belongs with the writes around it.
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return replica
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        # Even an object read from the replica is written to the primary (the replica is read-only).
        return DEFAULT_DB_ALIAS if read_replica() else None

    def allow_relation(self, obj1, obj2, **hints):
        replica = read_replica()
        if replica is None:
            return None
        # The replica holds the primary's own rows, so objects read from either may be related.
        return {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, replica}

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        replica = read_replica()
        if replica is None:
            return None
        # The replica is changed only by replaying the primary's WAL.
        return db != replica


class PrimaryAfterWriteMiddleware:
    """After a write, the same browser reads the primary for ``READ_REPLICA_PIN_SECONDS`` (a cookie)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if read_replica() is None:
            return self.get_response(request)
        writing = request.method in UNSAFE_METHODS
        if writing or PIN_COOKIE in request.COOKIES:
            pin_to_primary(request)
        response = self.get_response(request)
        if writing:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.READ_REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
