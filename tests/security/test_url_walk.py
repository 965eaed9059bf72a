"""Every URL pattern in the URLconf, requested by an anonymous visitor and by every role.

The list of URLs is generated from the URLconf itself, so a new view cannot skip these checks:
- anonymous visitors are sent to a sign-in page, except for the explicit allow-list below (and the API,
  which answers 401 with a challenge);
- for every role (and a superuser, so every admin page is rendered), a GET answers 200, 302, 403, 404 or
  405, never a server error;
- the url names in ``EXPECTED_STATUS`` answer exactly what the permission module says, role by role, and
  every portal url name must appear there.

When you add a view: add its url name to ``EXPECTED_STATUS``, and if its URL takes a parameter name not
yet in ``SAMPLE_KWARGS``, add a sample value (the walk fails and tells you which one is missing).
"""

import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from contracts.models import Allocation, BudgetLine, Contract, SubContract
from contracts.services import budget_line_create, scenario_create
from disputes.services import dispute_raise
from districts.models import DistrictNegotiation, LocalityAgreement
from performance.models import Evidence, Result, Return
from performance.services import evidence_add
from tests.signin import signed_in
from vcsportal.demo import DEMO_USERS
from vcsportal.models import User

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"
SUPERUSER = "superuser"
NATIONAL_REVIEWER = "national.reviewer"
DEMO_USERNAMES = [user[0] for user in DEMO_USERS]
ROLES = [*DEMO_USERNAMES, SUPERUSER]
ALLOWED_STATUSES = {200, 302, 403, 404, 405}


def everyone(status: int, **overrides: int) -> dict[str, int]:
    """The same status for every signed-in demo user and the superuser; overrides keyed by username."""
    expected = dict.fromkeys(ROLES, status)
    expected.update({name.replace("__", "."): value for name, value in overrides.items()})
    return expected


#: Who reads contract money (portal.view_contracts): LCC, funders, the CIO; a superuser passes every rule.
CONTRACT_READERS = {"lcc__officer": 200, "funder__reviewer": 200, "val__staff": 200, "superuser": 200}
#: A hub or LRC lists its own sub-contract and allocations.
OWN_MONEY_LISTS = {"vasl__hub": 200, "vac__hub": 200, "lutterworth__lrc": 200}
#: VASL's sub-contract or allocation: its own staff read it; another hub or LRC finds nothing.
VASL_MONEY = {"vasl__hub": 200, "vac__hub": 404, "lutterworth__lrc": 404}
#: Who may export (portal.export): everyone but the peer review member.
EXPORTERS = {"peer__reviewer": 403}
#: A POST-only step of the LCC officer's: everyone else is refused before the method is looked at.
LCC_POST_ONLY = {"lcc__officer": 405, "superuser": 405}
#: Who opens vasl.hub's draft: its own staff and LCC (not funders, nor a superuser, whose role is a funder's).
DRAFT_READERS = {"lcc__officer": 200, "vasl__hub": 200}
#: The CIO's staff and the hubs' and LRCs' (the providers' people).
PROVIDERS = {"val__staff": 200, "vasl__hub": 200, "vac__hub": 200, "lutterworth__lrc": 200}
#: Who manages people: LCC officers and site administrators.
PEOPLE_MANAGERS = {"lcc__officer": 200, "superuser": 200}
#: Varying or ending VASL's sub-contract: a POST of LCC's; who cannot see it at all gets 404 first.
SUBCONTRACT_CHANGE = {**LCC_POST_ONLY, "funder__reviewer": 403, "val__staff": 403, "vasl__hub": 403}

#: Hubs and LRCs of districts other than Melton's: another district's draft agreement is a 404 to them.
AGREEMENT_OUTSIDERS = {"vasl__hub": 404, "vac__hub": 404, "lutterworth__lrc": 404}
#: Who records a district negotiation's steps (POST): the CIO's staff and LCC officers.
NEGOTIATION_RECORDERS = {"lcc__officer": 405, "val__staff": 405, "superuser": 405}

