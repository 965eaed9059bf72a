from django.core.management.base import BaseCommand, CommandError

from vcsportal.partnership_setup.services import partnership_setup


class Command(BaseCommand):
    help = (
        "Set up (or bring up to date) a partnership from its workbook, all or nothing; idempotent. "
        "With --dry-run, check it and say what would be created without writing anything."
    )

    def add_arguments(self, parser):
        parser.add_argument("workbook", help="the set-up workbook (.xlsx); partnership_workbook --template FILE")
        parser.add_argument("--dry-run", action="store_true", help="check and report; write nothing")

    def handle(self, *args, workbook, dry_run, **options):
        try:
            with open(workbook, "rb") as file:
                report = partnership_setup(file=file, dry_run=dry_run)
        except OSError as error:
            raise CommandError(f"Cannot read {workbook}: {error.strerror}") from None
        if report.problems:
            for problem in report.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(report.problems)} problem(s) in {workbook}: nothing was changed.")
        would = "would be " if dry_run else ""
        for line in report.tables():
            self.stdout.write(
                f"{line['table']}: {line['created']} {would}created, {line['updated']} {would}updated, "
                f"{line['unchanged']} unchanged"
            )
        if dry_run:
            self.stdout.write(self.style.SUCCESS(f"Dry run of {report.partnership}: no problems, nothing written."))
        elif not report.changed:
            self.stdout.write(f"Partnership {report.partnership} already up to date: nothing changed.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Partnership {report.partnership} set up."))
