from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Tells people what needs them: listens to the services' events, records each notification and emails
    it through the task queue. Sits above the domain apps (it reads returns and disputes) and below the site."""

    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from core.events import subscribe
        from core.policies import register
        from notifications import policies
        from notifications.listeners import on_event

        subscribe(on_event)
        register(policies.POLICIES)