# What each url name answers to each role on GET. Usernames with a dot are written with "__" in overrides
# (lcc__officer=200). Anonymous visitors are checked separately (redirected to sign in unless allow-listed).
# The sample objects (SAMPLE_OBJECTS) are chosen so the answers mean something: the return is vasl.hub's
# 2010/11 Q3 draft (no other provider may see it, not even the CIO: a draft is its provider's own), the
# sub-contract is VASL's, the dispute was raised by VASL against VAL.
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
    # Districts: everyone signed in reads them; only LCC records negotiation notes (POST).
    "districts:list": everyone(200),
    "districts:detail": everyone(200),
    "districts:add_note": everyone(403, **LCC_POST_ONLY),
    # Locality agreements (walked with Melton's loaded 2011/12 draft): its parties, LCC, funders and the peer
    # member read it; hubs and LRCs of other districts find nothing. The CIO's staff and the district's hub or
    # LRC draft, change and sign (POST); Melton has no demo hub, so only the CIO is let through.
    "districts:agreement": everyone(200, **AGREEMENT_OUTSIDERS),
    "districts:agreement_edit": everyone(403, **AGREEMENT_OUTSIDERS, val__staff=405, superuser=405),
    "districts:agreement_sign": everyone(403, **AGREEMENT_OUTSIDERS, val__staff=405, superuser=405),
    "districts:agreement_draft": everyone(405, lcc__officer=403, funder__reviewer=403, peer__reviewer=403),
    # Negotiations (walked with Harborough's): everyone reads; the CIO and LCC record the steps (POST);
    # Harborough's own hub and LRC record their own position.
    "districts:negotiation": everyone(200),
    "districts:negotiation_outputs": everyone(403, **NEGOTIATION_RECORDERS),
    "districts:negotiation_route": everyone(403, **NEGOTIATION_RECORDERS),
    "districts:negotiation_status": everyone(403, **NEGOTIATION_RECORDERS),
    "districts:negotiation_position": everyone(403, **NEGOTIATION_RECORDERS, vasl__hub=405, lutterworth__lrc=405),
    # Contracts and money: LCC manages; funders and the CIO read; hubs, LRCs and the peer member do not.
    # The peer member reads the contract and the sub-contract a dispute concerns (the walk's dispute is about
    # VASL's sub-contract, under the CIO contract), and nothing else of contract money.
    "contracts:list": everyone(403, **CONTRACT_READERS),
    "contracts:detail": everyone(403, **CONTRACT_READERS, peer__reviewer=200),
    "contracts:plan_baseline": everyone(403, **CONTRACT_READERS, peer__reviewer=200),
    "contracts:extend": everyone(403, **LCC_POST_ONLY),
    "contracts:subcontract_create": everyone(403, lcc__officer=200, superuser=200),
    "contracts:budget_lines": everyone(403, **CONTRACT_READERS),
    "contracts:budget_line_update": everyone(403, **LCC_POST_ONLY),
    "contracts:budget_line_delete": everyone(403, **LCC_POST_ONLY),
    # A hub or LRC is sent on to its own sub-contract.
    "contracts:my_subcontract": everyone(403, vasl__hub=302, vac__hub=302, lutterworth__lrc=302, superuser=302),
    # VASL's sub-contract: its own staff read it; another hub or LRC (or the peer member) finds nothing.
    "contracts:subcontract": everyone(404, **CONTRACT_READERS, vasl__hub=200, peer__reviewer=200),
    "contracts:subcontract_vary": everyone(
        404, lcc__officer=405, funder__reviewer=403, val__staff=403, vasl__hub=403, superuser=405
    ),
    "contracts:subcontract_end": everyone(
        404, lcc__officer=405, funder__reviewer=403, val__staff=403, vasl__hub=403, superuser=405
    ),
    "contracts:scenarios": everyone(403, **CONTRACT_READERS),
    "contracts:scenario_create": everyone(403, lcc__officer=200, superuser=200),
    "contracts:scenario_compare": everyone(403, **CONTRACT_READERS),
    "contracts:scenario": everyone(403, **CONTRACT_READERS),
    "contracts:scenario_export": everyone(403, **CONTRACT_READERS),
    "contracts:scenario_adopt": everyone(403, **LCC_POST_ONLY),
    # Disputes: everyone sees the list (scoped); the CIO and the providers raise them; the parties, LCC,
    # funders and the Peer Review Body read one; only the peer member records the hearing and decision.
    "disputes:list": everyone(200),
    "disputes:create": everyone(403, val__staff=200, vasl__hub=200, vac__hub=200, lutterworth__lrc=200, superuser=200),
    "disputes:detail": everyone(200, vac__hub=404, lutterworth__lrc=404),
    "disputes:hearing": everyone(403, peer__reviewer=405, vac__hub=404, lutterworth__lrc=404, superuser=405),
    "disputes:decide": everyone(403, peer__reviewer=405, vac__hub=404, lutterworth__lrc=404, superuser=405),
    # Returns.
    "performance:my_returns": everyone(403, **PROVIDERS, superuser=200),
    "performance:review_list": everyone(403, lcc__officer=200, val__staff=200, superuser=200),
    "performance:import": everyone(403, lcc__officer=200, superuser=200),
    "performance:import_template": everyone(403, lcc__officer=200, superuser=200),
    # vasl.hub's draft: its own staff and LCC open it; nobody else learns it exists.
    "performance:return": everyone(404, **DRAFT_READERS),
    # VAL's long draft as a task list: its sections and its check page are for VAL's staff, who fill it in;
    # LCC, who may read the draft but not edit it, is refused; nobody else (a superuser, whose role is a
    # funder's, included) learns it exists.
    "performance:return_section": everyone(404, val__staff=200, lcc__officer=403),
    "performance:return_check": everyone(404, val__staff=200, lcc__officer=403),
    # The workflow steps are POSTs: a GET is refused before anything is looked up.
    "performance:return_accept": everyone(405),
    "performance:return_send_back": everyone(405),
    "performance:return_sign_off": everyone(405),
    "performance:return_reopen": everyone(405),
    "performance:return_validate": everyone(405),
    # The draft's evidence (kept by vasl.hub): who may read the return reads its documents, every version;
    # replacing one is a POST.
    "performance:return_evidence": everyone(404, **DRAFT_READERS),
    "performance:evidence": everyone(404, **DRAFT_READERS),
    "performance:evidence_version": everyone(404, **DRAFT_READERS),
    "performance:evidence_replace": everyone(405),
    "performance:periods": everyone(403, lcc__officer=200, superuser=200),
    # The framework by year: everyone signed in reads it and what changed since publication; LCC runs it
    # (targets on one page, copying, importing; publishing is a POST). The download is for exporters.
    "performance:framework": everyone(200),
    "performance:framework_year": everyone(200),
    "performance:framework_changes": everyone(200),
    "performance:framework_publish": everyone(403, **LCC_POST_ONLY),
    "performance:targets_set": everyone(403, lcc__officer=200, superuser=200),
    "performance:targets_copy": everyone(403, lcc__officer=200, superuser=200),
    "performance:targets_import": everyone(403, lcc__officer=200, superuser=200),
    "performance:targets_export": everyone(200, **EXPORTERS),
    "performance:period_lock": everyone(403, **LCC_POST_ONLY),
    # The dashboard's sections and the indicator pages count submitted returns only: open to everyone signed in.
    "performance:dashboard": everyone(200),
    "performance:dashboard_providers": everyone(200),
    "performance:dashboard_change": everyone(200),
    "performance:dashboard_localities": everyone(200),
    "performance:dashboard_export": everyone(200, **EXPORTERS),
    "performance:indicator": everyone(200),
    "performance:indicators": everyone(200),
    "performance:indicator_export": everyone(200, **EXPORTERS),
    # 360Giving publishes contract money: for those who read contracts, each their own partnership's grants (a
    # site administrator in no partnership has none to publish: the command names one).
    "opendata:giving360": everyone(403, **CONTRACT_READERS),
    "opendata:giving360-json": everyone(403, **{**CONTRACT_READERS, "superuser": 404}),
    "opendata:giving360-csv": everyone(403, **{**CONTRACT_READERS, "superuser": 404}),
    # The API: the pages' rules, as JSON.
    "api:api-root": everyone(200),
    "api:schema": everyone(200),
    "api:docs": everyone(200),
    "api:district-list": everyone(200),
    "api:district-detail": everyone(200),
    "api:funder-list": everyone(200),
    "api:funder-detail": everyone(200),
    "api:provider-list": everyone(200),
    "api:provider-detail": everyone(200),
    "api:indicator-list": everyone(200),
    "api:indicator-detail": everyone(200),
    "api:period-list": everyone(200),
    "api:period-detail": everyone(200),
    "api:contract-list": everyone(403, **CONTRACT_READERS),
    "api:contract-detail": everyone(403, **CONTRACT_READERS),
    # A hub or LRC reads its own sub-contract and allocations (VASL's are the samples), as on the pages.
    "api:subcontract-list": everyone(403, **CONTRACT_READERS, **OWN_MONEY_LISTS),
    "api:subcontract-detail": everyone(403, **CONTRACT_READERS, **VASL_MONEY),
    "api:allocation-list": everyone(403, **CONTRACT_READERS, **OWN_MONEY_LISTS),
    "api:allocation-detail": everyone(403, **CONTRACT_READERS, **VASL_MONEY),
    "api:contribution-list": everyone(403, **CONTRACT_READERS),
    "api:contribution-detail": everyone(403, **CONTRACT_READERS),
    # Lists are scoped (a peer member's is empty); vasl.hub's draft and its results only for LCC and VASL.
    "api:return-list": everyone(200),
    "api:return-detail": everyone(404, **DRAFT_READERS),
    "api:result-list": everyone(200),
    "api:result-detail": everyone(404, **DRAFT_READERS),
    # The dashboard summary reads as the dashboard page does; the results write is POST only.
    "api:summary": everyone(200),
    "api:return-results": everyone(405),
    # Everyone manages their own API token.
    "api_token": everyone(200),
    # Forgotten passwords and invitations: open to anyone (an unknown or used link says so, with a 200).
    "password_reset": everyone(200),
    "password_reset_done": everyone(200),
    "password_reset_confirm": everyone(200),
    "password_reset_complete": everyone(200),
    "invitation_accept": everyone(200),
    # Everyone's own two-factor sign-in (those past it, or owing none, are sent on from the code page).
    "twofactor:manage": everyone(200),
    "twofactor:setup": everyone(200),
    "twofactor:verify": everyone(302),
    "twofactor:recovery_codes": everyone(200),
    # People: LCC officers and site administrators; every change is a POST.
    "people:list": everyone(403, **PEOPLE_MANAGERS),
    "people:invite": everyone(403, **PEOPLE_MANAGERS),
    "people:detail": everyone(403, **PEOPLE_MANAGERS),
    "people:change_role": everyone(403, **LCC_POST_ONLY),
    "people:deactivate": everyone(403, **LCC_POST_ONLY),
    "people:reactivate": everyone(403, **LCC_POST_ONLY),
    "people:resend_invitation": everyone(403, **LCC_POST_ONLY),
    "people:reset_two_factor": everyone(403, **LCC_POST_ONLY),
    # Everyone reads their own notifications and sets their own email preferences; LCC reads the delivery
    # log of every email and retries the failed ones (POST).
    "notifications:list": everyone(200),
    "notifications:preferences": everyone(200),
    "notifications:delivery_log": everyone(403, lcc__officer=200, superuser=200),
    "notifications:retry": everyone(403, **LCC_POST_ONLY),
    "notifications:retry_failed": everyone(403, **LCC_POST_ONLY),
    # A period's returns: for its reviewers, LCC and the CIO (each seeing what the return policy allows); the
    # bulk steps and "send a reminder now" are POSTs.
    "period_returns:list": everyone(403, lcc__officer=200, val__staff=200, superuser=200),
    "period_returns:export": everyone(403, lcc__officer=200, val__staff=200, superuser=200),
    "period_returns:bulk": everyone(403, lcc__officer=405, val__staff=405, superuser=405),
    "period_returns:remind": everyone(403, lcc__officer=405, val__staff=405, superuser=405),
    # Setting up a partnership from its workbook (and its blank template): site administrators only.
    "partnership_setup:upload": everyone(403, superuser=200),
    "partnership_setup:template": everyone(403, superuser=200),
    # The funders' quarterly pack (page and PDF): for those who read contracts (LCC, funders, the CIO).
    "reports:index": everyone(403, **CONTRACT_READERS),
    "reports:pack": everyone(403, **CONTRACT_READERS),
    "reports:pack_pdf": everyone(403, **CONTRACT_READERS),
    # The national comparison: the national reviewer (in no partnership) and site administrators only.
    "national:comparison": everyone(403, national__reviewer=200, superuser=200),
}

