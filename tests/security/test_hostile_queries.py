"""Every URL in the URLconf, with hostile values in its query parameters, never answers a server error.

The parameter names are generated from the code, so a new filter, form or paged table is walked too:
- every name the portal's code reads from a query string (``request.GET.get("...")``, ``query_params``),
- every filter of every django-filter FilterSet in the portal's apps, every field of every form a page
  shows with ``method="get"``, and every name in the links of the page itself,
- every paging parameter of every paged table the page renders (``p-page``, ``l3-per_page``...) and the
  API's ``page`` and ``page_size``.

Each URL is requested once per hostile value with every name set to it: integers beyond 64 bits, negative
and zero numbers, text where a number is wanted, unicode, a NUL byte and a very long string.
"""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import django_filters
import pytest
from django.conf import settings

from tests.security.test_url_walk import (  # noqa: F401 - the fixture fills every table, as for the URL walk
    SUPERUSER,
    _client_for,
    _parameter_names,
    concrete_url,
    every_table_has_a_row,
    url_endpoints,
)

pytestmark = pytest.mark.django_db

#: The portal's own code, whose query parameters are walked.
PORTAL_APPS = ("core", "districts", "contracts", "performance", "disputes", "notifications", "vcsportal")

HOSTILE_VALUES = {
    "beyond 64 bits": "99999999999999999999999999",
    "beyond 64 bits, negative": "-99999999999999999999999999",
    "negative": "-1",
    "zero": "0",
    "not a number": "abc",
    "unicode": "\u00fc\u00f1\u00ee\u00e7\u00f8d\u00e9 \u2603 \U0001f600",
    "a NUL byte": "a\x00b",
    "very long": "9" * 5000,
}

#: The values walked on the admin's pages.
ADMIN_LABELS = ("beyond 64 bits", "beyond 64 bits, negative", "not a number", "a NUL byte")
ADMIN_VALUES = {label: HOSTILE_VALUES[label] for label in ADMIN_LABELS}

#: Paging parameters, with and without the prefixes the dashboard's tables use.
PAGING_NAMES = {"page", "per_page", "page_size"}

#: Parameters whose meaning is a destination, answered by a redirect or ignored: walked like the rest.
READ_PATTERNS = (
    r"""(?:GET|query_params)\.get(?:list)?\(\s*["'](\w[\w-]*)["']""",
    r"""(?:GET|query_params)\[\s*["'](\w[\w-]*)["']\s*\]""",
)


def names_read_in_code() -> set[str]:
    """Every query-parameter name the portal's code reads by name."""
    names = set()
    for app in PORTAL_APPS:
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            text = path.read_text()
            for pattern in READ_PATTERNS:
                names.update(re.findall(pattern, text))
    return names


def filterset_names() -> set[str]:
    """Every filter of every FilterSet the portal defines (the dashboard's, the API's)."""
    names = set()
    pending = list(django_filters.FilterSet.__subclasses__())
    while pending:
        filterset = pending.pop()
        pending.extend(filterset.__subclasses__())
        if filterset.__module__.split(".")[0] in PORTAL_APPS:
            names.update(filterset.base_filters)
    return names


class _QueryNames(HTMLParser):
    """Collects the names a page asks for in its query strings: GET forms' fields and its links' parameters."""

    def __init__(self):
        super().__init__()
        self.names: set[str] = set()
        self._in_get_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._in_get_form = (attrs.get("method") or "get").lower() == "get"
        elif tag in ("input", "select", "textarea") and self._in_get_form and attrs.get("name"):
            self.names.add(attrs["name"])
        elif tag == "a" and attrs.get("href"):
            self.names.update(name for name, _ in parse_qsl(urlsplit(attrs["href"]).query, keep_blank_values=True))

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_get_form = False


def names_on_page(response) -> set[str]:
    if "html" not in response.get("Content-Type", ""):
        return set()
    parser = _QueryNames()
    parser.feed(response.content.decode(errors="replace"))
    names = parser.names
    # Each paged table's page parameter (p-page) has a page size beside it (p-per_page), and the other way round.
    for name in list(names):
        for suffix in ("page", "per_page"):
            if name == suffix or name.endswith("-" + suffix):
                prefix = name[: -len(suffix)]
                names.update({prefix + "page", prefix + "per_page"})
    return names - {"csrfmiddlewaretoken"}


