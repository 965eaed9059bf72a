from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "contracts"

    def ready(self):
        from contracts import policies
        from core.policies import register

        register(policies.POLICIES)
