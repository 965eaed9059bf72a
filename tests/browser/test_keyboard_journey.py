"""Journey 5: keyboard only. Lutterworth LRC signs in, finds its 2010/11 Q3 return (two rows), fills it, is
stopped by an error, follows the error summary to the field, fixes it and submits, with no mouse: only Tab,
Shift+Tab, Space, Enter, ArrowDown and typed text. Wherever the focus lands it must be visible."""

import re

import pytest
from playwright.sync_api import expect

from performance.models import Return

pytestmark = pytest.mark.browser

#: The focused element's name as a person hears it: its label, else its text.
FOCUSED_NAME = """() => {
  const element = document.activeElement;
  const label = element.labels && element.labels.length ? element.labels[0] : element;
  return label.textContent.replace(/\\s+/g, " ").trim();
}"""
MOST_TABS = 80


def tab_to(journey, name: str, *, backwards: bool = False) -> int:
    """Press Tab (or Shift+Tab) until the control with this name has the focus, checking at every stop that
    the focus is visible. Returns how many presses it took."""
    page = journey.page
    for presses in range(1, MOST_TABS + 1):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        journey.focus()
        if page.evaluate(FOCUSED_NAME) == name:
            return presses
    raise AssertionError(f"{MOST_TABS} presses of Tab never reached {name!r}")


def test_keyboard_only_completes_and_submits_a_return(journey):
    page = journey.page
    keyboard = page.keyboard
    journey.visit("login")
    tab_to(journey, "Username")
    keyboard.type("lutterworth.lrc")
    keyboard.press("Tab")
    keyboard.type("portal-demo-2011")
    keyboard.press("Enter")
    page.wait_for_url(journey.url("home"))
    journey.check("01-home")

    tab_to(journey, "My returns")
    keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("returns")
    journey.check("02-my-returns")
    tab_to(journey, "2010/11 Q3")
    keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("2010/11 Q3 temperature check")
    journey.check("03-return-form")

    tab_to(journey, "Actual figure for LOC-1")
    keyboard.type("14")
    keyboard.press("Tab")
    journey.focus()
    assert page.evaluate(FOCUSED_NAME) == "RAG rating for LOC-1"
    # A closed select moves down its options with the arrow key: Not rated yet, Red, Amber, Green.
    for _ in range(3):
        keyboard.press("ArrowDown")
    expect(page.get_by_label("RAG rating for LOC-1", exact=True)).to_have_value("green")
    tab_to(journey, "Narrative for LOC-1")
    keyboard.type("Fourteen enquiries, most from the Lutterworth job club.")

    tab_to(journey, "Actual figure for LOC-2")
    keyboard.type("5")
    keyboard.press("Tab")
    journey.focus()
    for _ in range(2):
        keyboard.press("ArrowDown")
    expect(page.get_by_label("RAG rating for LOC-2", exact=True)).to_have_value("amber")
    # Back one stop to check the figure went in, then on: the narrative for LOC-2 is left out.
    keyboard.press("Shift+Tab")
    journey.focus()
    assert page.evaluate(FOCUSED_NAME) == "Actual figure for LOC-2"
    expect(page.get_by_label("Actual figure for LOC-2", exact=True)).to_have_value("5")
    journey.check("04-filled-but-for-a-narrative")

    tab_to(journey, "Submit return")
    with journey.refused(400):
        keyboard.press("Enter")
    # GOV.UK's error summary takes the focus, so the keyboard (and a screen reader) starts there.
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    journey.focus()
    journey.check("05-error-summary")

    tab_to(journey, "LOC-2 volunteers placed: write a narrative explaining the rating")
    keyboard.press("Enter")
    narrative = page.get_by_label("Narrative for LOC-2", exact=True)
    expect(narrative).to_be_focused()
    journey.focus()
    keyboard.type("Five placed; two more start in January.")

    tab_to(journey, "Submit return")
    keyboard.press("Space")
    expect(page.get_by_role("heading", level=1)).to_have_text("Submit LUTLRC 2010/11 Q3?")
    journey.check("06-confirm-submit")
    tab_to(journey, "Submit LUTLRC 2010/11 Q3")
    keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("LUTLRC 2010/11 Q3 has been submitted")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Submitted")
    journey.check("07-submitted")

    return_obj = Return.objects.get(provider__code="LUTLRC", period__financial_year=2010, period__quarter=3)
    assert return_obj.status == Return.Status.SUBMITTED
    rows = {
        r.indicator.code: (str(r.actual), r.rag, r.narrative) for r in return_obj.results.select_related("indicator")
    }
    assert rows == {
        "LOC-1": ("14.00", "green", "Fourteen enquiries, most from the Lutterworth job club."),
        "LOC-2": ("5.00", "amber", "Five placed; two more start in January."),
    }
    assert re.search(r"Submitted", page.locator("#history + .govuk-table__wrapper table").inner_text())
