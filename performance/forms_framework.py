"""Forms of the framework pages: a year's targets for an indicator on one page, copying a year's targets, a targets
file to import, publishing a year. Each gives its service what it takes; the service decides."""

from dataclasses import dataclass
from decimal import Decimal

from django import forms

from contracts.models import Organisation
from core.forms import FinancialYearField, PortalForm
from core.services import REASON_LENGTH
from districts.models import District
from performance.models import Indicator
from performance.selectors_framework import QUARTERS, quarter_label, reports_by_district

REASON_HELP = "Kept in the history with your name: who asked for the change, or why it was needed."


def reason_field(label: str = "Reason for this change") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=REASON_LENGTH,
        help_text=REASON_HELP,
        error_messages={"required": "Enter the reason for this change."},
        widget=forms.TextInput(attrs={"class": "govuk-input"}),
    )


def cell_name(provider_code: str | None, quarter: int | None, district_slug: str | None = None) -> str:
    """The form field of one target on the targets page: ``all-annual``, ``VASL-q1``, ``all-blaby-annual``,
    ``VAL-blaby-q2``..."""
    where = f"-{district_slug}" if district_slug else ""
    return f"{provider_code or 'all'}{where}-{quarter_label(quarter).lower()}"


@dataclass(frozen=True)
class TargetsPageRow:
    """One row of the targets page: whose targets (a provider, or None for all) and where (a district, or None
    for every district)."""

    provider: Organisation | None
    district: District | None
    per_district: bool = False  # the provider reports the indicator per district (the CIO)

    @property
    def whose(self) -> str:
        """How the row is named in labels and messages."""
        if self.district is None:
            return self.provider.code if self.provider else "all providers"
        return f"{self.provider.code if self.provider else 'all providers'} in {self.district.name}"

    @property
    def where(self) -> str:
        """The District column: the district the target is for, or where the provider works."""
        if self.district is not None:
            return self.district.name
        if self.provider is None or self.per_district:
            return "Every district"
        return self.provider.district.name if self.provider.district_id else "Countywide"


def targets_page_rows(indicator: Indicator, providers, districts) -> list[TargetsPageRow]:
    """The page's rows: all providers, then every district's (when the indicator is reported per district), then
    each provider, a provider that reports it per district followed by its row for each district."""
    districts = list(districts)
    rows = [TargetsPageRow(None, None)]
    rows += [TargetsPageRow(None, district) for district in districts]
    for provider in providers:
        per_district = reports_by_district(provider, indicator)
        rows.append(TargetsPageRow(provider, None, per_district))
        if per_district:
            rows += [
                TargetsPageRow(provider, district, True)
                for district in districts
                if district.county_id == provider.county_id
            ]
    return rows


class TargetsForm(PortalForm):
    """An indicator's targets for a year: a row for all providers, for every district it is reported for, for
    every provider (and a provider's row for each district where it reports per district), a column for the
    annual target and each quarter's. An empty cell is no target (removing one that was set)."""

    reason = reason_field()
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, indicator: Indicator, providers, year_label: str, districts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.rows = []
        for row in targets_page_rows(indicator, providers, districts):
            cells = []
            for quarter in QUARTERS:
                name = cell_name(
                    row.provider.code if row.provider else None, quarter, row.district.slug if row.district else None
                )
                whose, when = row.whose, quarter_label(quarter)
                self.fields[name] = forms.DecimalField(
                    label=f"{indicator.code} {year_label} {when} target for {whose}",
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
                        "invalid": f"{whose}, {when}: enter the target as a number, like 120 or 52.5",
                        "max_digits": f"{whose}, {when}: the target is too large",
                        "max_decimal_places": f"{whose}, {when}: use at most 2 decimal places",
                    },
                )
                scope = (
                    row.provider.pk if row.provider else None,
                    row.district.pk if row.district else None,
                    quarter,
                )
                cells.append((name, scope))
            self.rows.append((row, cells))
        # The reason and what the page showed go last, under the table.
        self.order_fields([name for _row, cells in self.rows for name, _scope in cells] + ["reason", "seen"])

    def scope_of(self) -> dict[str, tuple]:
        return {name: scope for _row, cells in self.rows for name, scope in cells}

    def values(self) -> dict[tuple, Decimal | None]:
        """Every cell's (provider id, district id, quarter) and value (None: no target)."""
        return {scope: self.cleaned_data.get(name) for name, scope in self.scope_of().items()}

    def table(self):
        """The rows as the template draws them: the row (whose and where) and each cell's bound field."""
        return [(row, [self[name] for name, _scope in cells]) for row, cells in self.rows]


class TargetsCopyForm(PortalForm):
    from_year = FinancialYearField(label="Copy the targets of", help_text="A financial year, for example 2010/11")
    indicators = forms.MultipleChoiceField(
        label="Indicators",
        widget=forms.CheckboxSelectMultiple,
        help_text="Every target of each (all providers', each district's, each provider's, annual and quarterly) is "
        "copied.",
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
        help_text="As the export writes it: indicator, financial_year, quarter, provider, district, value, version.",
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
