"""Forms for returns, reviews, periods and the CSV upload. They turn typed text into values and put each
message beside its field; the rules a row obeys live in performance.rag, shared with the import."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from core.forms import PortalForm
from core.periods import Period
from performance.evidence import ACCEPTED_WORDS
from performance.models import Indicator, NotReportedReason, Rag, Result, SurveyFigure, Validation
from performance.rag import TEXT_FIELDS, ResultEntry, result_entry_errors, row_label
from performance.result_fields import refused_form_names, result_fields_writable, verdict_fields_writable
from performance.selectors import TargetFound

#: Hints shown under a return row's fields, and read out with them.
ROW_HINTS = {
    "rag_override_reason": "Only if you choose a rating different from the one the figures give: "
    "it will be marked as an override.",
    "not_reported_reason": "Only if the rating is Not reported.",
    "not_reported_other": "Only if the reason is Other.",
    "evidence_url": "A web address, for example https://example.org/report.pdf",
}

WIDGET_CLASS = {
    "actual": "govuk-input govuk-input--width-10",
    "rag": "govuk-select",
    "rag_override_reason": "govuk-textarea",
    "not_reported_reason": "govuk-select",
    "not_reported_other": "govuk-input",
    "narrative": "govuk-textarea",
    "evidence_url": "govuk-input",
}
ERROR_CLASS = {
    name: " govuk-select--error"
    if "select" in css
    else (" govuk-textarea--error" if "textarea" in css else " govuk-input--error")
    for name, css in WIDGET_CLASS.items()
}


class ResultRowForm(forms.Form):
    """One result row of a return. Its prefix is the result's id, so many rows share one page."""

    actual = forms.DecimalField(required=False, max_digits=14, decimal_places=2)
    rag = forms.ChoiceField(required=False)
    rag_override_reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    not_reported_reason = forms.ChoiceField(
        required=False, choices=[("", "Choose a reason")] + list(NotReportedReason.choices)
    )
    not_reported_other = forms.CharField(required=False, max_length=500)
    narrative = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    evidence_url = forms.CharField(required=False, max_length=500)

    def __init__(self, *args, result: Result, target: TargetFound | None, user=None, **kwargs):
        kwargs.setdefault("prefix", f"row-{result.pk}")
        if not kwargs.get("data"):
            kwargs.setdefault(
                "initial",
                {
                    "actual": result.actual,
                    # Show a rating typed by the provider; a computed one shows as "work it out".
                    "rag": result.rag if result.rag != result.computed_rag or not result.computed_rag else "",
                    "rag_override_reason": result.rag_override_reason,
                    "not_reported_reason": result.not_reported_reason,
                    "not_reported_other": result.not_reported_other,
                    "narrative": result.narrative,
                    "evidence_url": result.evidence_url,
                },
            )
        super().__init__(*args, **kwargs)
        self.user = user
        self.result = result
        self.indicator = result.indicator
        self.label = row_label(result.indicator, result.district)
        self.stored_target = result.target
        self.target = result.target if result.target is not None else (target.value if target else None)
        self.target_scope = "this return" if result.target is not None else (target.scope if target else "")
        self.is_quantitative = self.indicator.kind == Indicator.Kind.QUANTITATIVE
        self.is_computed = self.is_quantitative and self.target is not None
        short = f"{self.indicator.code}" + (f" ({result.district.name})" if result.district_id else "")
        first = "Work it out from the figures" if self.is_computed else "Not rated yet"
        self.fields["rag"].choices = [("", first)] + list(Rag.choices)
        self.fields["actual"].label = f"Actual figure for {short}"
        self.fields["actual"].error_messages["invalid"] = (
            f"{self.label}: enter the actual figure as a number, like 42 or 12.5"
        )
        # These three are %-formatted with their limits: a "%" in an indicator's name must be written "%%".
        escaped = self.label.replace("%", "%%")
        self.fields["actual"].error_messages["max_decimal_places"] = (
            f"{escaped}: enter the actual figure with no more than 2 decimal places"
        )
        for code in ("max_digits", "max_whole_digits"):
            self.fields["actual"].error_messages[code] = (
                f"{escaped}: the actual figure is too large: at most 12 digits before the decimal point"
            )
        self.fields["rag"].error_messages["invalid_choice"] = f"{escaped}: choose red, amber, green or not reported"
        self.fields["not_reported_reason"].error_messages["invalid_choice"] = (
            f"{escaped}: choose a reason from the list (no target set, not applicable, data not yet available or other)"
        )
        for name, (what, longest) in TEXT_FIELDS.items():
            self.fields[name].error_messages["null_characters_not_allowed"] = (
                f"{escaped}: the {what} holds a control character (code 0x00) that cannot be saved; use "
                "letters, numbers, punctuation and line breaks only"
            )
            if longest is not None:
                self.fields[name].error_messages["max_length"] = (
                    f"{escaped}: the {what} must be at most {longest} characters (it has %(show_value)d)"
                )
        self.fields["rag"].label = f"RAG rating for {short}"
        self.fields["rag_override_reason"].label = f"Why you rate {short} differently from its figures"
        self.fields["not_reported_reason"].label = f"Why {short} is not reported"
        self.fields["not_reported_other"].label = f"Other reason {short} is not reported"
        self.fields["narrative"].label = f"Narrative for {short}"
        self.fields["evidence_url"].label = f"Evidence link for {short}"
        for name, field in self.fields.items():
            if name in ROW_HINTS:
                # The hint is read out with its field (GOV.UK: aria-describedby names the hint's id).
                field.help_text = ROW_HINTS[name]
                field.widget.attrs["aria-describedby"] = f"{self[name].auto_id}-hint"
            # The value the page was loaded with travels with it: only rows the person changed are saved,
            # so a re-save after a stale-edit warning never undoes someone else's rows.
            field.show_hidden_initial = True
            field.widget.attrs["class"] = WIDGET_CLASS[name]

    def describe_errors(self):
        """Point each field with an error at its message, for screen readers."""
        for name in self.errors:
            if name in self.fields:
                hint = f"{self[name].auto_id}-hint " if name in ROW_HINTS else ""
                self.fields[name].widget.attrs["aria-describedby"] = f"{hint}{self[name].auto_id}-error"
                self.fields[name].widget.attrs["class"] = WIDGET_CLASS[name] + ERROR_CLASS[name]

    def entry(self) -> ResultEntry:
        data = self.cleaned_data
        return ResultEntry(
            rag=data.get("rag") or "",
            actual=data.get("actual"),
            target=self.stored_target,
            rag_override_reason=data.get("rag_override_reason") or "",
            not_reported_reason=data.get("not_reported_reason") or "",
            not_reported_other=data.get("not_reported_other") or "",
            narrative=data.get("narrative") or "",
            evidence_url=data.get("evidence_url") or "",
        )

    def clean(self):
        cleaned = super().clean()
        # A posted field the person may not set (the target, the computed rating, a verdict) is refused, by
        # name, as the CSV import and the API refuse it (performance.result_fields), never silently dropped.
        for _name, message in refused_form_names(
            self.data, prefix=self.prefix, form_fields=self.fields, writable=result_fields_writable(self.user)
        ):
            self.add_error(None, f"{self.label}: {message}")
        if self.errors:
            return cleaned
        for name, message in result_entry_errors(
            self.entry(), indicator=self.indicator, target=self.target, label=self.label, complete=False
        ).items():
            self.add_error(name if name in self.fields else None, message)
        return cleaned

    def add_row_errors(self, errors: dict[str, str]):
        """Put a service's messages for this row beside their fields."""
        for name, message in errors.items():
            self.add_error(name if name in self.fields else None, message)


