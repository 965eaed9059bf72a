"""Test data made the way the portal makes it: each factory calls the service that owns the change (so a
factory-made object has the history, checks and events of a real one), with sensible Leicestershire defaults
that a test overrides where it matters."""

from decimal import Decimal

import factory

from contracts.models import BudgetLine, BudgetScenario, Contract, SubContract
from contracts.services import budget_line_create, scenario_create
from disputes.models import Dispute
from disputes.services import dispute_raise
from vcsportal.models import User


def demo_user(username: str) -> User:
    return User.objects.get(username=username)


#: The service that makes each model's objects.
SERVICES = {BudgetLine: budget_line_create, BudgetScenario: scenario_create, Dispute: dispute_raise}


class ServiceFactory(factory.Factory):
    """Builds its keyword arguments with factory_boy, then hands them to the model's service."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return SERVICES[model_class](*args, **kwargs)


class BudgetLineFactory(ServiceFactory):
    class Meta:
        model = BudgetLine

    contract = factory.LazyFunction(lambda: Contract.objects.get(provider__code="VAL"))
    financial_year = 2010
    category = BudgetLine.Category.CENTRAL
    district = None
    amount = Decimal("1000.00")
    note = factory.Sequence(lambda n: f"Central cost {n}")
    user = factory.LazyFunction(lambda: demo_user("lcc.officer"))


class ScenarioFactory(ServiceFactory):
    class Meta:
        model = BudgetScenario

    contract = factory.LazyFunction(lambda: Contract.objects.get(provider__code="VAL"))
    financial_year = 2011
    name = factory.Sequence(lambda n: f"Scenario {n}")
    total = Decimal("1254878.00")
    rule = BudgetScenario.Rule.EQUAL_CUT
    user = factory.LazyFunction(lambda: demo_user("lcc.officer"))


class DisputeFactory(ServiceFactory):
    """A dispute VASL raises about its own sub-contract (pass ``user`` and ``subcontract`` or ``result``)."""

    class Meta:
        model = Dispute

    user = factory.LazyFunction(lambda: demo_user("vasl.hub"))
    subject = factory.Sequence(lambda n: f"Disagreement {n}")
    details = "What the disagreement is about."
    subcontract = factory.LazyFunction(lambda: SubContract.objects.get(provider__code="VASL"))
