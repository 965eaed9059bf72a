"""Financial years and quarters: the one place that reads and writes them.

A financial year runs April to March, is written ``2010/11`` and stored as its starting calendar year (2010).
A quarter of it is written ``2010/11 Q2`` (a label, as people and files write it) or ``2010-11-q2`` (a slug,
as URLs write it); Q1 is April to June. ``Period`` is that value: it parses both, formats both and orders
periods, so no other module splits a label or compares years and quarters by hand.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

_YEAR = re.compile(r"^\s*(\d{4})/(\d{2})\s*$")
_LABEL = re.compile(r"^\s*(\d{4}/\d{2}) Q([1-4])\s*$")
_SLUG = re.compile(r"^\s*(\d{4})-(\d{2})-q([1-4])\s*$", re.IGNORECASE)

#: How a period is written, for messages that say what would be accepted.
PERIOD_EXAMPLE = "2010/11 Q2"
YEAR_EXAMPLE = "2010/11"


def parse_financial_year(text: str) -> int:
    """Return the starting calendar year of a financial year written like ``2010/11``."""
    match = _YEAR.match(text or "")
    if not match:
        raise ValidationError(f"“{text}” is not a financial year: write it like {YEAR_EXAMPLE}")
    start = int(match.group(1))
    if (start + 1) % 100 != int(match.group(2)):
        raise ValidationError(f"“{text}” is not a financial year: the second part must be the next year")
    return start


def format_financial_year(start: int) -> str:
    """Write the financial year that starts in April of ``start``, e.g. 2010 -> ``2010/11``."""
    return f"{start}/{(start + 1) % 100:02d}"


def financial_year_of(day: datetime.date) -> int:
    """The financial year a date falls in (April to March)."""
    return day.year if day.month >= 4 else day.year - 1


class InFinancialYear:
    """Anything with a ``financial_year`` (the year whose April it starts in) is labelled by it, ``2010/11``: the
    one home of ``year_label`` for periods, scenarios, targets and the money pages' rows."""

    @property
    def year_label(self) -> str:
        return format_financial_year(self.financial_year)


@dataclass(frozen=True, order=True)
class Period(InFinancialYear):
    """A quarter of a financial year. Ordered in time; ``label`` and ``slug`` are its two written forms."""

    financial_year: int
    quarter: int

    def __post_init__(self):
        if self.quarter not in (1, 2, 3, 4):
            raise ValidationError("The quarter must be 1, 2, 3 or 4.")

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read a label (``2010/11 Q2``) or a slug (``2010-11-q2``); a ValidationError says what is accepted."""
        text = text or ""
        label = _LABEL.match(text)
        if label:
            return cls(parse_financial_year(label.group(1)), int(label.group(2)))
        slug = _SLUG.match(text)
        if slug:
            start = int(slug.group(1))
            if (start + 1) % 100 == int(slug.group(2)):
                return cls(start, int(slug.group(3)))
        raise ValidationError(
            "“%(value)s” is not a reporting period: write it like " + PERIOD_EXAMPLE, params={"value": text.strip()}
        )

    @classmethod
    def parse_or_none(cls, text: str) -> Period | None:
        """The period a label or slug names, or None when it names none."""
        try:
            return cls.parse(text)
        except ValidationError:
            return None

    @property
    def label(self) -> str:
        return f"{format_financial_year(self.financial_year)} Q{self.quarter}"

    @property
    def slug(self) -> str:
        return f"{self.financial_year}-{(self.financial_year + 1) % 100:02d}-q{self.quarter}"

    def is_before(self, other: Period) -> bool:
        return self < other

    def previous(self) -> Period:
        return (
            Period(self.financial_year - 1, 4) if self.quarter == 1 else Period(self.financial_year, self.quarter - 1)
        )

    def __str__(self):
        return self.label
