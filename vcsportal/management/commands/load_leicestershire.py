from django.core.management.base import BaseCommand

from vcsportal.leicestershire import load_leicestershire


class Command(BaseCommand):
    help = "Load the Leicestershire 2010/11 data from the 2011 review (idempotent: safe to run again)."

    def handle(self, *args, **options):
        report = load_leicestershire()
        if not report.changed:
            self.stdout.write("Leicestershire data already up to date: nothing changed.")
            return
        for name, count in sorted(report.created.items()):
            self.stdout.write(f"created {count} {name}")
        for name, count in sorted(report.updated.items()):
            self.stdout.write(f"updated {count} {name}")
        self.stdout.write(self.style.SUCCESS("Leicestershire data loaded."))
