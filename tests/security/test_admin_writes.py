"""The admin writes through the rules, or not at all (core.admin), walked over every registered admin:

- every admin of the portal's own models either asks for a reason (and keeps it in the history) or is
  read-only for everyone;
- returns and results: no field of either can be changed by anyone, a superuser included (one test per field),
  nor a return or result added, deleted or restored from its history;
- the LCC officer's framework: the admin lists it, adds an indicator and records a contribution with the
  reason in the history; no reason, no change; an edit on a page opened before someone else's change is refused.
"""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.urls import reverse

from contracts.models import Contract, Contribution, Funder
from core.admin import ReadOnlyMixin, ReasonRequiredMixin
from core.services import save_with_history
from performance.models import Indicator, Result, Return
from tests.signin import signed_in
from vcsportal.models import User

pytestmark = pytest.mark.django_db

OWN_APPS = {"core", "districts", "contracts", "performance", "disputes", "vcsportal"}


def own_admins():
    return [
        (model, model_admin) for model, model_admin in admin.site._registry.items() if model._meta.app_label in OWN_APPS
    ]


def editable_fields(model):
    return [f for f in model._meta.concrete_fields if f.editable and not f.primary_key]


@pytest.fixture
def superuser_client():
    return signed_in(User.objects.create_superuser("admin.tester", "admin@example.org", "not-used-here"))


def test_every_admin_of_our_models_asks_a_reason_or_writes_nothing():
    wrong = [
        f"{model._meta.label}: {type(model_admin).__name__}"
        for model, model_admin in own_admins()
        if not isinstance(model_admin, ReasonRequiredMixin | ReadOnlyMixin)
    ]
    assert not wrong, "admins that write around the rules:\n" + "\n".join(wrong)


@pytest.mark.parametrize(
    "model", [m for m, a in admin.site._registry.items() if isinstance(a, ReasonRequiredMixin)], ids=str
)
def test_every_writing_admin_form_requires_a_reason(superuser_client, unchanged, model):
    opts = model._meta
    obj = model._default_manager.order_by("pk").first()
    pages = [reverse(f"admin:{opts.app_label}_{opts.model_name}_add")]
    if obj is not None:
        pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
    for url in pages:
        page = superuser_client.get(url)
        if page.status_code == 403:  # adding is refused for this model (people are invited)
            continue
        html = page.content.decode()
        assert 'name="change_reason"' in html and "Reason for this change" in html, url
        with unchanged():
            refused = superuser_client.post(url, {})
            assert refused.status_code == 200, url
            assert "Enter the reason for this change" in refused.content.decode(), url


@pytest.mark.parametrize("model", [Return, Result], ids=["return", "result"])
def test_returns_and_results_cannot_be_added_deleted_or_restored_by_anyone(
    superuser_client, lcc_client, unchanged, model
):
    opts = model._meta
    obj = model._default_manager.order_by("pk").first()
    history = obj.history.order_by("history_id").first()
    with unchanged():
        for client in (superuser_client, lcc_client):
            assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 403
            assert client.post(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"), {}).status_code == 403
            delete = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])
            assert client.post(delete, {"post": "yes"}).status_code == 403
            revert = reverse(f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[obj.pk, history.pk])
            assert client.post(revert, {field.name: "" for field in editable_fields(model)}).status_code == 403
            changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
            actions = client.post(
                changelist, {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}
            )
            assert actions.status_code in (200, 302)


def _value_for(field, current):
    """A different, valid-looking value for the field."""
    if field.choices:
        return next(value for value, _ in field.choices if value != current)
    internal = field.get_internal_type()
    if internal in ("BooleanField",):
        return "on" if not current else ""
    if internal in ("PositiveIntegerField", "IntegerField", "PositiveSmallIntegerField", "DecimalField"):
        return str((current or 0) + 7)
    if internal == "DateTimeField":
        return "2011-04-01 09:00:00"
    if internal == "ForeignKey":
        other = field.related_model._default_manager.exclude(pk=current).order_by("pk").first()
        return str(other.pk) if other else ""
    return "Changed in the admin"


@pytest.mark.parametrize(
    ("model", "field_name"),
    [(model, field.name) for model in (Return, Result) for field in editable_fields(model)],
    ids=lambda value: value if isinstance(value, str) else value._meta.model_name,
)
def test_no_field_of_a_return_or_result_changes_through_the_admin(
    superuser_client, lcc_client, unchanged, model, field_name
):
    """One field at a time: the change page shows it as text (no input), and a POST changing it is refused."""
    opts = model._meta
    obj = model._default_manager.filter(**({"status": "signed_off"} if model is Return else {"rag": "green"})).first()
    field = opts.get_field(field_name)
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    for client in (superuser_client, lcc_client):
        page = client.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        assert f'name="{field.name}"' not in html and f'name="{field.attname}"' not in html
        assert 'name="_save"' not in html  # a view-only page: nothing to save
        with unchanged():
            response = client.post(
                url, {field.attname: _value_for(field, getattr(obj, field.attname)), "_save": "Save"}
            )
            assert response.status_code == 403


