"""The portal's roles, defined in code: what each is for, who enters the admin, who must use a second factor,
and the model permissions each holds in the admin. Who may do what on the pages is decided by
the permission policies (``<app>/policies.py``)."""

from django.db import models


class Role(models.TextChoices):
    LCC_OFFICER = "lcc_officer", "LCC contract officer"
    FUNDER_REVIEWER = "funder_reviewer", "Funder reviewer"
    CIO_STAFF = "cio_staff", "CIO staff"
    PROVIDER_STAFF = "provider_staff", "Hub or LRC staff"
    PEER_REVIEWER = "peer_reviewer", "Peer review member"
    NATIONAL_REVIEWER = "national_reviewer", "National reviewer"


#: What each role is for, shown on the home page and in the README.
ROLE_SUMMARIES = {
    Role.LCC_OFFICER: "Manage funders, contracts, sub-contracts, indicators, targets and periods; sign off returns.",
    Role.FUNDER_REVIEWER: (
        "Read every dashboard, contract figure and return once submitted (a draft is its provider's own), "
        "and export them."
    ),
    Role.CIO_STAFF: (
        "Submit the CIO's returns; review and accept or send back sub-contractors' returns once submitted."
    ),
    Role.PROVIDER_STAFF: (
        "Draft and submit your organisation's returns (only your organisation and LCC see a draft); see your "
        "history and the dashboards."
    ),
    Role.PEER_REVIEWER: "See disputes and record the Peer Review Body's binding decisions.",
    Role.NATIONAL_REVIEWER: (
        "Compare every partnership's signed-off figures side by side (for a national funder or infrastructure "
        "body); never drafts, returns, contract detail or people."
    ),
}

#: Roles whose users must belong to a provider organisation.
PROVIDER_ROLES = {Role.CIO_STAFF, Role.PROVIDER_STAFF}

#: Roles that belong to no partnership: they read across partnerships, and only what the policies grant them by
#: name (``Policy.national_actions``); every other action of every policy is refused to them.
NATIONAL_ROLES = frozenset({Role.NATIONAL_REVIEWER})

#: Roles whose people enter the Django admin (``is_staff``); a superuser always may.
ADMIN_ROLES = frozenset({Role.LCC_OFFICER})

#: Roles that must sign in with a second factor (a time-based code); everyone else may choose to.
#: Site administrators (superusers) must too, whatever their role.
SECOND_FACTOR_ROLES = frozenset({Role.LCC_OFFICER})

# The Django model permissions each role holds, for the admin: the admin asks these, never the role.
# ``python manage.py sync_roles`` makes one group per role holding exactly these permissions and puts each
# person in their role's group (idempotent; `make run` and every deployment run it after migrate). Other
# abilities (pages, exports, the API) are decided by the permission policies, not by these.
_VIEW_ADD_CHANGE = ("view", "add", "change")
_FRAMEWORK = {
    # The framework the LCC officer runs: indicators, targets and periods; funders and their money; outcomes,
    # organisations, contracts and their years.
    "performance.indicator": _VIEW_ADD_CHANGE,
    "performance.target": _VIEW_ADD_CHANGE,
    "performance.reportingperiod": _VIEW_ADD_CHANGE,
    "contracts.funder": _VIEW_ADD_CHANGE,
    "contracts.contribution": _VIEW_ADD_CHANGE,
    "contracts.outcome": _VIEW_ADD_CHANGE,
    "contracts.organisation": _VIEW_ADD_CHANGE,
    "contracts.contract": _VIEW_ADD_CHANGE,
    "contracts.contractyear": _VIEW_ADD_CHANGE,
    # Read in the admin, changed only through the workflow and the portal's pages (with their records).
    "performance.return": ("view",),
    # Published years and what changed in them, and targets changed after submission: recorded by the
    # framework's services, never written in the admin.
    "performance.frameworkpublication": ("view",),
    "performance.frameworkchange": ("view",),
    "performance.latetargetchange": ("view",),
    "performance.result": ("view",),
    "contracts.subcontract": ("view",),
    "contracts.allocation": ("view",),
    "contracts.budgetline": ("view",),
    "contracts.subcontractvariation": ("view",),
    "contracts.contractextension": ("view",),
    "contracts.budgetscenario": ("view",),
    "contracts.scenarioadoption": ("view",),
    "disputes.dispute": ("view",),
    "districts.county": ("view",),
    "districts.district": ("view",),
    "districts.negotiationnote": ("view",),
}


def _permission_names(models: dict[str, tuple[str, ...]]) -> frozenset[str]:
    names = set()
    for label, actions in models.items():
        app_label, model_name = label.split(".")
        names.update(f"{app_label}.{action}_{model_name}" for action in actions)
    return frozenset(names)


#: ``app_label.codename`` of every model permission each role holds.
ROLE_MODEL_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.LCC_OFFICER: _permission_names(_FRAMEWORK),
    Role.FUNDER_REVIEWER: frozenset(),
    Role.CIO_STAFF: frozenset(),
    Role.PROVIDER_STAFF: frozenset(),
    Role.PEER_REVIEWER: frozenset(),
    Role.NATIONAL_REVIEWER: frozenset(),
}
