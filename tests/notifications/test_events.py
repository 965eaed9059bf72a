"""Each event sends exactly the emails it should, to exactly the right people, through a real SMTP server.

The services are called as the pages call them; their transaction's commit queues the emails, and the task
queue's worker sends them to the SMTP server the test started.
"""

import datetime
from html import unescape

import pytest
from django.db import transaction

from contracts.models import SubContract
from disputes.services import dispute_decide, dispute_raise
from notifications.models import Notification
from performance.models import Return
from performance.services import (
    period_open,
    return_accept,
    return_reopen,
    return_send_back,
    return_sign_off,
    return_submit,
)
from tests.notifications.conftest import complete
from vcsportal.models import User

pytestmark = pytest.mark.django_db


def user(username: str) -> User:
    return User.objects.get(username=username)


def q3(code: str) -> Return:
    return Return.objects.get(provider__code=code, period__financial_year=2010, period__quarter=3)


def submitted(code: str, username: str) -> Return:
    """The provider's Q3 return, completed and submitted by its own staff (a first submission tells nobody)."""
    return_obj = q3(code)
    complete(return_obj, user(username))
    return return_submit(return_obj=return_obj, user=user(username))


def test_a_period_opening_tells_the_staff_of_every_provider_owing_a_return(smtp, committed, worker):
    with committed():
        report = period_open(
            financial_year=2010, quarter=4, due_on=datetime.date(2011, 4, 30), user=user("lcc.officer")
        )
    worker()
    providers = {r.provider_id for r in report.period.returns.all()}
    expected = {
        (u.email, f"2010/11 Q4 is open: {u.organisation.code} 2010/11 Q4 return due 30 April 2011")
        for u in User.objects.filter(organisation_id__in=providers)
    }
    assert smtp.inbox.sent() == expected
    # The four demo providers' staff, and nobody else (LCC, funders and the peer member owe no return).
    assert smtp.inbox.addresses() == [
        "lutterworth.lrc@example.org",
        "vac.hub@example.org",
        "val.staff@example.org",
        "vasl.hub@example.org",
    ]


def test_an_email_has_a_plain_text_and_an_html_body_naming_the_return_and_linking_to_it(smtp, committed, worker):
    return_obj = submitted("VASL", "vasl.hub")
    with committed():
        return_send_back(return_obj=return_obj, user=user("val.staff"), comment="LOC-2 needs its figure.")
    worker()
    [message] = smtp.inbox.messages
    assert message["To"] == "vasl.hub@example.org"
    assert message["From"] == "portal@example.org"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    link = f"https://portal.example.org/returns/{return_obj.pk}/"
    for body in (text, unescape(html)):
        assert "Voluntary Action South Leicestershire's 2010/11 Q3 return was sent back" in body
        assert "LOC-2 needs its figure." in body
        assert link in body
    assert f'href="{link}"' in html


def test_a_first_submission_emails_nobody(smtp, committed, worker):
    with committed():
        submitted("VASL", "vasl.hub")
    worker()
    assert smtp.inbox.messages == []


def test_sent_back_tells_the_providers_staff_with_the_comment(smtp, committed, worker):
    return_obj = submitted("VASL", "vasl.hub")
    with committed():
        return_send_back(return_obj=return_obj, user=user("val.staff"), comment="Check LOC-1.")
    worker()
    assert smtp.inbox.sent() == {("vasl.hub@example.org", "Sent back: VASL 2010/11 Q3 return needs changes")}
    assert "Check LOC-1." in smtp.inbox.messages[0].get_body(preferencelist=("plain",)).get_content()


def test_a_hubs_resubmission_tells_the_cio_its_reviewer(smtp, committed, worker):
    return_obj = submitted("VASL", "vasl.hub")
    return_send_back(return_obj=return_obj, user=user("val.staff"), comment="Check LOC-1.")
    with committed():
        return_submit(return_obj=return_obj, user=user("vasl.hub"))
    worker()
    assert smtp.inbox.sent() == {("val.staff@example.org", "Resubmitted for review: VASL 2010/11 Q3 return")}


