"""python manage.py restore FILE [--clean]: restore a backup made by ``backup`` into a fresh, empty database
(pg_restore on PostgreSQL, the backup API on SQLite); then run check_return_summaries. See vcsportal/backups.py."""

from django.core.management.base import BaseCommand, CommandError

from vcsportal.backups import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup made by `backup` into a fresh, empty database."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup file.")
        parser.add_argument("--clean", action="store_true", help="Replace what the database holds already.")
        parser.add_argument("--database", default="default", help="The database alias (default: default).")

    def handle(self, *args, file, clean, database, **options):
        try:
            restore(file, alias=database, clean=clean)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored from {file}. Check it: python manage.py check_return_summaries")
