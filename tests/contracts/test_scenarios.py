"""Budget scenarios: every rule shares the total exactly, to the penny, and the command prints what the page shows."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from contracts.models import (
    Allocation,
    BudgetLine,
    BudgetScenario,
    Contract,
    Organisation,
    SubContract,
    SubContractVariation,
)
from contracts.scenarios import scenario_calculate, split_to_the_penny
from contracts.services import scenario_create, subcontract_end, subcontract_vary
from districts.models import District
from vcsportal.models import User

pytestmark = pytest.mark.django_db

TOTAL = Decimal("1254878.00")
COMMAND_RULES = ["equal_cut", "cio_absorbs", "hubs_absorb", "population"]


@pytest.fixture
def contract():
    return Contract.objects.get(paid_from_pool_of=None)


@pytest.fixture
def officer():
    return User.objects.get(username="lcc.officer")


def amounts(figures):
    return {line.code: line.amount for line in figures.lines}


def run_command(*args):
    out = StringIO()
    call_command("budget_scenario", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("rule", COMMAND_RULES)
def test_every_rule_shares_exactly_the_2011_12_total(contract, rule):
    figures = scenario_calculate(contract=contract, financial_year=2011, total=TOTAL, rule=rule)
    assert sum(amounts(figures).values()) == TOTAL
    assert len(figures.lines) == 11
    assert all(amount >= 0 for amount in amounts(figures).values())


def test_last_year_is_the_2010_11_allocations(contract):
    figures = scenario_calculate(contract=contract, financial_year=2011, total=TOTAL, rule="equal_cut")
    assert figures.last_year_total == Decimal("1485000.00")


def test_equal_cut_cuts_everyone_by_the_same_percentage_to_the_penny(contract):
    figures = scenario_calculate(contract=contract, financial_year=2011, total=TOTAL, rule="equal_cut")
    ratio = TOTAL / Decimal("1485000")
    for line in figures.lines:
        exact = line.last_year * ratio
        assert abs(line.amount - exact) < Decimal("0.01"), line.code
    assert {line.change_pct for line in figures.lines} == {Decimal("-15.50")}


def test_cio_absorbs_keeps_hubs_and_lrcs_and_val_takes_the_change(contract):
    result = amounts(scenario_calculate(contract=contract, financial_year=2011, total=TOTAL, rule="cio_absorbs"))
    assert result["VAL"] == Decimal("748878.00")
    assert {result[code] for code in ("VAC", "VAM", "CABD")} == {Decimal("68000.00")}
    assert result["SYSLRC"] == Decimal("10000.00")


def test_hubs_absorb_keeps_val_and_lrcs_and_hubs_share_the_change(contract):
    result = amounts(scenario_calculate(contract=contract, financial_year=2011, total=TOTAL, rule="hubs_absorb"))
    assert result["VAL"] == Decimal("979000.00")
    assert result["LUTLRC"] == Decimal("10000.00")
    hubs = [result[code] for code in ("CABD", "VAC", "VASL", "VAHB", "VAM", "MRCCA", "OWCA")]
    assert sum(hubs) == TOTAL - Decimal("979000.00") - Decimal("30000.00")
    assert max(hubs) - min(hubs) == Decimal("0.01")  # equal last-year figures: one penny of rounding at most


def test_population_gives_charnwood_the_largest_and_melton_the_smallest_hub_share(contract):
    figures = scenario_calculate(contract=contract, financial_year=2011, total=TOTAL, rule="population")
    result = amounts(figures)
    hubs = {line.code: line.amount for line in figures.lines if line.organisation.kind == "hub"}
    assert max(hubs, key=hubs.get) == "VAC"
    assert min(hubs, key=hubs.get) == "VAM"
    # VAL keeps its share of the total (979/1485 of it); LRCs are kept.
    assert abs(result["VAL"] - TOTAL * 979 / 1485) < Decimal("0.01")
    assert result["CDLRC"] == Decimal("10000.00")
    # The hub pot follows population: Charnwood (166,100) over Melton (50,376).
    assert abs(hubs["VAC"] / hubs["VAM"] - Decimal(166100) / Decimal(50376)) < Decimal("0.0001")


def test_a_total_larger_than_last_year(contract):
    bigger = Decimal("1600000.00")
    for rule in COMMAND_RULES:
        figures = scenario_calculate(contract=contract, financial_year=2011, total=bigger, rule=rule)
        assert figures.allocated == bigger
    cio = amounts(scenario_calculate(contract=contract, financial_year=2011, total=bigger, rule="cio_absorbs"))
    assert cio["VAL"] == Decimal("1094000.00")
    equal = scenario_calculate(contract=contract, financial_year=2011, total=bigger, rule="equal_cut")
    assert all(line.change > 0 for line in equal.lines)


def test_a_zero_total(contract):
    figures = scenario_calculate(contract=contract, financial_year=2011, total=Decimal("0"), rule="equal_cut")
    assert set(amounts(figures).values()) == {Decimal("0.00")}
    assert figures.hubs_and_lrcs_share_pct is None  # nothing to take a share of
    # Rules that keep someone's last-year figure cannot be met from nothing: refused, naming the total.
    for rule in ("cio_absorbs", "hubs_absorb", "population"):
        with pytest.raises(ValidationError) as error:
            scenario_calculate(contract=contract, financial_year=2011, total=Decimal("0"), rule=rule)
        assert "Too small for this rule" in error.value.message_dict["total"][0]


def test_a_zero_total_through_the_command_is_a_clear_error():
    with pytest.raises(CommandError, match="--total: Too small for this rule"):
        run_command("--year", "2011/12", "--total", "0", "--rule", "cio_absorbs")
    assert json.loads(run_command("--year", "2011/12", "--total", "0", "--rule", "equal_cut"))["total"] == "0.00"


def test_a_district_with_no_hub_takes_nothing_from_the_population_pot(contract, officer):
    vahb = SubContract.objects.get(provider__code="VAHB")
    subcontract_end(subcontract=vahb, user=officer, version=vahb.version, reason="Hub becomes a social enterprise")
    figures = scenario_calculate(contract=contract, financial_year=2011, total=TOTAL, rule="population")
    assert "VAHB" not in amounts(figures)
    assert figures.allocated == TOTAL
    hinckley = next(d for d in figures.districts if d.district.slug == "hinckley-and-bosworth")
    assert not hinckley.has_hub
    assert hinckley.amount == Decimal("0.00")
    assert hinckley.per_thousand == Decimal("0.00")


def test_a_county_with_a_new_district_and_no_hub(contract):
    District.objects.create(
        county=contract.county, name="Testshire", slug="testshire", population=100_000, population_source="test"
    )
    figures = scenario_calculate(contract=contract, financial_year=2011, total=TOTAL, rule="population")
    assert figures.allocated == TOTAL
    assert [d.amount for d in figures.districts if d.district.slug == "testshire"] == [Decimal("0.00")]


def test_rounding_to_the_penny_uses_the_largest_remainder():
    # 100p in three equal parts: 33, 33, 34? No: ties go to the first listed, so 34, 33, 33.
    assert split_to_the_penny(100, [("a", 1), ("b", 1), ("c", 1)]) == {"a": 34, "b": 33, "c": 33}
    # The biggest remainder gets the spare penny, whatever its position.
    assert split_to_the_penny(10, [("a", 1), ("b", 2)]) == {"a": 3, "b": 7}
    assert split_to_the_penny(1, [("a", 0), ("b", 5)]) == {"a": 0, "b": 1}


def test_an_awkward_total_still_sums_to_the_penny(contract):
    for total in (Decimal("0.01"), Decimal("0.07"), Decimal("999999.99"), Decimal("1254878.13")):
        assert (
            scenario_calculate(contract=contract, financial_year=2011, total=total, rule="equal_cut").allocated == total
        )
    for total in (Decimal("1009000.01"), Decimal("1254878.13"), Decimal("1485000.01")):
        for rule in COMMAND_RULES:
            figures = scenario_calculate(contract=contract, financial_year=2011, total=total, rule=rule)
            assert figures.allocated == total, (rule, total)


def test_custom_percentages_must_add_up_to_100(contract):
    pcts = {"VAL": Decimal("60")} | {code: Decimal("5") for code in ("CABD", "VAC", "VASL", "VAHB", "VAM", "MRCCA")}
    pcts["OWCA"] = Decimal("10")
    figures = scenario_calculate(
        contract=contract, financial_year=2011, total=TOTAL, rule="custom", custom_percentages=pcts
    )
    assert amounts(figures)["VAL"] == Decimal("752926.80")
    assert amounts(figures)["SYSLRC"] == Decimal("0.00")
    with pytest.raises(ValidationError, match="add up to 99.00%"):
        scenario_calculate(
            contract=contract,
            financial_year=2011,
            total=TOTAL,
            rule="custom",
            custom_percentages=pcts | {"VAL": Decimal("59")},
        )


def test_transition_funding_is_top_sliced_and_added_to_its_organisation(contract):
    vahb = Organisation.objects.get(code="VAHB")
    figures = scenario_calculate(
        contract=contract, financial_year=2011, total=TOTAL, rule="cio_absorbs", transitions=[(vahb, Decimal("20000"))]
    )
    result = amounts(figures)
    assert result["VAHB"] == Decimal("88000.00")
    assert result["VAL"] == Decimal("728878.00")
    assert figures.allocated == TOTAL


def test_the_three_figures(contract):
    BudgetLine.objects.create(
        contract=contract, financial_year=2011, category="dva", district=District.objects.get(slug="melton"),
        amount=Decimal("41357.98"),
    )  # fmt: skip
    figures = scenario_calculate(contract=contract, financial_year=2011, total=TOTAL, rule="cio_absorbs")
    assert figures.hubs_and_lrcs_share_pct == Decimal("40.32")  # 506,000 / 1,254,878
    assert figures.cio_frontline_share_pct == Decimal("5.52")  # 41,357.98 / 748,878
    vac = next(line for line in figures.lines if line.code == "VAC")
    assert vac.share_of_local_pct == Decimal("13.44")  # 68,000 / 506,000
    charnwood = next(d for d in figures.districts if d.district.slug == "charnwood")
    assert charnwood.amount == Decimal("78000.00")  # VAC and Syston LRC
    assert charnwood.per_thousand == Decimal("469.60")


def test_front_line_share_is_null_without_budget_lines(contract):
    data = json.loads(run_command("--year", "2011/12", "--total", "1254878", "--rule", "equal_cut"))
    assert data["cio_frontline_share_pct"] is None


@pytest.mark.parametrize("rule", COMMAND_RULES)
def test_the_command_prints_the_exact_json_shape(rule):
    data = json.loads(run_command("--year", "2011/12", "--total", "1254878", "--rule", rule, "--format", "json"))
    assert list(data) == [
        "year", "total", "rule", "allocations", "hubs_and_lrcs_share_pct", "cio_frontline_share_pct",
        "change_pct_by_base",
    ]  # fmt: skip
    assert data["year"] == "2011/12"
    assert data["total"] == "1254878.00"
    assert data["rule"] == rule
    assert all(list(item) == ["code", "amount", "change"] for item in data["allocations"])
    assert sum(Decimal(item["amount"]) for item in data["allocations"]) == TOTAL
    assert all(
        item["amount"].count(".") == 1 and len(item["amount"].split(".")[1]) == 2 for item in data["allocations"]
    )
    assert data["allocations"][0]["code"] == "VAL"


def test_the_command_prints_csv():
    lines = run_command(
        "--year", "2011/12", "--total", "1254878", "--rule", "population", "--format", "csv"
    ).splitlines()
    assert lines[0] == "code,name,kind,last_year,transition,amount,change,share_of_hubs_and_lrcs_pct"
    assert len(lines) == 12
    assert sum(Decimal(line.split(",")[5]) for line in lines[1:]) == TOTAL


def test_the_command_refuses_bad_input_naming_the_option():
    with pytest.raises(CommandError, match="--year"):
        run_command("--year", "2011-12", "--total", "1", "--rule", "equal_cut")
    with pytest.raises(CommandError, match="--total"):
        run_command("--year", "2011/12", "--total", "lots", "--rule", "equal_cut")
    with pytest.raises(CommandError, match="--total"):
        run_command("--year", "2011/12", "--total", "1.001", "--rule", "equal_cut")


@pytest.mark.parametrize("rule", COMMAND_RULES)
def test_the_command_prints_the_same_as_the_page(lcc_client, rule):
    response = lcc_client.post(
        reverse("contracts:scenario_create"),
        {"name": f"2011/12 {rule}", "financial_year": "2011/12", "total": "1254878", "rule": rule},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    scenario = BudgetScenario.objects.get(name=f"2011/12 {rule}")
    command = json.loads(run_command("--year", "2011/12", "--total", "1254878", "--rule", rule))
    exported = lcc_client.get(reverse("contracts:scenario_export", args=[scenario.pk]) + "?format=json").json()
    assert exported == command
    page = lcc_client.get(scenario.get_absolute_url()).content.decode()
    for item in command["allocations"]:
        assert f'data-code="{item["code"]}">£{Decimal(item["amount"]):,.2f}<' in page
    assert f"{command['hubs_and_lrcs_share_pct']}%" in page
    assert "£1,254,878.00" in page


def test_saving_a_scenario_refuses_bad_input_with_the_field_named(lcc_client):
    response = lcc_client.post(
        reverse("contracts:scenario_create"),
        {"name": "Too little", "financial_year": "2011/12", "total": "100", "rule": "cio_absorbs"},
    )
    assert response.status_code == 200
    assert "Too small for this rule" in response.content.decode()
    assert 'href="#id_total"' in response.content.decode()
    assert not BudgetScenario.objects.filter(name="Too little").exists()


def test_adopting_a_scenario_sets_the_year_allocations_and_only_a_new_adoption_replaces_it(
    lcc_client, contract, officer
):
    first = scenario_create(
        contract=contract, financial_year=2011, name="Equal", total=TOTAL, rule="equal_cut", user=officer
    )
    second = scenario_create(
        contract=contract, financial_year=2011, name="Population", total=TOTAL, rule="population", user=officer
    )
    response = lcc_client.post(
        reverse("contracts:scenario_adopt", args=[first.pk]), {"reason": "Funders agreed", "confirmed": "yes"}
    )
    assert response.status_code == 302
    allocations = Allocation.objects.filter(financial_year=2011)
    assert sum(allocations.values_list("amount", flat=True)) == TOTAL
    assert allocations.get(organisation__code="VAL").amount == Decimal("827289.94")
    history = allocations.get(organisation__code="VAL").history.first()
    assert history.history_change_reason.startswith(f"Scenario {first.pk} adopted")
    assert history.history_user == officer

    lcc_client.post(
        reverse("contracts:scenario_adopt", args=[second.pk]), {"reason": "Peer Review Body view", "confirmed": "yes"}
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.adopted, second.adopted) == (False, True)
    assert Allocation.objects.get(financial_year=2011, organisation__code="VAC").amount == Decimal("101522.67")
    page = lcc_client.get(reverse("contracts:scenarios")).content.decode()
    assert "replacing “Equal”" in page and "Peer Review Body view" in page
    # Adopting the adopted one again is refused; there is no "unadopt".
    response = lcc_client.post(reverse("contracts:scenario_adopt", args=[second.pk]), {"reason": "again"})
    assert "already the adopted one" in response.content.decode()


def test_adopting_a_scenario_records_a_variation_on_every_sub_contract_it_changes(lcc_client, contract, officer):
    """Adoption never silently overwrites a value a variation set: each sub-contract whose value for the year
    changes records a variation (who, when, from the value in force, to the new one, which scenario), and on
    every sub-contract the last variation of a year ends at that year's value."""
    vasl = SubContract.objects.get(provider__code="VASL")
    subcontract_vary(
        subcontract=vasl, user=officer, version=vasl.version, reason="Harborough", financial_year=2011, amount=60000
    )
    scenario = scenario_create(
        contract=contract, financial_year=2011, name="Equal", total=TOTAL, rule="equal_cut", user=officer
    )
    response = lcc_client.post(
        reverse("contracts:scenario_adopt", args=[scenario.pk]), {"reason": "Funders agreed", "confirmed": "yes"}
    )
    assert response.status_code == 302
    value = Allocation.objects.get(organisation__code="VASL", financial_year=2011).amount
    latest = SubContractVariation.objects.filter(subcontract=vasl, financial_year=2011).first()
    assert (latest.amount_before, latest.amount_after, latest.scenario, latest.varied_by) == (
        Decimal("60000.00"), value, scenario, officer,
    )  # fmt: skip
    assert "Equal" in latest.reason and "Funders agreed" in latest.reason
    for subcontract in SubContract.objects.filter(contract=contract):
        allocations = dict(
            Allocation.objects.filter(contract=contract, organisation=subcontract.provider).values_list(
                "financial_year", "amount"
            )
        )
        last = {}
        for variation in subcontract.variations.filter(kind="value").order_by("recorded_at", "id"):
            last[variation.financial_year] = variation.amount_after
        for year, amount in last.items():
            assert allocations.get(year) == amount, (
                f"{subcontract}: {year} value {allocations.get(year)}, varied to {amount}"
            )
        assert 2011 in last, f"{subcontract}: adopting the scenario changed its 2011/12 value without a variation"
    page = lcc_client.get(vasl.get_absolute_url()).content.decode()
    assert "£60,000.00" in page and "Budget scenario “Equal” adopted" in page
    assert f'href="{reverse("contracts:scenario", args=[scenario.pk])}"' in page


