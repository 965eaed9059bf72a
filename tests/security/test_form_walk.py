"""Every form, posted empty and posted with malformed values, answers with the form again: "Error:" before the
page title, one GOV.UK error summary, each of its messages a link to an element of the page (its field), and
never a server error.

The forms are found from the URLconf: every URL pattern that takes a POST (outside the admin and the API) is
either walked here (``WALK``: who posts it, and the page that shows its form) or listed in ``NOT_FORMS`` (a
button with no field to fill in, or a form that needs a mailed token). The fields posted are read from the
form as the page renders it, so a new field is walked too: empty, and then each with a value of the wrong kind
(words in a number, an impossible date, a choice that is not offered, far too much text).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from contracts.models import BudgetLine, Contract, SubContract
from contracts.services import budget_line_create, scenario_create
from disputes.services import dispute_raise
from districts.models import DistrictNegotiation, LocalityAgreement
from performance.models import Result, Return
from performance.services import return_submit
from tests.signin import signed_in
from vcsportal.models import User

pytestmark = pytest.mark.django_db

#: POST endpoints that are not forms to fill in, and why.
NOT_FORMS = {
    "logout": "a button: no field",
    "password_reset_confirm": "needs a mailed token (tests/people)",
    "invitation_accept": "needs a mailed token (tests/people)",
    "twofactor:verify": "the code page of someone half signed in (tests/people/test_two_factor.py)",
    "twofactor:setup": "needs a secret made for the person's session (tests/people/test_two_factor.py)",
    "twofactor:recovery_codes": "a button: no field",
    "twofactor:manage": "turning it off needs a set-up authenticator (tests/people/test_two_factor.py)",
    "api_token": "buttons: no field",
    "people:deactivate": "a button, with the version it was shown",
    "people:reactivate": "a button, with the version it was shown",
    "people:resend_invitation": "a button: no field",
    "people:reset_two_factor": "a button, with the version it was shown",
    "notifications:retry": "a button: no field",
    "notifications:retry_failed": "a button: no field",
    "period_returns:remind": "a button: no field",
    "period_returns:bulk": "a selection of rows on a list, refused with a message on the list (tests/pages)",
    "performance:return_accept": "a button: no field",
    "performance:return_check": "check your answers: its button is the confirmation (no field)",
    "performance:return_sign_off": "a button: no field",
    "performance:period_lock": "a button, then its confirmation page",
    "contracts:budget_line_delete": "a button, with the version it was shown",
    "districts:agreement_sign": "a button, with the version it was shown",
}


#: Forms whose every field may be left empty: posted empty, they save (and redirect); malformed, they must not.
EMPTY_IS_AN_ANSWER = {
    "districts:agreement_edit": "every service may be left not yet agreed, with no note",
    "districts:negotiation_outputs": "an output not agreed yet is left empty",
    "notifications:preferences": "no email at all is a choice (essential ones are sent anyway)",
    "performance:return_validate": "a row left without a verdict keeps the one it had",
    "performance:return_section": "a section left empty is a draft saved as it is",
    "performance:return": "a return left empty is a draft saved as it is (its submit button is walked below)",
}


@dataclass
class Walk:
    username: str | None  # None: signed out
    url: Callable[[], str]  # where the form posts
    page: Callable[[], str]  # the page that shows the form


def _vasl_q3() -> Return:
    return Return.objects.get(provider__code="VASL", period__financial_year=2010, period__quarter=3)


def _val_q3() -> Return:
    return Return.objects.get(provider__code="VAL", period__financial_year=2010, period__quarter=3)


def _submitted_vasl_q3() -> Return:
    return_obj = _vasl_q3()
    if return_obj.status == Return.Status.DRAFT:
        Result.objects.filter(return_obj=return_obj).update(rag="green", actual=3, narrative="Good.")
        return_obj = return_submit(return_obj=return_obj, user=User.objects.get(username="vasl.hub"))
    return return_obj


def _contract() -> Contract:
    return Contract.objects.get(paid_from_pool_of=None)


def _vasl() -> SubContract:
    return SubContract.objects.get(provider__code="VASL")


def _line() -> BudgetLine:
    line = BudgetLine.objects.first()
    if line is None:
        line = budget_line_create(
            contract=_contract(),
            financial_year=2010,
            category="central",
            district=None,
            amount=1000,
            note="",
            user=User.objects.get(username="lcc.officer"),
        )
    return line


def _scenario():
    from contracts.models import BudgetScenario

    return BudgetScenario.objects.first() or scenario_create(
        contract=_contract(),
        financial_year=2011,
        name="Equal",
        total=1254878,
        rule="equal_cut",
        user=User.objects.get(username="lcc.officer"),
    )


def _dispute():
    from disputes.models import Dispute

    return Dispute.objects.first() or dispute_raise(
        user=User.objects.get(username="vasl.hub"), subject="The cut", details="Too deep", subcontract=_vasl()
    )


def _evidence():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from performance.models import Evidence
    from performance.services import evidence_add

    return Evidence.objects.first() or evidence_add(
        return_obj=_vasl_q3(),
        user=User.objects.get(username="vasl.hub"),
        title="Survey report",
        upload=SimpleUploadedFile("report.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
        result=None,
    )


def _vasl_hub_pk() -> int:
    return User.objects.get(username="vasl.hub").pk


def same(name, **kwargs):
    def url():
        return reverse(name, kwargs={k: v() if callable(v) else v for k, v in kwargs.items()})

    return url


def walk(username, name, page=None, **kwargs) -> Walk:
    """The form posting to ``name``, shown on ``page`` (by default the same page), both with ``kwargs``."""
    return Walk(username, same(name, **kwargs), same(page or name, **kwargs))


def on(name, **kwargs):
    return same(name, **kwargs)


def _melton_agreement_pk():
    return LocalityAgreement.objects.get(district__slug="melton", number=1).pk


def _charnwood_pk():
    return DistrictNegotiation.objects.get(district__slug="charnwood").pk


YEAR = 2011
#: A site administrator (a superuser), made when a walk needs one: no demo user is one.
SITE_ADMIN = "walk.site.admin"
WALK: dict[str, Walk] = {
    "login": walk(None, "login"),
    "password_change": walk("vasl.hub", "password_change"),
    "password_reset": walk(None, "password_reset"),
    "people:invite": walk("lcc.officer", "people:invite"),
    "people:change_role": walk("lcc.officer", "people:change_role", page="people:detail", pk=_vasl_hub_pk),
    "notifications:preferences": walk("vasl.hub", "notifications:preferences"),
    "districts:add_note": walk("lcc.officer", "districts:add_note", page="districts:detail", slug="melton"),
    "districts:agreement_draft": walk("val.staff", "districts:agreement_draft", page="districts:detail", slug="melton"),
    "districts:agreement_edit": walk(
        "val.staff", "districts:agreement_edit", page="districts:agreement", slug="melton", pk=_melton_agreement_pk
    ),
    **{
        f"districts:{name}": walk(
            "lcc.officer", f"districts:{name}", page="districts:negotiation", slug="charnwood", pk=_charnwood_pk
        )
        for name in ("negotiation_outputs", "negotiation_position", "negotiation_route", "negotiation_status")
    },
    "performance:return": walk("vasl.hub", "performance:return", pk=lambda: _vasl_q3().pk),
    "performance:return_section": walk(
        "val.staff", "performance:return_section", pk=lambda: _val_q3().pk, section="volunteering"
    ),
    "performance:return_send_back": walk(
        "val.staff", "performance:return_send_back", page="performance:return", pk=lambda: _submitted_vasl_q3().pk
    ),
    "performance:return_reopen": walk(
        "lcc.officer", "performance:return_reopen", page="performance:return", pk=lambda: _submitted_vasl_q3().pk
    ),
    "performance:return_validate": walk(
        "val.staff", "performance:return_validate", page="performance:return", pk=lambda: _submitted_vasl_q3().pk
    ),
    "performance:return_evidence": walk("vasl.hub", "performance:return_evidence", pk=lambda: _vasl_q3().pk),
    "performance:evidence_replace": Walk(
        "vasl.hub",
        same("performance:evidence_replace", pk=lambda: _evidence().pk),
        same("performance:return_evidence", pk=lambda: _evidence().return_obj.pk),
    ),
    "performance:import": walk("lcc.officer", "performance:import"),
    "performance:periods": walk("lcc.officer", "performance:periods"),
    "performance:targets_copy": walk("lcc.officer", "performance:targets_copy", year=YEAR),
    "performance:targets_import": walk("lcc.officer", "performance:targets_import", year=YEAR),
    "performance:targets_set": walk("lcc.officer", "performance:targets_set", year=YEAR, code="VAL-02"),
    "performance:framework_publish": walk(
        "lcc.officer", "performance:framework_publish", page="performance:framework_year", year=YEAR
    ),
    "contracts:extend": walk("lcc.officer", "contracts:extend", page="contracts:detail", pk=lambda: _contract().pk),
    "contracts:subcontract_create": walk("lcc.officer", "contracts:subcontract_create", pk=lambda: _contract().pk),
    "contracts:subcontract_vary": walk(
        "lcc.officer", "contracts:subcontract_vary", page="contracts:subcontract", pk=lambda: _vasl().pk
    ),
    "contracts:subcontract_end": walk(
        "lcc.officer", "contracts:subcontract_end", page="contracts:subcontract", pk=lambda: _vasl().pk
    ),
    "contracts:budget_lines": walk("lcc.officer", "contracts:budget_lines", pk=lambda: _contract().pk),
    "contracts:budget_line_update": Walk(
        "lcc.officer",
        same("contracts:budget_line_update", pk=lambda: _line().pk),
        same("contracts:budget_lines", pk=lambda: _contract().pk),
    ),
    "contracts:scenario_create": walk("lcc.officer", "contracts:scenario_create"),
    "contracts:scenario_adopt": walk(
        "lcc.officer", "contracts:scenario_adopt", page="contracts:scenario", pk=lambda: _scenario().pk
    ),
    "disputes:create": walk("vasl.hub", "disputes:create"),
    "disputes:hearing": walk("peer.reviewer", "disputes:hearing", page="disputes:detail", pk=lambda: _dispute().pk),
    "disputes:decide": walk("peer.reviewer", "disputes:decide", page="disputes:detail", pk=lambda: _dispute().pk),
    "partnership_setup:upload": walk(SITE_ADMIN, "partnership_setup:upload"),
}


# --- the list is complete -------------------------------------------------------------------------------------


def _patterns(resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in ("admin", "api"):
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", getattr(entry.callback, "view_class", None)


def _takes_post(view_class) -> bool:
    return (
        view_class is not None
        and hasattr(view_class, "post")
        and "post" in getattr(view_class, "http_method_names", ["post"])
    )


def test_every_form_in_the_urlconf_is_walked():
    posting = {name for name, view in _patterns() if _takes_post(view)}
    missing = posting - set(WALK) - set(NOT_FORMS)
    assert not missing, f"walk these forms (or say why they are not forms): {sorted(missing)}"
    assert set(WALK) | set(NOT_FORMS) <= posting, "no such POST endpoints"
    assert set(EMPTY_IS_AN_ANSWER) <= set(WALK)


# --- reading a form as the page renders it --------------------------------------------------------------------


class FormFields(HTMLParser):
    """The fields of the forms on a page that post to ``action``: (name, kind, value, options)."""

    def __init__(self, action: str, page_url: str):
        super().__init__()
        self.action, self.page_url = action, page_url
        self.inside = False
        self.select = None
        self.fields: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = attrs.get("action") or self.page_url
            self.inside = attrs.get("method", "get").lower() == "post" and action.split("?")[0] == self.action
        elif not self.inside:
            return
        elif tag == "input" and attrs.get("name") and attrs.get("type") not in ("submit", "button"):
            self.fields.append(
                {"name": attrs["name"], "kind": attrs.get("type", "text"), "value": attrs.get("value", "")}
            )
        elif tag == "textarea" and attrs.get("name"):
            self.fields.append({"name": attrs["name"], "kind": "textarea", "value": ""})
        elif tag == "select" and attrs.get("name"):
            self.select = {"name": attrs["name"], "kind": "select", "value": "", "options": []}
            self.fields.append(self.select)
        elif tag == "option" and self.select is not None:
            self.select["options"].append(attrs.get("value", ""))
            if "selected" in attrs:
                self.select["value"] = attrs.get("value", "")
        elif tag == "button" and attrs.get("name"):
            self.fields.append({"name": attrs["name"], "kind": "button", "value": attrs.get("value", "")})

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None


def _fields(client, walk: Walk) -> tuple[str, list[dict]]:
    url, page_url = walk.url(), walk.page()
    page = client.get(page_url)
    assert page.status_code == 200, f"{page_url}: {page.status_code}"
    parser = FormFields(url, page_url)
    parser.feed(page.content.decode())
    assert parser.fields, f"no form posting to {url} on {page_url}"
    return url, parser.fields


#: A value of the wrong kind for each kind of field.
MALFORMED = {
    "number": "twelve",
    "text": "x" * 5000 + "\x00",
    "textarea": "A reason with a NUL character \x00 in it",
    "date": "31/2/2011",
    "email": "not an email",
    "password": "x",
    "select": "999999",
    "checkbox": "999999",
    "radio": "999999",
}


def _kept(fields) -> dict:
    """What the page sends that nobody types: the hidden fields (versions) and the button pressed."""
    data, pressed = {}, False
    for field in fields:
        if field["kind"] == "button" and not pressed:  # the first button: what Enter in a field presses
            data[field["name"]], pressed = field["value"], True
        elif field["kind"] == "hidden" and field["name"] != "csrfmiddlewaretoken":
            data.setdefault(field["name"], field["value"])
    return data


def _malformed(field) -> str:
    name = field["name"]
    if re.search(r"(^|_|-)(on|date)$", name) or name.endswith("_on"):
        return MALFORMED["date"]
    if re.search(r"(year)$", name):
        return "the year after next"
    if field["kind"] == "text" and re.search(r"(amount|actual|total|value|years|percent|pct)", name):
        return MALFORMED["number"]
    return MALFORMED.get(field["kind"], "x" * 5000 + "\x00")


def _client(walk: Walk) -> Client:
    if walk.username == SITE_ADMIN and not User.objects.filter(username=SITE_ADMIN).exists():
        User.objects.create_superuser(SITE_ADMIN, "site.admin@example.org", "not-used-here")
    return signed_in(User.objects.get(username=walk.username)) if walk.username else Client()


def _check_answer(response, label: str):
    assert response.status_code in (200, 400, 409), f"{label}: answered {response.status_code}, not the form again"
    page = response.content.decode()
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1).strip()
    assert title.startswith("Error: "), f"{label}: the title is {title!r}"
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', page, re.S)
    assert summary, f"{label}: no error summary"
    items = re.findall(r"<li>(.*?)</li>", summary.group(0), re.S)
    assert items, f"{label}: an empty error summary"
    ids = set(re.findall(r'\bid="([^"]+)"', page))
    for item in items:
        link = re.match(r'\s*<a href="#([^"]+)">(.+?)</a>\s*$', item, re.S)
        assert link, f"{label}: a message not linked to a field: {item!r}"
        assert link.group(1) in ids, f"{label}: {link.group(2)!r} links to #{link.group(1)}, not on the page"
        assert "This field is required" not in link.group(2) and "Enter a valid" not in link.group(2), (
            f"{label}: Django's words, not the service's: {link.group(2)!r}"
        )
    assert page.index("govuk-error-summary") < page.index("<h1"), f"{label}: the summary is not at the top"


@pytest.mark.parametrize("url_name", sorted(WALK))
def test_a_form_posted_empty_comes_back_with_its_errors_linked_to_its_fields(url_name):
    walk = WALK[url_name]
    client = _client(walk)
    url, fields = _fields(client, walk)
    response = client.post(url, _kept(fields))
    if url_name in EMPTY_IS_AN_ANSWER:
        assert response.status_code == 302, f"{url_name}: posted empty, answered {response.status_code}"
        return
    _check_answer(response, f"{url_name} empty")


@pytest.mark.parametrize("url_name", sorted(WALK))
def test_a_form_posted_with_malformed_values_comes_back_with_its_errors_linked_to_its_fields(url_name):
    walk = WALK[url_name]
    client = _client(walk)
    url, fields = _fields(client, walk)
    data = _kept(fields)
    for field in fields:
        if field["kind"] not in ("hidden", "button", "file"):
            data[field["name"]] = _malformed(field)
    _check_answer(client.post(url, data), f"{url_name} malformed")


def test_a_return_submitted_empty_comes_back_with_every_row_error_linked_to_its_field():
    walk = WALK["performance:return"]
    client = _client(walk)
    url, fields = _fields(client, walk)
    data = {f["name"]: f["value"] for f in fields if f["kind"] == "hidden" and f["name"] != "csrfmiddlewaretoken"}
    _check_answer(client.post(url, {**data, "submit": "1"}), "performance:return submitted empty")
