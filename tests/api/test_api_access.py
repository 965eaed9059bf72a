"""Who reads what through the API: the same answers as the pages, because the querysets come from the same
permission policies. A funder reads everything; a hub reads its own returns and never another hub's draft,
and its own sub-contract and allocations; those who may read no contract money get 403 on it; anonymous
requests get 401."""

import pytest
from rest_framework.test import APIClient

from contracts.models import Allocation, Contribution, Funder, Organisation, SubContract
from performance.models import Indicator, Result, Return
from vcsportal.demo import DEMO_USERS
from vcsportal.models import User

LIST_ENDPOINTS = [
    "districts",
    "funders",
    "providers",
    "contracts",
    "subcontracts",
    "allocations",
    "contributions",
    "periods",
    "indicators",
    "returns",
    "results",
]
MONEY_ENDPOINTS = ["contracts", "subcontracts", "allocations", "contributions"]
#: The contract and the pool: a hub or LRC reads neither (its own sub-contract and allocations it does).
CONTRACT_ENDPOINTS = ["contracts", "contributions"]


def all_rows(client, url, **params):
    """Follow the pages to the end, as an analyst's script would."""
    rows = []
    response = client.get(url, {**params, "page_size": 7})
    while True:
        assert response.status_code == 200, response.content
        rows.extend(response.json()["results"])
        if not response.json()["next"]:
            return rows
        response = client.get(response.json()["next"])


