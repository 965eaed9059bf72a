"""Forms for district pages: they collect and check input; districts.services makes the change."""

from django import forms

from core.forms import FinancialYearField, PortalForm
from districts.models import LocalityParty, LocalityService, NegotiationParty, NegotiationRoute, NegotiationStatus


class NegotiationNoteForm(PortalForm):
    noted_on = forms.DateField(label="Date of the note", help_text="For example, 2011-01-31")
    status = forms.ChoiceField(label="Negotiation status", choices=NegotiationStatus.choices, widget=forms.RadioSelect)
    note = forms.CharField(label="What was agreed or discussed", widget=forms.Textarea(attrs={"rows": 4}))


class LocalityAgreementDraftForm(PortalForm):
    financial_year = FinancialYearField(label="Financial year the agreement covers")
    note = forms.CharField(
        label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class LocalityAgreementEditForm(PortalForm):
    """The draft's note and, per service, who delivers it, whether VAL's staff are based in the hub, a note."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label="Note on this version", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for service, label in LocalityService.choices:
            self.fields[f"{service}_delivered_by"] = forms.ChoiceField(
                label=f"{label}: delivered by",
                choices=[("", "Not yet agreed"), *LocalityParty.choices],
                required=False,
            )
            self.fields[f"{service}_val_staff_based_in_hub"] = forms.BooleanField(
                label=f"{label}: VAL staff based in the hub", required=False
            )
            self.fields[f"{service}_note"] = forms.CharField(label=f"{label}: note", required=False, max_length=500)
        self.word_errors()

    @classmethod
    def initial_for(cls, agreement, services) -> dict:
        initial = {"version": agreement.version, "note": agreement.note}
        for row in services:
            initial[f"{row.service}_delivered_by"] = row.delivered_by
            initial[f"{row.service}_val_staff_based_in_hub"] = row.val_staff_based_in_hub
            initial[f"{row.service}_note"] = row.note
        return initial

    def service_values(self) -> dict:
        data = self.cleaned_data
        return {
            service: {
                "delivered_by": data[f"{service}_delivered_by"],
                "val_staff_based_in_hub": data[f"{service}_val_staff_based_in_hub"],
                "note": data[f"{service}_note"],
            }
            for service in LocalityService.values
        }


class VersionForm(PortalForm):
    """Only the version the user saw (a sign-off is refused when the draft changed since)."""

    version = forms.IntegerField(widget=forms.HiddenInput(attrs={"id": "sign_version"}))


PERCENTAGE_FIELD = {"required": False, "min_value": 0, "max_value": 100, "max_digits": 5, "decimal_places": 2}


class NegotiationOutputsForm(PortalForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    pct_to_hubs_and_lrcs = forms.DecimalField(
        label="Percentage of the total infrastructure budget to hubs and LRCs", **PERCENTAGE_FIELD
    )
    pct_to_hub = forms.DecimalField(label="Percentage of that going to the hub", **PERCENTAGE_FIELD)
    pct_to_lrc = forms.DecimalField(label="Percentage of that going to the LRC", **PERCENTAGE_FIELD)
    pct_val_frontline = forms.DecimalField(
        label="Percentage of VAL's budget on front-line (district-based) services", **PERCENTAGE_FIELD
    )
    pct_val_dva = forms.DecimalField(
        label="Percentage of VAL's budget on District Volunteering Assistants", **PERCENTAGE_FIELD
    )
    pct_val_ddo = forms.DecimalField(
        label="Percentage of VAL's budget on District Development Officers", **PERCENTAGE_FIELD
    )
    district_plan_summary = forms.CharField(
        label="Summary of the district plan", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    val_support_summary = forms.CharField(
        label="Summary of how VAL will support the district", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class NegotiationPositionForm(PortalForm):
    party = forms.ChoiceField(label="Whose position", choices=NegotiationParty.choices, widget=forms.RadioSelect)
    position = forms.CharField(label="The position", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    # Its own id: the outputs form on the same page has a version too.
    version = forms.IntegerField(widget=forms.HiddenInput(attrs={"id": "position_version"}), required=False)

    def __init__(self, *args, parties=None, **kwargs):
        """``parties``: the parties the user may record (the CIO's staff VAL's, a hub or LRC its own)."""
        super().__init__(*args, **kwargs)
        if parties is not None:
            self.fields["party"].choices = [c for c in NegotiationParty.choices if c[0] in parties]


class NegotiationRouteForm(PortalForm):
    route = forms.ChoiceField(label="Route taken", choices=NegotiationRoute.Route.choices, widget=forms.RadioSelect)
    decided_on = forms.DateField(label="Date of the decision")
    reason = forms.CharField(label="Why this route", widget=forms.Textarea(attrs={"rows": 3}))
