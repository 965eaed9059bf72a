"""What figure each indicator's unit accepts: one rule, asked by the return form, the CSV import and the API
(through ``performance.rag.result_entry_errors``, which all three use), and shown in the framework's admin.

A count is a whole number, 0 or more; a percentage is from 0 to 100; money is pounds and pence, 0 or more; a
ratio (such as volunteers per placement) is 0 or more. Every figure has at most 2 decimal places (the
results' columns hold no more).
"""

from dataclasses import dataclass
from decimal import Decimal

from performance.models import Indicator

Unit = Indicator.Unit


@dataclass(frozen=True)
class Bounds:
    """What a unit's figures may be, and the words saying so."""

    minimum: Decimal | None
    maximum: Decimal | None
    #: Decimal places allowed.
    places: int
    #: What is accepted, as it ends a message: "enter the actual figure as ...".
    accepted: str

    def allows(self, value: Decimal | int) -> bool:
        # Services are also called with whole numbers (ints) by commands and tests; a float as it is written.
        value = value if isinstance(value, Decimal) else Decimal(str(value))
        if not value.is_finite():
            return False
        if self.minimum is not None and value < self.minimum:
            return False
        if self.maximum is not None and value > self.maximum:
            return False
        return value == value.quantize(Decimal(1).scaleb(-self.places))


UNIT_BOUNDS: dict[str, Bounds] = {
    Unit.COUNT: Bounds(Decimal(0), None, 0, "a whole number, 0 or more"),
    Unit.PERCENTAGE: Bounds(Decimal(0), Decimal(100), 2, "a percentage from 0 to 100 (at most 2 decimal places)"),
    Unit.MONEY: Bounds(Decimal(0), None, 2, "an amount in pounds, 0 or more, with at most 2 decimal places"),
    Unit.RATIO: Bounds(Decimal(0), None, 2, "a ratio, 0 or more (at most 2 decimal places)"),
}


def bounds_of(indicator: Indicator) -> Bounds:
    """The bounds of the indicator's unit."""
    return UNIT_BOUNDS[indicator.unit]


def figure_error(indicator: Indicator, value: Decimal | None, *, label: str, what: str) -> str:
    """The message for a figure (``what``: "actual figure", "target") the indicator's unit does not accept,
    naming the row (``label``) and what would be accepted; "" when it is accepted (or blank)."""
    if value is None:
        return ""
    bounds = bounds_of(indicator)
    if bounds.allows(value):
        return ""
    return f"{label}: enter the {what} as {bounds.accepted}"


def bounds_described(unit: str) -> str:
    """A unit's bounds for people setting up the framework, like "a whole number, 0 or more"."""
    return UNIT_BOUNDS[unit].accepted
