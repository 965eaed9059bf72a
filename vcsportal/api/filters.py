"""Query-string filters for the API (django-filter). Related things are filtered by their codes, periods
by their label (``2010/11 Q2``) and financial years as ``2010/11``; a malformed value is a 400 that says
what would be accepted."""

import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from drf_spectacular.utils import extend_schema_field

from contracts.models import Allocation, Contribution, SubContract
from core.paging import MAX_BIGINT
from core.periods import parse_financial_year
from performance.models import Rag, ReportingPeriod, Result, Return

_PERIOD = re.compile(r"^\s*(\d{4}/\d{2}) Q([1-4])\s*$")


class PeriodLabelFormField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if value in (None, ""):
            return None
        match = _PERIOD.match(value)
        if not match:
            # The value goes in as a parameter: DRF formats the message with ``%``, so a "%" typed in the
            # query string must not reach the format string.
            raise ValidationError("“%(value)s” is not a period: write it like 2010/11 Q2", params={"value": value})
        return parse_financial_year(match.group(1)), int(match.group(2))


class FinancialYearFormField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if value in (None, ""):
            return None
        try:
            return parse_financial_year(value)
        except ValidationError as error:
            # The message quotes what was typed: escape it, as DRF formats the message with ``%``.
            raise ValidationError([message.replace("%", "%%") for message in error.messages]) from error


@extend_schema_field({"type": "string", "pattern": r"^\d{4}/\d{2} Q[1-4]$", "example": "2010/11 Q2"})
class PeriodFilter(django_filters.Filter):
    """``?period=2010/11 Q2``: the period by its label."""

    field_class = PeriodLabelFormField

    def filter(self, qs, value):
        if value is None:
            return qs
        year, quarter = value
        return qs.filter(**{f"{self.field_name}__financial_year": year, f"{self.field_name}__quarter": quarter})


@extend_schema_field({"type": "string", "pattern": r"^\d{4}/\d{2}$", "example": "2010/11"})
class FinancialYearFilter(django_filters.Filter):
    """``?financial_year=2010/11``."""

    field_class = FinancialYearFormField

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.filter(**{self.field_name: value})


@extend_schema_field({"type": "integer"})
class IdFilter(django_filters.NumberFilter):
    """A database id (documented as an integer rather than django-filter's decimal number): a whole number that
    a 64-bit id column can hold, else a 400 naming the parameter (beyond 64 bits the database would fail)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_BIGINT)
        super().__init__(*args, **kwargs)


class AllocationFilter(django_filters.FilterSet):
    contract = django_filters.CharFilter(field_name="contract__reference", help_text="Contract reference.")
    provider = django_filters.CharFilter(field_name="organisation__code", help_text="Provider code, e.g. VASL.")
    financial_year = FinancialYearFilter(field_name="financial_year", help_text="Financial year, e.g. 2010/11.")

    class Meta:
        model = Allocation
        fields = ["contract", "provider", "financial_year"]


class ContributionFilter(django_filters.FilterSet):
    contract = django_filters.CharFilter(field_name="contract__reference", help_text="Contract reference.")
    funder = django_filters.CharFilter(field_name="funder__code", help_text="Funder code, e.g. PCT.")
    financial_year = FinancialYearFilter(field_name="financial_year", help_text="Financial year, e.g. 2010/11.")

    class Meta:
        model = Contribution
        fields = ["contract", "funder", "financial_year"]


class SubContractFilter(django_filters.FilterSet):
    contract = django_filters.CharFilter(field_name="contract__reference", help_text="Contract reference.")
    provider = django_filters.CharFilter(field_name="provider__code", help_text="Provider code, e.g. VASL.")
    district = django_filters.CharFilter(field_name="districts__slug", help_text="District slug, e.g. melton.")
    status = django_filters.ChoiceFilter(choices=SubContract.Status.choices)

    class Meta:
        model = SubContract
        fields = ["contract", "provider", "district", "status"]


class PeriodListFilter(django_filters.FilterSet):
    financial_year = FinancialYearFilter(field_name="financial_year", help_text="Financial year, e.g. 2010/11.")
    status = django_filters.ChoiceFilter(choices=ReportingPeriod.Status.choices)

    class Meta:
        model = ReportingPeriod
        fields = ["financial_year", "status"]


class ReturnFilter(django_filters.FilterSet):
    period = PeriodFilter(field_name="period", help_text="Period label, e.g. 2010/11 Q2.")
    provider = django_filters.CharFilter(field_name="provider__code", help_text="Provider code, e.g. VASL.")
    district = django_filters.CharFilter(
        field_name="provider__district__slug", help_text="The provider's district slug, e.g. harborough."
    )
    status = django_filters.ChoiceFilter(choices=Return.Status.choices)

    class Meta:
        model = Return
        fields = ["period", "provider", "district", "status"]


class ResultFilter(django_filters.FilterSet):
    period = PeriodFilter(field_name="return_obj__period", help_text="Period label, e.g. 2010/11 Q2.")
    provider = django_filters.CharFilter(field_name="return_obj__provider__code", help_text="Provider code.")
    district = django_filters.CharFilter(
        method="filter_district",
        help_text="District slug: results reported for that district, or by a provider based in it.",
    )
    indicator = django_filters.CharFilter(field_name="indicator__code", help_text="Indicator code, e.g. LOC-1.")
    rag = django_filters.ChoiceFilter(choices=Rag.choices)
    return_id = IdFilter(field_name="return_obj_id", help_text="The return's id.")

    class Meta:
        model = Result
        fields = ["period", "provider", "district", "indicator", "rag", "return_id"]

    def filter_district(self, queryset, name, value):
        # A hub's results carry no district of their own: they are its district's. VAL's LOC figures
        # are reported per district. Both count for the district, so a locality compares fairly.
        return queryset.filter(
            Q(district__slug=value) | Q(district__isnull=True, return_obj__provider__district__slug=value)
        )