#: The national reviewer (in no partnership) reads the comparison, the home page and their own account, and
#: nothing else: every other page is refused (403) or finds nothing (404), whatever everyone else gets; a GET
#: of a POST-only step is 405 before anything is looked at (their POSTs are walked below). Set over the table
#: above, so every url name has its national answer and a new page is refused to them unless named here.
NATIONAL_ANSWERS = {
    "national:comparison": 200,
    "home": 200,
    "health": 200,
    "login": 302,
    "logout": 405,
    "password_change": 200,
    "password_change_done": 200,
    "password_reset": 200,
    "password_reset_done": 200,
    "password_reset_confirm": 200,
    "password_reset_complete": 200,
    "invitation_accept": 200,
    "twofactor:manage": 200,
    "twofactor:setup": 200,
    "twofactor:verify": 302,
    "twofactor:recovery_codes": 200,
    # Not staff: the admin sends them to its own login, as it does everyone outside it.
    "admin:index": 302,
    # The workflow's POST-only steps.
    **dict.fromkeys(
        [
            "performance:return_accept",
            "performance:return_send_back",
            "performance:return_sign_off",
            "performance:return_reopen",
            "performance:return_validate",
            "performance:evidence_replace",
        ],
        405,
    ),
    # Objects looked up through the user's scope, which is empty for them: nothing is found.
    **dict.fromkeys(
        [
            "contracts:scenario",
            "contracts:scenario_adopt",
            "contracts:scenario_export",
            "contracts:subcontract",
            "contracts:subcontract_end",
            "contracts:subcontract_vary",
            "disputes:decide",
            "disputes:detail",
            "disputes:hearing",
            "districts:agreement",
            "districts:agreement_edit",
            "districts:agreement_sign",
            "performance:evidence",
            "performance:evidence_version",
            "performance:return",
            "performance:return_check",
            "performance:return_evidence",
            "performance:return_section",
        ],
        404,
    ),
}
for _name, _expected in EXPECTED_STATUS.items():
    _expected[NATIONAL_REVIEWER] = NATIONAL_ANSWERS.get(_name, 403)

