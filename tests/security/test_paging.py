"""Paging, as a class: every paged table, page and API list found from the code takes any page or page-size
parameter without a server error. A page answers a malformed or out-of-range value with its default (the
first page, the usual size); the API answers a 400 naming the parameter; page sizes are capped everywhere.

The paged views are found from the URLconf: every page whose context holds a paged django-tables2 table or a
Django ``Page``, and every DRF list view (its pagination class). A new paged view is walked without a line here.
"""

import pytest
from django.core.paginator import Page
from django_tables2 import Table

from core.paging import MAX_PAGE_SIZE
from tests.security.test_url_walk import (  # noqa: F401 - the fixture fills every table, as for the URL walk
    _client_for,
    concrete_url,
    every_table_has_a_row,
    url_endpoints,
)

pytestmark = pytest.mark.django_db

#: Values that are not a page number or a page size: not whole numbers from 1 (a blank counts as not given).
BAD_VALUES = ["0", "-1", "-99999999999999999999999", "abc", "1.5", "", "\u00bd", "1e3", "a\x00b"]
#: Numbers past the last page and beyond any page size: a page size is capped, a page number is the first page
#: like any other value that is not a page (on the API, a 400).
HUGE_VALUES = ["99999999999999999999999", "9" * 5000]


def _add_query(url: str, **params) -> str:
    from urllib.parse import urlencode

    return url + ("&" if "?" in url else "?") + urlencode(params)


def _paged_things(response) -> list[tuple[str, str, object]]:
    """(page parameter, page-size parameter or "", the table or Page) for everything paged in the context."""
    found = {}
    if response.context is None:
        return []
    for context in response.context:
        for value in context.flatten().values():
            candidates = value if isinstance(value, list | tuple) else [value]
            for thing in candidates:
                if isinstance(thing, Table) and hasattr(thing, "paginator"):
                    found[thing.prefixed_page_field] = (thing.prefixed_page_field, thing.prefixed_per_page_field, thing)
                elif isinstance(thing, Page):
                    found["page"] = ("page", "", thing)
    return list(found.values())


def _page_and_size(thing) -> tuple[int, int]:
    page = thing.page if isinstance(thing, Table) else thing
    return page.number, page.paginator.per_page


def paged_pages(client) -> dict[str, str]:
    """url name -> URL of every page that shows a paged table or list."""
    pages = {}
    for endpoint in url_endpoints():
        if not endpoint.name or endpoint.name.startswith(("admin:", "api:")):
            continue
        url = concrete_url(endpoint)
        response = client.get(url)
        if response.status_code == 200 and _paged_things(response):
            pages[endpoint.name] = url
    return pages


def api_lists() -> dict[str, str]:
    """url name -> URL of every API list view (a viewset's ``list`` action, paged by its pagination class)."""
    lists = {}
    for endpoint in url_endpoints():
        view = endpoint.callback
        actions = getattr(view, "actions", None) or {}
        if actions.get("get") == "list" and getattr(view.cls, "pagination_class", None):
            lists[endpoint.name] = concrete_url(endpoint)
    return lists


def test_the_walk_finds_the_paged_views_known_today(login):
    """Guards the generator: a broken detection would walk nothing and pass."""
    pages = paged_pages(login("lcc.officer"))
    assert {
        "performance:dashboard_providers",
        "performance:dashboard_change",
        "performance:dashboard_localities",
        "performance:indicator",
        "notifications:list",
        "notifications:delivery_log",
    } <= pages.keys()
    assert {"api:result-list", "api:return-list", "api:district-list"} <= api_lists().keys()


def test_every_paged_page_takes_any_paging_value_and_falls_back_to_its_default(login):
    client = login("lcc.officer")
    client.raise_request_exception = False
    wrong = []
    for name, url in paged_pages(client).items():
        plain = client.get(url)
        for page_field, size_field, thing in _paged_things(plain):
            _, default_size = _page_and_size(thing)
            fields = [page_field, size_field] if size_field else [page_field]
            for field in fields:
                for value in BAD_VALUES:
                    response = client.get(_add_query(url, **{field: value}))
                    if response.status_code != 200:
                        wrong.append(f"{name}: {field}={value[:20]!r} answered {response.status_code}")
                        continue
                    again = {f: t for f, _, t in _paged_things(response)}[page_field]
                    if _page_and_size(again) != (1, default_size):
                        wrong.append(f"{name}: {field}={value[:20]!r} shows {_page_and_size(again)}, not the default")
            for huge in HUGE_VALUES:
                if size_field:
                    response = client.get(_add_query(url, **{size_field: huge}))
                    again = {f: t for f, _, t in _paged_things(response)}[page_field]
                    if response.status_code != 200 or _page_and_size(again)[1] > MAX_PAGE_SIZE:
                        wrong.append(f"{name}: {size_field}={huge[:20]} was not capped at {MAX_PAGE_SIZE}")
                # Past the last page: the first page, the default.
                response = client.get(_add_query(url, **{page_field: huge}))
                again = {f: t for f, _, t in _paged_things(response)}.get(page_field)
                if response.status_code != 200 or again is None:
                    wrong.append(f"{name}: {page_field}={huge[:20]} answered {response.status_code}")
                else:
                    page = again.page if isinstance(again, Table) else again
                    if page.number != 1:
                        wrong.append(f"{name}: {page_field}={huge[:20]} shows page {page.number}, not the first")
    assert not wrong, "\n".join(wrong)


def test_every_api_list_refuses_a_bad_paging_value_with_a_400_naming_it(login):
    client = login("lcc.officer")
    wrong = []
    for name, url in api_lists().items():
        for field in ("page", "page_size"):
            for value in [v for v in BAD_VALUES if v] + (HUGE_VALUES if field == "page" else []):
                response = client.get(_add_query(url, **{field: value}))
                if response.status_code != 400 or field not in response.json():
                    wrong.append(f"{name}: {field}={value[:20]!r} answered {response.status_code}, not a 400 naming it")
        for huge in HUGE_VALUES:
            response = client.get(_add_query(url, page_size=huge))
            if response.status_code != 200 or len(response.json()["results"]) > MAX_PAGE_SIZE:
                wrong.append(f"{name}: page_size={huge[:20]} was not capped at {MAX_PAGE_SIZE}")
        response = client.get(_add_query(url, page="last"))
        if response.status_code != 200:
            wrong.append(f"{name}: page=last answered {response.status_code}")
    assert not wrong, "\n".join(wrong)
