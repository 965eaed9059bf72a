"""Who may do what with contracts and money: a matrix over every role, for every page and every write."""

import pytest
from django.urls import reverse

from contracts.models import (
    Allocation,
    BudgetLine,
    BudgetScenario,
    Contract,
    ContractExtension,
    SubContract,
    SubContractVariation,
)
from contracts.services import scenario_create
from disputes.models import Dispute
from disputes.services import dispute_raise
from districts.models import District, NegotiationNote
from tests.signin import signed_in
from vcsportal.models import User

pytestmark = pytest.mark.django_db

USERS = ["lcc.officer", "funder.reviewer", "val.staff", "vasl.hub", "vac.hub", "lutterworth.lrc", "peer.reviewer"]


@pytest.fixture
def objects(db):
    contract = Contract.objects.get(paid_from_pool_of=None)
    officer = User.objects.get(username="lcc.officer")
    vasl = SubContract.objects.get(provider__code="VASL")
    line = BudgetLine.objects.create(contract=contract, financial_year=2010, category="central", amount=1000)
    scenario = scenario_create(
        contract=contract, financial_year=2011, name="Equal", total=1254878, rule="equal_cut", user=officer
    )
    dispute = dispute_raise(
        user=User.objects.get(username="vasl.hub"), subject="Cut", details="Too deep", subcontract=vasl
    )
    return {"contract": contract, "vasl": vasl, "line": line, "scenario": scenario, "dispute": dispute}


def write_views(o):
    """Every write: (url, POST data, the usernames allowed)."""
    contract, vasl, line, scenario, dispute = o["contract"], o["vasl"], o["line"], o["scenario"], o["dispute"]
    lcc = {"lcc.officer"}
    parties = {"val.staff", "vasl.hub", "vac.hub", "lutterworth.lrc"}
    return [
        (reverse("contracts:extend", args=[contract.pk]), {"years": 2, "reason": "x"}, {"lcc.officer"}),
        (reverse("contracts:subcontract_create", args=[contract.pk]), {"reason": "x"}, {"lcc.officer"}),
        (reverse("contracts:subcontract_vary", args=[vasl.pk]), {"version": vasl.version, "reason": "x"}, lcc),
        (reverse("contracts:subcontract_end", args=[vasl.pk]), {"version": vasl.version, "reason": "x"}, lcc),
        (reverse("contracts:budget_lines", args=[contract.pk]), {"financial_year": "2010/11"}, {"lcc.officer"}),
        (reverse("contracts:budget_line_update", args=[line.pk]), {f"line{line.pk}-version": 1}, {"lcc.officer"}),
        (reverse("contracts:budget_line_delete", args=[line.pk]), {f"line{line.pk}-version": 1}, {"lcc.officer"}),
        (reverse("contracts:scenario_create"), {"name": "x"}, {"lcc.officer"}),
        (reverse("contracts:scenario_adopt", args=[scenario.pk]), {"reason": "x"}, {"lcc.officer"}),
        (reverse("disputes:create"), {"subject": "x"}, parties),
        (reverse("disputes:hearing", args=[dispute.pk]), {"hearing_on": "2011-03-01"}, {"peer.reviewer"}),
        (reverse("disputes:decide", args=[dispute.pk]), {"decision": "x"}, {"peer.reviewer"}),
        (reverse("districts:add_note", args=["melton"]), {"note": "x"}, {"lcc.officer"}),
    ]  # fmt: skip


def snapshot():
    models = [Allocation, BudgetLine, BudgetScenario, Contract, ContractExtension, Dispute, SubContract,
              SubContractVariation, District, NegotiationNote]  # fmt: skip
    state = {m.__name__: m.objects.count() for m in models}
    state["history"] = sum(m.history.count() for m in models if hasattr(m, "history"))
    return state


def test_funders_cannot_change_anything(funder_client, objects):
    before = snapshot()
    for url, data, _allowed in write_views(objects):
        assert funder_client.post(url, data).status_code == 403, url
    assert snapshot() == before


@pytest.mark.parametrize("username", USERS)
def test_every_write_is_refused_to_every_other_role_and_saves_nothing(login, objects, username):
    client = login(username)
    before = snapshot()
    for url, data, allowed in write_views(objects):
        if username in allowed:
            continue
        # 403 where the object is visible to the role; 404 where even its existence is hidden.
        assert client.post(url, data).status_code in (403, 404), (username, url)
    assert snapshot() == before


@pytest.mark.parametrize("username", USERS)
def test_writes_are_post_only(login, objects, username):
    client = login(username)
    for url, _data, allowed in write_views(objects):
        if username in allowed and not url.endswith(("/new/", "/budget-lines/")):
            assert client.get(url).status_code == 405, url