#: Server errors this walk found in code this branch does not own, each with its cause. The walk insists they
#: still fail, so the entry must go as soon as the fix lands (it is reported to the lead, not hidden).
KNOWN_SERVER_ERRORS: dict[str, str] = {}

#: Answer without a login (anything else must redirect an anonymous visitor to a sign-in page).
ANONYMOUS_ALLOWED = {
    "login",
    "health",
    "admin:login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "invitation_accept",
}
#: The API is for programs, not browsers: without a token or a session it answers 401 with a
#: WWW-Authenticate challenge rather than a redirect. Its docs page is for people, so it redirects.
ANONYMOUS_API_EXCEPT = {"api:docs"}


#: Stands for an object that does not exist, where a table is empty: the view's not-found path is walked.
MISSING_PK = "999999"


def _first_pk(model: type[models.Model]) -> str:
    obj = model._default_manager.order_by("pk").first()
    return str(obj.pk) if obj is not None else MISSING_PK


#: The model behind a pk for views that build their queryset per request (scoped to the user), by url name.
VIEW_MODELS = {
    "contracts:detail": "contracts.Contract",
    "contracts:plan_baseline": "contracts.Contract",
    "contracts:extend": "contracts.Contract",
    "contracts:scenario": "contracts.BudgetScenario",
    "contracts:scenario_export": "contracts.BudgetScenario",
    "contracts:scenario_adopt": "contracts.BudgetScenario",
    "disputes:detail": "disputes.Dispute",
    "disputes:hearing": "disputes.Dispute",
    "disputes:decide": "disputes.Dispute",
    "api:allocation-detail": "contracts.Allocation",
    "api:contribution-detail": "contracts.Contribution",
    "api:return-results": "performance.Return",
    "notifications:retry": "notifications.Notification",
}


