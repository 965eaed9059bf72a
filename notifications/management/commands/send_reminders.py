"""The daily reminders: due within 7 days, due today, and overdue (once a week while it is)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notifications.services import reminders_send


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today: {value!r} is not a date written YYYY-MM-DD") from None


class Command(BaseCommand):
    help = (
        "Send the reminders owed today (due within 7 days, due today, overdue weekly) to the staff of each "
        "provider whose return is still open; a second run on the same day sends nothing. Prints one line per "
        "email sent, '<address>: <subject>'."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", type=_day, help="The day to run for, YYYY-MM-DD (default: today).")

    def handle(self, *args, today=None, **options):
        run = reminders_send(today=today or timezone.localdate())
        for notification in run.sent:
            self.stdout.write(f"{notification.address}: {notification.subject}")
        for notification in run.failed:
            self.stderr.write(
                f"{notification.address}: {notification.subject} (not sent: {notification.last_error}; "
                "it will be tried again)"
            )
