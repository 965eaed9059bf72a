"""Check, then confirm: every irreversible action asks first.

For each action declared below, a POST of a valid form changes nothing and answers a confirmation page (its
title, what will change, a confirm button posting back with CSRF, a cancel link); the confirming POST makes
the change and it is kept in the object's history, with who did it.

The declared list is checked against the code, so a new action cannot escape it:
- every URL pattern whose view says ``irreversible = True`` has a case here, and every case's view says so
  (or, for a state machine's step, the step is declared irreversible below);
- every URL pattern that takes a POST (outside the admin and the API, which have their own rules) is either
  irreversible or listed in ``REVERSIBLE`` with the way it is undone;
- every transition of every state machine is either in ``IRREVERSIBLE_STEPS`` (and has a case) or in
  ``REVERSIBLE_STEPS`` with the step that undoes it.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_fsm import FSMFieldMixin

from contracts.models import Contract, SubContract
from contracts.services import scenario_create
from disputes.models import Dispute
from disputes.services import dispute_raise
from performance.models import FrameworkPublication, ReportingPeriod, Return
from tests.performance.conftest import fill_hub_rows, page_data
from tests.signin import signed_in
from vcsportal.models import User

pytestmark = pytest.mark.django_db

#: Every POST endpoint that is not irreversible, and how its change is undone (or why it needs no asking).
REVERSIBLE = {
    "login": "signing in changes no data",
    "logout": "signing out changes no data",
    "password_change": "the password can be changed again",
    "password_reset": "sends an email; the old password still works",
    "password_reset_confirm": "the password can be changed again",
    "invitation_accept": "the password can be changed again",
    "twofactor:setup": "two-factor sign-in can be set up again or reset",
    "twofactor:verify": "signing in changes no data",
    "twofactor:recovery_codes": "new recovery codes can be made again",
    "twofactor:manage": "two-factor sign-in can be set up again",
    "api_token": "a token can be made again or revoked",
    "people:invite": "the person can be deactivated",
    "partnership_setup:upload": "a preview (a dry run) first, then apply; a later workbook changes any row it wrote "
    "again (found by its code), each change kept in history",
    "people:change_role": "the role can be changed back",
    "people:deactivate": "reactivate undoes it",
    "people:reactivate": "deactivate undoes it",
    "people:resend_invitation": "sends an email only",
    "people:reset_two_factor": "the person sets it up again at next sign-in",
    "notifications:preferences": "preferences can be changed back",
    "notifications:retry": "resends an email only",
    "notifications:retry_failed": "resends emails only",
    "districts:add_note": "a note is added beside the others; a later note corrects it",
    "districts:agreement_draft": "a draft can be changed by either party; it binds nobody until both sign",
    "districts:agreement_edit": "a draft can be changed again",
    "districts:agreement_sign": (
        "a sign-off on a draft is withdrawn by changing the draft; an agreed version is superseded by a new "
        "version both parties sign (the agreed one stays in the versions, as the review's record needs)"
    ),
    "districts:negotiation_outputs": "the outputs can be recorded again (earlier values stay in the history)",
    "districts:negotiation_position": "a party's position can be recorded again (earlier ones stay in the history)",
    "districts:negotiation_route": "a later step is recorded beside it (mediation, then the Peer Review Body)",
    "districts:negotiation_status": "a later note moves the status again; every note stays as the narrative",
    "period_returns:bulk": "already asks first, listing what changes (tests/pages/test_period_returns.py)",
    "period_returns:remind": "sends an email only",
    "performance:return": "saving a draft can be saved over; submitting is the submit step, declared below",
    "performance:return_accept": "a reviewer can send it back",
    "performance:return_send_back": "the provider submits it again",
    "performance:return_sign_off": "LCC can reopen it",
    "performance:return_reopen": "the provider submits it again",
    "performance:return_validate": "a verdict can be changed",
    "performance:return_section": "a draft's section can be saved over; submitting is on the check page",
    "performance:return_evidence": "a document kept can be replaced by a new version; a survey figure recorded again",
    "performance:evidence_replace": "replaced again by a further version; every earlier version stays readable",
    "performance:import": "already a dry run first, then an import that saves drafts, which can be saved over",
    "performance:periods": "opening a period creates drafts; its due date can be changed",
    "performance:targets_copy": "targets can be set again",
    "performance:targets_import": "a dry run first; targets can be set again",
    "performance:targets_set": "targets can be set again",
    "contracts:subcontract_create": "it can be varied or ended",
    "contracts:subcontract_vary": "it can be varied again",
    "contracts:budget_lines": "a budget line can be changed or removed",
    "contracts:budget_line_update": "it can be changed again",
    "contracts:budget_line_delete": "its history keeps it; a line can be added again",
    "contracts:scenario_create": "a saved scenario changes nothing until adopted",
    "disputes:create": "a dispute can be answered or referred to by another",
    "disputes:hearing": "the hearing date can be changed",
}

#: State machine steps that are not irreversible, and the step that undoes each.
REVERSIBLE_STEPS = {
    ("performance.Return", "resume"): "submitting again",
    ("performance.Return", "accept"): "send_back",
    ("performance.Return", "sign_off"): "reopen, by LCC",
    ("performance.Return", "send_back"): "submitting again",
    ("performance.Return", "reopen"): "submitting again",
    ("disputes.Dispute", "set_hearing"): "setting the hearing again",
}

#: Irreversible state machine steps, and the url name of the case that takes each.
IRREVERSIBLE_STEPS = {
    ("performance.Return", "submit"): "performance:return",
    ("contracts.SubContract", "end"): "contracts:subcontract_end",
    ("disputes.Dispute", "decide"): "disputes:decide",
}


@dataclass
class Case:
    username: str
    prepare: Callable[[Client], tuple[str, dict, object]]  # (url, the form's POST data, the object changed)
    changed: Callable[[object], bool]  # whether the change has been made
    title: str  # words the confirmation page's title holds


def _period_lock(client):
    period = ReportingPeriod.objects.by_label("2010/11 Q3")
    return reverse("performance:period_lock", args=[period.pk]), {}, period


def _extend(client):
    contract = Contract.objects.get(paid_from_pool_of=None)
    return reverse("contracts:extend", args=[contract.pk]), {"years": "2", "reason": "Recommendation Nine"}, contract


def _subcontract_end(client):
    vasl = SubContract.objects.get(provider__code="VASL")
    data = {"version": str(vasl.version), "ended_on": "31 March 2012", "reason": "Hub merges"}
    return reverse("contracts:subcontract_end", args=[vasl.pk]), data, vasl


def _scenario_adopt(client):
    scenario = scenario_create(
        contract=Contract.objects.get(paid_from_pool_of=None),
        financial_year=2011,
        name="Equal cut",
        total=1254878,
        rule="equal_cut",
        user=User.objects.get(username="lcc.officer"),
    )
    return reverse("contracts:scenario_adopt", args=[scenario.pk]), {"reason": "Funders agreed"}, scenario


def _dispute_decide(client):
    dispute = dispute_raise(
        user=User.objects.get(username="vasl.hub"),
        subject="The cut",
        details="Too deep",
        subcontract=SubContract.objects.get(provider__code="VASL"),
    )
    data = {"decision": "The cut is shared equally.", "hearing_on": "14/3/2011"}
    return reverse("disputes:decide", args=[dispute.pk]), data, dispute


def _framework_publish(client):
    year = 2011
    return reverse("performance:framework_publish", kwargs={"year": year}), {"reason": "Agreed"}, year


def _return_submit(client):
    return_obj = Return.objects.get(provider__code="VASL", period__financial_year=2010, period__quarter=3)
    url = reverse("performance:return", args=[return_obj.pk])
    page = client.get(url)
    return url, {**fill_hub_rows(page_data(page), page), "submit": "Submit"}, return_obj


def _return_check(client):
    """VAL's 65-row return, every row complete: its check-your-answers page submits it."""
    return_obj = Return.objects.get(provider__code="VAL", period__financial_year=2010, period__quarter=3)
    return_obj.results.update(
        rag="not_reported", not_reported_reason="not_yet_available", narrative="Figures come next quarter."
    )
    return reverse("performance:return_check", args=[return_obj.pk]), {"version": str(return_obj.version)}, return_obj


