"""How the admin writes: through the same rules as every other write, or not at all.

- ``ReasonRequiredAdmin``: every add and change asks "Reason for this change" (required) and records it with the
  person in the model's history (django-simple-history), in the admin's transaction; an edit made on a page
  opened before someone else's change is refused (the form carries what the page showed, as a fingerprint of
  the row, in lieu of a version number; where the model has a ``version``, the save moves it on so the
  portal's own forms see the change too). Nothing is deleted through the admin: history stays whole.
- ``ReadOnlyAdmin``: shown, never written by anyone, superusers included: the data changes only through its
  workflow and the portal's pages (returns and results, sub-contracts and their money, recorded events).

Neither reverts an object to an old version from its history page (django-simple-history's revert form saves
around every check): the page shows the old version, and a POST to it is refused.
"""

import hashlib
import json

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from core.policies import in_partnership_of
from core.services import REASON_LENGTH, STALE_MESSAGE, save_new_version, save_with_history

REASON_FIELD = "change_reason"
SEEN_FIELD = "seen_fingerprint"


def row_fingerprint(model, pk) -> str:
    """A digest of the row as stored now (every concrete field): equal digests, unchanged row."""
    names = [field.attname for field in model._meta.concrete_fields]
    row = model._default_manager.filter(pk=pk).values(*names).first()
    return hashlib.sha256(json.dumps(row, default=str, sort_keys=True).encode()).hexdigest()


class ReasonFormMixin(forms.Form):
    """Added to an admin's model form: the reason (required) and what the page showed (hidden)."""

    change_reason = forms.CharField(
        label="Reason for this change",
        max_length=REASON_LENGTH,
        help_text="Kept in the history with your name: who asked for the change, or why it was needed.",
        error_messages={"required": "Enter the reason for this change."},
    )
    seen_fingerprint = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            self.fields[SEEN_FIELD].initial = row_fingerprint(type(self.instance), self.instance.pk)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None:
            seen = cleaned.get(SEEN_FIELD) or ""
            if seen != row_fingerprint(type(self.instance), self.instance.pk):
                raise ValidationError(STALE_MESSAGE, code="stale")
        return cleaned


class NoRevertMixin:
    """The history page shows an old version; it never saves one back."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied("Old versions are shown, never restored: make the change on the object's page.")
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)

    def revert_disabled(self, request, obj=None):
        return True


class ReasonRequiredMixin:
    """Every write asks for a reason (and keeps it in the history where the model has one); stale edits are
    refused; no deletes. For a ModelAdmin of a model without django-simple-history (people), mix it in."""

    def _writes(self, request, obj) -> bool:
        return self.has_change_permission(request, obj) if obj is not None else self.has_add_permission(request)

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = kwargs.pop("form", None)
        if base is None:
            base = getattr(self, "add_form", self.form) if obj is None else self.form
        if self._writes(request, obj):
            base = type(base.__name__, (ReasonFormMixin, base), {})
        kwargs["form"] = base
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        extra = (REASON_FIELD, SEEN_FIELD)
        fieldsets = [
            (name, {**options, "fields": [field for field in options["fields"] if field not in extra]})
            for name, options in fieldsets
        ]
        if self._writes(request, obj):
            fieldsets.append(("Why", {"fields": list(extra)}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if "version" in {f.name for f in self.model._meta.fields}:
            fields.append("version")
        return fields

    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data[REASON_FIELD]
        if hasattr(obj, "version") and change:
            save_new_version(obj, user=request.user, reason=reason)
        else:
            save_with_history(obj, user=request.user, reason=reason)

    def save_formset(self, request, form, formset, change):
        reason = form.cleaned_data[REASON_FIELD]
        for obj in formset.save(commit=False):
            save_with_history(obj, user=request.user, reason=reason)
        formset.save_m2m()

    def has_delete_permission(self, request, obj=None):
        return False


class ReasonRequiredAdmin(ReasonRequiredMixin, NoRevertMixin, SimpleHistoryAdmin):
    """The admin of a model with history: every write with a reason kept in it."""


class ReadOnlyMixin:
    """Shown to those who may view it; added, changed or deleted by nobody (superusers included)."""

    # Web addresses typed without a scheme are read as https (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """A read-only admin for a model without history (recorded events)."""


class ReadOnlyHistoryAdmin(ReadOnlyMixin, NoRevertMixin, SimpleHistoryAdmin):
    """A read-only admin for a model with history: its history is shown, never restored."""


class ReadOnlyInline(ReadOnlyMixin):
    """An inline that only shows its rows."""

    can_delete = False
    extra = 0


class _ChangeListRefusingHugeDates(ChangeList):
    """Django's change list reads a date hierarchy's ``?<field>__year=`` with ``int()`` and builds a date from
    it, catching ValueError but not the OverflowError of a year beyond 64 bits: that is a bad lookup too."""

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error


def refuse_huge_dates_in_date_hierarchies(site: admin.AdminSite) -> None:
    """Every registered admin with a date hierarchy (ours or a library's, such as django-axes') answers a
    hostile year as a bad lookup (the admin's "?e=1" page), never a server error."""
    for model_admin in site._registry.values():
        if model_admin.date_hierarchy:
            model_admin.get_changelist = lambda request, **kwargs: _ChangeListRefusingHugeDates


def seal_partnerships(site: admin.AdminSite) -> None:
    """Every registered admin of a model that belongs to a partnership (``partnership_path``) lists, opens and
    offers in its foreign-key selects only the user's own partnership's rows (a site administrator's: every
    one), ours or a later one's alike: another partnership's ids are a 404."""
    for model, model_admin in site._registry.items():
        path = getattr(model, "partnership_path", None)
        if path:
            model_admin.get_queryset = _sealed_queryset(model_admin.get_queryset, path)
            if hasattr(model_admin, "history_view"):
                model_admin.history_view = _sealed_history(model_admin, model_admin.history_view)
        model_admin.formfield_for_foreignkey = _sealed_choices(model_admin.formfield_for_foreignkey)
        model_admin.list_filter = [_sealed_filter(model, entry) for entry in model_admin.list_filter]


def _sealed_filter(model, entry):
    """A filter by a related object of a partnership offers only those the change list's rows point at."""
    if isinstance(entry, str) and "__" not in entry:
        field = model._meta.get_field(entry)
        if field.is_relation and getattr(field.related_model, "partnership_path", None):
            return (entry, admin.RelatedOnlyFieldListFilter)
    return entry


def _sealed_queryset(get_queryset, path: str):
    def get_sealed_queryset(request):
        return get_queryset(request).filter(in_partnership_of(request.user, path))

    return get_sealed_queryset


def _sealed_history(model_admin, history_view):
    """simple-history shows a deleted object's history when the object is not found: a row of another
    partnership is not found either, so its history is a 404 too (and a deleted row's, but to a site
    administrator)."""

    def sealed_history_view(request, object_id, extra_context=None):
        if not request.user.is_superuser and model_admin.get_object(request, object_id) is None:
            raise Http404("No such object")
        return history_view(request, object_id, extra_context=extra_context)

    return sealed_history_view


def _sealed_choices(formfield_for_foreignkey):
    def sealed_formfield_for_foreignkey(db_field, request, **kwargs):
        field = formfield_for_foreignkey(db_field, request, **kwargs)
        path = getattr(db_field.related_model, "partnership_path", None)
        if path and field is not None and getattr(field, "queryset", None) is not None:
            field.queryset = field.queryset.filter(in_partnership_of(request.user, path))
        return field

    return sealed_formfield_for_foreignkey
