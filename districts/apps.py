from django.apps import AppConfig


class DistrictsConfig(AppConfig):
    name = "districts"

    def ready(self):
        from core.policies import register
        from districts import policies

        register(policies.POLICIES)
