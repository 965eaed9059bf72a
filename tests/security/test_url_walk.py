"""Every URL pattern in the URLconf, requested by an anonymous visitor and by every role.

The list of URLs is generated from the URLconf itself, so a new view cannot skip these checks:
- anonymous visitors are sent to a sign-in page, except for the explicit allow-list below;
- for every role (and a superuser, so every admin page is rendered), a GET answers 200, 302, 403, 404 or
  405, never a server error;
- the url names in ``EXPECTED_STATUS`` answer exactly what the permission module says, role by role, and
  every portal url name must appear there.

When you add a view: add its url name to ``EXPECTED_STATUS``, and if its URL takes a parameter name not
yet in ``SAMPLE_KWARGS``, add a sample value (the walk fails and tells you which one is missing).
"""

import re
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, resolve, reverse

from vcsportal.demo import DEMO_USERS
from vcsportal.models import User

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"
SUPERUSER = "superuser"
DEMO_USERNAMES = [user[0] for user in DEMO_USERS]
ROLES = [*DEMO_USERNAMES, SUPERUSER]
ALLOWED_STATUSES = {200, 302, 403, 404, 405}


def everyone(status: int, **overrides: int) -> dict[str, int]:
    """The same status for every signed-in demo user and the superuser; overrides keyed by username."""
    expected = dict.fromkeys(ROLES, status)
    expected.update({name.replace("__", "."): value for name, value in overrides.items()})
    return expected


# What each url name answers to each role on GET. Usernames with a dot are written with "__" in overrides
# (lcc__officer=200). Anonymous visitors are checked separately (redirected to sign in unless allow-listed).
EXPECTED_STATUS: dict[str, dict[str, int]] = {
    "home": everyone(200),
    "health": everyone(200),
    # Signed-in people who open the sign-in page are sent on to the home page.
    "login": everyone(302),
    "logout": everyone(405),  # signing out is a POST
    "password_change": everyone(200),
    "password_change_done": everyone(200),
    # The admin is for staff: the LCC officer (staff) and superusers; everyone else goes to its login.
    "admin:index": everyone(302, lcc__officer=200, superuser=200),
}

#: Server errors this walk found in code this branch does not own, each with its cause. The walk insists they
#: still fail, so the entry must go as soon as the fix lands (it is reported to the lead, not hidden).
KNOWN_SERVER_ERRORS: dict[str, str] = {}

#: Answer without a login (anything else must redirect an anonymous visitor to a sign-in page).
ANONYMOUS_ALLOWED = {"login", "health", "admin:login"}


#: Stands for an object that does not exist, where a table is empty: the view's not-found path is walked.
MISSING_PK = "999999"


def _first_pk(model: type[models.Model]) -> str:
    obj = model._default_manager.order_by("pk").first()
    return str(obj.pk) if obj is not None else MISSING_PK


def _model_of(endpoint: "Endpoint") -> type[models.Model]:
    """The model a pk-like parameter points at: the view's own model, or the admin's app/model path."""
    view_class = getattr(endpoint.callback, "view_class", None)
    model = getattr(view_class, "model", None) if view_class else None
    if model is None and view_class is not None and getattr(view_class, "queryset", None) is not None:
        model = view_class.queryset.model
    if model is None:
        admin = re.match(r"admin/(\w+)/(\w+)/", endpoint.route)
        if admin:
            model = apps.get_model(admin.group(1), admin.group(2))
    if model is None:
        pytest.fail(f"{endpoint}: cannot tell which model its pk is; give the view a `model` attribute")
    return model


def _history_id(endpoint: "Endpoint") -> str:
    return _first_pk(_model_of(endpoint).history.model)


def _content_type_id(endpoint: "Endpoint") -> str:
    return str(ContentType.objects.get_for_model(_view_on_site_model()).pk)