def _refreshed(obj):
    obj.refresh_from_db()
    return obj


CASES: dict[str, Case] = {
    "performance:period_lock": Case(
        "lcc.officer", _period_lock, lambda p: _refreshed(p).status == ReportingPeriod.Status.LOCKED, "Lock 2010/11 Q3"
    ),
    "contracts:extend": Case("lcc.officer", _extend, lambda c: _refreshed(c).extension_exercised, "extension"),
    "contracts:subcontract_end": Case(
        "lcc.officer", _subcontract_end, lambda s: _refreshed(s).status == SubContract.Status.ENDED, "End the sub"
    ),
    "contracts:scenario_adopt": Case("lcc.officer", _scenario_adopt, lambda s: _refreshed(s).adopted, "Adopt"),
    "disputes:decide": Case(
        "peer.reviewer", _dispute_decide, lambda d: _refreshed(d).status == Dispute.Status.DECIDED, "binding decision"
    ),
    "performance:framework_publish": Case(
        "lcc.officer",
        _framework_publish,
        lambda year: FrameworkPublication.objects.filter(financial_year=year).exists(),
        "Publish the 2011/12 framework",
    ),
    "performance:return_check": Case(
        "val.staff", _return_check, lambda r: _refreshed(r).status == Return.Status.SUBMITTED, "Check your answers"
    ),
    "performance:return": Case(
        "vasl.hub", _return_submit, lambda r: _refreshed(r).status == Return.Status.SUBMITTED, "Submit VASL"
    ),
}