class ReturnVersionForm(forms.Form):
    """The version of the return the page was loaded with: a save against a newer one is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ValidationForm(forms.Form):
    """A reviewer's verdict on one result."""

    validation = forms.ChoiceField(choices=Validation.choices, required=False)
    validation_comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, result: Result, user=None, **kwargs):
        kwargs.setdefault("prefix", f"v-{result.pk}")
        kwargs.setdefault("initial", {"validation": result.validation, "validation_comment": result.validation_comment})
        super().__init__(*args, **kwargs)
        self.result = result
        self.user = user
        short = result.indicator.code + (f" ({result.district.name})" if result.district_id else "")
        self.fields["validation"].label = f"Verdict on {short}"
        self.fields["validation_comment"].label = f"Comment on {short}"
        self.label = short

    def clean(self):
        cleaned = super().clean()
        # Only the verdict is written here: a posted figure, rating or target is refused by name, as the return
        # form, the CSV import and the API refuse a field the person may not set (performance.result_fields).
        for _name, message in refused_form_names(
            self.data, prefix=self.prefix, form_fields=self.fields, writable=verdict_fields_writable(self.user)
        ):
            self.add_error(None, f"{self.label}: {message}")
        return cleaned


class CommentForm(forms.Form):
    """The comment when sending a return back, or the reason when reopening one."""

    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].label = label
        self.fields["comment"].error_messages["required"] = f"Enter the {label.lower()}"


