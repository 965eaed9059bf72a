from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from vcsportal.models import User


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "organisation", "funder", "is_active"]
    list_filter = ["role", "organisation__kind", "is_active"]
    search_fields = ["username", "first_name", "last_name", "email", "organisation__code", "funder__code"]
    fieldsets = [*UserAdmin.fieldsets, ("Portal role", {"fields": ["role", "organisation", "funder"]})]
    add_fieldsets = [
        *UserAdmin.add_fieldsets,
        ("Portal role", {"fields": ["role", "organisation", "funder"]}),
    ]
