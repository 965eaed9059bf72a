"""Serializer fields for the domain's own ways of writing things (financial years, periods)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.periods import format_financial_year


@extend_schema_field({"type": "string", "pattern": r"^\d{4}/\d{2}$", "example": "2010/11"})
class FinancialYearField(serializers.Field):
    """A financial year stored as its starting calendar year and written ``2010/11``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return format_financial_year(value) if value is not None else None


@extend_schema_field(OpenApiTypes.STR)
class PeriodLabelField(serializers.Field):
    """A reporting period written ``2010/11 Q2``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value.label
