from django.conf import settings

from vcsportal.navigation import links_for


def navigation(request):
    user = getattr(request, "user", None)
    return {
        "portal_name": settings.PORTAL_NAME,
        "portal_partnership": settings.PORTAL_PARTNERSHIP,
        "nav_links": links_for(user) if user is not None and user.is_authenticated else [],
    }
