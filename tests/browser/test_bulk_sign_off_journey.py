"""Journey: an LCC officer opens a period's returns from what needs them, chooses the accepted ones, confirms,
and signs them off together; the providers' staff receive their emails through a real SMTP server, sent by the
task queue's own worker (``db_worker``) once the change committed."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from performance.models import Return
from performance.selectors import return_history
from performance.services import return_accept, return_submit
from tests.notifications.conftest import complete
from vcsportal.models import User

pytestmark = pytest.mark.browser


def q3(code: str) -> Return:
    return Return.objects.get(provider__code=code, period__financial_year=2010, period__quarter=3)


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_lcc_bulk_signs_off_the_accepted_returns_after_confirming_and_the_providers_are_emailed(journey, smtp):
    val = User.objects.get(username="val.staff")
    for code, username in (("VASL", "vasl.hub"), ("VAC", "vac.hub")):
        staff = User.objects.get(username=username)
        complete(q3(code), staff)
        return_accept(return_obj=return_submit(return_obj=q3(code), user=staff), user=val)
    run_worker()  # the acceptances' emails
    smtp.inbox.clear()

    page = journey.page
    journey.sign_in("lcc.officer")
    needs = page.locator("#needs-sign_off")
    expect(needs).to_contain_text("VASL 2010/11 Q3")
    expect(needs).to_contain_text("VAC 2010/11 Q3")
    journey.check("01-home-what-needs-you")

    needs.get_by_role("link", name="Sign off the 2010/11 Q3 returns together").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("2010/11 Q3 returns")
    expect(page.locator("caption")).to_contain_text("2 providers shown")
    journey.check("02-period-returns-accepted")

    page.get_by_label("Choose VASL 2010/11 Q3 (accepted)").check()
    page.get_by_label("Choose VAC 2010/11 Q3 (accepted)").check()
    page.get_by_role("button", name="Sign off the chosen returns").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign off 2 returns?")
    expect(page.locator("table")).to_contain_text("VASL 2010/11 Q3")
    expect(page.locator("table")).to_contain_text("Signed off")
    journey.check("03-confirm")
    # Nothing has changed until it is confirmed.
    assert {q3("VASL").status, q3("VAC").status} == {Return.Status.ACCEPTED}

    page.get_by_role("button", name="Confirm: sign off 2 returns").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("2 returns signed off: VAC, VASL")
    journey.check("04-signed-off")

    for code in ("VASL", "VAC"):
        return_obj = q3(code)
        assert return_obj.status == Return.Status.SIGNED_OFF
        latest = return_history(return_obj)[0]
        assert (latest.why, latest.who) == ("Signed off", "Laura Officer")

    run_worker()
    assert smtp.inbox.sent() == {
        ("vasl.hub@example.org", "Signed off: VASL 2010/11 Q3 return"),
        ("vac.hub@example.org", "Signed off: VAC 2010/11 Q3 return"),
    }
