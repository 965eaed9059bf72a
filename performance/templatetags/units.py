"""``{{ indicator.unit|unit_bounds }}``: what a unit's figures may be, in the words of the one rule
(performance.units), wherever the framework shows an indicator's unit."""

from django import template

from performance.units import bounds_described

register = template.Library()


@register.filter
def unit_bounds(unit: str) -> str:
    return bounds_described(unit)
