"""Money and percentages written the same way on every page: £1,471,000.00, −£8,602.00, 34.07%."""

from decimal import Decimal

from django import template

from core.numbers import figure as format_figure
from core.periods import format_financial_year

register = template.Library()


@register.filter
def money(value, empty="not stated"):
    """Pounds and pence with thousands separators; a minus sign for a negative amount."""
    if value is None or value == "":
        return empty
    value = Decimal(value)
    sign = "−" if value < 0 else ""
    return f"{sign}£{abs(value):,.2f}"


@register.filter
def figure(value, empty="–"):
    """A count or measure: ``120`` (never ``120.00``), ``85,382``, ``12.5`` (core.numbers.figure)."""
    return format_figure(value, empty)


@register.filter
def signed_money(value):
    """A change: +£1.00, −£1.00 or £0.00."""
    if value is None:
        return "–"
    value = Decimal(value)
    if value > 0:
        return f"+£{value:,.2f}"
    return money(value)


@register.filter
def pct(value):
    """A percentage to two places, or "not available" when there is nothing to divide by."""
    if value is None:
        return "not available"
    return f"{Decimal(value):,.2f}%"


@register.filter
def fy(value):
    """A financial year stored as its starting year, written like 2010/11."""
    return "" if value is None else format_financial_year(int(value))


@register.filter
def sub(value, other):
    """``value`` minus ``other`` (for differences between two scenarios)."""
    return Decimal(value) - Decimal(other)
