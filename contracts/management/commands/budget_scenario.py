"""Print a budget scenario for a financial year: the same calculation as the scenario pages.

python manage.py budget_scenario --year 2011/12 --total 1254878 --rule population [--format json|csv]
"""

import io
import json
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from contracts.models import BudgetScenario, Contract
from contracts.scenarios import ScenarioFigures, scenario_calculate
from core.exports import csv_writer
from core.periods import parse_financial_year

COMMAND_RULES = [
    BudgetScenario.Rule.EQUAL_CUT,
    BudgetScenario.Rule.CIO_ABSORBS,
    BudgetScenario.Rule.HUBS_ABSORB,
    BudgetScenario.Rule.POPULATION,
]


class Command(BaseCommand):
    help = "Share a year's total between the CIO, hubs and LRCs by a rule; the allocations sum exactly to the total."

    def add_arguments(self, parser):
        parser.add_argument("--year", required=True, help="Financial year, e.g. 2011/12")
        parser.add_argument("--total", required=True, help="Money available in pounds, e.g. 1254878 or 1254878.00")
        parser.add_argument("--rule", required=True, choices=[str(rule) for rule in COMMAND_RULES])
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--contract", help="Contract reference (needed only when there are several)")

    def handle(self, *args, **options):
        try:
            year = parse_financial_year(options["year"])
        except ValidationError as error:
            raise CommandError(f"--year: {error.messages[0]}") from None
        try:
            total = Decimal(options["total"])
        except InvalidOperation:
            raise CommandError(
                f"--total: “{options['total']}” is not an amount; write pounds, e.g. 1254878.00"
            ) from None
        # A contract paid from another's pooled funding (a 2010/11 hub's own contract) is not one to plan a year of.
        contracts = Contract.objects.filter(paid_from_pool_of__isnull=True)
        if options["contract"]:
            contracts = Contract.objects.filter(reference=options["contract"])
        if contracts.count() != 1:
            raise CommandError("--contract: name exactly one contract by its reference.")
        try:
            figures = scenario_calculate(
                contract=contracts.get(), financial_year=year, total=total, rule=options["rule"]
            )
        except ValidationError as error:
            messages = [f"--{name}: {'; '.join(msgs)}" for name, msgs in error.message_dict.items()]
            raise CommandError(" ".join(messages)) from None
        if options["format"] == "csv":
            self.write_csv(figures)
        else:
            self.stdout.write(json.dumps(figures.as_dict(), indent=2))

    def write_csv(self, figures: ScenarioFigures):
        buffer = io.StringIO()
        writer = csv_writer(buffer, lineterminator="\n")
        writer.writerow(ScenarioFigures.CSV_HEADER)
        writer.writerows(figures.csv_rows())
        self.stdout.write(buffer.getvalue(), ending="")
