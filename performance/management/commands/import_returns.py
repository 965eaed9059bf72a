"""``python manage.py import_returns FILE.csv [--dry-run] [--submit]``: import results from a CSV file."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from performance.imports import HEADER, returns_import


class Command(BaseCommand):
    help = (
        "Import results from a CSV file with the header " + ",".join(HEADER) + ". One file is one transaction: "
        "any bad line saves nothing and exits with status 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV file (UTF-8)")
        parser.add_argument("--dry-run", action="store_true", help="Check and count, but save nothing")
        parser.add_argument(
            "--submit", action="store_true", help="Then submit each return the file touched (all must be complete)"
        )

    def handle(self, *args, file, dry_run, submit, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        report = returns_import(data=data, dry_run=dry_run, submit=submit)
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(str(problem))
            if report.problems.more:
                self.stderr.write(f"... and {report.problems.more} more (the first {report.problems.shown} are listed)")
            self.stderr.write(f"{file}: {len(report.problems)} problem(s); nothing was saved.")
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS(f"{file}: {report.summary()}"))
