"""Two-factor sign-in: a time-based code from an authenticator app (django-otp's TOTP device), with single-use
recovery codes (its static device) for when the phone is lost.

Who must: site administrators (superusers) and the roles in ``core.roles.SECOND_FACTOR_ROLES``. Anyone else may
set it up, and from then on must pass it too. Until a person who must has passed it in this session, they reach
only the pages that set it up or ask for the code (``vcsportal.twofactor.middleware``).

A new authenticator's secret lives in the session until the person proves it with a code (no row is written on
a GET); the device is saved only then, with its recovery codes.
"""

import base64
import secrets
import time
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.db import transaction
from django_otp import devices_for_user
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.roles import SECOND_FACTOR_ROLES, Role

RECOVERY_CODE_COUNT = 10
#: The session key holding whether this sign-in owes a second factor (set at sign-in, so that asking costs
#: no query on every request).
DUE_SESSION_KEY = "second_factor_due"
TOTP_STEP = 30
TOTP_DIGITS = 6


def second_factor_required(user) -> bool:
    """Must this person use a second factor (whether or not they have set one up yet)?"""
    if not user.is_authenticated:
        return False
    return user.is_superuser or Role(user.role) in SECOND_FACTOR_ROLES


def has_authenticator(user) -> bool:
    """Has this person a confirmed authenticator app?"""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def second_factor_due_at_sign_in(user) -> bool:
    """At sign-in: must this session pass a second factor (required, or chosen by setting one up)?"""
    return second_factor_required(user) or any(devices_for_user(user, confirmed=True))


@dataclass(frozen=True)
class NewAuthenticator:
    """An authenticator being set up: its secret, as the app takes it (base32) and as a QR code's otpauth URI."""

    key_hex: str

    @property
    def secret(self) -> str:
        return base64.b32encode(bytes.fromhex(self.key_hex)).decode()

    @property
    def secret_grouped(self) -> str:
        """The secret in groups of four, to type into an app by hand."""
        return " ".join(self.secret[i : i + 4] for i in range(0, len(self.secret), 4))

    def uri(self, *, username: str, issuer: str) -> str:
        """The otpauth:// address an authenticator app reads from the QR code (Google's Key URI format)."""
        label = quote(f"{issuer.replace(':', '')}:{username}")
        query = urlencode(
            {"secret": self.secret, "algorithm": "SHA1", "digits": TOTP_DIGITS, "period": TOTP_STEP, "issuer": issuer},
            quote_via=quote,
        )
        return f"otpauth://totp/{label}?{query}"


def authenticator_new() -> NewAuthenticator:
    """A fresh 20-byte secret for an authenticator app (nothing is saved)."""
    return NewAuthenticator(key_hex=secrets.token_hex(20))


def _totp_step_matching(key_hex: str, code: str) -> int | None:
    """The time step at which ``code`` is the code of ``key_hex`` (now, or one step either side), or None."""
    code = (code or "").replace(" ", "")
    if not (code.isdigit() and len(code) == TOTP_DIGITS):
        return None
    totp = TOTP(bytes.fromhex(key_hex), step=TOTP_STEP, digits=TOTP_DIGITS)
    totp.time = time.time()
    if not totp.verify(int(code), tolerance=1):
        return None
    return totp.t()  # the step that matched (verify leaves its offset in drift)


@transaction.atomic
def authenticator_confirm(*, user, new: NewAuthenticator, code: str) -> tuple[TOTPDevice, list[str]] | None:
    """Save the authenticator once the person has typed a code it shows (replacing any earlier one), with a new
    set of recovery codes. Returns the device and the recovery codes, or None when the code is wrong."""
    step = _totp_step_matching(new.key_hex, code)
    if step is None:
        return None
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(
        user=user, name="Authenticator app", key=new.key_hex, step=TOTP_STEP, digits=TOTP_DIGITS, confirmed=True
    )
    # The code just used to prove the app cannot be used again to sign in.
    device.last_t = step
    device.save(update_fields=["last_t"])
    return device, recovery_codes_create(user=user)


@transaction.atomic
def recovery_codes_create(*, user) -> list[str]:
    """A new set of single-use recovery codes; the old ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name="Recovery codes", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@dataclass(frozen=True)
class Verification:
    device: object | None
    #: Seconds to wait before the next try, when too many wrong codes were given (django-otp's throttling).
    wait_seconds: int = 0


def second_factor_verify(*, user, code: str) -> Verification:
    """Check a code from the authenticator app (six digits) or a recovery code (each works once). Wrong codes
    slow the next tries down (1, 2, 4, 8... seconds, per device), as django-otp throttles them."""
    code = (code or "").strip().replace(" ", "").lower()
    if not code:
        return Verification(None)
    kind = TOTPDevice if code.isdigit() else StaticDevice
    for device in kind.objects.filter(user=user, confirmed=True):
        with transaction.atomic():
            device = type(device).objects.select_for_update().get(pk=device.pk)
            allowed, details = device.verify_is_allowed()
            if not allowed:
                locked_until = (details or {}).get("locked_until")
                wait = max(1, int((locked_until.timestamp() - time.time()) + 0.999)) if locked_until else 1
                return Verification(None, wait_seconds=wait)
            if device.verify_token(code):
                return Verification(device)
    return Verification(None)


@transaction.atomic
def second_factor_remove(*, user) -> int:
    """Remove every authenticator and recovery code of this person (they turned it off, or it was reset)."""
    removed = 0
    for device in devices_for_user(user, confirmed=None):
        device.delete()
        removed += 1
    return removed
