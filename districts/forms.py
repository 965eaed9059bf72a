"""Forms for district pages: they collect and check input; districts.services makes the change."""

from django import forms

from core.forms import PortalForm
from districts.models import NegotiationStatus


class NegotiationNoteForm(PortalForm):
    noted_on = forms.DateField(label="Date of the note", help_text="For example, 2011-01-31")
    status = forms.ChoiceField(label="Negotiation status", choices=NegotiationStatus.choices, widget=forms.RadioSelect)
    note = forms.CharField(label="What was agreed or discussed", widget=forms.Textarea(attrs={"rows": 4}))
