"""Demo users, one per role, for trying the portal on the Leicestershire data. Never run by migrations."""

import base64

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from contracts.models import Funder, Organisation
from core.roles import NATIONAL_ROLES, SECOND_FACTOR_ROLES, Role
from districts.models import County
from vcsportal.models import User
from vcsportal.people.roles import roles_sync

DEMO_PASSWORD = "portal-demo-2011"
#: The partnership the demo users work in.
DEMO_PARTNERSHIP = "leicestershire"

#: The demo users who must pass a second factor (their role requires it) sign in with codes from this
#: secret: add it to an authenticator app (as a time-based key), or print the current code with
#: ``python manage.py demo_code``. Public, like the demo password: development only.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

#: username, full name, role, organisation code, funder code
DEMO_USERS = [
    ("lcc.officer", "Laura Officer", Role.LCC_OFFICER, None, "LCC"),
    ("funder.reviewer", "Priya Reviewer", Role.FUNDER_REVIEWER, None, "PCT"),
    ("val.staff", "Victor Staff", Role.CIO_STAFF, "VAL", None),
    ("vasl.hub", "Hannah Hub", Role.PROVIDER_STAFF, "VASL", None),
    ("vac.hub", "Charlie Hub", Role.PROVIDER_STAFF, "VAC", None),
    ("lutterworth.lrc", "Lee Centre", Role.PROVIDER_STAFF, "LUTLRC", None),
    ("peer.reviewer", "Pat Chair", Role.PEER_REVIEWER, None, None),
    # In no partnership: compares every partnership's signed-off figures.
    ("national.reviewer", "Nadia National", Role.NATIONAL_REVIEWER, None, None),
]


@transaction.atomic
def demo_users_create(*, password: str = DEMO_PASSWORD) -> list[User]:
    """Create (or reset) the demo users; needs the Leicestershire data loaded first."""
    users = []
    partnership = County.objects.get(slug=DEMO_PARTNERSHIP)
    for username, full_name, role, organisation_code, funder_code in DEMO_USERS:
        first, last = full_name.split(" ", 1)
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.org",
                "role": role,
                "organisation": (
                    Organisation.objects.get(code=organisation_code, county=partnership) if organisation_code else None
                ),
                "funder": Funder.objects.get(code=funder_code, county=partnership) if funder_code else None,
                "partnership": None if role in NATIONAL_ROLES else partnership,
                "is_staff": role == Role.LCC_OFFICER,
                "is_superuser": False,
            },
        )
        user.set_password(password)
        user.full_clean()
        user.save()
        users.append(user)
    roles_sync()
    for user in users:
        if Role(user.role) in SECOND_FACTOR_ROLES:
            demo_authenticator_set(user)
    return users


def demo_authenticator_set(user: User) -> TOTPDevice:
    """Give a demo user an authenticator app holding ``DEMO_TOTP_SECRET`` (reset: no code used yet)."""
    TOTPDevice.objects.filter(user=user).exclude(name=DEMO_DEVICE_NAME).delete()
    device, _ = TOTPDevice.objects.update_or_create(
        user=user,
        name=DEMO_DEVICE_NAME,
        defaults={
            "key": base64.b32decode(DEMO_TOTP_SECRET).hex(),
            "confirmed": True,
            "last_t": -1,
            "drift": 0,
            "throttling_failure_count": 0,
            "throttling_failure_timestamp": None,
        },
    )
    return device


DEMO_DEVICE_NAME = "Demo authenticator"
