"""The base form every portal form derives from, and the fields several apps share."""

from crispy_forms_gds.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError

from core.periods import format_financial_year, parse_financial_year

#: How people write dates, all accepted wherever a date is asked for: 1 April 2011, 1 Apr 2011, 1/4/2011,
#: 1-4-2011, 1.4.2011, 1 4 2011 (GOV.UK's order) and 2011-04-01.
DATE_INPUT_FORMATS = ["%d %B %Y", "%d %b %Y", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %m %Y", "%Y-%m-%d"]
DATE_EXAMPLE = "For example, 31 March 2012 or 31/3/2012"


def _name(field: forms.Field, name: str) -> str:
    """A field's label as it reads inside a sentence ("the date of the hearing")."""
    label = str(field.label or name.replace("_", " "))
    label = label[:1].lower() + label[1:] if not label[:2].isupper() else label
    return f"the {label}" if label.startswith(("date ", "number ", "amount ")) else label


class WordedErrorsMixin:
    """Any form's messages in the service's words (mixed into PortalForm, and into the Django forms the site
    uses as they are, such as the password forms). Applied when the form is cleaned, so fields a form adds or
    replaces in its own ``__init__`` are worded too."""

    def full_clean(self):
        self.word_errors()
        super().full_clean()

    def word_errors(self):
        """Every field's messages in the service's words, naming the field and what would be accepted (a
        form's own message stays); dates accept the ways people write them."""
        for name, field in self.fields.items():
            what = _name(field, name)
            fwhat = what.replace("%", "%%")  # for the messages %-formatted with their limits
            defaults = {}
            for cls in reversed(type(field).__mro__):
                defaults.update(getattr(cls, "default_error_messages", {}))
            mine = {code: text for code, text in field.error_messages.items() if text != defaults.get(code)}
            worded = {}
            if isinstance(field, forms.DateField):
                field.input_formats = DATE_INPUT_FORMATS
                if not field.help_text or "For example, 20" in str(field.help_text):
                    field.help_text = DATE_EXAMPLE
                worded["invalid"] = f"Enter {what} as a real date, like 31 March 2012 or 31/3/2012"
            if isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.MultipleChoiceField):
                worded["required"] = f"Choose {what}"
                worded["invalid_choice"] = f"Choose {fwhat} from the list"
                worded["invalid_list"] = f"Choose {fwhat} from the list"
                worded["invalid_pk_value"] = f"Choose {fwhat} from the list"
            else:
                worded["required"] = f"Enter {what}"
            if isinstance(field, forms.IntegerField):
                worded["invalid"] = f"Enter {what} as a whole number, like 2"
            elif isinstance(field, forms.DecimalField | forms.FloatField):
                worded["invalid"] = f"Enter {what} as a number, like 1250 or 12.5"
            if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
                worded["max_value"] = f"Enter {fwhat} of %(limit_value)s or less"
                worded["min_value"] = f"Enter {fwhat} of %(limit_value)s or more"
            if isinstance(field, forms.DecimalField):
                worded["max_decimal_places"] = f"Enter {fwhat} with no more than %(max)s decimal places"
                worded["max_digits"] = f"Enter {fwhat} with no more than %(max)s digits"
                worded["max_whole_digits"] = f"Enter {fwhat} with no more than %(max)s digits before the point"
            if isinstance(field, forms.EmailField):
                worded["invalid"] = f"Enter {fwhat} as an email address, like name@example.org"
            if isinstance(field, forms.CharField):
                worded["null_characters_not_allowed"] = (
                    f"{fwhat[:1].upper()}{fwhat[1:]} holds a character that cannot be saved (code 0x00): use "
                    "letters, numbers, punctuation and line breaks only"
                )
                worded["max_length"] = f"{fwhat[:1].upper()}{fwhat[1:]} must be %(limit_value)d characters or fewer"
            if isinstance(field, forms.FileField):
                worded["required"] = f"Choose {what}"
                worded["empty"] = f"The file chosen for {what} is empty"
                worded["invalid"] = f"Choose {what}: no file was sent"
            if field.widget.is_hidden:
                # Nobody can correct a hidden field: the page they sent was broken or out of date.
                worded = dict.fromkeys(worded, "This page was out of date: open it again and make the change again")
            field.error_messages = {**field.error_messages, **worded, **mine}

    def style_inputs(self):
        """GOV.UK input classes for the widgets the gds pack leaves bare (numbers and dates)."""
        for field in self.fields.values():
            if isinstance(field.widget, forms.NumberInput | forms.DateInput):
                field.widget.attrs.setdefault("class", "govuk-input govuk-input--width-10")
                if isinstance(field, forms.DecimalField):
                    field.widget.attrs.setdefault("inputmode", "decimal")


class PortalForm(WordedErrorsMixin, forms.Form):
    """A GOV.UK-rendered form that can take a service's ValidationError onto the right fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.style_inputs()
        self.word_errors()  # again when cleaned, for fields a form adds after this

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
