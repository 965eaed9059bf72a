"""Nothing a signed-in person is sent is kept by a cache: every page, export and API answer to a signed-in
session or an API token says ``Cache-Control: no-store`` (with Django's other never-cache headers), so a shared
or browser cache never holds a return, a figure or a key for the next person at that computer.

It sits above the compression middleware in MIDDLEWARE, so it marks answers after they are compressed: the
compression still leaves alone only what a view marks no-store itself (a page showing a credential, the
sign-in page; vcsportal/compression.py)."""

from django.utils.cache import add_never_cache_headers


class NoStoreWhenSignedInMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        # DRF authenticates a token inside the view and sets the user on this request too.
        if (user is not None and user.is_authenticated) or "HTTP_AUTHORIZATION" in request.META:
            add_never_cache_headers(response)
        return response
