from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The ground floor: roles, periods, base forms, tables and views, the policy base, service helpers.
    It imports no other app of the project."""

    name = "core"
    verbose_name = "Core"

    def ready(self):
        from core import converters

        converters.register()

        from core import tenancy

        tenancy.connect()