def test_the_lcc_officer_admin_lists_the_framework(lcc_client):
    index = lcc_client.get(reverse("admin:index")).content.decode()
    for app_label, model_name in [
        ("performance", "indicator"),
        ("performance", "target"),
        ("performance", "reportingperiod"),
        ("contracts", "funder"),
        ("contracts", "contribution"),
        ("contracts", "outcome"),
        ("contracts", "organisation"),
        ("contracts", "contract"),
        ("contracts", "contractyear"),
    ]:
        changelist = reverse(f"admin:{app_label}_{model_name}_changelist")
        assert f'href="{changelist}"' in index, model_name
        assert lcc_client.get(changelist).status_code == 200, model_name
        assert lcc_client.get(reverse(f"admin:{app_label}_{model_name}_add")).status_code == 200, model_name
    # Nothing about people or their devices: those are the People pages'.
    assert "/admin/vcsportal/user/" not in index and "otp_totp" not in index


def test_the_lcc_officer_adds_an_indicator_with_the_reason_in_its_history(lcc_client):
    response = lcc_client.post(
        reverse("admin:performance_indicator_add"),
        {
            "code": "LOC-6",
            "number": "6",
            "short_name": "befriending schemes supported",
            "wording": "Number of befriending schemes given one-to-one support",
            "strand": "volunteering",
            "kind": "Q",
            "unit": "count",
            "higher_is_better": "on",
            "under_provider_control": "on",
            "tolerance_pct": "10",
            "for_hub": "on",
            "note": "",
            "change_reason": "Agreed at the March 2011 review meeting",
            "_save": "Save",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    indicator = Indicator.objects.get(code="LOC-6")
    entry = indicator.history.get()
    assert (entry.history_change_reason, entry.history_user.username) == (
        "Agreed at the March 2011 review meeting",
        "lcc.officer",
    )


def test_the_lcc_officer_records_a_contribution_with_the_reason_in_its_history(lcc_client):
    contract = Contract.objects.get(reference="LCC-CIO-2009")
    response = lcc_client.post(
        reverse("admin:contracts_contribution_add"),
        {
            "contract": contract.pk,
            "funder": Funder.objects.get(code="PCT").pk,
            "financial_year": "2011",
            "description": "PCT contribution (estimate)",
            "amount": "180000.00",
            "change_reason": "PCT letter of 14 February 2011",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    contribution = Contribution.objects.get(financial_year=2011, funder__code="PCT")
    assert contribution.amount == Decimal("180000.00")
    entry = contribution.history.get()
    assert (
        entry.history_change_reason == "PCT letter of 14 February 2011" and entry.history_user.username == "lcc.officer"
    )


def test_an_admin_edit_on_a_stale_page_is_refused(lcc_client, unchanged):
    funder = Funder.objects.get(code="PCT")
    url = reverse("admin:contracts_funder_change", args=[funder.pk])
    page = lcc_client.get(url)
    seen = page.context["adminform"].form["seen_fingerprint"].value()
    funder.org_id = "GB-NHS-5PC"
    save_with_history(funder, user=None, reason="Someone else, meanwhile")
    data = {
        "code": "PCT",
        "name": "Renamed by a stale page",
        "kind": funder.kind,
        "org_id": "",
        "change_reason": "Tidying names",
        "seen_fingerprint": seen,
        "_save": "Save",
    }
    with unchanged():
        response = lcc_client.post(url, data)
        assert response.status_code == 200
        assert "Someone else changed this since you opened it" in response.content.decode()
    fresh = lcc_client.get(url).context["adminform"].form["seen_fingerprint"].value()
    assert lcc_client.post(url, {**data, "seen_fingerprint": fresh}).status_code == 302
    assert Funder.objects.get(pk=funder.pk).history.first().history_change_reason == "Tidying names"


def test_a_period_is_opened_and_locked_only_through_its_services(lcc_client):
    from performance.models import ReportingPeriod

    response = lcc_client.post(
        reverse("admin:performance_reportingperiod_add"),
        {
            "financial_year": "2011",
            "quarter": "1",
            "opens_on": "2011-04-01",
            "due_on": "2011-07-15",
            "change_reason": "The 2011/12 timetable",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    period = ReportingPeriod.objects.get(financial_year=2011, quarter=1)
    assert period.status == ReportingPeriod.Status.PLANNED and not period.returns.exists()
    # The status is not a field of the form: it moves only through the actions below.
    page = lcc_client.get(reverse("admin:performance_reportingperiod_change", args=[period.pk])).content.decode()
    assert 'name="status"' not in page and 'name="due_on"' in page
    changelist = reverse("admin:performance_reportingperiod_changelist")
    lcc_client.post(changelist, {"action": "open_periods", "_selected_action": [period.pk]})
    period.refresh_from_db()
    assert period.status == ReportingPeriod.Status.OPEN and period.returns.count() > 0
    lcc_client.post(changelist, {"action": "lock_periods", "_selected_action": [period.pk]})
    period.refresh_from_db()
    assert period.status == ReportingPeriod.Status.LOCKED
