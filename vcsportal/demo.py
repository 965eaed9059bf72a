"""Demo users, one per role, for trying the portal on the Leicestershire data. Never run by migrations."""

from django.db import transaction

from contracts.models import Funder, Organisation
from core.roles import Role
from vcsportal.models import User

DEMO_PASSWORD = "portal-demo-2011"

#: username, full name, role, organisation code, funder code
DEMO_USERS = [
    ("lcc.officer", "Laura Officer", Role.LCC_OFFICER, None, "LCC"),
    ("funder.reviewer", "Priya Reviewer", Role.FUNDER_REVIEWER, None, "PCT"),
    ("val.staff", "Victor Staff", Role.CIO_STAFF, "VAL", None),
    ("vasl.hub", "Hannah Hub", Role.PROVIDER_STAFF, "VASL", None),
    ("vac.hub", "Charlie Hub", Role.PROVIDER_STAFF, "VAC", None),
    ("lutterworth.lrc", "Lee Centre", Role.PROVIDER_STAFF, "LUTLRC", None),
    ("peer.reviewer", "Pat Chair", Role.PEER_REVIEWER, None, None),
]


@transaction.atomic
def demo_users_create(*, password: str = DEMO_PASSWORD) -> list[User]:
    """Create (or reset) the demo users; needs the Leicestershire data loaded first."""
    users = []
    for username, full_name, role, organisation_code, funder_code in DEMO_USERS:
        first, last = full_name.split(" ", 1)
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.org",
                "role": role,
                "organisation": Organisation.objects.get(code=organisation_code) if organisation_code else None,
                "funder": Funder.objects.get(code=funder_code) if funder_code else None,
                "is_staff": role == Role.LCC_OFFICER,
                "is_superuser": False,
            },
        )
        user.set_password(password)
        user.full_clean()
        user.save()
        users.append(user)
    return users
