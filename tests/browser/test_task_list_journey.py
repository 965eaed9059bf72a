"""Journey: VAL's whole 2010/11 Q3 return (65 rows: its 30 indicators and the 5 local indicators for each of
7 districts) entered by keyboard alone, section by section, then checked and submitted. Only Tab, Enter,
ArrowDown and typed text; the focus visible at every stop; axe finds no serious or critical violation on any
page; no section page has more than 100 tab stops."""

import re

import pytest
from playwright.sync_api import expect

from performance.models import Return
from tests.browser.test_keyboard_journey import FOCUSED_NAME

pytestmark = pytest.mark.browser

MOST_TAB_STOPS = 100

#: Every element the Tab key stops at, as the browser would: focusable, enabled, shown.
TAB_STOPS = """() => Array.from(document.querySelectorAll(
  'a[href], button, input, select, textarea, summary, [tabindex]'
)).filter(e => !e.disabled && e.tabIndex >= 0 && e.type !== 'hidden' && e.getClientRects().length > 0
  && getComputedStyle(e).visibility !== 'hidden').length"""


def tab_to(journey, name: str, *, most: int = 80) -> int:
    """Press Tab until the control with this name has the focus, checking at every stop that the focus is
    visible (the check page has a change link per row before its button: ``most`` is raised there)."""
    page = journey.page
    for presses in range(1, most + 1):
        page.keyboard.press("Tab")
        journey.focus()
        if page.evaluate(FOCUSED_NAME) == name:
            return presses
    raise AssertionError(f"{most} presses of Tab never reached {name!r}")


def val_q3() -> Return:
    return Return.objects.get(provider__code="VAL", period__financial_year=2010, period__quarter=3)


def choose(keyboard, downs: int):
    """A closed select moves down its options with the arrow key."""
    for _ in range(downs):
        keyboard.press("ArrowDown")


def test_val_enters_its_whole_65_row_return_by_keyboard_section_by_section_and_submits(journey):
    page = journey.page
    keyboard = page.keyboard
    journey.visit("login")
    tab_to(journey, "Username")
    keyboard.type("val.staff")
    keyboard.press("Tab")
    keyboard.type("portal-demo-2011")
    keyboard.press("Enter")
    page.wait_for_url(journey.url("home"))

    tab_to(journey, "My returns")
    keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("returns")
    tab_to(journey, "2010/11 Q3")
    keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("2010/11 Q3 temperature check")
    expect(page.locator("#why-rows")).to_contain_text("This return has 65 rows")
    journey.check("01-task-list")
    sections = page.locator(".govuk-task-list__link").all_inner_texts()
    assert len(sections) == 12

    tab_to(journey, sections[0])
    keyboard.press("Enter")
    rows_entered = 0
    for number, title in enumerate(sections, start=1):
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        stops = page.evaluate(TAB_STOPS)
        assert stops <= MOST_TAB_STOPS, f"{title}: {stops} tab stops"
        journey.check(f"{number + 1:02d}-section-{number}")
        labels = [text.strip() for text in page.locator("label").all_inner_texts()]
        rows = [label.removeprefix("Actual figure for ") for label in labels if label.startswith("Actual figure for ")]
        for row in rows:
            computed = f"Why you rate {row} differently from its figures" in labels
            tab_to(journey, f"Actual figure for {row}")
            keyboard.type("12")
            keyboard.press("Tab")
            assert page.evaluate(FOCUSED_NAME) == f"RAG rating for {row}"
            if computed:
                # Rated from figures against a target: not reported this quarter, with its reason revealed.
                choose(keyboard, 4)
                reason = page.get_by_label(f"Why {row} is not reported", exact=True)
                expect(reason).to_be_visible()
                tab_to(journey, f"Why {row} is not reported")
                choose(keyboard, 3)
                expect(reason).to_have_value("not_yet_available")
                tab_to(journey, f"Narrative for {row}")
                keyboard.type("The survey that measures this reports next quarter.")
            else:
                choose(keyboard, 3)
                expect(page.get_by_label(f"RAG rating for {row}", exact=True)).to_have_value("green")
                expect(page.get_by_label(f"Why {row} is not reported", exact=True)).to_be_hidden()
                tab_to(journey, f"Narrative for {row}")
                keyboard.type(f"{row}: twelve this quarter, on plan.")
            rows_entered += 1
        stops = page.evaluate(TAB_STOPS)
        assert stops <= MOST_TAB_STOPS, f"{title}, filled in: {stops} tab stops"
        last = number == len(sections)
        tab_to(journey, "Save and return to the sections" if last else "Save and go to the next section")
        keyboard.press("Enter")
        page.wait_for_load_state()
    assert rows_entered == 65

    expect(page.get_by_role("heading", level=1)).to_have_text("2010/11 Q3 temperature check")
    expect(page.locator(".govuk-task-list")).not_to_contain_text("Not started")
    assert page.locator(".govuk-task-list__status").all_inner_texts() == ["Completed"] * 12
    journey.check("14-every-section-completed")

    tab_to(journey, "Check your answers")
    keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before submitting the return")
    expect(page.get_by_role("link", name=re.compile(r"^Change (VAL|LOC)-"))).to_have_count(65)
    assert val_q3().status == Return.Status.DRAFT
    journey.check("15-check-your-answers")
    tab_to(journey, "Submit VAL 2010/11 Q3", most=200)
    keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("VAL 2010/11 Q3 has been submitted")
    journey.check("16-submitted")

    return_obj = val_q3()
    assert return_obj.status == Return.Status.SUBMITTED
    assert return_obj.results.count() == 65
    assert not return_obj.results.filter(rag="").exists()
