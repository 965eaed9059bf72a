"""``python manage.py open_period "2010/11 Q4" --due 2011-04-30``: open a period and create its returns."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from core.periods import Period
from performance.services import ReturnRefused, period_open


class Command(BaseCommand):
    help = (
        "Open a reporting period with its due date and create a draft return for every provider with a contract "
        "or live sub-contract covering its financial year. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("period", help='The period, like "2010/11 Q4"')
        parser.add_argument("--due", required=True, help="Due date, like 2011-04-30")

    def handle(self, *args, period, due, **options):
        wanted = Period.parse_or_none(period)
        if wanted is None:
            raise CommandError(f"“{period}” is not a period: write it like 2010/11 Q4")
        year, quarter = wanted.financial_year, wanted.quarter
        try:
            due_on = datetime.date.fromisoformat(due)
        except ValueError as error:
            raise CommandError(f"“{due}” is not a date: write it like 2011-04-30") from error
        try:
            report = period_open(financial_year=year, quarter=quarter, due_on=due_on)
        except ReturnRefused as error:
            raise CommandError(error.message) from error
        if not report.changed:
            self.stdout.write(f"{report.period.label} is already open, due {report.period.due_on}: nothing changed.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.period.label} is open, due {report.period.due_on}: "
                f"{len(report.returns_created)} returns and {report.results_created} result rows created."
            )
        )
