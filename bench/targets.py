"""Every portal page declared for the bench: a page to time (as whom, with which sample objects) or an exemption.

``PAGES`` maps each portal url name (every name in the URLconf but the admin's) to either
- ``Page(role, kwargs=..., query=...)``: a GET page with figures or rows, requested by bench/run.py as ``role``
  (the demo user who sees most of it), its URL parameters computed from the bench's generated data at run time;
  or
- ``Exempt(reason)``: a form, an action (POST-only) or a page with no figures, not timed, with the reason.

tests/test_bench_targets.py walks the URLconf and fails for a portal url name missing here (and for a stale
one). Declaring a new view is one line, e.g. ``"performance:new_page": Page(LCC),`` or
``"people:new_action": Exempt(POST_ONLY),``.

Kwargs are functions of nothing (they query the database once the bench data is loaded) or plain dicts; a
function may answer ``None`` when the bench data has no such object (the page is then listed as skipped).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

#: The demo users (vcsportal/demo.py) the pages are requested as.
LCC = "lcc.officer"
FUNDER = "funder.reviewer"
CIO = "val.staff"
HUB = "vasl.hub"
#: In no partnership: compares every one (the page that grows with the number of partnerships).
NATIONAL = "national.reviewer"

BENCH_PERIOD = (2010, 2)  # Leicestershire's last signed-off quarter
BENCH_INDICATOR = "VAL-01"
BENCH_PROVIDER = "VASL"

FORM = "a form: no figures to time (its POST is a write, measured by the load run)"
POST_ONLY = "an action: POST only, a write (measured by the load run)"
ACCOUNT = "account page: sign-in, password or two-factor, no portal figures"
STATIC = "fixed content, the same at every data size"


@dataclass(frozen=True)
class Page:
    role: str
    kwargs: dict | Callable[[], dict | None] = field(default_factory=dict)
    query: dict | Callable[[], dict] = field(default_factory=dict)


@dataclass(frozen=True)
class Exempt:
    reason: str


def _first(model_path: str, **filters):
    from django.apps import apps

    model = apps.get_model(model_path)
    return model.objects.filter(**filters).order_by("pk").first()


def _pk(model_path: str, key: str = "pk", **filters) -> Callable[[], dict | None]:
    def kwargs():
        obj = _first(model_path, **filters)
        return obj and {key: obj.pk}

    return kwargs


def _in_its_district(model_path: str) -> dict | None:
    """A district page's kwargs: the object's own district slug and its pk."""
    obj = _first(model_path)
    return obj and {"slug": obj.district.slug, "pk": obj.pk}


def bench_period():
    return _first("performance.ReportingPeriod", financial_year=BENCH_PERIOD[0], quarter=BENCH_PERIOD[1])


def period_slug() -> dict:
    return {"period": bench_period().slug}


def bench_return():
    """The bench provider's return for the bench period (signed off in the Leicestershire data)."""
    return _first("performance.Return", provider__code=BENCH_PROVIDER, period=bench_period())


def _return(**extra) -> Callable[[], dict | None]:
    def kwargs():
        obj = bench_return()
        return obj and {"pk": obj.pk, **extra}

    return kwargs


def _draft(provider: str, **extra) -> Callable[[], dict | None]:
    """The provider's latest draft return (its staff enter its figures)."""

    def kwargs():
        from django.apps import apps

        model = apps.get_model("performance.Return")
        obj = model.objects.filter(provider__code=provider, status="draft").order_by("-pk").first()
        return obj and {"pk": obj.pk, **extra}

    return kwargs


def _year() -> dict:
    return {"year": BENCH_PERIOD[0]}


_SUBCONTRACT = _pk("contracts.SubContract", provider__code=BENCH_PROVIDER)
_CONTRACT = _pk("contracts.Contract")

