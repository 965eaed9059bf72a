from django.apps import AppConfig


class DisputesConfig(AppConfig):
    """Disagreements between the CIO and a hub or LRC, heard by the Peer Review Body (Recommendation 8)."""

    name = "disputes"
    verbose_name = "Disputes"

    def ready(self):
        from core.policies import register
        from disputes import policies

        register(policies.POLICIES)
