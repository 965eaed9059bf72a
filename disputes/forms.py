"""Forms for disputes: they collect and check input; disputes.services makes the change."""

from django import forms

from contracts.models import SubContract
from core.forms import PortalForm
from disputes.models import Dispute
from performance.models import Result


class DisputeRaiseForm(PortalForm):
    subcontract = forms.ModelChoiceField(
        label="Sub-contract the dispute is about", queryset=SubContract.objects.none(), required=False
    )
    result = forms.ModelChoiceField(
        label="Or: the RAG rating challenged", queryset=Result.objects.none(), required=False
    )
    refers_to = forms.ModelChoiceField(
        label="Earlier dispute this one refers to (optional)", queryset=Dispute.objects.none(), required=False
    )
    subject = forms.CharField(label="Subject", max_length=200)
    details = forms.CharField(label="What the disagreement is", widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, subcontracts, results, disputes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subcontract"].queryset = subcontracts
        self.fields["result"].queryset = results
        self.fields["result"].label_from_instance = lambda result: (
            f"{result.return_obj.provider.code} {result.return_obj.period.label} {result.indicator.code}"
            f"{' ' + result.district.name if result.district_id else ''}: {result.get_rag_display() or 'not rated'}"
        )
        self.fields["refers_to"].queryset = disputes

    def clean(self):
        data = super().clean()
        if bool(data.get("subcontract")) == bool(data.get("result")):
            self.add_error("subcontract", "Choose either a sub-contract or a RAG rating (one of the two).")
        return data


class DisputeHearingForm(PortalForm):
    hearing_on = forms.DateField(label="Hearing date", help_text="For example, 2011-03-14")


class DisputeDecideForm(PortalForm):
    hearing_on = forms.DateField(label="Date of the hearing", required=False, help_text="For example, 2011-03-14")
    decision = forms.CharField(
        label="The Peer Review Body's decision (binding)", widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, **kwargs):
        # Its own ids: the hearing form on the same page has a hearing date too.
        kwargs.setdefault("auto_id", "id_decide_%s")
        super().__init__(*args, **kwargs)