PAGES: dict[str, Page | Exempt] = {
    "home": Page(FUNDER),
    "health": Exempt(STATIC),
    "login": Exempt(ACCOUNT),
    "logout": Exempt(ACCOUNT),
    "password_change": Exempt(ACCOUNT),
    "password_change_done": Exempt(ACCOUNT),
    "password_reset": Exempt(ACCOUNT),
    "password_reset_done": Exempt(ACCOUNT),
    "password_reset_confirm": Exempt(ACCOUNT),
    "password_reset_complete": Exempt(ACCOUNT),
    "invitation_accept": Exempt(ACCOUNT),
    "api_token": Exempt(ACCOUNT),
    "twofactor:manage": Exempt(ACCOUNT),
    "twofactor:setup": Exempt(ACCOUNT),
    "twofactor:verify": Exempt(ACCOUNT),
    "twofactor:recovery_codes": Exempt(ACCOUNT),
    "people:list": Page(LCC),
    "people:invite": Exempt(FORM),
    "people:detail": Page(LCC, _pk("vcsportal.User", username=HUB)),
    "people:change_role": Exempt(FORM),
    "people:deactivate": Exempt(POST_ONLY),
    "people:reactivate": Exempt(POST_ONLY),
    "people:resend_invitation": Exempt(POST_ONLY),
    "people:reset_two_factor": Exempt(POST_ONLY),
    "districts:list": Page(LCC),
    "districts:detail": Page(LCC, lambda: {"slug": _first("districts.District").slug}),
    "districts:add_note": Exempt(FORM),
    "districts:agreement": Page(LCC, lambda: _in_its_district("districts.LocalityAgreement")),
    "districts:agreement_draft": Exempt(POST_ONLY),
    "districts:agreement_edit": Exempt(POST_ONLY),
    "districts:agreement_sign": Exempt(POST_ONLY),
    "districts:negotiation": Page(LCC, lambda: _in_its_district("districts.DistrictNegotiation")),
    "districts:negotiation_outputs": Exempt(POST_ONLY),
    "districts:negotiation_position": Exempt(POST_ONLY),
    "districts:negotiation_route": Exempt(POST_ONLY),
    "districts:negotiation_status": Exempt(POST_ONLY),
    "disputes:list": Page(LCC),
    "disputes:create": Exempt(FORM),
    "disputes:detail": Page(LCC, _pk("disputes.Dispute")),
    "disputes:hearing": Exempt(FORM),
    "disputes:decide": Exempt(FORM),
    "contracts:list": Page(LCC),
    "contracts:detail": Page(LCC, _CONTRACT),
    "contracts:plan_baseline": Page(LCC, _CONTRACT),
    "contracts:extend": Exempt(FORM),
    "contracts:subcontract_create": Exempt(FORM),
    "contracts:budget_lines": Page(LCC, _CONTRACT),
    "contracts:budget_line_update": Exempt(FORM),
    "contracts:budget_line_delete": Exempt(FORM),
    "contracts:my_subcontract": Exempt("a redirect to the provider's own sub-contract, timed as contracts:subcontract"),
    "contracts:subcontract": Page(LCC, _SUBCONTRACT),
    "contracts:subcontract_vary": Exempt(FORM),
    "contracts:subcontract_end": Exempt(FORM),
    "contracts:scenarios": Page(LCC),
    "contracts:scenario_create": Exempt(FORM),
    "contracts:scenario_compare": Page(LCC),
    "contracts:scenario": Page(LCC, _pk("contracts.BudgetScenario")),
    "contracts:scenario_export": Page(LCC, _pk("contracts.BudgetScenario")),
    "contracts:scenario_adopt": Exempt(FORM),
    "period_returns:list": Page(LCC, period_slug),
    "period_returns:export": Page(LCC, lambda: {**period_slug(), "file_format": "csv"}),
    "period_returns:bulk": Exempt(FORM),
    "period_returns:remind": Exempt(FORM),
    "partnership_setup:upload": Exempt(FORM),
    "partnership_setup:template": Exempt(STATIC),
    "performance:my_returns": Page(HUB),
    "performance:review_list": Page(CIO),
    "performance:import": Exempt(FORM),
    "performance:import_template": Exempt(STATIC),
    "performance:return": Page(LCC, _return()),
    # A draft's sections and its check are its provider's own (as the provider's staff enter the figures).
    # VAL's (the CIO's) draft: its sections are the most of any return's.
    "performance:return_section": Page(CIO, _draft("VAL", section="volunteering")),
    "performance:return_check": Page(CIO, _draft("VAL")),
    "performance:return_accept": Exempt(FORM),
    "performance:return_send_back": Exempt(FORM),
    "performance:return_sign_off": Exempt(FORM),
    "performance:return_reopen": Exempt(FORM),
    "performance:return_validate": Exempt(POST_ONLY),
    "performance:return_evidence": Page(LCC, _return()),
    "performance:evidence": Exempt("a file download: the stored upload's bytes, the same at every data size"),
    "performance:evidence_replace": Exempt(FORM),
    "performance:evidence_version": Exempt("a file download of one stored version, the same at every data size"),
    "performance:periods": Page(LCC),
    "performance:period_lock": Exempt(POST_ONLY),
    "performance:dashboard": Page(FUNDER, query=period_slug),
    "performance:dashboard_providers": Page(FUNDER, query=period_slug),
    "performance:dashboard_change": Page(FUNDER, query=period_slug),
    "performance:dashboard_localities": Page(FUNDER, query=period_slug),
    "performance:dashboard_export": Page(FUNDER, {"table": "results", "file_format": "csv"}, query=period_slug),
    "performance:framework": Page(LCC),
    "performance:framework_year": Page(LCC, _year),
    "performance:framework_publish": Exempt(FORM),
    "performance:framework_changes": Page(LCC, _year),
    "performance:targets_copy": Exempt(FORM),
    "performance:targets_import": Exempt(FORM),
    "performance:targets_export": Page(LCC, lambda: {**_year(), "file_format": "csv"}),
    "performance:targets_set": Exempt(FORM),
    "performance:indicators": Page(FUNDER),
    "performance:indicator": Page(FUNDER, {"code": BENCH_INDICATOR}),
    "performance:indicator_export": Page(FUNDER, {"code": BENCH_INDICATOR, "file_format": "csv"}),
    "notifications:list": Page(LCC),
    "notifications:preferences": Exempt(FORM),
    "notifications:delivery_log": Page(LCC),
    "notifications:retry_failed": Exempt(POST_ONLY),
    "notifications:retry": Exempt(POST_ONLY),
    "reports:index": Page(FUNDER),
    "reports:pack": Page(FUNDER, period_slug),
    "national:comparison": Page(NATIONAL, query=lambda: {**period_slug(), "indicator": "LOC-1"}),
    "reports:pack_pdf": Page(FUNDER, period_slug),
    "opendata:giving360": Page(FUNDER),
    "opendata:giving360-json": Page(FUNDER, _year),
    "opendata:giving360-csv": Page(FUNDER, _year),
    "api:api-root": Exempt(STATIC),
    "api:schema": Exempt(STATIC),
    "api:docs": Exempt(STATIC),
    "api:summary": Page(FUNDER, query=lambda: {"period": bench_period().label}),
    "api:district-list": Page(FUNDER),
    "api:district-detail": Page(FUNDER, lambda: {"slug": _first("districts.District").slug}),
    "api:funder-list": Page(FUNDER),
    "api:funder-detail": Page(FUNDER, {"code": "PCT"}),
    "api:provider-list": Page(FUNDER),
    "api:provider-detail": Page(FUNDER, {"code": BENCH_PROVIDER}),
    "api:contract-list": Page(FUNDER),
    "api:contract-detail": Page(FUNDER, lambda: {"reference": _first("contracts.Contract").reference}),
    "api:subcontract-list": Page(FUNDER),
    "api:subcontract-detail": Page(FUNDER, _SUBCONTRACT),
    "api:allocation-list": Page(FUNDER),
    "api:allocation-detail": Page(FUNDER, _pk("contracts.Allocation")),
    "api:contribution-list": Page(FUNDER),
    "api:contribution-detail": Page(FUNDER, _pk("contracts.Contribution")),
    "api:period-list": Page(FUNDER),
    "api:period-detail": Page(FUNDER, lambda: {"pk": bench_period().pk}),
    "api:indicator-list": Page(FUNDER),
    "api:indicator-detail": Page(FUNDER, {"code": BENCH_INDICATOR}),
    "api:return-list": Page(FUNDER),
    "api:return-detail": Page(FUNDER, _return()),
    "api:return-results": Exempt("a write: a provider's figures posted into its draft return (POST only)"),
    "api:result-list": Page(FUNDER),
    "api:result-detail": Page(FUNDER, lambda: {"pk": _first("performance.Result", return_obj=bench_return()).pk}),
}


def resolve_kwargs(page: Page) -> dict | None:
    """The page's URL kwargs against the database as it stands (None: the bench data has no such object)."""
    return page.kwargs() if callable(page.kwargs) else dict(page.kwargs)


def resolve_query(page: Page) -> dict:
    return page.query() if callable(page.query) else dict(page.query)


def bench_rows_create() -> None:
    """The rows the Leicestershire data leaves empty that declared pages show: a saved budget scenario and a
    dispute (VASL's, about its sub-contract). Made through the services, as a person would make them."""
    from contracts.models import Contract, SubContract
    from contracts.services import scenario_create
    from disputes.services import dispute_raise
    from vcsportal.models import User

    lcc = User.objects.get(username=LCC)
    scenario_create(
        contract=Contract.objects.order_by("pk").first(),
        financial_year=2011,
        name="Bench",
        total=Decimal("1254878"),
        rule="equal_cut",
        user=lcc,
    )
    dispute_raise(
        user=User.objects.get(username=HUB),
        subject="Bench",
        details="A dispute for the bench",
        subcontract=SubContract.objects.get(provider__code=BENCH_PROVIDER),
    )