class PeriodOpenForm(PortalForm):
    """Open a period (or change an open period's due date)."""

    period = forms.CharField(label="Period", help_text="For example, 2010/11 Q4", max_length=20)
    due_on = forms.DateField(label="Due date", error_messages={"required": "Enter the due date"})

    def clean_period(self):
        wanted = Period.parse_or_none(self.cleaned_data["period"])
        if wanted is None:
            raise forms.ValidationError("Enter the period like 2010/11 Q4 (a financial year, then Q1 to Q4)")
        return wanted.financial_year, wanted.quarter


class ReturnImportForm(PortalForm):
    """The LCC officer's CSV upload."""

    file = forms.FileField(
        label="CSV file",
        help_text="A .csv file in UTF-8 with the header row described below.",
        error_messages={"required": "Choose a CSV file to import"},
    )
    dry_run = forms.BooleanField(label="Check the file only: save nothing", required=False)
    submit = forms.BooleanField(label="Submit each return the file touches", required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.RETURN_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(f"The file must be smaller than {filesizeformat(limit)}")
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("The file must be a CSV file (ending .csv)")
        if upload.content_type not in ("text/csv", "application/vnd.ms-excel", "text/plain", "application/csv"):
            raise forms.ValidationError("The file must be a CSV file (text/csv)")
        # The name and the browser's type are only claims: look at the bytes. A CSV is text, so it holds no NUL
        # byte (a spreadsheet, a zip, an image or UTF-16 text all do).
        start = upload.read(limit + 1)
        upload.seek(0)
        if start.startswith(b"PK\x03\x04") or b"\x00" in start:
            raise forms.ValidationError(
                "The file is not a CSV text file (it holds binary data, such as a spreadsheet saved as .xlsx or "
                "text saved as UTF-16): save it from your spreadsheet as CSV UTF-8"
            )
        return upload


class EvidenceForm(PortalForm):
    """Upload a document against a return or one of its results (checked again by the service, by its bytes)."""

    title = forms.CharField(label="Title", max_length=200, help_text="What the document shows.")
    result = forms.ChoiceField(label="Indicator", required=False)
    document = forms.FileField(label="Document")

    def __init__(self, *args, results=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["result"].choices = [("", "The whole return"), *((str(r.pk), str(r)) for r in results)]
        self.fields["document"].help_text = f"{ACCEPTED_WORDS}; {filesizeformat(settings.EVIDENCE_MAX_BYTES)} at most."
        self.fields["document"].error_messages["required"] = f"Choose a document: {ACCEPTED_WORDS}"
        self.fields["document"].error_messages["empty"] = f"The document is empty: choose {ACCEPTED_WORDS}."
        self.fields["title"].error_messages["required"] = "Enter a title for the document, saying what it shows"


class EvidenceReplaceForm(PortalForm):
    document = forms.FileField(label="New version of the document")
    reason = forms.CharField(label="Why it is replaced", max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].help_text = f"{ACCEPTED_WORDS}; {filesizeformat(settings.EVIDENCE_MAX_BYTES)} at most."
        self.fields["document"].error_messages["required"] = f"Choose a document: {ACCEPTED_WORDS}"
        self.fields["document"].error_messages["empty"] = f"The document is empty: choose {ACCEPTED_WORDS}."


class SurveyFigureForm(PortalForm):
    """A survey-based result's sample and figure, overall or for one type of group or location."""

    result = forms.ChoiceField(label="Indicator")
    dimension = forms.ChoiceField(label="Breakdown", choices=SurveyFigure.Dimension.choices)
    category = forms.CharField(
        label="Type of group or location", max_length=100, required=False, help_text="Empty for all respondents."
    )
    sample_size = forms.IntegerField(label="Sample size", min_value=0, help_text="How many answered: 0 or more.")
    value = forms.DecimalField(
        label="Figure (%)", min_value=0, max_value=100, decimal_places=2, required=False, help_text="0 to 100."
    )

    def __init__(self, *args, results=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["result"].choices = [(str(r.pk), str(r)) for r in results]

    def clean(self):
        cleaned = super().clean()
        dimension, category = cleaned.get("dimension"), (cleaned.get("category") or "").strip()
        if dimension and dimension != SurveyFigure.Dimension.OVERALL and not category:
            self.add_error("category", "Enter the type of group or the location this figure is for")
        return cleaned