def _model_of(endpoint: "Endpoint") -> type[models.Model]:
    """The model a pk-like parameter points at: the view's own model, or the admin's app/model path."""
    if endpoint.name in VIEW_MODELS:
        return apps.get_model(VIEW_MODELS[endpoint.name])
    view_class = getattr(endpoint.callback, "view_class", None) or getattr(endpoint.callback, "cls", None)
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


def _vasl_draft_evidence() -> int:
    """The walk's document on vasl.hub's draft (0, a 404, where a test reusing the walk's URLs made none)."""
    evidence = Evidence.objects.filter(return_obj=_vasl_draft()).order_by("pk").first()
    return evidence.pk if evidence else 0


def _history_id(endpoint: "Endpoint") -> str:
    if endpoint.name == "performance:evidence_version":
        version = Evidence.history.order_by("history_id").first()
        return str(version.history_id if version else 0)
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


def _val_draft() -> Return:
    return Return.objects.get(provider__code="VAL", period__financial_year=2010, period__quarter=3)


def _vasl_draft() -> Return:
    return Return.objects.get(provider__code="VASL", period__financial_year=2010, period__quarter=3)


#: The object a url name is walked with, where the first row of its table would prove little: vasl.hub's
#: draft, VASL's sub-contract. Other pk-like parameters take the first row of the view's model.
SAMPLE_OBJECTS = {
    "performance:return": lambda: _vasl_draft().pk,
    "performance:return_accept": lambda: _vasl_draft().pk,
    "performance:return_section": lambda: _val_draft().pk,
    "performance:return_check": lambda: _val_draft().pk,
    "performance:return_send_back": lambda: _vasl_draft().pk,
    "performance:return_sign_off": lambda: _vasl_draft().pk,
    "performance:return_reopen": lambda: _vasl_draft().pk,
    "performance:return_validate": lambda: _vasl_draft().pk,
    "performance:return_evidence": lambda: _vasl_draft().pk,
    "performance:evidence": lambda: _vasl_draft_evidence(),
    "performance:evidence_version": lambda: _vasl_draft_evidence(),
    "performance:evidence_replace": lambda: _vasl_draft_evidence(),
    "performance:period_lock": lambda: _vasl_draft().period_id,
    "api:return-detail": lambda: _vasl_draft().pk,
    "api:return-results": lambda: _vasl_draft().pk,
    "api:result-detail": lambda: Result.objects.filter(return_obj=_vasl_draft()).order_by("pk").first().pk,
    "contracts:subcontract": lambda: SubContract.objects.get(provider__code="VASL").pk,
    "contracts:subcontract_vary": lambda: SubContract.objects.get(provider__code="VASL").pk,
    "contracts:subcontract_end": lambda: SubContract.objects.get(provider__code="VASL").pk,
    "api:subcontract-detail": lambda: SubContract.objects.get(provider__code="VASL").pk,
    "api:allocation-detail": lambda: Allocation.objects.filter(organisation__code="VASL").order_by("pk").first().pk,
    **{
        f"districts:{name}": lambda: LocalityAgreement.objects.get(district__slug="melton", number=1).pk
        for name in ("agreement", "agreement_edit", "agreement_sign")
    },
    **{
        f"districts:{name}": lambda: DistrictNegotiation.objects.get(district__slug="harborough").pk
        for name in (
            "negotiation",
            "negotiation_outputs",
            "negotiation_route",
            "negotiation_status",
            "negotiation_position",
        )
    },
    **{
        f"people:{name}": lambda: User.objects.get(username="vasl.hub").pk
        for name in ("detail", "change_role", "deactivate", "reactivate", "resend_invitation", "reset_two_factor")
    },
}

