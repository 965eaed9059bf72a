"""The task queue's work: sending one notification's email (django-tasks; the database backend's
``db_worker`` runs it). The task never raises for a mail failure: that is recorded on the notification,
which is queued again later (see ``services.notification_deliver``)."""

from django_tasks import task

from notifications.services import notification_deliver


@task()
def deliver_notification(notification_id: int) -> str:
    notification = notification_deliver(notification_id)
    return notification.status if notification is not None else "missing"
