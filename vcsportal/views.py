from django.conf import settings
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import JsonResponse
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from core.forms import WordedErrorsMixin
from core.roles import ROLE_SUMMARIES, Role
from vcsportal.api.tokens import api_token_for, api_token_regenerate, token_fingerprint
from vcsportal.navigation import links_for
from vcsportal.pages.home import what_needs_you
from vcsportal.twofactor.services import second_factor_due_at_sign_in


@method_decorator(login_not_required, name="dispatch")
class PortalLoginView(auth_views.LoginView):
    """The password, the first step. Someone who owes a second factor goes straight on to it (the gate in
    vcsportal.twofactor.middleware would send them there anyway, from wherever they went)."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_success_url(self):
        url = super().get_success_url()
        if second_factor_due_at_sign_in(self.request.user):
            return reverse("twofactor:verify") + "?" + urlencode({"next": url})
        return url


# Django's password forms as they are, with their messages in the service's words.
class PasswordChangeForm(WordedErrorsMixin, auth_forms.PasswordChangeForm):
    pass


class PasswordResetForm(WordedErrorsMixin, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(WordedErrorsMixin, auth_forms.SetPasswordForm):
    pass


class PortalPasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change.html"
    form_class = PasswordChangeForm


# Forgotten passwords: Django's password-reset views (its token machinery), in the service's own pages. The
# email goes only to an active account with that address and a password; the page says the same either way.
@method_decorator(login_not_required, name="dispatch")
class PortalPasswordResetView(auth_views.PasswordResetView):
    template_name = "registration/password_reset_form.html"
    form_class = PasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")
    extra_email_context = {"portal_name": settings.PORTAL_NAME}


@method_decorator(login_not_required, name="dispatch")
class PortalPasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


@method_decorator(login_not_required, name="dispatch")
class PortalPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("password_reset_complete")


@method_decorator(login_not_required, name="dispatch")
class PortalPasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


@method_decorator(login_not_required, name="dispatch")
class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """The invitation's link: the new person sets their first password (the same token machinery as a reset:
    the link stops working once a password is set)."""

    template_name = "registration/invitation_accept.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("login")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your password is set. Sign in with your email address and your new password.")
        return response


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
        context["needs"] = what_needs_you(user)
        return context


# A credential is on the page: never cached, and so never compressed (vcsportal.compression).
@method_decorator(never_cache, name="dispatch")
class ApiTokenView(TemplateView):
    """The signed-in user's own API token: created or regenerated (POST, with CSRF), its key shown in full on
    that one answer only; afterwards the page shows its fingerprint and when it was made. Only ever their own,
    so there is no id to guess. Like every signed-in answer it is never stored by a cache (no-store)."""

    template_name = "api/token.html"
    http_method_names = ["get", "post", "head"]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("portal.use_api"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        token = api_token_for(self.request.user)
        context["token"] = token
        context["fingerprint"] = token_fingerprint(token) if token else ""
        return context

    def post(self, request, *args, **kwargs):
        had_one = api_token_for(request.user) is not None
        token = api_token_regenerate(user=request.user)
        messages.success(
            request,
            "Your new API token is shown below. The old one no longer works."
            if had_one
            else "Your API token has been created and is shown below.",
        )
        # Shown here, once: the page shows only its fingerprint from now on.
        return self.render_to_response(self.get_context_data(new_key=token.key))