def test_the_walk_finds_the_parameters_the_code_reads():
    """Guards the generator: the names it finds include those known today (a broken pattern would find none)."""
    assert {"provider", "refers_to", "format", "from_year", "status", "next"} <= names_read_in_code()
    assert {"period", "compare_to", "provider", "district", "indicator", "rag", "return_id"} <= filterset_names()


def with_query(url: str, names: set[str], value: str) -> str:
    path, _, query = url.partition("?")
    kept = [(name, old) for name, old in parse_qsl(query, keep_blank_values=True) if name not in names]
    return path + "?" + urlencode(kept + [(name, value) for name in sorted(names)])


def view_filter_names(endpoint) -> set[str]:
    """The filters of the FilterSet an API view declares."""
    view = getattr(endpoint.callback, "cls", None)
    filterset = getattr(view, "filterset_class", None)
    return set(filterset.base_filters) if filterset else set()


@pytest.mark.parametrize("role", ["lcc.officer", "vasl.hub"])
def test_no_url_answers_a_server_error_to_hostile_query_parameters(role):
    """Every name at once, then (where the walk's URL carries a query its view needs, such as a period) every
    other name with that query kept, so the view gets past it to the tables and filters."""
    client = _client_for(role)
    client.raise_request_exception = False
    common = names_read_in_code() | filterset_names() | PAGING_NAMES
    wrong = []
    for endpoint in url_endpoints():
        url = concrete_url(endpoint)
        page = client.get(url)
        names = common | names_on_page(page)
        sample = {name for name, _ in parse_qsl(urlsplit(url).query)}
        # The admin's own pages (Django's code, with our list filters) take the values a number filter could
        # pass to the database; the portal's pages take every value.
        values = ADMIN_VALUES if (endpoint.name or "admin:").startswith("admin:") else HOSTILE_VALUES
        for label, value in values.items():
            for hostile in [names, names - sample] if sample else [names]:
                status = client.get(with_query(url, hostile, value)).status_code
                if status >= 500:
                    wrong.append(f"{url} ({endpoint.name}) answered {status} with {label} ({value[:30]!r}) values")
    assert not wrong, f"as {role}:\n" + "\n".join(wrong)


#: The values tried one parameter at a time: those a number-reading parameter might pass on to the database.
ONE_AT_A_TIME = ("beyond 64 bits", "not a number")


def test_each_parameter_of_each_portal_url_alone_never_answers_a_server_error():
    """One name at a time (a form that refuses one bad value may never look at the next): the names each
    page's own forms and links carry, the filters of each API view, and the paging parameters. The admin's own
    pages take every name at once above."""
    client = _client_for(SUPERUSER)
    client.raise_request_exception = False
    wrong = []
    for endpoint in url_endpoints():
        if (endpoint.name or "admin:").startswith("admin:"):
            continue
        url = concrete_url(endpoint)
        names = names_on_page(client.get(url)) | view_filter_names(endpoint) | PAGING_NAMES
        for name in sorted(names):
            for label in ONE_AT_A_TIME:
                value = HOSTILE_VALUES[label]
                status = client.get(with_query(url, {name}, value)).status_code
                if status >= 500:
                    wrong.append(f"{url} ({endpoint.name}) answered {status} with {name}={value[:30]!r} ({label})")
    assert not wrong, "\n".join(wrong)


#: URL parameters that carry a database id, given hostile values in the path itself.
ID_PARAMETERS = ("pk", "id", "object_id", "history_id", "content_type_id")


def test_no_id_in_a_url_path_beyond_64_bits_answers_a_server_error():
    client = _client_for(SUPERUSER)
    client.raise_request_exception = False
    wrong = []
    for endpoint in url_endpoints():
        if not set(_parameter_names(endpoint)) & set(ID_PARAMETERS):
            continue
        url = concrete_url(endpoint)
        sample_path = urlsplit(url).path
        for value in ("99999999999999999999999999", "9223372036854775808"):
            # Put the hostile id where each sample id went: the sample ids are the numbers in the path.
            hostile = re.sub(r"(?<=/)\d+(?=/)", value, sample_path)
            if hostile == sample_path:
                continue
            status = client.get(hostile).status_code
            if status >= 500:
                wrong.append(f"{hostile} ({endpoint.name}) answered {status}")
    assert not wrong, "\n".join(wrong)
