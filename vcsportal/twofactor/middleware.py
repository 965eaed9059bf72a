"""The gate: a person who owes a second factor in this session reaches only the pages that ask for it or set it
up (and signing out) until they pass it. Put after django-otp's OTPMiddleware (which tells whether the session
has passed) and Django's LoginRequiredMiddleware (anonymous visitors go to sign in first)."""

from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.urls import reverse

from vcsportal.twofactor.services import DUE_SESSION_KEY, second_factor_required

#: The url names open to a signed-in person who has not yet passed their second factor.
OPEN_BEFORE_SECOND_FACTOR = frozenset(
    {"twofactor:verify", "twofactor:setup", "logout", "admin:logout", "login", "health"}
)


def second_factor_owed(request) -> bool:
    """Is this request's person signed in with a password but not yet through the second factor they owe?"""
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return False
    return second_factor_required(user) or bool(request.session.get(DUE_SESSION_KEY))


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not second_factor_owed(request):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        if request.path.startswith("/api/"):
            # A program gets an answer it can read, not a sign-in page; a token, not a session, is the API's way.
            return JsonResponse({"detail": "Finish signing in with your two-factor code first."}, status=403)
        return redirect_to_login(request.get_full_path(), reverse("twofactor:verify"), "next")