def _history_of(obj):
    if isinstance(obj, int):  # a framework year: its publication's history
        return FrameworkPublication.history.filter(financial_year=obj)
    return obj.history.all()


# --- the declared list is complete ------------------------------------------------------------------------


def _patterns(resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if entry.namespace in ("admin", "api"):
                continue
            yield from _patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", getattr(entry.callback, "view_class", None)


def _takes_post(view_class) -> bool:
    if view_class is None or not hasattr(view_class, "post"):
        return False
    return "post" in getattr(view_class, "http_method_names", ["post"])


def test_every_post_endpoint_is_declared_irreversible_or_reversible():
    seen = dict(_patterns())
    irreversible = {name for name, view in seen.items() if getattr(view, "irreversible", False)}
    posting = {name for name, view in seen.items() if _takes_post(view)}
    undeclared = posting - irreversible - set(REVERSIBLE)
    assert not undeclared, (
        f"say whether these POSTs are irreversible (a confirmation) or how each is undone: {undeclared}"
    )
    assert irreversible - set(CASES) == set(), "every irreversible view needs a case here"
    assert set(CASES) - irreversible - set(IRREVERSIBLE_STEPS.values()) == set()
    assert not (irreversible & set(REVERSIBLE)), "a view cannot be both"
    assert set(REVERSIBLE) <= posting, f"not POST endpoints: {set(REVERSIBLE) - posting}"


def test_every_state_machine_step_is_declared():
    steps = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, FSMFieldMixin):
                for transition in field.get_all_transitions(model):
                    steps.add((model._meta.label, transition.name))
    declared = set(REVERSIBLE_STEPS) | set(IRREVERSIBLE_STEPS)
    assert steps - declared == set(), f"say whether these steps are irreversible: {steps - declared}"
    assert declared - steps == set()
    assert set(IRREVERSIBLE_STEPS.values()) <= set(CASES)


# --- each action asks first ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", sorted(CASES))
def test_the_first_post_changes_nothing_and_the_confirming_post_does_with_history(url_name):
    case = CASES[url_name]
    user = User.objects.get(username=case.username)
    client = signed_in(user, Client(enforce_csrf_checks=False))
    url, data, obj = case.prepare(client)
    history_before = _history_of(obj).count()

    first = client.post(url, data)
    assert first.status_code == 200, first.content.decode()[:2000]
    assert not case.changed(obj), "the first POST made the change"
    assert _history_of(obj).count() == history_before
    page = first.content.decode()
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert case.title in title and "?" in title
    assert "What will change" in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert 'name="confirmed" value="yes"' in page
    assert re.search(r'<a class="govuk-link" href="[^"]+">Cancel</a>', page)
    # The confirmation page posts back exactly what was sent, to the same URL.
    form = re.search(r'<form method="post" action="([^"]+)" novalidate data-confirm-form>', page).group(1)
    assert form == url
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page))
    hidden.pop("csrfmiddlewaretoken", None)
    assert hidden.pop("confirmed") == "yes"
    assert {k: str(v) for k, v in data.items()} == {k: v.replace("&#x27;", "'") for k, v in hidden.items()}

    confirmed = client.post(url, {**data, "confirmed": "yes"})
    assert confirmed.status_code == 302, confirmed.content.decode()[:2000]
    assert case.changed(obj)
    latest = _history_of(obj).order_by("-history_date").first()
    assert _history_of(obj).count() > history_before
    assert latest.history_user == user


@pytest.mark.parametrize("url_name", sorted(CASES))
def test_the_confirmation_is_refused_to_whoever_may_not_take_the_step(url_name):
    """The confirmation page is no way round the permission: a funder reviewer may take none of them."""
    case = CASES[url_name]
    owner = signed_in(User.objects.get(username=case.username))
    url, data, obj = case.prepare(owner)
    funder = signed_in(User.objects.get(username="funder.reviewer"))
    assert funder.post(url, data).status_code in (403, 404)
    assert not case.changed(obj)
