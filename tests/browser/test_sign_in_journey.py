"""Journey 0: signing in, by mouse and by keyboard alone, and the home page every role lands on."""

import re

import pytest

from vcsportal.demo import DEMO_USERS

pytestmark = pytest.mark.browser


def test_sign_in_page_refuses_a_wrong_password_with_an_error_summary(journey):
    page = journey.page
    journey.visit("login")
    assert page.title().startswith("Sign in")
    journey.check("01-sign-in")

    page.get_by_label("Username").fill("vasl.hub")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "Enter a correct username and password" in summary.inner_text()
    assert page.title().startswith("Error: ")
    # GOV.UK Frontend's error summary takes focus, so a screen reader announces it first.
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    summary.get_by_role("link").click()
    assert page.evaluate("document.activeElement.id") == "id_username"
    # The field says what is wrong too, and a screen reader hears it with the field.
    assert page.get_by_label("Username").get_attribute("aria-describedby") == "id_username-error"
    journey.check("02-wrong-password")


def test_home_page_for_every_role(journey):
    page = journey.page
    for username, full_name, role, _organisation, _funder in DEMO_USERS:
        journey.sign_in(username)
        assert page.get_by_role("heading", level=1).inner_text() == f"Welcome, {full_name}"
        assert role.label in page.locator("main").inner_text()
        journey.check(f"home-{username}")
        journey.sign_out()


def test_keyboard_only_sign_in(journey):
    page = journey.page
    journey.visit("login")
    keyboard = page.keyboard
    keyboard.press("Tab")
    # The first stop is the skip link, and it works.
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    journey.focus()
    keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
    for _ in range(5):
        keyboard.press("Tab")
        journey.focus()
        if page.evaluate("document.activeElement.id") == "id_username":
            break
    assert page.evaluate("document.activeElement.id") == "id_username", "Tab never reached the username field"
    keyboard.type("val.staff")
    keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_password"
    journey.focus()
    keyboard.type("portal-demo-2011")
    journey.check("01-filled-by-keyboard")
    keyboard.press("Enter")
    # The browser keeps the skip link's #main-content across the redirect, as HTTP says it should.
    page.wait_for_url(re.compile(re.escape(journey.url("home")) + "(#main-content)?$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Victor Staff"
    journey.check("02-home")
