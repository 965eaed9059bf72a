from django import forms

from contracts.models import Funder, Organisation
from contracts.policies import funders as funder_policy
from contracts.policies import organisations as organisation_policy
from core.forms import PortalForm
from core.roles import NATIONAL_ROLES, ROLE_SUMMARIES, Role

REASON_HELP = "Kept with the change, for the record: who asked for it, or why."


def _partnership_roles() -> list[Role]:
    """The roles of people in a partnership: a national role (in none) is set up by a site administrator."""
    return [role for role in Role if role not in NATIONAL_ROLES]


def _role_choices():
    return [(role.value, role.label) for role in _partnership_roles()]


class RoleFields(PortalForm):
    """A role with the organisation or funder that goes with it."""

    role = forms.ChoiceField(
        label="Role",
        choices=_role_choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a role."},
    )
    organisation = forms.ModelChoiceField(
        label="Organisation (CIO, hub or LRC staff)",
        queryset=Organisation.objects.order_by("kind", "name"),
        required=False,
        empty_label="None",
        help_text="The provider this person works for: needed for CIO staff and for hub or LRC staff.",
    )
    funder = forms.ModelChoiceField(
        label="Funder (funder reviewers)",
        queryset=Funder.objects.order_by("name"),
        required=False,
        empty_label="None",
        help_text="The funder this person reviews for: needed for funder reviewers; an LCC officer may name LCC.",
    )

    def __init__(self, *args, manager=None, **kwargs):
        """``manager``: the person filling it in, whose partnership's organisations and funders are offered."""
        super().__init__(*args, **kwargs)
        self.fields["role"].help_text = " ".join(
            f"{role.label}: {ROLE_SUMMARIES[role]}" for role in _partnership_roles()
        )
        if manager is not None:
            for name, policy in (("organisation", organisation_policy), ("funder", funder_policy)):
                self.fields[name].queryset = policy.instances_for(manager, "view", self.fields[name].queryset)


class InviteForm(RoleFields):
    email = forms.EmailField(
        label="Email address",
        help_text="The invitation goes here, and it is the username they sign in with.",
        error_messages={"required": "Enter the person's email address.", "invalid": "Enter a real email address."},
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    first_name = forms.CharField(label="First name", max_length=150, error_messages={"required": "Enter a first name."})
    last_name = forms.CharField(label="Last name", max_length=150, error_messages={"required": "Enter a last name."})
    reason = forms.CharField(label="Reason (optional)", max_length=500, required=False, help_text=REASON_HELP)

    field_order = ["email", "first_name", "last_name", "role", "organisation", "funder", "reason"]


class SeenForm(PortalForm):
    """Carries what the manager saw (``person_fingerprint``), so a change made since is refused."""

    seen = forms.CharField(widget=forms.HiddenInput, required=False)


class RoleChangeForm(RoleFields, SeenForm):
    reason = forms.CharField(
        label="Reason for this change",
        max_length=500,
        help_text=REASON_HELP,
        error_messages={"required": "Enter the reason for this change."},
    )


class ReasonForm(SeenForm):
    reason = forms.CharField(
        label="Reason",
        max_length=500,
        help_text=REASON_HELP,
        error_messages={"required": "Enter the reason for this change."},
    )


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label="Name, username or email", required=False)
    role = forms.ChoiceField(label="Role", required=False, choices=lambda: [("", "Any role"), *_role_choices()])
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Active and deactivated"), ("active", "Active"), ("deactivated", "Deactivated")],
    )
