"""The client's address, for login lockouts (django-axes' ``AXES_CLIENT_IP_CALLABLE``).

With no proxy in front (``TRUSTED_PROXY_COUNT=0``, the default) it is the connection's address, REMOTE_ADDR:
an X-Forwarded-For header is the client's own words and is ignored. Behind N trusted proxies, each appends the
address it was reached from to X-Forwarded-For, so the N-th entry from the right was written by the outermost
trusted proxy: the client's address as the portal's own infrastructure saw it. Entries further left came from
the client and are never believed. A header shorter than N (a misconfigured proxy) falls back to REMOTE_ADDR.
"""

from django.conf import settings


def client_address(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if not count:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        return remote
    return forwarded[-count]
