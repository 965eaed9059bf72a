"""Partnerships are sealed from each other (issue 15): with a synthetic council loaded beside Leicestershire as
its own partnership, Leicestershire's people never reach it.

Generated from the code, so a new view, model or policy cannot escape:
- every URL with a parameter, requested by every Leicestershire role with the ids (pks, codes, slugs) of the
  other partnership's objects, answers a refusal (never a 200) and shows nothing of it;
- every URL without one (lists, dashboards, exports, the API's lists) shows nothing of the other partnership;
- every model says how it belongs to a partnership (``partnership_path``, read by the policies and the admin)
  or why every partnership shares it;
- Leicestershire's dashboard exports and summary are the same before and after the other council is loaded.
"""

import io
import re

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import models

from contracts import policies as contract_policies
from contracts.models import Contract, Organisation
from core.policies import Policy
from core.roles import NATIONAL_ROLES
from disputes import policies as dispute_policies
from districts import policies as district_policies
from districts.models import County, District
from notifications import policies as notification_policies
from performance import policies as performance_policies
from tests.security.test_url_walk import _model_of, _parameter_names, url_endpoints
from tests.signin import signed_in
from vcsportal import policies as person_policies
from vcsportal.demo import DEMO_USERS
from vcsportal.models import User

pytestmark = pytest.mark.django_db

ALL_POLICIES = [
    *contract_policies.POLICIES,
    *district_policies.POLICIES,
    *performance_policies.POLICIES,
    *dispute_policies.POLICIES,
    *notification_policies.POLICIES,
    *person_policies.POLICIES,
]

#: Models every partnership shares for now, and why: the framework (indicators, their targets and changes, the
#: contract's outcomes), the calendar, and Leicestershire's own source documents (Appendix One's principles, the
#: 2007 plan), until partnerships own their frameworks and histories.
FRAMEWORK = "the framework's, shared until partnerships own their frameworks"
SOURCES = "Leicestershire's source documents, kept as history"
SHARED = {
    "contracts.Outcome": FRAMEWORK,
    "contracts.FundingPrinciple": SOURCES,
    "contracts.PlanFigure": SOURCES,
    "contracts.PlanOutcome": SOURCES,
    "contracts.PlanObjective": SOURCES,
    "performance.Indicator": FRAMEWORK,
    "performance.Target": FRAMEWORK,
    "performance.ReportingPeriod": "the quarters are the same calendar for every partnership",
    "performance.FrameworkPublication": FRAMEWORK,
    "performance.FrameworkChange": FRAMEWORK,
    "performance.LateTargetChange": FRAMEWORK,
    "performance.IndicatorAmendment": FRAMEWORK,
    "performance.RatingSplit": SOURCES,
    "performance.SourceContradiction": SOURCES,
}

#: The demo users in Leicestershire (the national reviewer, in none, compares every partnership by design).
LEICESTERSHIRE_ROLES = [user[0] for user in DEMO_USERS if user[2] not in NATIONAL_ROLES]
OTHER = "synthetic-001"
#: What would show that a page holds the other partnership's objects: its codes and names.
OTHER_MARKS = re.compile(rb"S001-|Synthetic (County|District|CIO|Hub|LRC|Health)|synthetic-001")


def partnership_path(model: type[models.Model]) -> str | None:
    """The lookup from ``model`` to its partnership's id; None for a model every partnership shares."""
    return getattr(model, "partnership_path", None)


@pytest.fixture
def other():
    """Council 1 of the synthetic data, its own partnership, with one person per role."""
    call_command("generate_synthetic", councils=1, seed=1, stdout=io.StringIO())
    return County.objects.get(slug=OTHER)


#: The model behind a pk where the URL walk names its sample object directly instead, by url name prefix.
MODELS_BY_PREFIX = {
    "people:": "vcsportal.User",
    "districts:agreement": "districts.LocalityAgreement",
    "districts:negotiation": "districts.DistrictNegotiation",
    # A new sub-contract is made under a contract: its pk is the contract's (before the prefix below).
    "contracts:subcontract_create": "contracts.Contract",
    "contracts:subcontract": "contracts.SubContract",
    "performance:return": "performance.Return",
    "performance:evidence": "performance.Evidence",
    "performance:period_lock": "performance.ReportingPeriod",
    "api:return": "performance.Return",
    "api:result": "performance.Result",
    "api:subcontract": "contracts.SubContract",
}


