"""``python manage.py lock_period "2010/11 Q4"``: lock a period; then only LCC can reopen its returns."""

from django.core.management.base import BaseCommand, CommandError

from performance.models import ReportingPeriod
from performance.services import ReturnRefused, period_lock


class Command(BaseCommand):
    help = "Lock a reporting period: providers can no longer change its returns unless LCC reopens one."

    def add_arguments(self, parser):
        parser.add_argument("period", help='The period, like "2010/11 Q4"')

    def handle(self, *args, period, **options):
        found = ReportingPeriod.objects.by_label(period)
        if found is None:
            raise CommandError(f"There is no period “{period}”: write it like 2010/11 Q4, and open it first")
        try:
            locked = period_lock(period=found)
        except ReturnRefused as error:
            raise CommandError(error.message) from error
        if locked:
            self.stdout.write(self.style.SUCCESS(f"{found.label} is locked."))
        else:
            self.stdout.write(f"{found.label} was already locked: nothing changed.")
