"""The base form every portal form derives from, and the fields several apps share."""

from crispy_forms_gds.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError

from core.periods import format_financial_year, parse_financial_year


class PortalForm(forms.Form):
    """A GOV.UK-rendered form that can take a service's ValidationError onto the right fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.style_inputs()

    def style_inputs(self):
        """GOV.UK input classes for the widgets the gds pack leaves bare (numbers and dates)."""
        for field in self.fields.values():
            if isinstance(field.widget, forms.NumberInput | forms.DateInput):
                field.widget.attrs.setdefault("class", "govuk-input govuk-input--width-10")
                if isinstance(field, forms.DecimalField):
                    field.widget.attrs.setdefault("inputmode", "decimal")

    def add_service_error(self, error: ValidationError):
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)


class FinancialYearField(forms.CharField):
    """A financial year written like 2011/12, cleaned to its starting calendar year."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "For example, 2011/12")
        kwargs.setdefault("max_length", 7)
        kwargs.setdefault("widget", forms.TextInput(attrs={"class": "govuk-input govuk-input--width-5"}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return format_financial_year(value) if isinstance(value, int) else value

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        return parse_financial_year(value)