def _model_for(endpoint) -> type[models.Model]:
    for prefix, label in MODELS_BY_PREFIX.items():
        if endpoint.name and endpoint.name.startswith(prefix):
            return apps.get_model(label)
    return _model_of(endpoint)


def _other_pk(endpoint, county) -> str | None:
    model = _model_for(endpoint)
    path = partnership_path(model)
    if path is None:
        return None
    obj = model._default_manager.filter(**{path: county.pk}).order_by("pk").first()
    return None if obj is None else str(obj.pk)


def _other_value(name: str, endpoint, county) -> str | None:
    """The other partnership's value for a URL parameter; None when it has no such thing (or shares it)."""
    organisation = Organisation.objects.filter(county=county).order_by("kind", "code").last()
    if name in ("pk", "id", "object_id"):
        return _other_pk(endpoint, county)
    if name in ("slug", "district"):
        return District.objects.filter(county=county).order_by("slug").first().slug
    if name in ("provider", "organisation") or (name == "code" and endpoint.name == "api:provider-detail"):
        return organisation.code
    if name == "reference":
        return Contract.objects.filter(county=county).first().reference
    return None


def other_partnership_urls(county) -> list[tuple[str, str]]:
    """(url name, URL) for every pattern whose parameters point at the other partnership's objects."""
    from tests.security.test_url_walk import SAMPLE_KWARGS

    urls = []
    for endpoint in url_endpoints():
        if endpoint.name == "admin:view_on_site":
            continue  # a redirect to the object's own page, which is walked itself
        names = _parameter_names(endpoint)
        others = {name: _other_value(name, endpoint, county) for name in names}
        if not any(others.values()) or None in [others[n] for n in names if n in ("pk", "id", "object_id")]:
            continue

        def sample(name, endpoint=endpoint, others=others):
            if others.get(name):
                return others[name]
            value = SAMPLE_KWARGS[name]
            return value(endpoint) if callable(value) else value

        route = re.sub(r"(?<!\?P)<(?:\w+:)?(\w+)>", lambda m, s=sample: s(m.group(1)), endpoint.route)
        route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m, s=sample: s(m.group(1)), route)
        if "(" in route:
            continue  # the simple-history admin views: the synthetic rows were written without history
        urls.append((endpoint.name, "/" + route.replace("^", "").replace("$", "")))
    return urls


def test_every_policy_over_a_partnership_model_declares_its_partnership():
    undeclared = [
        f"{type(policy).__name__} ({policy.model._meta.label})"
        for policy in ALL_POLICIES
        if policy.partnership is None and policy.model._meta.label not in SHARED
    ]
    assert not undeclared, f"declare `partnership` (the lookup to the county's id) on: {undeclared}"
    assert issubclass(type(ALL_POLICIES[0]), Policy)


@pytest.mark.parametrize("role", LEICESTERSHIRE_ROLES)
def test_another_partnerships_ids_are_never_served(role, other):
    client = signed_in(User.objects.get(username=role))
    urls = other_partnership_urls(other)
    assert len(urls) > 40, urls  # the walk reaches the contract, return, district, provider and admin pages
    served = []
    for name, url in urls:
        response = client.get(url)
        body = b"".join(response) if response.streaming else response.content
        if response.status_code == 200 or OTHER_MARKS.search(body):
            served.append(f"{url} ({name}) answered {response.status_code}")
    assert not served, f"as {role}, another partnership's objects were served:\n" + "\n".join(served)


@pytest.mark.parametrize("role", LEICESTERSHIRE_ROLES)
def test_no_list_page_or_export_shows_another_partnership(role, other):
    from tests.security.test_url_walk import SAMPLE_QUERIES

    client = signed_in(User.objects.get(username=role))
    leaked = []
    for endpoint in url_endpoints():
        if _parameter_names(endpoint) or endpoint.name in (None, "logout", "admin:logout"):
            continue
        url = "/" + endpoint.route.replace("^", "").replace("$", "") + SAMPLE_QUERIES.get(endpoint.name, "")
        response = client.get(url)
        body = b"".join(response) if response.streaming else response.content
        if OTHER_MARKS.search(body):
            leaked.append(f"{url} ({endpoint.name}): {OTHER_MARKS.search(body).group(0).decode()}")
    assert not leaked, f"as {role}, these show another partnership:\n" + "\n".join(leaked)


