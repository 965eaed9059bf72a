"""``{{ filterset|select_options:"provider" }}``: a dashboard filter's options, written by the filterset."""

from django import template

register = template.Library()


@register.filter
def select_options(filterset, name: str):
    return filterset.select_options(name)
