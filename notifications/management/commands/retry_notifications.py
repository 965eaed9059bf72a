"""The safety net beside the worker: send every failed email whose retry is due, and any queued one whose
task was lost. The worker retries by itself; run this from cron if the worker may have been down."""

from django.core.management.base import BaseCommand

from notifications.models import Notification
from notifications.services import notifications_retry_due


class Command(BaseCommand):
    help = "Send now the failed emails whose retry is due and queued ones never tried; one line per email."

    def handle(self, *args, **options):
        for notification in notifications_retry_due():
            if notification.status == Notification.Status.SENT:
                self.stdout.write(f"{notification.address}: {notification.subject}")
            else:
                self.stderr.write(
                    f"{notification.address}: {notification.subject} ({notification.get_status_display().lower()}:"
                    f" {notification.last_error or notification.not_emailed_because})"
                )
