"""Journeys 1 and 2: a hub fills its 2010/11 Q3 return, is stopped by an error it then fixes, and submits;
VAL challenges one rating and accepts the return, LCC signs it off, and the return's history tells the story."""

import re

import pytest
from playwright.sync_api import expect

from performance.models import Result, Return, Validation
from performance.rag import ResultEntry
from performance.services import return_submit
from vcsportal.models import User

pytestmark = pytest.mark.browser

HUB_ROWS = ("LOC-1", "LOC-2", "LOC-3", "LOC-4", "LOC-5")


def q3_return(code: str) -> Return:
    return Return.objects.get(provider__code=code, period__financial_year=2010, period__quarter=3)


def test_hub_fills_its_q3_return_fixes_an_error_and_submits(journey):
    page = journey.page
    journey.sign_in("vasl.hub")
    journey.check("01-home")

    page.get_by_role("link", name="My returns").first.click()
    journey.check("02-my-returns")
    page.get_by_role("link", name="2010/11 Q3", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("2010/11 Q3 temperature check")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Draft")
    journey.check("03-return-draft")

    for number, code in enumerate(HUB_ROWS[:4], start=1):
        page.get_by_label(f"Actual figure for {code}", exact=True).fill(str(12 * number))
        page.get_by_label(f"RAG rating for {code}", exact=True).select_option(label="Green")
        page.get_by_label(f"Narrative for {code}", exact=True).fill(f"{code}: on track this quarter.")
    # LOC-5 is marked not reported, but the reason is forgotten.
    page.get_by_label("RAG rating for LOC-5", exact=True).select_option(label="Not reported")
    page.get_by_label("Narrative for LOC-5", exact=True).fill("Start-up figures come from the new database.")
    with journey.refused(400):
        page.get_by_role("button", name="Submit return").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    assert page.title().startswith("Error: ")
    links = summary.get_by_role("link")
    expect(links).to_have_count(1)
    expect(links).to_contain_text("LOC-5 new groups supported to start up: say why it is not reported")
    # What was typed is kept, and the field at fault says what is wrong.
    expect(page.get_by_label("Actual figure for LOC-3", exact=True)).to_have_value("36")
    reason = page.get_by_label("Why LOC-5 is not reported", exact=True)
    expect(reason).to_have_attribute("aria-describedby", re.compile(r"-error$"))
    # The field names its hint and its error (GOV.UK order: hint first); the error says what to do.
    described_by = reason.get_attribute("aria-describedby").split()
    expect(page.locator("#" + described_by[0])).to_contain_text("Only if the rating is Not reported.")
    expect(page.locator("#" + described_by[-1])).to_contain_text("say why it is not reported")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Draft")
    journey.check("04-error-names-the-indicator")

    links.first.click()
    expect(reason).to_be_focused()
    reason.select_option(label="Data not yet available")
    page.get_by_role("button", name="Submit return").click()
    # Check, then confirm: the page says what submitting changes; nothing has changed yet.
    expect(page.get_by_role("heading", level=1)).to_have_text("Submit VASL 2010/11 Q3?")
    expect(page.locator("[data-confirm-changes]")).to_contain_text("changes from Draft to Submitted")
    assert q3_return("VASL").status == Return.Status.DRAFT
    journey.check("05-confirm-submit")
    page.get_by_role("button", name="Submit VASL 2010/11 Q3").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("VASL 2010/11 Q3 has been submitted")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Submitted")
    assert not page.title().startswith("Error: ")
    journey.check("06-submitted")

    return_obj = q3_return("VASL")
    assert return_obj.status == Return.Status.SUBMITTED
    rows = {result.indicator.code: result for result in return_obj.results.select_related("indicator")}
    assert [str(rows[code].actual) for code in HUB_ROWS[:4]] == ["12.00", "24.00", "36.00", "48.00"]
    assert (rows["LOC-5"].rag, rows["LOC-5"].not_reported_reason) == ("not_reported", "not_yet_available")


def _hub_submits_its_q3_return() -> Return:
    """The state journey 1 ends in, reached through the same service the form's submit button calls."""
    return_obj = q3_return("VASL")
    entries = {
        (result.indicator_id, result.district_id): ResultEntry(
            rag="green" if number != 3 else "amber",
            actual=10 * number,
            narrative=f"{result.indicator.code}: steady quarter.",
        )
        for number, result in enumerate(return_obj.results.select_related("indicator").order_by("indicator__code"), 1)
    }
    return return_submit(
        return_obj=return_obj, user=User.objects.get(username="vasl.hub"), version=return_obj.version, entries=entries
    )


def test_val_challenges_a_rating_and_accepts_then_lcc_signs_off_with_each_step_in_the_history(journey):
    page = journey.page
    return_obj = _hub_submits_its_q3_return()

    journey.sign_in("val.staff")
    page.get_by_role("link", name="Returns to review").first.click()
    journey.check("01-returns-to-review")
    page.get_by_role("link", name="Voluntary Action South Leicestershire – 2010/11 Q3").click()
    expect(page.locator(".govuk-summary-list")).to_contain_text("Submitted")
    journey.check("02-submitted-return")

    for code in ("LOC-1", "LOC-2", "LOC-4", "LOC-5"):
        page.get_by_label(f"Verdict on {code}", exact=True).select_option(label="Validated")
    page.get_by_label("Verdict on LOC-3", exact=True).select_option(label="Challenged")
    page.get_by_label("Comment on LOC-3", exact=True).fill("Amber, but the narrative reports a full quarter: check.")
    page.get_by_role("button", name="Save review verdicts").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("5 ratings reviewed")
    journey.check("03-rating-challenged")

    page.get_by_role("button", name="Accept return").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("VASL 2010/11 Q3 has been accepted")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Accepted")
    journey.check("04-accepted")
    journey.sign_out()

    journey.sign_in("lcc.officer")
    page.get_by_role("link", name="Returns to review").first.click()
    journey.check("05-lcc-returns-to-review")
    page.get_by_role("link", name="Voluntary Action South Leicestershire – 2010/11 Q3").click()
    page.get_by_role("button", name="Sign off return").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("has been signed off")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Signed off")
    # The challenge stays on the record, beside the rating.
    expect(page.locator("#row-" + str(return_obj.results.get(indicator__code="LOC-3").pk))).to_contain_text(
        "Challenged: Amber, but the narrative reports a full quarter: check."
    )

    history = page.locator("#history + .govuk-table__wrapper table tbody")
    rows = [row.inner_text() for row in history.locator("tr").all()]
    steps = [
        ("Signed off", "Laura Officer", "Accepted → Signed off"),
        ("Accepted", "Victor Staff", "Submitted → Accepted"),
        ("LOC-3", "Victor Staff", "Self-rated → Challenged"),
        ("Submitted", "Hannah Hub", "Draft → Submitted"),
    ]
    found = []
    for what, who, change in steps:
        matching = [n for n, row in enumerate(rows) if what in row and who in row and change in row]
        assert matching, f"no history row for {what} by {who} ({change}) in {rows}"
        found.append(matching[0])
    assert found == sorted(found), "the history is not newest first"
    journey.check("06-signed-off-with-history")

    return_obj.refresh_from_db()
    assert return_obj.status == Return.Status.SIGNED_OFF
    assert Result.objects.get(return_obj=return_obj, indicator__code="LOC-3").validation == Validation.CHALLENGED
