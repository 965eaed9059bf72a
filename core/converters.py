"""Path converters every app's URLconf may use, registered once when the core app is ready."""

from django.urls import register_converter

from core.periods import format_financial_year


class FileFormatConverter:
    """A download's format in a URL: ``csv`` or ``xlsx``."""

    regex = "csv|xlsx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class FinancialYearConverter:
    """A financial year in a URL, written ``2010-11``; the view receives its starting year (2010)."""

    regex = r"\d{4}-\d{2}"

    def to_python(self, value: str) -> int:
        start, end = value.split("-")
        if (int(start) + 1) % 100 != int(end):
            raise ValueError(f"{value} is not a financial year")
        return int(start)

    def to_url(self, value: int) -> str:
        return format_financial_year(value).replace("/", "-")


def register():
    register_converter(FileFormatConverter, "file_format")
    register_converter(FinancialYearConverter, "financial_year")
