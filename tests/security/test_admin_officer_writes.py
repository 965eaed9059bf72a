"""Every admin the LCC officer may change, walked (generated from the admin registry and the officer's own
permissions, so the next one registered cannot escape): it has search, filters and a history page, and a save
made on its change page keeps the reason and the officer in the object's history."""

import datetime
from decimal import Decimal

import pytest
from django.contrib import admin
from django.urls import reverse

from core.admin import ReasonRequiredMixin
from core.roles import ROLE_MODEL_PERMISSIONS, Role
from vcsportal.models import User

pytestmark = pytest.mark.django_db

REASON = "Walked by the admin test"

#: Admins that save nothing when nothing changed (the target writer compares values): the walk changes this.
CHANGES = {
    "performance.target": lambda obj: {"value": str(obj.value - 1 if obj.value >= 1 else obj.value + 1)},
}


def officer():
    return User.objects.get(username="lcc.officer")


def officer_admins():
    """The registered admins whose model the LCC officer's role may change (from the role's definition in code,
    which ``sync_roles`` grants)."""
    held = ROLE_MODEL_PERMISSIONS[Role.LCC_OFFICER]
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if f"{model._meta.app_label}.change_{model._meta.model_name}" in held
    ]


def _posted(value):
    """A form value as a browser sends it back (None for a box left unticked)."""
    if isinstance(value, bool):
        return "on" if value else None
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    if isinstance(value, datetime.date | Decimal | int):
        return str(value)
    return value


def page_data(response) -> dict:
    """What a browser posts back from an admin change page, unchanged: the form's and every inline's fields."""
    forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets", []):
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    data = {}
    for form in forms:
        for name in form.fields:
            value = _posted(form[name].value())
            if value is not None:
                data[form[name].html_name] = value
    return data


def test_the_walk_covers_the_framework_the_officer_runs():
    labels = {model._meta.label_lower for model, _admin in officer_admins()}
    assert {
        "performance.indicator",
        "performance.target",
        "performance.reportingperiod",
        "contracts.funder",
        "contracts.contribution",
        "contracts.outcome",
        "contracts.organisation",
        "contracts.contract",
        "contracts.contractyear",
    } <= labels


@pytest.mark.parametrize(
    ("model", "model_admin"), officer_admins(), ids=lambda value: getattr(getattr(value, "_meta", None), "label", "")
)
def test_every_admin_the_officer_changes_has_search_filters_and_history(lcc_client, model, model_admin):
    opts = model._meta
    assert officer().has_perm(f"{opts.app_label}.change_{opts.model_name}")
    assert isinstance(model_admin, ReasonRequiredMixin), f"{opts.label}: writes without a reason"
    assert model_admin.search_fields, f"{opts.label}: no search"
    assert model_admin.list_filter, f"{opts.label}: no filters"
    assert hasattr(model, "history"), f"{opts.label}: no history"
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert lcc_client.get(changelist, {"q": "2010"}).status_code == 200
    obj = model._default_manager.order_by("pk").first()
    assert lcc_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])).status_code == (
        200
    )


@pytest.mark.parametrize(
    ("model", "model_admin"), officer_admins(), ids=lambda value: getattr(getattr(value, "_meta", None), "label", "")
)
def test_every_save_by_the_officer_keeps_the_reason_and_the_officer_in_the_history(lcc_client, model, model_admin):
    opts = model._meta
    obj = model._default_manager.order_by("pk").first()
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    page = lcc_client.get(url)
    assert page.status_code == 200
    data = page_data(page)
    data.update(CHANGES.get(opts.label_lower, lambda _obj: {})(obj))
    data.update({"change_reason": REASON, "_save": "Save"})
    before = obj.history.count()
    response = lcc_client.post(url, data)
    assert response.status_code == 302, (
        f"{opts.label}: {response.context['adminform'].form.errors if response.context else response.status_code}"
    )
    written = list(obj.history.order_by("-history_date", "-history_id")[: obj.history.count() - before])
    assert written, f"{opts.label}: a save left no history"
    for record in written:
        assert (record.history_change_reason, record.history_user) == (REASON, officer()), opts.label
    # The history page shows the reason.
    history = lcc_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk]))
    assert REASON in history.content.decode()
