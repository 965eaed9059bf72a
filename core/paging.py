"""Paging, one way for every page, table and API list.

A page number or page size comes from a query string, which anyone can write: ``?page=-1``, ``?per_page=0``,
``?page_size=99999999999999999999``, ``?page=abc``. Pages answer such a value with their default (the first
page, the usual size); the API answers with a 400 naming the parameter (``vcsportal.api.pagination``). Either
way a page size is capped, so nobody pulls a whole table in one request.

- ``whole_number(value)``: a query value read strictly as a whole number (or None), without ever building a
  huge integer from thousands of digits; ``database_integer(value)`` the same, within 64 bits;
- ``page_number`` and ``page_size``: a page's paging parameters, malformed or out of range giving the default;
- ``paginate_table``: a django-tables2 table paged by its own (prefixed) parameters;
- ``page_of``: a page of any list or queryset for a plain template.
"""

import re

from django.core.paginator import EmptyPage, Page, Paginator

#: Rows a page shows unless it says otherwise.
DEFAULT_PAGE_SIZE = 25
#: The most rows any page or API list shows at once, whatever the query string asks.
MAX_PAGE_SIZE = 500
#: Digits beyond which a number is certainly larger than any page or size (and than 64 bits).
_MAX_DIGITS = 18
_WHOLE = re.compile(r"\+?[0-9]+")


class Huge(int):
    """A whole number written with more digits than any page count or size could need: its value is not built."""


HUGE = Huge(10**_MAX_DIGITS)


def whole_number(value) -> int | None:
    """``value`` read as a non-negative whole number, or None if it is not one (text, a sign, a fraction,
    blank). A number with more than 18 digits is ``HUGE``: larger than any limit, and never converted."""
    if value is None:
        return None
    text = str(value).strip()
    if not _WHOLE.fullmatch(text):
        return None
    digits = text.lstrip("+").lstrip("0") or "0"
    return HUGE if len(digits) > _MAX_DIGITS else int(digits)


#: The largest value a database integer column (64-bit, signed) holds.
MAX_BIGINT = 2**63 - 1


def database_integer(value) -> int | None:
    """``value`` as a whole number a database integer column can hold (0 to 2**63 - 1), or None: a query
    parameter that filters an integer column must pass through this (or a form field with these bounds), as
    a number beyond 64 bits is an error in the database, not a row not found."""
    number = whole_number(value)
    return number if number is not None and number <= MAX_BIGINT else None


def page_number(value) -> int:
    """A page's number from its query value: a whole number from 1, else 1 (the first page)."""
    number = whole_number(value)
    return number if number is not None and number >= 1 else 1


def page_size(value, *, default: int = DEFAULT_PAGE_SIZE, maximum: int = MAX_PAGE_SIZE) -> int:
    """A page size from its query value: a whole number from 1 up to ``maximum`` (larger is capped), else the
    default."""
    number = whole_number(value)
    if number is None or number < 1:
        return default
    return min(number, maximum)


def _page(paginator: Paginator, number: int) -> Page:
    try:
        return paginator.page(number)
    except EmptyPage:
        return paginator.page(1)  # out of range, like any other value that is not a page: the default


def page_of(object_list, query, *, per_page: int = DEFAULT_PAGE_SIZE, parameter: str = "page") -> Page:
    """The page of ``object_list`` that ``query[parameter]`` asks for (anything that is not one of its pages,
    past the last included: the first), ``per_page`` rows a page."""
    return _page(Paginator(object_list, per_page), page_number(query.get(parameter)))


def paginate_table(request, table, *, per_page: int = DEFAULT_PAGE_SIZE, prefix: str | None = None):
    """Page a django-tables2 ``table`` by its own ``<prefix>page`` and ``<prefix>per_page`` parameters (so paging
    one table on a page leaves the others be), sorted by its ``<prefix>sort`` as django-tables2 does. Use this
    instead of ``RequestConfig``, which takes a negative page size and any size at all."""
    if prefix is not None:
        table.prefix = prefix
    table.request = request
    asked = request.GET.getlist(table.prefixed_order_by_field)
    order_by = [name for name in asked if name.lstrip("-") in table.columns]
    if order_by:
        table.order_by = order_by
    size = page_size(request.GET.get(table.prefixed_per_page_field), default=per_page)
    table.paginator = Paginator(table.rows, size)
    table.page = _page(table.paginator, page_number(request.GET.get(table.prefixed_page_field)))
    return table
