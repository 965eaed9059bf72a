"""Targets as a file (CSV or XLSX), with django-import-export: the columns, how each cell reads and writes, and
the rows read without saving anything (the framework's ``targets_import`` service then saves them, all or
nothing, through the same writer as the targets page).

Columns: ``indicator`` (its code), ``financial_year`` (2011/12), ``quarter`` (annual, or Q1 to Q4),
``provider`` (a provider's code; empty for every provider), ``district`` (a district's slug, like ``blaby``, for
the rows reported per district; empty for every district; a file without this column sets no district's),
``value``, ``version`` (as exported: a row whose target has changed since the file was exported is refused;
empty for a new target, or to overwrite).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets

from contracts.models import Organisation
from core.periods import format_financial_year, parse_financial_year
from districts.models import District
from performance.exports import neutralise
from performance.models import Indicator, Target

COLUMNS = ("indicator", "financial_year", "quarter", "provider", "district", "value", "version")
#: Columns a file may leave out (read as empty in every row).
OPTIONAL_COLUMNS = ("district", "version")


class CodeWidget(widgets.ForeignKeyWidget):
    """A related row by its code; an unknown code names itself in the error. Written formula-safe."""

    def __init__(self, model, *, required: bool, noun: str):
        super().__init__(model, field="code")
        self.required, self.noun = required, noun
        #: For a model whose codes are unique within a partnership (providers): the partnership read in.
        self.partnership: int | None = None

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text:
            if self.required:
                raise ValueError(f"give the {self.noun}'s code")
            return None
        candidates = self.model._default_manager.filter(code=text)
        if self.partnership is not None:
            candidates = candidates.filter(**{self.model.partnership_path: self.partnership})
        found = candidates.first()
        if found is None:
            raise ValueError(f"no {self.noun} has the code {text!r}")
        return found

    def render(self, value, obj=None, **kwargs):
        return neutralise(value.code) if value is not None else ""


class DistrictWidget(widgets.ForeignKeyWidget):
    """A district by its slug (as the returns file and the district pages write it); empty for every district."""

    def __init__(self):
        super().__init__(District, field="slug")

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text:
            return None
        found = District.objects.filter(slug=text.lower()).first()
        if found is None:
            raise ValueError(f"no district has the slug {text!r}: use a slug like blaby, or leave it empty")
        return found

    def render(self, value, obj=None, **kwargs):
        return neutralise(value.slug) if value is not None else ""


class FinancialYearWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        try:
            return parse_financial_year(text.replace("-", "/"))
        except ValidationError:
            raise ValueError(f"write the financial year like 2011/12, not {text!r}") from None

    def render(self, value, obj=None, **kwargs):
        return format_financial_year(value) if value is not None else ""


class QuarterWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip().upper()
        if text in ("", "ANNUAL"):
            return None
        number = text.removeprefix("Q")
        if number in ("1", "2", "3", "4"):
            return int(number)
        raise ValueError(f"write annual, Q1, Q2, Q3 or Q4, not {value!r}")

    def render(self, value, obj=None, **kwargs):
        return "annual" if value is None else f"Q{value}"


class ValueWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip().replace(",", "")
        if not text:
            raise ValueError("give the target (a number)")
        try:
            number = Decimal(text)
        except ArithmeticError:
            raise ValueError(f"write the target as a number, not {value!r}") from None
        if not number.is_finite():
            raise ValueError(f"write the target as a number, not {value!r}")
        return number

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else format(value.normalize(), "f")


class VersionWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text:
            return None
        if not text.isdigit() or len(text) > 9:
            raise ValueError(f"leave the version as exported (a whole number), not {value!r}")
        return int(text)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


@dataclass
class TargetRow:
    """One row of a targets file as read: where it is, and the target it asks for."""

    row: int  # the spreadsheet's row number (the header is row 1)
    indicator: Indicator
    financial_year: int
    quarter: int | None
    provider: Organisation | None
    district: District | None
    value: Decimal
    version: int | None


class TargetResource(resources.ModelResource):
    """Reads rows into ``TargetRow``s (never saving: ``targets_import`` does) and writes targets out."""

    indicator = fields.Field("indicator", "indicator", CodeWidget(Indicator, required=True, noun="indicator"))
    financial_year = fields.Field("financial_year", "financial_year", FinancialYearWidget())
    quarter = fields.Field("quarter", "quarter", QuarterWidget())
    provider = fields.Field("provider", "provider", CodeWidget(Organisation, required=False, noun="provider"))
    district = fields.Field("district", "district", DistrictWidget())
    value = fields.Field("value", "value", ValueWidget())
    version = fields.Field("version", "version", VersionWidget())

    class Meta:
        model = Target
        fields = COLUMNS
        import_id_fields = ("indicator", "financial_year", "quarter", "provider", "district")
        export_order = COLUMNS
        clean_model_instances = False  # the service checks each row against the framework's rules
        skip_diff = True
        use_transactions = True

    def __init__(self, *, partnership: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.rows: list[TargetRow] = []
        # A provider's code names it within the partnership of whoever imports (its own fields, deep-copied).
        self.fields["provider"].widget.partnership = partnership

    def get_instance(self, instance_loader, row):
        return None  # every row is read as asked; the service finds what is stored

    def do_instance_save(self, instance, is_create):
        """Nothing is saved here: the row is kept for the service."""
        self.rows.append(
            TargetRow(
                row=self._row_number + 1,
                indicator=instance.indicator,
                financial_year=instance.financial_year,
                quarter=instance.quarter,
                provider=instance.provider,
                district=instance.district,
                value=instance.value,
                version=instance.version if self._version_given else None,
            )
        )

    def import_row(self, row, instance_loader, **kwargs):
        self._row_number = kwargs["row_number"]
        for name in OPTIONAL_COLUMNS:
            row.setdefault(name, "")
        self._version_given = str(row.get("version") or "").strip() != ""
        return super().import_row(row, instance_loader, **kwargs)

    def save_m2m(self, instance, row, **kwargs):
        pass
