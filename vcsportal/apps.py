from django.apps import AppConfig


class VcsportalConfig(AppConfig):
    name = "vcsportal"
    verbose_name = "Portal users and roles"
