from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from vcsportal.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, demo_users_create


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
        self.stdout.write(
            f"lcc.officer also gives a two-factor code: add the key {DEMO_TOTP_SECRET} to an authenticator app "
            "(time-based), or run `python manage.py demo_code` for the code of the moment."
        )
