"""The funders' quarterly pack as a PDF file: the same pack as /reports/<period>/."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from performance.filters import PeriodField
from performance.models import ReportingPeriod
from vcsportal.reports.pack import quarterly_pack
from vcsportal.reports.pdf import pack_pdf


class Command(BaseCommand):
    help = "Write the funders' quarterly pack for a period as a PDF, e.g. --period '2010/11 Q2' --output pack.pdf."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help='The reporting period, written like "2010/11 Q2".')
        parser.add_argument("--output", required=True, help="The PDF file to write.")

    def handle(self, *args, period, output, **options):
        field = PeriodField()
        field.periods = list(ReportingPeriod.objects.all())
        try:
            found = field.clean(period)
        except ValidationError as error:
            raise CommandError(f"--period: {' '.join(error.messages)}") from None
        target = Path(output)
        if not target.parent.exists():
            raise CommandError(f"--output: the folder {target.parent} does not exist")
        target.write_bytes(pack_pdf(quarterly_pack(found)))
        self.stdout.write(f"Wrote the {found.label} pack to {target}")