def _leicestershire_figures(client) -> dict[str, bytes]:
    figures = {}
    for table in ("by-provider", "localities", "results"):
        response = client.get(f"/dashboard/export/{table}.csv?period=2010-11-q2")
        figures[table] = b"".join(response) if response.streaming else response.content
    return figures


def _period_shown(client) -> str:
    """The period the dashboard opens on (the selected option of its period select)."""
    page = client.get("/dashboard/").content.decode()
    select = re.search(r'<select[^>]*name="period".*?</select>', page, re.S).group(0)
    return re.search(r'<option value="([^"]+)" selected>', select).group(1)


def _pmf_summary(*options) -> str:
    out = io.StringIO()
    call_command("pmf_summary", "--period", "2010/11 Q2", "--compare-to", "2009/10 Q3", *options, stdout=out)
    return out.getvalue()


def test_leicestershires_figures_are_the_same_once_another_partnership_is_loaded():
    funder = signed_in(User.objects.get(username="funder.reviewer"))
    before = _leicestershire_figures(funder)
    default_before = _period_shown(funder)
    summary_before = _pmf_summary()  # while Leicestershire is the only partnership, it need not be named
    call_command("generate_synthetic", councils=1, seed=1, stdout=io.StringIO())
    assert _leicestershire_figures(funder) == before
    assert _pmf_summary("--partnership", "leicestershire") == summary_before
    assert b"S001-" not in _pmf_summary("--partnership", "leicestershire").encode()
    assert "S001-" in _pmf_summary("--partnership", OTHER)
    # The dashboard still opens on Leicestershire's latest period, not the other council's 2014/15.
    assert default_before == "2010-11-q2"  # the latest period with counted returns (Q3 is in drafts)
    assert _period_shown(funder) == default_before


def test_each_synthetic_council_is_a_partnership_with_one_person_per_role(other):
    people = User.objects.filter(partnership=other)
    assert sorted(people.values_list("role", flat=True)) == sorted(
        ["lcc_officer", "funder_reviewer", "cio_staff", "provider_staff", "provider_staff", "peer_reviewer"]
    )
    assert all(person.organisation is None or person.organisation.county_id == other.pk for person in people)


def test_a_synthetic_councils_people_see_their_own_partnership_only(other):
    officer = signed_in(User.objects.get(partnership=other, role="lcc_officer"))
    response = officer.get("/dashboard/export/by-provider.csv?period=2010-11-q2")
    body = b"".join(response) if response.streaming else response.content
    assert b"S001-" in body and b"VASL" not in body and b"VAL," not in body


def test_every_model_declares_how_it_belongs_to_a_partnership():
    """Every model of the portal's apps says how it reaches its partnership (``partnership_path``, which the
    policies and the admin use), or that every partnership shares it (``None``, with the reason in ``SHARED``):
    so a new model must say which it is. A declared path must be a real lookup."""
    portal_apps = ("contracts", "districts", "performance", "disputes", "notifications", "vcsportal")
    problems = []
    for app in portal_apps:
        for model in apps.get_app_config(app).get_models():
            label = model._meta.label
            if model.__name__.startswith("Historical") or label in NOT_PARTNERSHIP_DATA:
                continue
            if "partnership_path" not in model.__dict__:
                problems.append(f"{label}: declare partnership_path")
            elif model.partnership_path is None and label not in SHARED:
                problems.append(f"{label}: shared (partnership_path = None) without a reason in SHARED")
            elif model.partnership_path is not None:
                model._default_manager.filter(**{model.partnership_path: 0}).exists()  # a FieldError if not a path
    assert not problems, problems


#: Models of the portal's apps that are not one partnership's data, and why.
NOT_PARTNERSHIP_DATA = {"vcsportal.PersonChange": "read through its person, whose page is sealed"}


def test_pmf_summary_names_the_partnership_once_several_exist(other):
    with pytest.raises(CommandError, match=r"--partnership: name the partnership \(several exist: leicestershire"):
        _pmf_summary()
    with pytest.raises(CommandError, match="--partnership: no partnership “nowhere”: give a partnership's slug"):
        _pmf_summary("--partnership", "nowhere")
