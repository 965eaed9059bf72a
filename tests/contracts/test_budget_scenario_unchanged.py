"""Every rule's 2011/12 allocations, as `budget_scenario` gave them on main (commit 64eed48) before the contract
lineage (issue 16, item 1) was modelled: whatever shape the contracts take, the figures must not move.

The file was written by running the command on that commit for each rule; this test runs it now and compares
the allocations (each organisation's amount and change), the total and the share to hubs and LRCs. Keys added
to the output since (such as the bases of a change) are not compared here."""

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Sum

from contracts.management.commands.budget_scenario import COMMAND_RULES
from contracts.models import Allocation

pytestmark = pytest.mark.django_db

CAPTURED = json.loads((Path(__file__).parent.parent / "data/budget_scenario/2011-12_1254878_main.json").read_text())
COMPARED = ("year", "total", "rule", "allocations", "hubs_and_lrcs_share_pct", "cio_frontline_share_pct")


def run(rule: str) -> dict:
    out = io.StringIO()
    call_command(
        "budget_scenario", "--year", "2011/12", "--total", "1254878", "--rule", rule, "--format", "json", stdout=out
    )
    return json.loads(out.getvalue())


def test_every_command_rule_was_captured():
    assert set(CAPTURED) == {str(rule) for rule in COMMAND_RULES}


@pytest.mark.parametrize("rule", [str(rule) for rule in COMMAND_RULES])
def test_every_rule_s_allocations_are_unchanged(rule):
    now = run(rule)
    assert {key: now[key] for key in COMPARED} == {key: CAPTURED[rule][key] for key in COMPARED}


@pytest.mark.parametrize("rule", [str(rule) for rule in COMMAND_RULES])
def test_last_year_is_2010_11_s_money_across_that_year_s_contracts(rule):
    """'Last year' (each amount less its change) sums to what 2010/11's allocations hold, under whichever
    contracts they were paid: the review's £1,485,000."""
    now = run(rule)
    last_year = sum(Decimal(row["amount"]) - Decimal(row["change"]) for row in now["allocations"])
    allocated_2010 = Allocation.objects.filter(financial_year=2010).aggregate(total=Sum("amount"))["total"]
    assert last_year == allocated_2010 == Decimal("1485000")
