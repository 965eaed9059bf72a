from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from core.roles import ROLE_SUMMARIES, Role
from vcsportal.api.tokens import api_token_for, api_token_regenerate
from vcsportal.navigation import links_for


@method_decorator(login_not_required, name="dispatch")
class PortalLoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


@login_not_required
@require_GET
def health(request):
    """For load balancers: answers without a login, and proves the database answers too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["role_summary"] = ROLE_SUMMARIES.get(Role(user.role), "")
        context["links"] = links_for(user)
        return context


class ApiTokenView(TemplateView):
    """The signed-in user's own API token: shown, created or regenerated (POST, with CSRF); only ever
    their own, so there is no id to guess."""

    template_name = "api/token.html"
    http_method_names = ["get", "post", "head"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["token"] = api_token_for(self.request.user)
        return context

    def post(self, request, *args, **kwargs):
        had_one = api_token_for(request.user) is not None
        api_token_regenerate(user=request.user)
        messages.success(
            request,
            "Your new API token is shown below. The old one no longer works."
            if had_one
            else "Your API token has been created and is shown below.",
        )
        return redirect("api_token")
