from django import forms

from core.forms import PortalForm
from notifications.events import OPTIONAL, Kind
from notifications.models import Notification


class PreferencesForm(PortalForm):
    """Which non-essential notifications a person wants by email (the essential ones always go)."""

    emailed = forms.MultipleChoiceField(
        label="Email me when",
        choices=[(kind.value, Kind(kind).label) for kind in OPTIONAL],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Untick what you would rather follow on your Notifications page only.",
    )


class DeliveryFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Delivery status",
        choices=[("", "All"), *Notification.Status.choices],
        required=False,
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
