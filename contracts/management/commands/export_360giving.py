"""python manage.py export_360giving --year 2010/11 [--partnership SLUG] [--output FILE] [--format json|csv]"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from contracts.giving360 import NothingToPublish, build_package, package_csv, package_json
from core.periods import parse_financial_year
from districts.selectors import partnership_named


class Command(BaseCommand):
    help = (
        "Write one partnership's allocations for the year as a 360Giving data package (JSON) or in the "
        "standard's flat CSV layout. "
        "Warnings (placeholder identifiers, figures that do not reconcile) are printed to stderr."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", required=True, help="Financial year, written like 2010/11.")
        parser.add_argument(
            "--partnership",
            default="",
            help="The partnership's slug, e.g. leicestershire (needed once several partnerships exist).",
        )
        parser.add_argument("--output", help="File to write; standard output when left out.")
        parser.add_argument("--format", choices=["json", "csv"], default="json", help="json (default) or csv.")

    def handle(self, *args, year, partnership, output, format, **options):
        try:
            financial_year = parse_financial_year(year)
        except ValidationError as error:
            raise CommandError(f"--year: {error.messages[0]}") from error
        try:
            county = partnership_named(partnership)
        except ValueError as error:
            raise CommandError(f"--partnership: {error}") from error
        try:
            package = build_package(financial_year=financial_year, partnership=county)
        except NothingToPublish as error:
            raise CommandError(f"--year {year}: {error} A 360Giving package needs at least one grant.") from error

        text = package_json(package) if format == "json" else package_csv(package)
        for warning in package.warnings:
            self.stderr.write(self.style.WARNING(f"warning: {warning}"))
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {len(package.grants)} grants for {year} to {output}")
        else:
            self.stdout.write(text, ending="")
