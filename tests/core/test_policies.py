"""Every permission policy answers its two questions from one declaration, so they can never disagree: for
every policy of every app, every action, every demo user and every object, ``user_can(user, action, obj)`` is
true exactly when ``obj`` is among ``instances_for(user, action)``. The policies are found from the apps'
``policies`` modules, so a new policy or action is walked without being listed here."""

import importlib

import pytest
from django.apps import apps
from django.db.models import Q

from core.policies import EVERY, NOTHING, Policy, matches, prefixed
from tests.factories import BudgetLineFactory, DisputeFactory, ScenarioFactory, demo_user
from tests.test_layers import LAYERS
from vcsportal.demo import DEMO_USERS
from vcsportal.models import User

pytestmark = pytest.mark.django_db

#: At most this many objects of a model are tried (the Leicestershire data has a few thousand results).
SAMPLE = 400


def _policies() -> list[Policy]:
    found = []
    for app in LAYERS:
        if not apps.is_installed(app):
            continue
        try:
            module = importlib.import_module(f"{app}.policies")
        except ModuleNotFoundError:
            continue
        found.extend(getattr(module, "POLICIES", ()))
    return found


POLICIES = _policies()


def test_every_app_with_models_declares_its_policies():
    covered = {policy.model for policy in POLICIES}
    for name in ("Return", "Result", "ReportingPeriod", "Indicator"):
        assert apps.get_model("performance", name) in covered
    for name in ("Contract", "SubContract", "Allocation", "Contribution", "BudgetScenario", "Funder", "Organisation"):
        assert apps.get_model("contracts", name) in covered
    assert apps.get_model("districts", "District") in covered
    assert apps.get_model("disputes", "Dispute") in covered


@pytest.fixture
def some_of_everything():
    """A budget line, a scenario, disputes (VASL's about its sub-contract, the CIO's about VAC's rating) and
    evidence, which the shipped data does not hold."""
    from performance.models import Result

    BudgetLineFactory()
    ScenarioFactory()
    DisputeFactory()
    challenged = Result.objects.filter(return_obj__provider__code="VAC", return_obj__status="signed_off").first()
    DisputeFactory(user=demo_user("val.staff"), subcontract=None, result=challenged)
    # Evidence on the challenged rating's return (the peer member reads it) and on VASL's draft (it does not).
    from django.core.files.uploadedfile import SimpleUploadedFile

    from performance.models import Return
    from performance.services import evidence_add

    vasl_draft = Return.objects.filter(provider__code="VASL", status="draft").first()
    for return_obj, result in ((challenged.return_obj, challenged), (vasl_draft, None)):
        evidence_add(
            return_obj=return_obj,
            user=demo_user("lcc.officer"),
            title="Evidence",
            upload=SimpleUploadedFile("e.pdf", b"%PDF-1.4\n%%EOF\n"),
            result=result,
        )


@pytest.mark.parametrize("policy", POLICIES, ids=lambda policy: type(policy).__name__)
def test_user_can_agrees_with_instances_for(policy, some_of_everything):
    users = [User.objects.select_related("organisation").get(username=user[0]) for user in DEMO_USERS]
    objects = list(policy.model._default_manager.select_related().order_by("pk")[:SAMPLE])
    assert objects, f"no {policy.model.__name__} to try"
    for action in policy.actions():
        for user in users:
            allowed = set(
                policy.instances_for(user, action).filter(pk__in=[o.pk for o in objects]).values_list("pk", flat=True)
            )
            for obj in objects:
                assert policy.user_can(user, action, obj) == (obj.pk in allowed), (
                    f"{type(policy).__name__}.{action} for {user.username} on {policy.model.__name__} {obj.pk}"
                )
            # "At all" is true exactly when the action exists for the user (a rule, even an empty one).
            assert policy.user_can(user, action) == (policy.rule(user, action) is not None)


@pytest.mark.parametrize("policy", POLICIES, ids=lambda policy: type(policy).__name__)
def test_anonymous_visitors_may_do_nothing(policy):
    from django.contrib.auth.models import AnonymousUser

    for action in policy.actions():
        assert not policy.user_can(AnonymousUser(), action)
        assert not policy.instances_for(AnonymousUser(), action).exists()


@pytest.mark.parametrize("policy", POLICIES, ids=lambda policy: type(policy).__name__)
def test_every_named_permission_asks_its_policy(policy, some_of_everything):
    """``user.has_perm(name, obj)`` (templates, views, the state machines) is the policy's answer."""
    users = [User.objects.get(username=user[0]) for user in DEMO_USERS]
    obj = policy.model._default_manager.order_by("pk").first()
    for name, action in policy.permissions.items():
        for user in users:
            assert user.has_perm(name) == policy.user_can(user, action), (name, user.username)
            assert user.has_perm(name, obj) == policy.user_can(user, action, obj), (name, user.username)


def test_matches_reads_the_filter_as_the_database_does():
    from performance.models import Return

    returns = list(Return.objects.select_related("provider", "period"))
    filters = [
        EVERY,
        NOTHING,
        Q(status__in=Return.OPEN_TO_PROVIDER),
        ~Q(status__in=Return.OPEN_TO_PROVIDER) & Q(provider__kind="hub"),
        Q(provider__code="VASL") | Q(period__quarter__gte=3),
        Q(submitted_at__isnull=True),
    ]
    for q in filters:
        chosen = set(Return.objects.filter(q).values_list("pk", flat=True))
        assert {r.pk for r in returns if matches(r, q)} == chosen, q


def test_a_rule_seen_from_a_related_model():
    from performance.models import Result, Return

    q = Q(provider__code="VASL") & ~Q(status=Return.Status.DRAFT)
    results = Result.objects.filter(prefixed(q, "return_obj__"))
    assert results.exists()
    assert set(results.values_list("return_obj", flat=True)) == set(
        Return.objects.filter(q).values_list("pk", flat=True)
    )


def test_a_rule_that_cannot_be_read_in_memory_is_refused():
    from django.db.models import F

    from performance.models import Return

    with pytest.raises(TypeError):
        matches(Return.objects.first(), Q(version=F("version")))