def test_the_cios_resubmission_tells_lcc_its_reviewer(smtp, committed, worker):
    return_obj = submitted("VAL", "val.staff")
    return_send_back(return_obj=return_obj, user=user("lcc.officer"), comment="Split LOC-1 by district.")
    with committed():
        return_submit(return_obj=return_obj, user=user("val.staff"))
    worker()
    assert smtp.inbox.sent() == {("lcc.officer@example.org", "Resubmitted for review: VAL 2010/11 Q3 return")}


def test_accepted_tells_the_provider_and_lcc_who_signs_it_off(smtp, committed, worker):
    return_obj = submitted("VASL", "vasl.hub")
    with committed():
        return_accept(return_obj=return_obj, user=user("val.staff"))
    worker()
    assert smtp.inbox.sent() == {
        ("vasl.hub@example.org", "Accepted: VASL 2010/11 Q3 return"),
        ("lcc.officer@example.org", "Ready to sign off: VASL 2010/11 Q3 return"),
    }


def test_signed_off_tells_the_providers_staff(smtp, committed, worker):
    return_obj = return_accept(return_obj=submitted("VASL", "vasl.hub"), user=user("val.staff"))
    with committed():
        return_sign_off(return_obj=return_obj, user=user("lcc.officer"))
    worker()
    assert smtp.inbox.sent() == {("vasl.hub@example.org", "Signed off: VASL 2010/11 Q3 return")}


def test_reopened_tells_the_providers_staff_with_the_reason(smtp, committed, worker):
    return_obj = return_accept(return_obj=submitted("VAC", "vac.hub"), user=user("val.staff"))
    return_obj = return_sign_off(return_obj=return_obj, user=user("lcc.officer"))
    with committed():
        return_reopen(return_obj=return_obj, user=user("lcc.officer"), reason="The volunteer count was double.")
    worker()
    assert smtp.inbox.sent() == {("vac.hub@example.org", "Reopened: VAC 2010/11 Q3 return")}
    assert "The volunteer count was double." in smtp.inbox.messages[0].get_body(("plain",)).get_content()


def test_a_dispute_raised_and_decided_tells_both_parties_and_the_peer_review_body(smtp, committed, worker):
    vasl = SubContract.objects.get(provider__code="VASL")
    with committed():
        dispute = dispute_raise(user=user("vasl.hub"), subject="The 2011/12 cut", details="Why 14%?", subcontract=vasl)
    worker()
    # The hub raised it: the other party (VAL) and the Peer Review Body are told.
    assert smtp.inbox.sent() == {
        ("val.staff@example.org", "Dispute raised: The 2011/12 cut"),
        ("peer.reviewer@example.org", "Dispute raised: The 2011/12 cut"),
    }
    smtp.inbox.clear()
    with committed():
        dispute_decide(
            dispute=dispute,
            user=user("peer.reviewer"),
            decision="Shared equally.",
            hearing_on=datetime.date(2011, 3, 1),
        )
    worker()
    assert smtp.inbox.sent() == {
        ("vasl.hub@example.org", "Dispute decided: The 2011/12 cut"),
        ("val.staff@example.org", "Dispute decided: The 2011/12 cut"),
    }
    assert "Shared equally." in smtp.inbox.messages[0].get_body(("plain",)).get_content()


def test_each_time_a_return_is_sent_back_is_told_once_and_only_once(smtp, committed, worker):
    return_obj = submitted("VASL", "vasl.hub")
    with committed():
        return_send_back(return_obj=return_obj, user=user("val.staff"), comment="First.")
        return_obj = return_submit(return_obj=return_obj, user=user("vasl.hub"))
        return_send_back(return_obj=return_obj, user=user("val.staff"), comment="Second.")
    worker()
    worker()  # a second worker run finds nothing left to send
    sent_back = [m for m in smtp.inbox.messages if str(m["Subject"]).startswith("Sent back")]
    assert len(sent_back) == 2
    assert Notification.objects.filter(kind="sent_back", status=Notification.Status.SENT).count() == 2


def test_a_change_that_rolls_back_records_and_sends_nothing(smtp, committed, worker):
    return_obj = submitted("VASL", "vasl.hub")
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        return_send_back(return_obj=return_obj, user=user("val.staff"), comment="Never mind.")
        raise RuntimeError("the page failed after the service")
    worker()
    assert smtp.inbox.messages == []
    assert not Notification.objects.filter(kind="sent_back").exists()
