"""``<span class="rag {{ result.rag|rag_class }}">``: a RAG rating's colour class, written one way everywhere."""

from django import template

from performance.models import Rag

register = template.Library()


@register.filter
def rag_class(value) -> str:
    return Rag.css_class(value)