def test_compare_two_scenarios_side_by_side(funder_client, contract, officer):
    a = scenario_create(contract=contract, financial_year=2011, name="A", total=TOTAL, rule="cio_absorbs", user=officer)
    b = scenario_create(contract=contract, financial_year=2011, name="B", total=TOTAL, rule="hubs_absorb", user=officer)
    page = funder_client.get(reverse("contracts:scenario_compare"), {"a": a.pk, "b": b.pk}).content.decode()
    assert "£748,878.00" in page and "£979,000.00" in page
    assert "+£230,122.00" in page  # B minus A for VAL
    assert "40.32%" in page and "21.98%" in page


def test_a_custom_scenario_with_transition_funding_through_the_page(lcc_client):
    vahb = Organisation.objects.get(code="VAHB")
    data = {
        "name": "Custom with transition",
        "financial_year": "2011/12",
        "total": "1254878",
        "rule": "custom",
        "pct_VAL": "70",
        "pct_VAC": "10",
        "pct_VASL": "10",
        "pct_VAM": "10",
        "transition_1_organisation": vahb.pk,
        "transition_1_amount": "34000",
        "transition_1_note": "Transition year (Recommendation Five)",
    }
    response = lcc_client.post(reverse("contracts:scenario_create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    scenario = BudgetScenario.objects.get(name="Custom with transition")
    results = dict(scenario.results.values_list("organisation__code", "amount"))
    assert sum(results.values()) == TOTAL
    assert results["VAHB"] == Decimal("34000.00")
    assert results["VAL"] == Decimal("854614.60")  # 70% of (1,254,878 - 34,000)
    assert scenario.custom_percentages["VAL"] == "70"
    page = lcc_client.get(scenario.get_absolute_url()).content.decode()
    assert "VAHB £34,000.00 (Transition year (Recommendation Five))" in page


def test_custom_percentages_that_do_not_add_up_are_refused_on_the_page(lcc_client):
    data = {"name": "Bad", "financial_year": "2011/12", "total": "1254878", "rule": "custom", "pct_VAL": "50"}
    response = lcc_client.post(reverse("contracts:scenario_create"), data)
    assert "The percentages add up to 50.00%: they must add up to 100%." in response.content.decode()
    assert not BudgetScenario.objects.filter(name="Bad").exists()


def test_the_scenario_form_follows_the_year_chosen_before_any_submit_and_names_rules_in_words(lcc_client):
    url = reverse("contracts:scenario_create")
    page = lcc_client.get(url, {"financial_year": "2010/11"})
    assert page.status_code == 200
    assert page.context["form"]["financial_year"].value() == "2010/11"
    assert page.context["chosen_year"] == "2010/11"
    text = page.content.decode()
    assert "Equal change for all" in text and "equal_cut</strong>" not in text
    # A year that is not one shows the contract's last year, never an error before anything was sent.
    page = lcc_client.get(url, {"financial_year": "soon"})
    assert page.status_code == 200 and "Error:" not in page.content.decode()
