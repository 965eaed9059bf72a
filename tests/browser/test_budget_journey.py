"""Journey 4: an LCC officer works out two budget scenarios for 2011/12 (£1,254,878, the funders' 14% cut)
by different rules and compares them side by side."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from contracts.models import BudgetScenario

pytestmark = pytest.mark.browser

TOTAL = "£1,254,878.00"


def _scenario_create(journey, name: str, rule_label: str, step: str):
    page = journey.page
    page.get_by_role("link", name="Work out a new scenario").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Work out a budget scenario")
    page.get_by_label("Name of the scenario").fill(name)
    page.get_by_label("Financial year").fill("2011/12")
    page.get_by_label("Total available (£)").fill("1254878")
    page.get_by_label(rule_label).check()
    journey.check(f"{step}-form")
    page.get_by_role("button", name="Save the scenario").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("The scenario has been saved.")
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    figures = page.locator("table", has=page.locator("caption", has_text="Result per organisation"))
    # Split to the penny, the results add up exactly to the total.
    expect(figures.locator("tfoot")).to_contain_text(TOTAL)
    journey.check(step)
    return figures


def test_lcc_officer_works_out_two_budget_scenarios_and_compares_them(journey):
    page = journey.page
    journey.sign_in("lcc.officer")
    page.get_by_role("link", name="Budget scenarios").first.click()
    journey.check("01-scenarios")

    figures = _scenario_create(
        journey, "Equal cut", "Equal change for all (every allocation by the same %)", "02-equal-cut"
    )
    # Every organisation changes by the same percentage (give or take the pennies of the largest remainders).
    change_pct = [
        Decimal(text.replace("−", "-").rstrip("%"))
        for text in figures.locator("tbody tr td:nth-child(6)").all_inner_texts()
    ]
    assert len(change_pct) > 1 and max(change_pct) - min(change_pct) <= Decimal("0.01"), change_pct
    assert change_pct[0] < 0

    page.get_by_role("link", name="Back to budget scenarios").click()
    _scenario_create(
        journey,
        "By population",
        "Hub money by district population (the CIO keeps its share; LRCs kept)",
        "03-population",
    )

    page.get_by_role("link", name="Back to budget scenarios").click()
    expect(page.get_by_role("table")).to_contain_text("Equal cut")
    expect(page.get_by_role("table")).to_contain_text("By population")
    page.get_by_label("First scenario").select_option(label="Equal cut (2011/12)")
    page.get_by_label("Second scenario").select_option(label="By population (2011/12)")
    page.get_by_role("button", name="Compare").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Compare two scenarios")
    side_by_side = page.locator("table", has=page.locator("caption", has_text="Side by side"))
    head = side_by_side.locator("thead")
    expect(head).to_contain_text("Equal cut (equal_cut, 2011/12)")
    expect(head).to_contain_text("By population (population, 2011/12)")
    expect(side_by_side.locator("tfoot")).to_have_text(f"Total{TOTAL}{TOTAL}", use_inner_text=False)
    equal_cut, population = (BudgetScenario.objects.get(name=name) for name in ("Equal cut", "By population"))
    for scenario, column in ((equal_cut, 2), (population, 4)):
        for allocation in scenario.results.select_related("organisation"):
            row = side_by_side.locator("tbody tr").filter(
                has=page.get_by_role("rowheader", name=allocation.organisation.code, exact=True)
            )
            expect(row.locator(f"td:nth-child({column})")).to_have_text(f"£{allocation.amount:,.2f}")
    journey.check("04-compared-side-by-side")
