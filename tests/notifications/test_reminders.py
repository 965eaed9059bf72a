"""``send_reminders``: on the shipped data (2010/11 Q3 open, due 31 January 2011, every provider's return a
draft) it reminds the staff of each provider with an open return, a week before, on the day and weekly once
overdue; it catches up on a missed day, and a second run the same day sends nothing. Real SMTP."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from contracts.models import Organisation
from notifications.models import Notification, OptOut
from performance.models import ReportingPeriod, Return
from tests.notifications.test_events import submitted
from vcsportal.models import User

pytestmark = pytest.mark.django_db

Q3_DUE = datetime.date(2011, 1, 31)


@pytest.fixture
def send_reminders(committed, capsys):
    """``send_reminders("2011-01-24")``: runs the command and returns the lines it printed."""

    def run(today: str) -> list[str]:
        capsys.readouterr()
        with committed():
            call_command("send_reminders", "--today", today)
        return capsys.readouterr().out.splitlines()

    return run


def staff_with_open_q3_returns() -> list[User]:
    open_returns = Return.objects.filter(
        period__financial_year=2010, period__quarter=3, status__in=[Return.Status.DRAFT, Return.Status.RETURNED]
    )
    return list(User.objects.filter(organisation__in=open_returns.values("provider")).order_by("email"))


def test_the_shipped_data_has_q3_open_and_due_on_31_january_2011():
    q3 = ReportingPeriod.objects.get(financial_year=2010, quarter=3)
    assert (q3.status, q3.due_on) == (ReportingPeriod.Status.OPEN, Q3_DUE)


def test_a_week_before_q3_is_due_each_user_of_each_provider_with_an_open_return_gets_one_email(smtp, send_reminders):
    week_before = (Q3_DUE - datetime.timedelta(days=7)).isoformat()
    lines = send_reminders(week_before)

    people = staff_with_open_q3_returns()
    assert [u.username for u in people] == ["lutterworth.lrc", "vac.hub", "val.staff", "vasl.hub"]
    expected = {
        (u.email, f"Reminder: {u.organisation.code} 2010/11 Q3 return due in 7 days (31 January 2011)") for u in people
    }
    assert smtp.inbox.sent() == expected
    assert len(smtp.inbox.messages) == len(people)  # one each
    assert sorted(lines) == sorted(f"{address}: {subject}" for address, subject in expected)

    # Run again the same day: nothing is owed any more, nothing is sent or printed.
    smtp.inbox.clear()
    assert send_reminders(week_before) == []
    assert smtp.inbox.messages == []


def test_a_missed_run_is_caught_up_and_the_due_soon_reminder_goes_once(smtp, send_reminders):
    lines = send_reminders("2011-01-27")  # the runs of the 24th to the 26th were missed
    assert len(lines) == 4
    assert all("due in 4 days" in line for line in lines)
    assert send_reminders("2011-01-28") == []  # already told this due date is near
    assert len(smtp.inbox.messages) == 4


def test_due_today_then_overdue_weekly_while_overdue(smtp, send_reminders):
    assert len(send_reminders("2011-01-24")) == 4
    due_today = send_reminders("2011-01-31")
    assert sorted(line.split(": ", 1)[1] for line in due_today) == [
        "Due today: LUTLRC 2010/11 Q3 return",
        "Due today: VAC 2010/11 Q3 return",
        "Due today: VAL 2010/11 Q3 return",
        "Due today: VASL 2010/11 Q3 return",
    ]
    overdue = send_reminders("2011-02-01")
    assert sorted(overdue) == [
        "lutterworth.lrc@example.org: Overdue: LUTLRC 2010/11 Q3 return was due 31 January 2011",
        "vac.hub@example.org: Overdue: VAC 2010/11 Q3 return was due 31 January 2011",
        "val.staff@example.org: Overdue: VAL 2010/11 Q3 return was due 31 January 2011",
        "vasl.hub@example.org: Overdue: VASL 2010/11 Q3 return was due 31 January 2011",
    ]
    assert send_reminders("2011-02-01") == []
    assert send_reminders("2011-02-07") == []  # the same overdue week
    assert len(send_reminders("2011-02-08")) == 4  # the next week
    assert len(send_reminders("2011-02-20")) == 4  # a missed week is caught up once
    assert send_reminders("2011-02-21") == []
    assert len(smtp.inbox.messages) == 4 * 5
    body = smtp.inbox.messages[-1].get_body(("plain",)).get_content()
    assert "20 days overdue" in body


def test_a_submitted_return_is_not_chased_and_a_sent_back_one_is(smtp, send_reminders):
    submitted("VASL", "vasl.hub")
    submitted("VAC", "vac.hub")
    from performance.services import return_send_back

    return_send_back(
        return_obj=Return.objects.get(provider__code="VAC", period__quarter=3, period__financial_year=2010),
        user=User.objects.get(username="val.staff"),
        comment="Check it.",
    )
    lines = send_reminders("2011-02-01")
    assert sorted(line.split(":")[0] for line in lines) == [
        "lutterworth.lrc@example.org",
        "vac.hub@example.org",
        "val.staff@example.org",
    ]


def test_turning_off_a_non_essential_reminder_stops_its_email_but_not_the_overdue_one(smtp, send_reminders):
    hub = User.objects.get(username="vasl.hub")
    OptOut.objects.create(user=hub, kind="due_soon")
    OptOut.objects.create(user=hub, kind="overdue")  # essential: cannot be turned off, so ignored
    assert "vasl.hub@example.org" not in " ".join(send_reminders("2011-01-24"))
    assert Notification.objects.get(recipient=hub, kind="due_soon").status == Notification.Status.NOT_EMAILED
    assert any(line.startswith("vasl.hub@example.org: Overdue") for line in send_reminders("2011-02-01"))


def test_with_the_mail_server_down_the_reminders_are_recorded_and_retried(smtp, send_reminders, worker, settings):
    settings.NOTIFICATION_RETRY_DELAYS = [0]
    smtp.stop()
    assert send_reminders("2011-01-24") == []
    assert Notification.objects.filter(kind="due_soon", status=Notification.Status.FAILED).count() == 4
    assert send_reminders("2011-01-24") == []  # recorded: not owed again, the retry is the queue's job
    smtp.start()
    worker()
    assert len(smtp.inbox.messages) == 4
    assert Notification.objects.filter(kind="due_soon", status=Notification.Status.SENT).count() == 4


def test_a_malformed_day_is_refused_naming_the_option():
    with pytest.raises(CommandError, match="--today: '31/01/2011' is not a date written YYYY-MM-DD"):
        call_command("send_reminders", "--today", "31/01/2011")


def test_providers_without_users_are_recorded_for_nobody(smtp, send_reminders):
    send_reminders("2011-01-24")
    open_providers = Organisation.objects.filter(
        returns__period__financial_year=2010, returns__period__quarter=3, returns__status=Return.Status.DRAFT
    ).distinct()
    assert open_providers.count() > 4  # eleven providers owe a return; four have demo users
    assert Notification.objects.filter(kind="due_soon").count() == 4