#: The district a url name is walked in, where Blaby's would prove little (it has no locality agreement).
SAMPLE_SLUGS = {
    **dict.fromkeys(["districts:agreement", "districts:agreement_edit", "districts:agreement_sign"], "melton"),
    "districts:agreement_draft": "melton",
    **{
        f"districts:{name}": "harborough"
        for name in (
            "negotiation",
            "negotiation_outputs",
            "negotiation_route",
            "negotiation_status",
            "negotiation_position",
        )
    },
}

#: Query strings for views whose documented parameters are required (without them they answer 400).
SAMPLE_QUERIES = {
    "api:summary": "?period=2010%2F11+Q2",
    # The dashboard's sections with a period that has returns and an earlier one, so each computes its figures.
    "performance:dashboard": "?period=2010-11-q2&compare_to=2009-10-q3",
    "performance:dashboard_providers": "?period=2010-11-q2&compare_to=2009-10-q3",
    "performance:dashboard_change": "?period=2010-11-q2&compare_to=2009-10-q3",
    "performance:dashboard_localities": "?period=2010-11-q2&compare_to=2009-10-q3",
}

#: Codes by url name (a funder's code, a provider's, an indicator's); other views take an indicator's.
SAMPLE_CODES = {"api:funder-detail": "PCT", "api:provider-detail": "VASL"}


