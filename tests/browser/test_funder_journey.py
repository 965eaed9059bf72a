"""Journey 3: a funder opens the dashboard, changes the period and the kind of provider, goes through the
sections to the localities, opens a district from the localities table, then to the providers section and
downloads the table it was reading as CSV: the file holds the page's figures."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

FILTERS = re.compile(r"\?period=2010-11-q2&.*provider_kind=hub&provider_kind=lrc")


def test_funder_changes_period_and_filter_opens_a_district_and_downloads_the_csv(journey):
    page = journey.page
    journey.sign_in("funder.reviewer")
    page.get_by_role("link", name="Performance dashboard").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Performance dashboard")
    sections = page.get_by_role("navigation", name="Dashboard sections")
    expect(sections.get_by_role("link", name="Overview")).to_have_attribute("aria-current", "page")
    journey.check("01-dashboard-default")

    page.get_by_label("Period", exact=True).select_option(label="2010/11 Q2")
    page.get_by_label("Community hub", exact=True).check()
    page.get_by_label("Local resource centre", exact=True).check()
    page.get_by_role("button", name="Show figures").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Performance dashboard: 2010/11 Q2")
    expect(page.locator("#headline-summary")).to_have_text(
        "26 green (63%), 2 amber (5%), 0 red (0%), 13 not reported (32%) of 41 indicators."
    )
    expect(page.locator("#headline-green")).to_have_text("26")
    # The form shows the filters it applied.
    expect(page.get_by_label("Period", exact=True)).to_have_value("2010-11-q2")
    expect(page.get_by_label("Community hub", exact=True)).to_be_checked()
    expect(page.get_by_label("Countywide infrastructure organisation", exact=True)).not_to_be_checked()
    journey.check("02-dashboard-2010-11-q2-hubs-and-lrcs")

    # The localities section, with the same filters.
    sections.get_by_role("link", name="Localities").click()
    page.wait_for_url(re.compile(r"/dashboard/localities/" + FILTERS.pattern))
    expect(page.get_by_role("heading", level=1)).to_have_text("Performance dashboard: 2010/11 Q2")
    expect(sections.get_by_role("link", name="Localities")).to_have_attribute("aria-current", "page")
    expect(page.get_by_label("Period", exact=True)).to_have_value("2010-11-q2")
    expect(page.get_by_label("Community hub", exact=True)).to_be_checked()
    localities = page.locator("table", has=page.locator("caption", has_text="Localities: people and money"))
    charnwood = localities.get_by_role("row", name="Charnwood")
    expect(charnwood).to_contain_text("166,100")
    journey.check("03-dashboard-localities")
    localities_url = page.url

    charnwood.get_by_role("link", name="Charnwood").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Charnwood")
    expect(page.locator(".govuk-summary-list")).to_contain_text("166,100")
    journey.check("04-district-charnwood")

    # Back on the localities section already checked at step 03, unchanged, so not checked again.
    page.go_back()
    page.wait_for_url(localities_url)
    sections.get_by_role("link", name="Providers").click()
    page.wait_for_url(re.compile(r"/dashboard/providers/" + FILTERS.pattern))
    expect(sections.get_by_role("link", name="Providers")).to_have_attribute("aria-current", "page")
    providers = page.locator("table", has=page.locator("caption", has_text="By provider"))
    expect(providers).not_to_contain_text("VAL ")
    journey.check("05-dashboard-providers")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV (by provider)").click()
    download = download_info.value
    assert download.suggested_filename == "by-provider-2010-11-q2.csv"
    rows = list(csv.DictReader(io.StringIO(download.path().read_text(encoding="utf-8-sig"))))
    assert {row["Kind"] for row in rows} == {"Community hub", "Local resource centre"}
    totals = {column: sum(int(row[column]) for row in rows) for column in ("Green", "Amber", "Red", "Not reported")}
    assert totals == {"Green": 26, "Amber": 2, "Red": 0, "Not reported": 13}
    assert sum(int(row["Indicators"]) for row in rows) == 41
    # Row for row the same as the page's table.
    for row in rows:
        expect(providers.get_by_role("row", name=row["Provider"])).to_contain_text(row["Green"])
