"""Journey: the LCC officer sets the local indicators' 2011/12 targets by copying 2010/11 with +5%, opens
2011/12 Q1, and a hub's new return shows the new targets; the CIO's, reported per district, shows a district's
own target in that district's row.

The review gives no targets for the hubs' five local indicators in 2010/11 (they were self-rated: DOMAIN.md,
Appendix Eight, Table Three), so the officer first types 2010/11 targets for all providers on the targets page.
Those figures are test data typed in this journey, not source figures.
"""

import pytest
from playwright.sync_api import expect

from performance.models import Return, Target

pytestmark = pytest.mark.browser

#: Test figures the officer types as 2010/11 annual targets for all providers, and what +5% makes of them
#: (counts rounded half up to whole numbers).
TYPED_2010 = {"LOC-1": "40", "LOC-2": "25", "LOC-3": "10", "LOC-4": "12", "LOC-5": "3"}
EXPECTED_2011 = {"LOC-1": "42", "LOC-2": "26", "LOC-3": "11", "LOC-4": "13", "LOC-5": "3"}
#: A test figure typed as LOC-1's 2010/11 target for the rows reported for Blaby, and what +5% makes of it.
TYPED_2010_BLABY, EXPECTED_2011_BLABY = "20", "21"


def test_officer_copies_last_years_local_targets_plus_5_percent_opens_q1_and_a_hub_sees_them(journey):
    page = journey.page
    journey.sign_in("lcc.officer")
    page.get_by_role("link", name="Framework").first.click()
    journey.check("01-framework-by-year")

    # 2010/11: the local indicators' targets, typed on one page each (the review has none for them).
    page.get_by_role("link", name="The 2010/11 framework").click()
    journey.check("02-framework-2010")
    for code, value in TYPED_2010.items():
        page.get_by_role("link", name=f"Set targets for {code} in 2010/11").click()
        if code == "LOC-1":
            journey.check("03-targets-page")
        page.get_by_label(f"{code} 2010/11 annual target for all providers", exact=True).fill(value)
        if code == "LOC-1":
            page.get_by_label("LOC-1 2010/11 annual target for all providers in Blaby", exact=True).fill(
                TYPED_2010_BLABY
            )
        page.get_by_label("Reason for this change").fill("Targets agreed with the hubs (journey test figures)")
        page.get_by_role("button", name="Save the targets").click()
        count = 2 if code == "LOC-1" else 1
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
            f"{code}'s 2010/11 targets: {count} set"
        )
    journey.check("04-framework-2010-with-targets")

    # 2011/12: copy them with +5%, forgetting the reason first.
    page.get_by_role("link", name="Back to the framework by year").click()
    page.get_by_role("link", name="The 2011/12 framework").click()
    page.get_by_role("link", name="Copy another year's targets into 2011/12, with a percentage change").click()
    expect(page.get_by_label("Copy the targets of")).to_have_value("2010/11")
    for code in TYPED_2010:
        page.get_by_role("checkbox", name=code, exact=False).first.check()
    page.get_by_label("Change (%)").fill("5")
    with journey.refused(400):
        page.get_by_role("button", name="Copy the targets").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reason for this change.")
    journey.check("05-copy-needs-a-reason")
    page.get_by_label("Reason for this change").fill("2011/12 targets: 2010/11 plus 5%")
    page.get_by_role("button", name="Copy the targets").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "2010/11 targets copied into 2011/12 with a change of 5%: 6 set"
    )
    for code, value in EXPECTED_2011.items():
        expect(page.get_by_role("row", name=f"{code} ")).to_contain_text(value)
    journey.check("06-framework-2011-copied")
    copied = Target.objects.filter(financial_year=2011, district=None).select_related("indicator")
    assert {t.indicator.code: str(t.value.normalize()) for t in copied} == EXPECTED_2011
    blaby = Target.objects.get(financial_year=2011, district__slug="blaby")
    assert (blaby.indicator.code, str(blaby.value.normalize())) == ("LOC-1", EXPECTED_2011_BLABY)

    # Open 2011/12 Q1 through the periods page (the period service makes every provider's return).
    page.get_by_role("link", name="Reporting periods").first.click()
    page.get_by_label("Period").fill("2011/12 Q1")
    page.get_by_label("Due date").fill("2011-07-15")
    page.get_by_role("button", name="Open period").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("2011/12 Q1 is open")
    journey.check("07-q1-open")
    journey.sign_out()

    # The hub's new return shows the new targets beside each row.
    journey.sign_in("vasl.hub")
    page.get_by_role("link", name="My returns").first.click()
    page.get_by_role("link", name="2011/12 Q1", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("2011/12 Q1 temperature check")
    return_obj = Return.objects.get(provider__code="VASL", period__financial_year=2011, period__quarter=1)
    for code, value in EXPECTED_2011.items():
        row = page.locator(f"#row-{return_obj.results.get(indicator__code=code).pk}")
        expect(row).to_contain_text(f"Target: {value} (all providers, annual)")
    journey.check("08-hub-return-with-new-targets")
    journey.sign_out()

    # The CIO reports LOC-1 per district: Blaby's row shows Blaby's own target, the others everyone's.
    journey.sign_in("val.staff")
    page.get_by_role("link", name="My returns").first.click()
    page.get_by_role("link", name="2011/12 Q1", exact=True).first.click()
    return_obj = Return.objects.get(provider__code="VAL", period__financial_year=2011, period__quarter=1)
    # VAL's return is a task list: each district's local indicators are a section of their own.
    for slug, district, text in (
        ("blaby", "Blaby", f"Target {EXPECTED_2011_BLABY} for the year (Blaby), set by LCC"),
        ("charnwood", "Charnwood", f"Target {EXPECTED_2011['LOC-1']} for the year, set by LCC"),
    ):
        page.get_by_role("link", name=f"Local indicators in {district}", exact=True).click()
        result = return_obj.results.get(indicator__code="LOC-1", district__slug=slug)
        expect(page.locator(f"#row-{result.pk}")).to_contain_text(text)
        page.get_by_role("link", name="Back to the sections of the return").click()
    journey.check("09-cio-return-with-a-districts-target")
