"""Admin pieces every app shares."""

from django.contrib import admin


class RecordOnlyAdmin(admin.ModelAdmin):
    """Recorded events are written by the services (with their history); the admin only shows them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