def _view_on_site_model() -> type[models.Model]:
    """A model whose detail page exists, so the admin's "view on site" redirects there; while none exists
    yet (detail views arrive with issues 3 to 5), the user model, which has no page: a 404."""
    for model in apps.get_models():
        obj = model._default_manager.order_by("pk").first() if hasattr(model, "get_absolute_url") else None
        if obj is None:
            continue
        try:
            obj.get_absolute_url()
        except NoReverseMatch:
            continue
        return model
    return User


def _object_id(endpoint: "Endpoint") -> str:
    if endpoint.name == "admin:view_on_site":
        return _first_pk(_view_on_site_model())
    return _first_pk(_model_of(endpoint))


# A sample value for every URL parameter name, as a string or a function of the endpoint. Pick values that
# exist in the Leicestershire data, so the views do real work rather than answer 404 early.
SAMPLE_KWARGS = {
    "pk": lambda endpoint: _first_pk(_model_of(endpoint)),
    "id": lambda endpoint: _first_pk(_model_of(endpoint)),
    "object_id": _object_id,
    "history_id": _history_id,
    "content_type_id": _content_type_id,
    "app_label": "contracts",
    "slug": "blaby",
    "district": "blaby",
    "code": "VAL-01",
    "indicator": "VAL-01",
    "provider": "VASL",
    "organisation": "VASL",
    "period": "2010-11-q3",
    "year": "2010",
    "financial_year": "2010",
    "quarter": "3",
    "url": "no-such-page/",
}

#: Names for the positional groups of patterns that have no named ones, by url name suffix.
POSITIONAL_PARAMETERS = {"_simple_history": ("object_id", "history_id")}


@dataclass(frozen=True)
class Endpoint:
    name: str | None  # "namespace:name", or None for an unnamed pattern
    route: str  # the whole pattern from the root, as written in the URLconf
    pattern: URLPattern

    @property
    def callback(self):
        return self.pattern.callback

    def __str__(self):
        return f"{self.name or '(unnamed)'} {self.route!r}"


def url_endpoints() -> list[Endpoint]:
    """Every URL pattern in the URLconf, walked recursively through includes and namespaces."""
    endpoints = []

    def walk(resolver, prefix: str, namespace: str | None):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry, prefix + str(entry.pattern), inner)
            else:
                name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
                endpoints.append(Endpoint(name, prefix + str(entry.pattern), entry))

    walk(get_resolver(), "", None)
    return endpoints


def _parameter_names(endpoint: Endpoint) -> list[str]:
    route = endpoint.route
    names = re.findall(r"(?<!\?P)<(?:\w+:)?(\w+)>", route) + re.findall(r"\(\?P<(\w+)>", route)
    positional = len(re.findall(r"\((?!\?)", route))
    if positional:
        for suffix, positional_names in POSITIONAL_PARAMETERS.items():
            if endpoint.name and endpoint.name.endswith(suffix) and len(positional_names) == positional:
                return names + list(positional_names)
        pytest.fail(f"{endpoint}: unnamed groups; add names for them to POSITIONAL_PARAMETERS")
    return names


def concrete_url(endpoint: Endpoint) -> str:
    """A real URL that this very pattern answers, with sample values for its parameters."""
    missing = [name for name in _parameter_names(endpoint) if name not in SAMPLE_KWARGS]
    if missing:
        pytest.fail(
            f"{endpoint}: no sample value for URL parameter(s) {missing}. Add them to SAMPLE_KWARGS in "
            f"tests/security/test_url_walk.py so that this view is walked too."
        )

    def sample(name: str) -> str:
        value = SAMPLE_KWARGS[name]
        return value(endpoint) if callable(value) else value

    names = _parameter_names(endpoint)
    positional_count = len(re.findall(r"\((?!\?)", endpoint.route))
    positional = iter(names[len(names) - positional_count :])
    route = re.sub(r"(?<!\?P)<(?:\w+:)?(\w+)>", lambda match: sample(match.group(1)), endpoint.route)
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda match: sample(match.group(1)), route)
    route = re.sub(r"\((?!\?)[^)]*\)", lambda match: sample(next(positional)), route)
    url = "/" + route.replace("^", "").replace("$", "")
    match = resolve(url)
    assert match.func == endpoint.callback, f"{endpoint}: the sample URL {url} resolves to {match.view_name}"
    return url


