from django.conf import settings

from vcsportal.navigation import links_for
from vcsportal.twofactor.middleware import second_factor_owed


def navigation(request):
    user = getattr(request, "user", None)
    # Halfway through signing in (the second factor still owed), nothing is offered but finishing it.
    if user is not None and user.is_authenticated and second_factor_owed(request):
        user = None
    return {
        "portal_name": settings.PORTAL_NAME,
        "portal_partnership": settings.PORTAL_PARTNERSHIP,
        "nav_links": links_for(user) if user is not None and user.is_authenticated else [],
    }
