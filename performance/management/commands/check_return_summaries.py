"""``python manage.py check_return_summaries [--repair]``: are the returns' stored RAG counts right?

The database keeps ``ReturnSummary`` by triggers (migration 0005). This recounts every return's results and
lists any return whose stored counts differ, exiting with status 1; ``--repair`` recounts them all from
the results (in one transaction) and checks again. Run it after restoring a backup made without triggers.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from performance import summaries


class Command(BaseCommand):
    help = "Check (and with --repair, recount) each return's results counted by RAG rating."

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="recount every return's summary from its results")

    def handle(self, *args, repair: bool = False, **options):
        if repair:
            with transaction.atomic(), connection.cursor() as cursor:
                summaries.recount(cursor)
        mismatches = summaries.summary_mismatches()
        for row in mismatches[:20]:
            self.stdout.write(f"return {row['return_id']}: stored {row['stored']}, counted {row['counted']}")
        if mismatches:
            raise CommandError(
                f"{len(mismatches)} returns' stored counts differ from their results: "
                "run check_return_summaries --repair"
            )
        self.stdout.write("Every return's stored RAG counts equal its results.")
