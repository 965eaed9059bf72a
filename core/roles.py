"""The portal's roles, defined in code. Who may do what with each role is decided by the permission policies
(``<app>/policies.py``)."""

from django.db import models


class Role(models.TextChoices):
    LCC_OFFICER = "lcc_officer", "LCC contract officer"
    FUNDER_REVIEWER = "funder_reviewer", "Funder reviewer"
    CIO_STAFF = "cio_staff", "CIO staff"
    PROVIDER_STAFF = "provider_staff", "Hub or LRC staff"
    PEER_REVIEWER = "peer_reviewer", "Peer review member"


#: What each role is for, shown on the home page and in the README.
ROLE_SUMMARIES = {
    Role.LCC_OFFICER: "Manage funders, contracts, sub-contracts, indicators, targets and periods; sign off returns.",
    Role.FUNDER_REVIEWER: "Read every dashboard, return and contract figure, and export them.",
    Role.CIO_STAFF: "Submit the CIO's returns; review and accept or send back sub-contractors' returns.",
    Role.PROVIDER_STAFF: "Draft and submit your organisation's returns; see your history and the dashboards.",
    Role.PEER_REVIEWER: "See disputes and record the Peer Review Body's binding decisions.",
}

#: Roles whose users must belong to a provider organisation.
PROVIDER_ROLES = {Role.CIO_STAFF, Role.PROVIDER_STAFF}