def _pk(endpoint: "Endpoint") -> str:
    if endpoint.name in SAMPLE_OBJECTS:
        return str(SAMPLE_OBJECTS[endpoint.name]())
    return _first_pk(_model_of(endpoint))


# A sample value for every URL parameter name, as a string or a function of the endpoint. Pick values that
# exist in the Leicestershire data, so the views do real work rather than answer 404 early.
SAMPLE_KWARGS = {
    "pk": _pk,
    "section": "volunteering",
    "id": _pk,
    "object_id": _object_id,
    "history_id": _history_id,
    "content_type_id": _content_type_id,
    "app_label": "contracts",
    "slug": lambda endpoint: SAMPLE_SLUGS.get(endpoint.name, "blaby"),
    "district": "blaby",
    "code": lambda endpoint: SAMPLE_CODES.get(endpoint.name, "LOC-1"),
    "indicator": "LOC-1",
    "provider": "VASL",
    "organisation": "VASL",
    "reference": "LCC-CIO-2009",
    "table": "by-provider",
    "file_format": "csv",
    "period": "2010-11-q3",
    # A financial year in a URL is written 2010-11 (the 360Giving downloads).
    "year": "2010-11",
    "financial_year": "2010-11",
    "quarter": "3",
    "url": "no-such-page/",
    # A password-reset or invitation link: a real person's id with a token that does not match.
    "uidb64": lambda endpoint: urlsafe_base64_encode(force_bytes(User.objects.get(username="vasl.hub").pk)),
    "token": "not-a-real-token",
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
    return url + SAMPLE_QUERIES.get(endpoint.name, "")


def _client_for(role: str) -> Client:
    if role == SUPERUSER:
        user = User.objects.create_superuser("walk.superuser", "walk@example.org", "not-used-here")
    else:
        user = User.objects.get(username=role)
    return signed_in(user)


@pytest.fixture(autouse=True)
def every_table_has_a_row(client, demo_password):
    """Rows for the tables the Leicestershire data leaves empty, so their pages render real objects: a group,
    the sign-in records django-axes keeps (a failure, then a success), a budget line, a saved budget scenario,
    and a dispute VASL raises about its sub-contract (VAL answers it). Made through the services, as a
    person would make them."""
    Group.objects.create(name="Walkers")
    client.post(reverse("login"), {"username": "peer.reviewer", "password": "wrong"})
    client.post(reverse("login"), {"username": "peer.reviewer", "password": demo_password})
    client.logout()
    lcc = User.objects.get(username="lcc.officer")
    contract = Contract.objects.get(reference="LCC-CIO-2009")
    budget_line_create(
        contract=contract,
        financial_year=2010,
        category=BudgetLine.Category.CENTRAL,
        district=None,
        amount=Decimal("1000.00"),
        note="Walk",
        user=lcc,
    )
    scenario_create(
        contract=contract, financial_year=2011, name="Walk", total=Decimal("1254878"), rule="equal_cut", user=lcc
    )
    evidence_add(
        return_obj=_vasl_draft(),
        user=User.objects.get(username="vasl.hub"),
        title="Walk",
        upload=SimpleUploadedFile("walk.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    dispute_raise(
        user=User.objects.get(username="vasl.hub"),
        subject="Walk",
        details="A dispute for the walk",
        subcontract=SubContract.objects.get(provider__code="VASL"),
    )


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
        elif (endpoint.name or "").startswith("api:") and endpoint.name not in ANONYMOUS_API_EXCEPT:
            if response.status_code != 401 or "WWW-Authenticate" not in response:
                wrong.append(f"{url} ({endpoint.name}) answered {response.status_code}, not 401 with a challenge")
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


#: Where a signed-in person's empty POST is answered by a form asking again (status 200 or 400), by role:
#: everyone's own password; the peer member's hearing and decision forms.
POST_FORMS = {
    "funder.reviewer": {"password_change"},
    "national.reviewer": {"password_change"},
    "peer.reviewer": {"password_change", "disputes:hearing", "disputes:decide"},
}
#: Signing in or out by POST is what those pages are for (they change the session, not the data).
POST_SESSION = {"login", "logout", "admin:login", "admin:logout"}
#: Everyone manages their own API token and two-factor sign-in (credentials, not portal data), and anyone may ask
#: for a password reset or use an invitation link: tests/api/test_api_token_page.py, tests/people/.
POST_OWN_CREDENTIALS = {
    "api_token",
    "twofactor:manage",
    "twofactor:setup",
    "twofactor:verify",
    "twofactor:recovery_codes",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "invitation_accept",
}
#: Everyone sets their own email preferences (not portal data): tests/notifications/test_pages.py.
POST_OWN_SETTINGS = {"notifications:preferences"}


@pytest.mark.parametrize("role", sorted(POST_FORMS))
def test_readers_change_nothing_by_posting_to_any_url(role, unchanged):
    """A funder reads everything and writes nothing, a national reviewer compares and writes nothing; the peer
    member writes only hearings and decisions.
    A POST to every URL (admin pages included) is refused (403, 404 or 405, or the admin's login) or, on
    their own forms, answered with the form again, and the database is exactly as it was."""
    client = _client_for(role)
    client.raise_request_exception = False
    wrong = []
    with unchanged():
        for endpoint in url_endpoints():
            if endpoint.name in POST_SESSION | POST_OWN_CREDENTIALS | POST_OWN_SETTINGS:
                continue
            url = concrete_url(endpoint)
            status = client.post(url, {}).status_code
            if endpoint.name in POST_FORMS[role]:
                allowed = {200, 400}
            elif (endpoint.name or "").startswith("admin:") or endpoint.name is None:
                allowed = {302, 403, 404, 405}  # not staff: the admin sends them to its login
            else:
                allowed = {403, 404, 405}
            if status not in allowed:
                wrong.append(f"POST {url} ({endpoint.name}) answered {status}, expected one of {sorted(allowed)}")
    assert not wrong, f"as {role}:\n" + "\n".join(wrong)
