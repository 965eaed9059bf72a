from django.core.management.base import BaseCommand

from vcsportal.people.roles import roles_sync


class Command(BaseCommand):
    help = (
        "Give each role's group exactly the admin permissions core.roles defines, and put every person in their "
        "role's group. Idempotent: run it after every migrate (make run and deployments do)."
    )

    def handle(self, *args, **options):
        report = roles_sync()
        for line in report.groups_created:
            self.stdout.write(f"group created: {line}")
        for line in report.permissions_added:
            self.stdout.write(f"permission added: {line}")
        for line in report.permissions_removed:
            self.stdout.write(f"permission removed: {line}")
        for name in report.people_changed:
            self.stdout.write(f"person brought into line with their role: {name}")
        self.stdout.write(
            self.style.SUCCESS("Roles in step with core.roles." if report.changed else "Nothing to change.")
        )
