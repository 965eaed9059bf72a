from django.core.management.base import BaseCommand, CommandError

from districts.models import County
from vcsportal.partnership_setup.export import partnership_workbook


class Command(BaseCommand):
    help = (
        "Write a partnership's set-up as the workbook partnership_setup reads (or, with --template, the blank "
        "template with its Instructions sheet)."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", help="the .xlsx file to write")
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--partnership", help="the partnership's slug, e.g. leicestershire")
        group.add_argument("--template", action="store_true", help="the blank template")

    def handle(self, *args, output, partnership, template, **options):
        county = None
        if partnership:
            county = County.objects.filter(slug=partnership).first()
            if county is None:
                raise CommandError(f"There is no partnership “{partnership}”.")
        partnership_workbook(county).save(output)
        self.stdout.write(self.style.SUCCESS(f"Wrote {output}."))
