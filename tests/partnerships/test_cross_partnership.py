"""A row's parts belong to its own partnership (issue 15): the database layer refuses a Leicestershire row that
points at another partnership's object, for every such relation of every model, generated from the models'
``partnership_path`` declarations (``core.tenancy.partnership_pairs``), so a relation added tomorrow is walked
too. Each refusal leaves the row as it was. Runs on SQLite and on PostgreSQL like the rest of the suite.
"""

import io
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction

from contracts.models import Allocation, BudgetScenario, Contract, Organisation, SubContract
from core.roles import Role
from core.tenancy import CrossPartnership, partnership_of, partnership_pairs, partnership_path
from disputes.models import Dispute
from districts.models import County, District
from vcsportal.models import User

pytestmark = pytest.mark.django_db

LEICESTERSHIRE = "leicestershire"
OTHER = "synthetic-001"

#: Models of which the synthetic partnership has no row to point at, and why.
NOTHING_TO_POINT_AT = {
    "districts.LocalityAgreement": "the synthetic data makes no locality agreements",
}


@pytest.fixture
def other():
    """A synthetic partnership, and in each partnership a budget scenario and a dispute (which neither loads),
    so the relations to them have something on both sides."""
    call_command("generate_synthetic", councils=1, seed=1, stdout=io.StringIO())
    for slug in (LEICESTERSHIRE, OTHER):
        contract = Contract.objects.filter(county__slug=slug, paid_from_pool_of=None).order_by("pk").first()
        officer = User.objects.filter(partnership__slug=slug, role=Role.LCC_OFFICER).first()
        hub, respondent = Organisation.objects.filter(county__slug=slug).order_by("pk")[:2]
        BudgetScenario.objects.create(
            contract=contract,
            financial_year=2011,
            name="Tenancy walk",
            total=Decimal("1000.00"),
            rule=BudgetScenario.Rule.EQUAL_CUT,
            created_by=officer,
        )
        Dispute.objects.create(
            contract=contract,
            raised_by_organisation=hub,
            respondent=respondent,
            subject="Tenancy walk",
            details="A dispute for the walk.",
            raised_by=officer,
            subcontract=SubContract.objects.filter(contract=contract).order_by("pk").first(),
        )
    return County.objects.get(slug=OTHER)


def relations() -> list:
    return list(_relations())


def _relations():
    for model in apps.get_models():
        for field in partnership_pairs(model):
            yield pytest.param(model, field, id=f"{model._meta.label}.{field.name}")


def test_the_walk_covers_the_relations_that_matter():
    walked = {f"{model._meta.label}.{field.name}" for model in apps.get_models() for field in partnership_pairs(model)}
    assert {
        "performance.Result.district",
        "contracts.Allocation.organisation",
        "contracts.SubContract.provider",
        "contracts.SubContract.districts",
        "contracts.Contribution.funder",
        "disputes.Dispute.result",
        "vcsportal.User.organisation",
    } <= walked


def _foreign(field, home):
    target = field.related_model
    foreign = (
        target._base_manager.exclude(**{partnership_path(target): home.pk})
        .exclude(**{f"{partnership_path(target)}__isnull": True})
        .order_by("pk")
        .first()
    )
    if foreign is None:
        assert target._meta.label in NOTHING_TO_POINT_AT, f"the synthetic partnership has no {target._meta.label}"
        pytest.skip(NOTHING_TO_POINT_AT[target._meta.label])
    return foreign


def _home_object(model, home):
    return model._base_manager.filter(**{partnership_path(model): home.pk}).order_by("pk").first()


@pytest.mark.parametrize(("model", "field"), [param for param in relations() if not param.values[1].many_to_many])
def test_a_new_row_pointing_into_another_partnership_is_refused(model, field, other):
    """Every relation, on a new row whose own partnership is Leicestershire's (through the first step of its
    path): refused before anything is written, whatever else the row lacks."""
    home = County.objects.get(slug=LEICESTERSHIRE)
    head = model._meta.get_field(partnership_path(model).split("__")[0])
    row = model()
    if head.is_relation:
        setattr(row, head.name, _home_object(head.related_model, home))
    else:
        setattr(row, head.attname, home.pk)
    assert partnership_of(row) == home.pk
    setattr(row, field.name, _foreign(field, home))
    count = model._base_manager.count()
    with pytest.raises(CrossPartnership, match="same partnership"), transaction.atomic():
        row.save()
    assert model._base_manager.count() == count


@pytest.mark.parametrize(("model", "field"), relations())
def test_an_existing_row_moved_into_another_partnership_is_refused(model, field, other):
    """Every relation, on a loaded Leicestershire row where the model has one: saved whole, saved by the field
    alone, or added to (many-to-many), refused, and the row is as it was."""
    home = County.objects.get(slug=LEICESTERSHIRE)
    row = _home_object(model, home)
    if row is None:
        pytest.skip(f"no Leicestershire {model._meta.label} is loaded (the new-row walk covers it)")
    foreign = _foreign(field, home)
    before = model._base_manager.filter(pk=row.pk).values().get()

    if field.many_to_many:
        with pytest.raises(CrossPartnership, match="same partnership"), transaction.atomic():
            getattr(row, field.name).add(foreign)
        assert not getattr(row, field.name).filter(pk=foreign.pk).exists()
        return

    setattr(row, field.name, foreign)
    with pytest.raises(CrossPartnership, match="same partnership"), transaction.atomic():
        row.save()
    with pytest.raises(CrossPartnership), transaction.atomic():
        row.save(update_fields=[field.name])
    assert model._base_manager.filter(pk=row.pk).values().get() == before


def test_the_refusal_names_both_parts(other):
    allocation = Allocation.objects.filter(contract__county__slug=LEICESTERSHIRE).first()
    allocation.organisation = Organisation.objects.filter(county=other).first()
    with pytest.raises(CrossPartnership) as refusal, transaction.atomic():
        allocation.save()
    message = str(refusal.value)
    assert "allocation in partnership" in message and "its organisation belongs to partnership" in message


def test_rows_within_one_partnership_and_site_administrators_pass(other):
    """The check refuses only a mix: a row moved within its own partnership saves, and so does a row touched
    by a site administrator, who belongs to none."""
    home = County.objects.get(slug=LEICESTERSHIRE)
    hub = Organisation.objects.filter(county=home, district__isnull=False).first()
    hub.district = District.objects.filter(county=home).exclude(pk=hub.district_id).first()
    hub.save(update_fields=["district"])

    subcontract = SubContract.objects.filter(contract__county=home).first()
    subcontract.districts.add(*District.objects.filter(county=home))

    admin = User.objects.create_superuser("site.admin.tenancy", "admin@example.org", "x" * 20)
    assert partnership_of(admin) is None
    person = User.objects.filter(partnership=home, organisation__isnull=False).first()
    person.save()


def test_another_partnerships_person_may_not_join_a_leicestershire_organisation(other):
    person = User.objects.get(username=f"{OTHER}.hub")
    person.organisation = Organisation.objects.filter(county__slug=LEICESTERSHIRE).first()
    with pytest.raises(CrossPartnership), transaction.atomic():
        person.save()
