"""Journey: the LCC officer signs in with the second factor (a real code), invites a hub worker (the form's
errors first), changes nothing without a reason, and a hub worker turns on two-factor sign-in for themselves.
Each page is checked with axe-core like every journey."""

import pyotp
import pytest

pytestmark = pytest.mark.browser


def test_an_officer_invites_someone_and_a_hub_worker_turns_on_two_factor(journey):
    page = journey.page
    journey.visit("login")
    page.get_by_label("Username").fill("lcc.officer")
    page.get_by_label("Password").fill("portal-demo-2011")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(journey.url("twofactor:verify") + "*")
    journey.check("01-two-factor-code")
    with journey.refused(400):
        page.get_by_label("Code", exact=True).fill("000000")
        page.get_by_role("button", name="Continue").click()
    assert "That code is not right" in page.locator(".govuk-error-summary").inner_text()
    journey.check("02-wrong-code")
    page.wait_for_timeout(1100)  # the wrong code's throttle: one second
    from tests.browser.conftest import _unused_totp_code

    page.get_by_label("Code", exact=True).fill(_unused_totp_code())
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(journey.url("home"))

    page.get_by_role("link", name="People").first.click()
    journey.check("03-people")
    page.get_by_role("button", name="Invite someone").click()
    with journey.refused(400):
        page.get_by_role("button", name="Send the invitation").click()
    assert "Enter the person's email address" in page.locator(".govuk-error-summary").inner_text()
    journey.check("04-invite-errors")
    page.get_by_label("Email address").fill("new.worker@example.org")
    page.get_by_label("First name").fill("Nadia")
    page.get_by_label("Last name").fill("Worker")
    page.get_by_role("radio", name="Hub or LRC staff").check()
    page.get_by_label("Organisation (CIO, hub or LRC staff)").select_option(label="Voluntary Action Melton")
    page.get_by_role("button", name="Send the invitation").click()
    page.get_by_role("heading", name="Nadia Worker").wait_for()
    assert "Hub or LRC staff (VAM)" in page.locator("#person-access").inner_text()
    journey.check("05-person")
    journey.sign_out()

    journey.sign_in("vasl.hub")
    page.get_by_role("link", name="Two-factor sign-in").click()
    page.get_by_role("button", name="Set up two-factor sign-in").click()
    journey.check("06-set-up")
    secret = page.locator("#two-factor-secret").inner_text().replace(" ", "")
    page.get_by_label("Code from the app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    assert page.locator("#recovery-codes li").count() == 10
    journey.check("07-recovery-codes")
