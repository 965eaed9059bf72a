"""Numbers written one way on every page: a figure (a count or measure) whole where it is whole, with thousands
separators (``120``, ``85,382``, ``3,327``), a fraction to the places it has (``12.5``); money in pounds and
pence (``contracts/templatetags/money.py``). Exports keep the numbers themselves."""

from decimal import Decimal, InvalidOperation

MINUS = "−"


def figure(value, empty: str = "–") -> str:
    """``120`` for 120.00, ``85,382``, ``12.5`` for 12.50, ``−5`` (a true minus sign); ``empty`` for none."""
    if value is None or value == "":
        return empty
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    sign = MINUS if number < 0 else ""
    number = abs(number)
    if number == number.to_integral_value():
        return f"{sign}{int(number):,}"
    text = f"{number:,.2f}" if number.as_tuple().exponent >= -2 else f"{number:,f}"
    return sign + text.rstrip("0").rstrip(".")
