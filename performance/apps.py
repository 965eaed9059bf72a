from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "performance"

    def ready(self):
        from core.policies import register
        from performance import policies

        register(policies.POLICIES)
