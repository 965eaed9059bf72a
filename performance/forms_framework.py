"""Forms of the framework pages: a year's targets for an indicator on one page, copying a year's targets, a targets
file to import, publishing a year. Each gives its service what it takes; the service decides."""

from decimal import Decimal

from django import forms

from core.forms import FinancialYearField, PortalForm
from core.services import REASON_LENGTH
from performance.models import Indicator
from performance.selectors_framework import QUARTERS, quarter_label

REASON_HELP = "Kept in the history with your name: who asked for the change, or why it was needed."


def reason_field(label: str = "Reason for this change") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=REASON_LENGTH,
        help_text=REASON_HELP,
        error_messages={"required": "Enter the reason for this change."},
        widget=forms.TextInput(attrs={"class": "govuk-input"}),
    )


def cell_name(provider_code: str | None, quarter: int | None) -> str:
    """The form field of one target on the targets page: ``all-annual``, ``VASL-q1``..."""
    return f"{provider_code or 'all'}-{quarter_label(quarter).lower()}"


class TargetsForm(PortalForm):
    """An indicator's targets for a year: a row for every provider (and one for all providers), a column for
    the annual target and each quarter's. An empty cell is no target (removing one that was set)."""

    reason = reason_field()
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, indicator: Indicator, providers, year_label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.rows = []
        for provider in [None, *providers]:
            cells = []
            for quarter in QUARTERS:
                name = cell_name(provider.code if provider else None, quarter)
                whose = provider.code if provider else "all providers"
                self.fields[name] = forms.DecimalField(
                    label=f"{indicator.code} {year_label} {quarter_label(quarter)} target for {whose}",
                    required=False,
                    max_digits=14,
                    decimal_places=2,
                    widget=forms.TextInput(
                        attrs={
                            "class": "govuk-input govuk-input--width-5",
                            "inputmode": "decimal",
                            "spellcheck": "false",
                        }
                    ),
                    error_messages={
                        "invalid": f"{whose}, {quarter_label(quarter)}: enter the target as a number, like 120 or 52.5",
                        "max_digits": f"{whose}, {quarter_label(quarter)}: the target is too large",
                        "max_decimal_places": f"{whose}, {quarter_label(quarter)}: use at most 2 decimal places",
                    },
                )
                cells.append((name, (provider.pk if provider else None, quarter)))
            self.rows.append((provider, cells))
        # The reason and what the page showed go last, under the table.
        self.order_fields([name for _provider, cells in self.rows for name, _scope in cells] + ["reason", "seen"])

    def scope_of(self) -> dict[str, tuple]:
        return {name: scope for _provider, cells in self.rows for name, scope in cells}

    def values(self) -> dict[tuple, Decimal | None]:
        """Every cell's (provider id, quarter) and value (None: no target)."""
        return {scope: self.cleaned_data.get(name) for name, scope in self.scope_of().items()}

    def table(self):
        """The rows as the template draws them: the provider (None for all) and each cell's bound field."""
        return [(provider, [self[name] for name, _scope in cells]) for provider, cells in self.rows]


class TargetsCopyForm(PortalForm):
    from_year = FinancialYearField(label="Copy the targets of", help_text="A financial year, for example 2010/11")
    indicators = forms.MultipleChoiceField(
        label="Indicators",
        widget=forms.CheckboxSelectMultiple,
        help_text="Every target of each (all providers', each provider's, annual and quarterly) is copied.",
        error_messages={"required": "Choose the indicators whose targets to copy."},
    )
    change_pct = forms.DecimalField(
        label="Change (%)",
        max_digits=6,
        decimal_places=2,
        help_text="For example 5 for 5% more, -10 for 10% less, 0 for the same. Counts are rounded to whole numbers.",
        error_messages={"required": "Enter the percentage change (0 for the same targets)."},
    )
    replace = forms.BooleanField(
        label="Replace targets already set for this year",
        required=False,
        help_text="Without this, a copy that would change a target already set is refused, naming it.",
    )
    reason = reason_field()

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator_choices = list(indicators)
        self.fields["indicators"].choices = [
            (indicator.code, f"{indicator.code} {indicator.short_name}") for indicator in self.indicator_choices
        ]

    @property
    def indicator_boxes(self) -> list[tuple]:
        """Each indicator with its checkbox's id: the first takes the group's id, so that the error summary's link
        lands on it (GOV.UK's pattern for checkboxes)."""
        base = self["indicators"].auto_id
        return [
            (indicator, base if number == 0 else f"{base}_{number}")
            for number, indicator in enumerate(self.indicator_choices)
        ]

    @property
    def chosen_codes(self) -> list[str]:
        """The indicators ticked: as posted, or as the page was opened with."""
        if self.is_bound:
            return self.data.getlist("indicators") if hasattr(self.data, "getlist") else self.data.get("indicators", [])
        return list(self.initial.get("indicators") or [])


class TargetsImportForm(PortalForm):
    file = forms.FileField(
        label="Targets file (CSV or XLSX)",
        help_text="As the export writes it: indicator, financial_year, quarter, provider, value, version.",
        error_messages={"required": "Choose a CSV or XLSX file of targets."},
    )
    reason = reason_field()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".csv", ".xlsx")):
            raise forms.ValidationError("The file must be a CSV (.csv) or an Excel workbook (.xlsx).")
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError("The file must be smaller than 2 MB.")
        return upload


class FrameworkPublishForm(PortalForm):
    reason = reason_field("Reason for publishing")