def _client_for(role: str) -> Client:
    client = Client()
    if role == SUPERUSER:
        user = User.objects.create_superuser("walk.superuser", "walk@example.org", "not-used-here")
    else:
        user = User.objects.get(username=role)
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def every_table_has_a_row(client, demo_password):
    """Rows for the tables the Leicestershire data leaves empty, so their admin pages render real objects:
    a group, and the sign-in records django-axes keeps (a failure, then a success)."""
    Group.objects.create(name="Walkers")
    client.post(reverse("login"), {"username": "peer.reviewer", "password": "wrong"})
    client.post(reverse("login"), {"username": "peer.reviewer", "password": demo_password})
    client.logout()


def _sign_in_urls() -> tuple[str, ...]:
    return (reverse("login"), reverse("admin:login"))


def test_every_url_parameter_has_a_sample_value():
    missing = {}
    for endpoint in url_endpoints():
        names = [name for name in _parameter_names(endpoint) if name not in SAMPLE_KWARGS]
        if names:
            missing[str(endpoint)] = names
    assert not missing, f"add sample values to SAMPLE_KWARGS for: {missing}"


def test_every_portal_url_name_has_its_expected_statuses():
    """The admin's own pages are covered by the walk; every portal page needs its row in EXPECTED_STATUS."""
    names = {endpoint.name for endpoint in url_endpoints() if endpoint.name and not endpoint.name.startswith("admin:")}
    missing = sorted(names - EXPECTED_STATUS.keys())
    assert not missing, f"add these url names to EXPECTED_STATUS in tests/security/test_url_walk.py: {missing}"
    assert not EXPECTED_STATUS.keys() - {endpoint.name for endpoint in url_endpoints()}, "stale names in the table"


def test_anonymous_visitors_are_sent_to_sign_in_except_the_allow_list(client):
    wrong = []
    for endpoint in url_endpoints():
        url = concrete_url(endpoint)
        response = client.get(url)
        if endpoint.name in ANONYMOUS_ALLOWED:
            if response.status_code != 200:
                wrong.append(f"{url} ({endpoint.name}) answered {response.status_code}, not 200")
        elif response.status_code != 302 or not response["Location"].startswith(_sign_in_urls()):
            where = response.get("Location", "")
            wrong.append(f"{url} ({endpoint}) answered {response.status_code} {where} instead of going to sign in")
    assert not wrong, "\n".join(wrong)


def test_static_files_need_no_login(client, settings):
    settings.WHITENOISE_USE_FINDERS = True
    response = Client().get("/static/build/portal.css")
    assert response.status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_each_role_without_a_server_error_and_as_expected(role):
    client = _client_for(role)
    # Raised exceptions are answered as a 500 page, as in production, rather than failing the first request.
    client.raise_request_exception = False
    wrong = []
    for endpoint in url_endpoints():
        url = concrete_url(endpoint)
        status = client.get(url).status_code
        if endpoint.name in KNOWN_SERVER_ERRORS and role == SUPERUSER:
            if status != 500:
                wrong.append(f"{url} ({endpoint.name}) is fixed: remove it from KNOWN_SERVER_ERRORS")
            continue
        if status not in ALLOWED_STATUSES:
            wrong.append(f"{url} ({endpoint}) answered {status}")
        expected = EXPECTED_STATUS.get(endpoint.name, {}).get(role)
        if expected is not None and status != expected:
            wrong.append(f"{url} ({endpoint.name}) answered {status}, expected {expected}")
    assert not wrong, f"as {role}:\n" + "\n".join(wrong)
