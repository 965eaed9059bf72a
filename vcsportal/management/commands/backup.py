"""python manage.py backup --output FILE: a consistent backup of the whole database while the portal runs
(pg_dump's custom format on PostgreSQL, SQLite's online backup API on SQLite). See vcsportal/backups.py."""

from django.core.management.base import BaseCommand, CommandError

from vcsportal.backups import BackupError, backup


class Command(BaseCommand):
    help = "Back up the whole database to a new file (pg_dump on PostgreSQL, the backup API on SQLite)."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="The new file to write (never overwritten).")
        parser.add_argument("--database", default="default", help="The database alias (default: default).")

    def handle(self, *args, output, database, **options):
        try:
            written = backup(output, alias=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backed up to {written}")
