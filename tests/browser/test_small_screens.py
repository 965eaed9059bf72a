"""Small screens: at 375 px no main page is wider than the viewport (a wide table scrolls inside its own
wrapper, which the keyboard can reach), and the dashboard puts its headline above its filters, which fold away.

The pages are each role's menu (read from the page, so a new menu item is measured too) and the pages one
click below them that people use most: a return (the task list, a section, the check page), a contract,
a sub-contract, a scenario, a dispute, a district, an indicator, a period's returns and the pack."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from contracts.models import Contract, SubContract
from contracts.services import scenario_create
from disputes.services import dispute_raise
from performance.models import Return
from vcsportal.models import User

pytestmark = pytest.mark.browser

WIDTH = 375

#: How much wider than the viewport the document is (0 when it fits), and what sticks out furthest.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  let widest = null, right = width;
  for (const element of document.body.querySelectorAll('*')) {
    const box = element.getBoundingClientRect();
    if (box.right > right + 0.5 && !element.closest('.govuk-table__wrapper, .portal-chart')) {
      right = box.right;
      const classes = String(element.className || '').split(' ').filter(Boolean);
      widest = [element.tagName.toLowerCase(), ...classes].join('.');
    }
  }
  return {extra: document.documentElement.scrollWidth - width, widest};
}"""


def _q3(code: str) -> Return:
    return Return.objects.get(provider__code=code, period__financial_year=2010, period__quarter=3)


def _detail_pages(username: str) -> list[str]:
    officer = User.objects.get(username="lcc.officer")
    vasl = SubContract.objects.get(provider__code="VASL")
    if username == "lcc.officer":
        scenario = scenario_create(
            contract=Contract.objects.get(paid_from_pool_of=None),
            financial_year=2011,
            name="Equal",
            total=1254878,
            rule="equal_cut",
            user=officer,
        )
        return [
            Contract.objects.get(paid_from_pool_of=None).get_absolute_url(),
            reverse("contracts:budget_lines", args=[Contract.objects.get(paid_from_pool_of=None).pk]),
            vasl.get_absolute_url(),
            scenario.get_absolute_url(),
            reverse("period_returns:list", args=["2010-11-q3"]),
            reverse("reports:pack", args=["2010-11-q2"]),
            reverse("districts:detail", args=["north-west-leicestershire"]),
            reverse("performance:indicator", args=["VAL-02"]),
            _q3("VASL").get_absolute_url(),
        ]
    if username == "val.staff":
        val = _q3("VAL")
        return [
            val.get_absolute_url(),
            reverse("performance:return_section", args=[val.pk, "coordination-1"]),
            reverse("performance:return_section", args=[val.pk, "blaby"]),
            reverse("performance:return_check", args=[val.pk]),
        ]
    if username == "vasl.hub":
        dispute = dispute_raise(
            user=User.objects.get(username="vasl.hub"), subject="The cut", details="Too deep", subcontract=vasl
        )
        return [_q3("VASL").get_absolute_url(), vasl.get_absolute_url(), dispute.get_absolute_url()]
    return []


@pytest.mark.parametrize("username", ["lcc.officer", "funder.reviewer", "val.staff", "vasl.hub", "peer.reviewer"])
def test_no_main_page_is_wider_than_a_375_px_screen(journey, username):
    page = journey.page
    journey.sign_in(username)
    page.set_viewport_size({"width": WIDTH, "height": 800})
    menu = page.locator("#navigation a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    urls = ["/", *menu, *_detail_pages(username)]
    too_wide = []
    for url in dict.fromkeys(urls):
        response = page.goto(journey.base_url + url)
        assert response is not None and response.ok, f"{url}: {response and response.status}"
        found = page.evaluate(OVERFLOW)
        if found["extra"] > 0:
            too_wide.append(f"{url} is {found['extra']} px too wide ({found['widest']})")
    assert not too_wide, "; ".join(too_wide)


def test_the_contract_pages_red_variances_pass_contrast_and_axe_at_375_px(journey):
    """The reconciliation's red variance cells (bold, GOV.UK red on white: 5.2 to 1) in the scrolling table."""
    page = journey.page
    journey.sign_in("lcc.officer")
    page.set_viewport_size({"width": WIDTH, "height": 800})
    page.goto(journey.base_url + Contract.objects.get(paid_from_pool_of=None).get_absolute_url())
    cells = page.locator(".variance--nonzero")
    assert cells.count() > 0
    report = journey.check("contract-375")
    assert not [v for v in report["violations"] if v["id"] == "color-contrast"]
    wrapper = cells.first.locator("xpath=ancestor::div[contains(@class, 'govuk-table__wrapper')]")
    expect(wrapper).to_have_attribute("tabindex", "0")  # a table that scrolls is reachable by keyboard


def test_the_dashboard_puts_its_headline_above_its_filters_which_fold_away(journey):
    page = journey.page
    journey.sign_in("funder.reviewer")
    page.set_viewport_size({"width": WIDTH, "height": 800})
    journey.visit("performance:dashboard")
    headline = page.locator("[data-dashboard-headline]")
    filters = page.locator("details.portal-filters-details")
    expect(headline).to_be_visible()
    assert headline.bounding_box()["y"] < filters.bounding_box()["y"]
    expect(filters.locator("summary")).to_have_text("Filter the dashboard")
    expect(page.locator("details.portal-filters-details select").first).to_be_hidden()
    filters.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(page.locator("details.portal-filters-details select").first).to_be_visible()
    journey.check("dashboard-375")
