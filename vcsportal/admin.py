"""People in the admin, for site administrators: names, email and the site administrator flag change here with a
reason (recorded on the person's page); what a person may do (role, organisation or funder, active or not,
groups) changes only on the People pages, through the services that end sessions and keep groups in step.
Nobody is added here: they are invited. Two-factor devices are each person's own (their two-factor pages), or
reset by an officer on the People pages, so the admin does not show their secrets."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.admin import REASON_FIELD, ReasonRequiredMixin
from vcsportal.models import PersonChange, User

for device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(device_model):
        admin.site.unregister(device_model)

#: Changed on the People pages only.
ACCESS_FIELDS = ["partnership", "role", "organisation", "funder", "is_active", "is_staff", "groups", "user_permissions"]


@admin.register(User)
class PortalUserAdmin(ReasonRequiredMixin, UserAdmin):
    list_display = ["username", "first_name", "last_name", "partnership", "role", "organisation", "funder", "is_active"]
    list_filter = ["partnership", "role", "organisation__kind", "is_active"]
    search_fields = ["username", "first_name", "last_name", "email", "organisation__code", "funder__code"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("Personal info", {"fields": ["first_name", "last_name", "email"]}),
        ("Site administrator", {"fields": ["is_superuser"]}),
        (
            "Portal role (change it on the People pages)",
            {"fields": ["partnership", "role", "organisation", "funder", "is_active"]},
        ),
        ("Admin access (follows the role)", {"fields": ["is_staff", "groups", "user_permissions"]}),
        ("Important dates", {"fields": ["last_login", "date_joined"]}),
    ]
    readonly_fields = [*ACCESS_FIELDS, "last_login", "date_joined"]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        before = {name: form.initial.get(name) for name in form.changed_data}
        super().save_model(request, obj, form, change)
        if form.changed_data:
            PersonChange.objects.create(
                person=obj,
                kind=PersonChange.Kind.DETAILS,
                before="; ".join(f"{name}: {before[name]}" for name in form.changed_data)[:300],
                after="; ".join(f"{name}: {getattr(obj, name)}" for name in form.changed_data)[:300],
                reason=form.cleaned_data[REASON_FIELD],
                changed_by=request.user,
            )
