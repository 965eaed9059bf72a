import base64
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP

from vcsportal.demo import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = (
        "Print the current two-factor code of the demo users' authenticator (development only): what an "
        "authenticator app holding the documented demo key would show now."
    )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("There are no demo users in production (DJANGO_ENV=production).")
        totp = TOTP(base64.b32decode(DEMO_TOTP_SECRET))
        left = 30 - int(time.time()) % 30
        self.stdout.write(f"{totp.token():06d}  (for lcc.officer; changes in {left} s)")
