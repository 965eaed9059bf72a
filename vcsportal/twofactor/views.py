"""The person's own two-factor pages: set up an authenticator app, give the code at sign-in, see or renew
recovery codes, turn it off (only where the role does not require it). Each is the signed-in person's own:
there is no id to guess."""

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views import View
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login

from vcsportal.twofactor.forms import AuthenticatorConfirmForm, SecondFactorForm, TurnOffForm
from vcsportal.twofactor.middleware import second_factor_owed
from vcsportal.twofactor.services import (
    DUE_SESSION_KEY,
    NewAuthenticator,
    authenticator_confirm,
    authenticator_new,
    has_authenticator,
    recovery_codes_create,
    recovery_codes_left,
    second_factor_remove,
    second_factor_required,
    second_factor_verify,
)

NEW_KEY_SESSION_KEY = "second_factor_new_key"
FRESH_CODES_SESSION_KEY = "second_factor_fresh_codes"


def _next_url(request) -> str:
    """Where to go once through: the ``next`` asked for, when it is on this site; else the home page."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return wanted
    return reverse("home")


def _with_next(url_name: str, request) -> str:
    wanted = request.POST.get("next") or request.GET.get("next")
    return reverse(url_name) + (f"?{urlencode({'next': wanted})}" if wanted else "")


def _passed(request, device) -> None:
    """The session has passed its second factor: a new session key (against fixation), then the device."""
    request.session.cycle_key()
    otp_login(request, device)
    request.session[DUE_SESSION_KEY] = True


class VerifyView(View):
    """The second step of signing in: the code from the app, or a recovery code."""

    template_name = "twofactor/verify.html"

    def dispatch(self, request, *args, **kwargs):
        if not second_factor_owed(request):
            return HttpResponseRedirect(_next_url(request))
        if not has_authenticator(request.user) and not recovery_codes_left(request.user):
            # Owed but never set up (a role that requires it): set it up now, which proves it too.
            return HttpResponseRedirect(_with_next("twofactor:setup", request))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self._render(request, SecondFactorForm())

    def post(self, request):
        form = SecondFactorForm(data=request.POST)
        if form.is_valid():
            verification = second_factor_verify(user=request.user, code=form.cleaned_data["code"])
            if verification.device is not None:
                _passed(request, verification.device)
                return HttpResponseRedirect(_next_url(request))
            if verification.wait_seconds:
                form.add_error(
                    "code",
                    f"Too many wrong codes. Wait {verification.wait_seconds} seconds, then enter the code again.",
                )
            else:
                form.add_error("code", "That code is not right, or has been used. Enter the code the app shows now.")
        return self._render(request, form, status=400)

    def _render(self, request, form, status=200):
        context = {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")}
        return render(request, self.template_name, context, status=status)


# A credential is on these pages (the new secret; the recovery codes): never cached, so never compressed.
@method_decorator(never_cache, name="dispatch")
class SetUpView(View):
    """Add an authenticator app: scan the QR code (or type the secret), then prove it with a code. The secret
    waits in the session until then; the device and its recovery codes are saved only when the code is right."""

    template_name = "twofactor/setup.html"

    def dispatch(self, request, *args, **kwargs):
        # Someone holding only the password must not swap in an app of their own: with an app set up, the
        # session passes the second factor first.
        if has_authenticator(request.user) and not request.user.is_verified():
            return HttpResponseRedirect(_with_next("twofactor:verify", request))
        return super().dispatch(request, *args, **kwargs)

    def _new(self, request) -> NewAuthenticator:
        key = request.session.get(NEW_KEY_SESSION_KEY)
        if not key:
            key = authenticator_new().key_hex
            request.session[NEW_KEY_SESSION_KEY] = key
        return NewAuthenticator(key_hex=key)

    def get(self, request):
        return self._render(request, AuthenticatorConfirmForm())

    def post(self, request):
        form = AuthenticatorConfirmForm(data=request.POST)
        if form.is_valid():
            confirmed = authenticator_confirm(user=request.user, new=self._new(request), code=form.cleaned_data["code"])
            if confirmed is not None:
                device, codes = confirmed
                del request.session[NEW_KEY_SESSION_KEY]
                _passed(request, device)
                request.session[FRESH_CODES_SESSION_KEY] = codes
                messages.success(request, "Two-factor sign-in is on. Save your recovery codes now.")
                return HttpResponseRedirect(_with_next("twofactor:recovery_codes", request))
            form.add_error("code", "That code is not right. Check the app shows the portal, then enter its code now.")
        return self._render(request, form, status=400)

    def _render(self, request, form, status=200):
        new = self._new(request)
        uri = new.uri(username=request.user.get_username(), issuer=settings.OTP_TOTP_ISSUER)
        context = {
            "form": form,
            "secret": new.secret_grouped,
            "qr_code": segno.make(uri, error="m").svg_data_uri(scale=5, border=2, dark="#0b0c0c"),
            "required": second_factor_required(request.user),
            "replacing": has_authenticator(request.user),
            "next": request.POST.get("next") or request.GET.get("next", ""),
        }
        return render(request, self.template_name, context, status=status)


@method_decorator(never_cache, name="dispatch")
class RecoveryCodesView(View):
    """New recovery codes are shown once, straight after they are made; after that, how many are left."""

    template_name = "twofactor/recovery_codes.html"

    def get(self, request):
        codes = request.session.pop(FRESH_CODES_SESSION_KEY, None)
        context = {
            "codes": codes,
            "left": recovery_codes_left(request.user),
            "has_authenticator": has_authenticator(request.user),
            "next": _next_url(request),  # only ever a page of this site
        }
        return render(request, self.template_name, context)

    def post(self, request):
        if not has_authenticator(request.user):
            raise PermissionDenied("Set up two-factor sign-in before making recovery codes.")
        request.session[FRESH_CODES_SESSION_KEY] = recovery_codes_create(user=request.user)
        messages.success(request, "Your new recovery codes are below. The old ones no longer work.")
        return redirect("twofactor:recovery_codes")


class ManageView(View):
    """Whether two-factor sign-in is on, and the ways to change it."""

    template_name = "twofactor/manage.html"

    def get(self, request):
        return self._render(request, TurnOffForm(user=request.user))

    def post(self, request):
        """Turn it off: only where the role does not require it, and only with the password."""
        if second_factor_required(request.user):
            raise PermissionDenied("Your role requires two-factor sign-in: it cannot be turned off.")
        if not has_authenticator(request.user):
            return redirect("twofactor:manage")
        form = TurnOffForm(data=request.POST, user=request.user)
        if not form.is_valid():
            return self._render(request, form, status=400)
        second_factor_remove(user=request.user)
        request.session.pop(DUE_SESSION_KEY, None)
        messages.success(request, "Two-factor sign-in is off. You sign in with your password alone.")
        return redirect("twofactor:manage")

    def _render(self, request, form, status=200):
        context = {
            "form": form,
            "on": has_authenticator(request.user),
            "required": second_factor_required(request.user),
            "left": recovery_codes_left(request.user),
        }
        return render(request, self.template_name, context, status=status)
