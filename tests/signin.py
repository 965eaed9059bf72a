"""Signing test clients in. ``force_login`` stands in for the password; ``second_factor_passed`` stands in for
the two-factor code in the same way (the session holds the person's authenticator as passed), for tests about
something else. Tests of signing in itself give a real code, computed with pyotp (``totp_code``)."""

import time

import pyotp
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from vcsportal.demo import DEMO_TOTP_SECRET
from vcsportal.twofactor.services import second_factor_required


def second_factor_passed(client: Client, user) -> None:
    """Mark the client's session as through the second factor with the person's authenticator (one is made for
    a person who has none, e.g. a superuser made by a test)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def signed_in(user, client: Client | None = None) -> Client:
    """A client signed in as ``user``, through the second factor where their role requires one."""
    client = client or Client()
    client.force_login(user)
    if second_factor_required(user):
        second_factor_passed(client, user)
    return client


def totp_code(secret: str = DEMO_TOTP_SECRET, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app holding ``secret`` shows now (or ``steps_ahead`` 30-second steps later,
    within the one step of clock drift the portal allows)."""
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_ahead)