def test_writes_need_a_csrf_token(objects):
    from django.test import Client

    client = signed_in(User.objects.get(username="lcc.officer"), Client(enforce_csrf_checks=True))
    url = reverse("contracts:extend", args=[objects["contract"].pk])
    assert client.post(url, {"years": 2, "reason": "x"}).status_code == 403
    assert not ContractExtension.objects.exists()


READ_MATRIX = {
    # page: usernames that get 200 (others 403, or 404 where the object is hidden)
    "contracts:list": {"lcc.officer", "funder.reviewer", "val.staff"},
    # The fixture's dispute is about VASL's sub-contract: the peer member reads it and its contract (what it
    # adjudicates), not the contract list, the budget lines or the scenarios.
    "contracts:detail": {"lcc.officer", "funder.reviewer", "val.staff", "peer.reviewer"},
    "contracts:budget_lines": {"lcc.officer", "funder.reviewer", "val.staff"},
    "contracts:scenarios": {"lcc.officer", "funder.reviewer", "val.staff"},
    "contracts:scenario": {"lcc.officer", "funder.reviewer", "val.staff"},
    "contracts:subcontract:vasl": {"lcc.officer", "funder.reviewer", "val.staff", "vasl.hub", "peer.reviewer"},
    "disputes:list": set(USERS),
    "disputes:detail": {"lcc.officer", "funder.reviewer", "val.staff", "vasl.hub", "peer.reviewer"},
    "districts:list": set(USERS),
    "districts:detail": set(USERS),
}


def read_url(name, o):
    return {
        "contracts:list": reverse("contracts:list"),
        "contracts:detail": o["contract"].get_absolute_url(),
        "contracts:budget_lines": reverse("contracts:budget_lines", args=[o["contract"].pk]),
        "contracts:scenarios": reverse("contracts:scenarios"),
        "contracts:scenario": o["scenario"].get_absolute_url(),
        "contracts:subcontract:vasl": o["vasl"].get_absolute_url(),
        "disputes:list": reverse("disputes:list"),
        "disputes:detail": o["dispute"].get_absolute_url(),
        "districts:list": reverse("districts:list"),
        "districts:detail": District.objects.get(slug="harborough").get_absolute_url(),
    }[name]


@pytest.mark.parametrize("username", USERS)
def test_read_matrix(login, objects, username):
    client = login(username)
    for name, allowed in READ_MATRIX.items():
        status = client.get(read_url(name, objects)).status_code
        if username in allowed:
            assert status == 200, (username, name)
        else:
            assert status in (403, 404), (username, name, status)


def test_a_hub_sees_only_its_own_subcontract(hub_client, other_hub_client, objects):
    vac = SubContract.objects.get(provider__code="VAC")
    assert hub_client.get(vac.get_absolute_url()).status_code == 404  # a guessed id is a 404
    response = hub_client.get(reverse("contracts:my_subcontract"))
    assert response["Location"] == objects["vasl"].get_absolute_url()
    page = hub_client.get(objects["vasl"].get_absolute_url()).content.decode()
    assert "£68,000.00" in page
    assert "Vary the sub-contract" not in page  # read only
    assert other_hub_client.get(reverse("contracts:my_subcontract"))["Location"] == vac.get_absolute_url()


def test_a_hub_sees_only_its_own_figures_on_a_district_page(hub_client, lcc_client):
    charnwood = District.objects.get(slug="charnwood")
    page = hub_client.get(charnwood.get_absolute_url()).content.decode()
    assert "Voluntary Action Charnwood (VAC)" not in page.split('id="money"')[1].split('id="results"')[0]
    own = hub_client.get(District.objects.get(slug="harborough").get_absolute_url()).content.decode()
    assert "Voluntary Action South Leicestershire (VASL)</td>" in own
    assert "Lutterworth LRC (LUTLRC)</td>" not in own  # another provider's money in the same district
    assert (
        "Lutterworth LRC (LUTLRC)</td>"
        in lcc_client.get(District.objects.get(slug="harborough").get_absolute_url()).content.decode()
    )


def test_navigation_offers_each_role_only_what_it_may_open(login):
    home = login("vasl.hub").get("/").content.decode()
    assert reverse("contracts:my_subcontract") in home
    assert f'href="{reverse("contracts:list")}"' not in home
    funder_home = login("funder.reviewer").get("/").content.decode()
    assert reverse("contracts:list") in funder_home
    assert reverse("contracts:scenarios") not in funder_home  # the link is for managers; the page is readable
    peer_home = login("peer.reviewer").get("/").content.decode()
    assert reverse("disputes:list") in peer_home
    assert f'href="{reverse("contracts:list")}"' not in peer_home
