from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from vcsportal.demo import DEMO_PASSWORD, demo_users_create


class Command(BaseCommand):
    help = "Create one demo user per role (development only). Load the Leicestershire data first."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEMO_PASSWORD)

    def handle(self, *args, password, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo users are never created in production (DJANGO_ENV=production).")
        for user in demo_users_create(password=password):
            where = user.organisation.code if user.organisation else (user.funder.code if user.funder else "-")
            self.stdout.write(f"{user.username:18} {user.role_label:22} {where}")
        self.stdout.write(self.style.SUCCESS(f"Demo users ready; password: {password}"))