def draft_of(code: str) -> Return:
    return Return.objects.get(provider__code=code, status="draft")


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", [*LIST_ENDPOINTS, "schema"])
def test_anonymous_requests_get_401(endpoint):
    response = APIClient().get(f"/api/{endpoint}/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.django_db
def test_a_wrong_token_gets_401():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get("/api/returns/").status_code == 401


@pytest.mark.django_db
def test_the_docs_page_sends_a_signed_out_browser_to_the_login_form(client):
    response = client.get("/api/docs/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_funder_token_reads_every_endpoint(token_client):
    funder = token_client("funder.reviewer")
    expected = {
        "districts": 7,
        "funders": Funder.objects.count(),
        "providers": Organisation.objects.count(),
        # Issue 16, item 1: the CIO contract and each hub's and LRC's own 2010/11 contract.
        "contracts": 1 + Organisation.objects.exclude(kind=Organisation.Kind.CIO).count(),
        "subcontracts": SubContract.objects.count(),
        "allocations": Allocation.objects.count(),
        "contributions": Contribution.objects.count(),
        "periods": 3,
        "indicators": Indicator.objects.count(),
        # Every return once submitted; a draft is its provider's own (and LCC's).
        "returns": Return.objects.exclude(status__in=Return.OPEN_TO_PROVIDER).count(),
        "results": Result.objects.exclude(return_obj__status__in=Return.OPEN_TO_PROVIDER).count(),
    }
    for endpoint, count in expected.items():
        response = funder.get(f"/api/{endpoint}/")
        assert response.status_code == 200, endpoint
        assert response.json()["count"] == count, endpoint
    # Every detail too, by the key it is looked up by.
    for url in [
        "/api/districts/harborough/",
        "/api/funders/DISTRICT-COUNCILS/",
        "/api/providers/VASL/",
        "/api/contracts/LCC-CIO-2009/",
        f"/api/subcontracts/{SubContract.objects.get(provider__code='VASL').pk}/",
        f"/api/allocations/{Allocation.objects.get(organisation__code='VAL').pk}/",
        f"/api/contributions/{Contribution.objects.first().pk}/",
        "/api/indicators/LOC-1/",
        f"/api/results/{Result.objects.first().pk}/",
    ]:
        assert funder.get(url).status_code == 200, url
    assert funder.get(f"/api/returns/{draft_of('VASL').pk}/").status_code == 404  # a draft: VASL's and LCC's


def test_money_is_pounds_and_pence_as_strings(token_client):
    funder = token_client("funder.reviewer")
    allocations = {row["provider"]: row for row in all_rows(funder, "/api/allocations/", financial_year="2010/11")}
    assert allocations["VAL"]["amount"] == "979000.00"
    assert allocations["VASL"]["amount"] == "68000.00"
    assert allocations["LUTLRC"]["amount"] == "10000.00"
    assert allocations["VAL"]["financial_year"] == "2010/11"
    contract = funder.get("/api/contracts/LCC-CIO-2009/").json()
    assert contract["years"][0] == {
        "financial_year": "2010/11",
        "stated_total": "1462398.00",
        "is_estimate": False,
        "source": "Review, section 2.5",
    }


def test_a_hub_token_reads_only_what_the_hub_sees(token_client):
    hub = token_client("vasl.hub")
    returns = all_rows(hub, "/api/returns/")
    assert returns and {row["provider"] for row in returns} == {"VASL"}
    results = all_rows(hub, "/api/results/")
    assert results and {row["provider"] for row in results} == {"VASL"}
    # Another hub's draft: not listed, not found by id, not reachable through its results.
    other_draft = draft_of("VAC")
    assert hub.get(f"/api/returns/{other_draft.pk}/").status_code == 404
    assert hub.get("/api/results/", {"return_id": other_draft.pk}).json()["count"] == 0
    assert hub.get("/api/returns/", {"provider": "VAC"}).json()["count"] == 0
    other_result = Result.objects.filter(return_obj__provider__code="VAC").first()
    if other_result is not None:
        assert hub.get(f"/api/results/{other_result.pk}/").status_code == 404
    # Its own draft it reads.
    assert hub.get(f"/api/returns/{draft_of('VASL').pk}/").status_code == 200
    # Reference data is open to every signed-in role.
    for endpoint in ["districts", "funders", "providers", "periods", "indicators"]:
        assert hub.get(f"/api/{endpoint}/").status_code == 200, endpoint


@pytest.mark.parametrize(
    ("username", "endpoint"),
    [("peer.reviewer", endpoint) for endpoint in MONEY_ENDPOINTS]
    + [
        (username, endpoint)
        for username in ("vasl.hub", "lutterworth.lrc")
        for endpoint in ("contracts", "contributions")
    ],
)
def test_contract_money_is_refused_to_those_who_may_not_view_it(token_client, username, endpoint):
    assert token_client(username).get(f"/api/{endpoint}/").status_code == 403


@pytest.mark.parametrize("username", ["vasl.hub", "lutterworth.lrc"])
def test_a_hub_or_lrc_reads_its_own_sub_contract_and_allocations_only(token_client, username):
    client = token_client(username)
    own = User.objects.get(username=username).organisation
    subcontracts = all_rows(client, "/api/subcontracts/")
    assert subcontracts and {row["provider"] for row in subcontracts} == {own.code}
    allocations = all_rows(client, "/api/allocations/")
    assert allocations and {row["provider"] for row in allocations} == {own.code}
    other = SubContract.objects.exclude(provider=own).first()
    assert client.get(f"/api/subcontracts/{other.pk}/").status_code == 404


@pytest.mark.parametrize("username", [user[0] for user in DEMO_USERS])
def test_sub_contracts_read_through_the_api_exactly_as_in_the_browser(token_client, login, username):
    """One policy answers both: every sub-contract page a user may open is in their API list, and no other."""
    browser = login(username)
    opened = {
        sub.pk
        for sub in SubContract.objects.all()
        if browser.get(f"/contracts/subcontracts/{sub.pk}/").status_code == 200
    }
    response = token_client(username).get("/api/subcontracts/", {"page_size": 500})
    listed = {row["id"] for row in response.json()["results"]} if response.status_code == 200 else set()
    assert listed == opened
    for sub in SubContract.objects.all():
        assert (token_client(username).get(f"/api/subcontracts/{sub.pk}/").status_code == 200) == (sub.pk in opened)


def test_the_cio_reads_submitted_sub_contractor_returns_but_not_their_drafts(token_client):
    val = token_client("val.staff")
    returns = all_rows(val, "/api/returns/")
    hub_rows = [row for row in returns if row["provider"] != "VAL"]
    assert hub_rows, "the signed-off 2010/11 Q2 hub returns are visible to the CIO"
    assert all(row["status"] not in ("draft", "returned") for row in hub_rows)
    assert val.get(f"/api/returns/{draft_of('VASL').pk}/").status_code == 404
    assert val.get(f"/api/returns/{draft_of('VAL').pk}/").status_code == 200


def test_a_peer_reviewer_reads_no_returns(token_client):
    peer = token_client("peer.reviewer")
    assert peer.get("/api/returns/").json()["count"] == 0
    assert peer.get("/api/results/").json()["count"] == 0


def test_the_browser_session_works_too(funder_client, hub_client, peer_client):
    assert funder_client.get("/api/allocations/").status_code == 200
    assert hub_client.get("/api/contributions/").status_code == 403
    assert peer_client.get("/api/allocations/").status_code == 403


def test_the_api_is_read_only(token_client):
    lcc = token_client("lcc.officer")
    vasl_draft = draft_of("VASL")
    assert lcc.post("/api/returns/", {}, format="json").status_code == 405
    assert lcc.patch(f"/api/returns/{vasl_draft.pk}/", {"status": "submitted"}, format="json").status_code == 405
    assert lcc.delete(f"/api/results/{Result.objects.first().pk}/").status_code == 405
    vasl_draft.refresh_from_db()
    assert vasl_draft.status == "draft"


def test_the_docs_page_serves_swagger_ui_without_inline_script(funder_client):
    page = funder_client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<script>" not in html and "<style>" not in html  # the portal's CSP allows neither
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "script-src 'self'" in page["Content-Security-Policy"]
    init = funder_client.get("/api/docs/", {"script": ""})
    assert init.status_code == 200
    assert init["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in init.content.decode()


def test_the_api_root_lists_the_resources_to_a_signed_in_user_only(token_client):
    assert APIClient().get("/api/").status_code == 401
    body = token_client("funder.reviewer").get("/api/").json()
    assert set(body) == set(LIST_ENDPOINTS)
