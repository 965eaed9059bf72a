"""Financial years (April to March) written ``2010/11`` and stored as their starting calendar year."""

import re

from django.core.exceptions import ValidationError

_YEAR = re.compile(r"^\s*(\d{4})/(\d{2})\s*$")


def parse_financial_year(text: str) -> int:
    """Return the starting calendar year of a financial year written like ``2010/11``."""
    match = _YEAR.match(text or "")
    if not match:
        raise ValidationError(f"“{text}” is not a financial year: write it like 2010/11")
    start = int(match.group(1))
    if (start + 1) % 100 != int(match.group(2)):
        raise ValidationError(f"“{text}” is not a financial year: the second part must be the next year")
    return start


def format_financial_year(start: int) -> str:
    """Write the financial year that starts in April of ``start``, e.g. 2010 -> ``2010/11``."""
    return f"{start}/{(start + 1) % 100:02d}"
