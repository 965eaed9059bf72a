"""Set up (or bring up to date) a partnership from its workbook: one transaction, all or nothing.

Every row is found by its natural key (a slug, a code, a reference, a year) and written only where a field
differs, so running the same workbook twice changes nothing the second time and records no history. Every
problem is collected (cells, references, the models' own validation and constraints, allocations that must add
up) and named by sheet, row and column; with any problem, or on a dry run, the transaction is rolled back.

Outcomes, indicators, reporting periods and targets for every provider and district are shared by every
partnership (their ``partnership_path`` is None): an existing row is reused when the workbook defines it
identically and a different definition under its code is refused, never overwritten.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction

from contracts.models import (
    Allocation,
    Contract,
    ContractYear,
    Contribution,
    Funder,
    Organisation,
    Outcome,
    SubContract,
    normalise_postcode,
)
from core.services import save_with_history
from districts.models import County, District
from performance.models import Indicator, ReportingPeriod, Target
from vcsportal.partnership_setup.workbook import Problem, Row, read_workbook

CHANGE_REASON = "Partnership set-up workbook"

#: The set-up tables the workbook fills, in the order they are written.
SETUP_MODELS = (
    County,
    District,
    Funder,
    Organisation,
    Contract,
    ContractYear,
    Contribution,
    SubContract,
    Allocation,
    Outcome,
    Indicator,
    Target,
    ReportingPeriod,
)
#: Shared by every partnership: reused when identical, refused when different.
SHARED_MODELS = (Outcome, Indicator, ReportingPeriod, Target)


@dataclass
class SetupReport:
    """What a set-up did (or, on a dry run or with problems, would have done): rows per table."""

    partnership: str = ""
    dry_run: bool = False
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def applied(self) -> bool:
        return not self.dry_run and not self.problems

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def tables(self) -> list[dict]:
        """One line per set-up table: its name and its rows created, updated and unchanged."""
        lines = []
        for model in SETUP_MODELS:
            name = str(model._meta.verbose_name_plural)
            counts = {what: getattr(self, what).get(name, 0) for what in ("created", "updated", "unchanged")}
            if any(counts.values()):
                lines.append({"table": name, **counts})
        return lines

    def _count(self, model, what: str) -> None:
        name = str(model._meta.verbose_name_plural)
        bucket = getattr(self, what)
        bucket[name] = bucket.get(name, 0) + 1


#: The sheets other rows refer to: what a row of each is called, and its natural key column.
NATURAL_KEYS = {
    "Districts": ("district", "slug"),
    "Funders": ("funder", "code"),
    "Organisations": ("organisation", "code"),
    "Contracts": ("contract", "reference"),
    "Outcomes": ("outcome", "number"),
    "Indicators": ("indicator", "code"),
}


class _Rollback(Exception):
    pass


def partnership_setup(*, file, dry_run: bool = False, user=None) -> SetupReport:
    """Read the workbook ``file`` and set up its partnership in one transaction. With any problem nothing is
    written and ``report.problems`` lists them all; with ``dry_run`` nothing is written and the report says what
    would be created, updated or left unchanged."""
    rows, problems = read_workbook(file)
    report = SetupReport(dry_run=dry_run, problems=list(problems))
    if any(problem.row <= 1 for problem in problems):
        return report  # the file, a sheet or a header is missing: its rows cannot be read reliably
    try:
        with transaction.atomic():
            _Setup(rows, report, user).run()
            if report.problems or dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return report


class _Setup:
    def __init__(self, rows: dict[str, list[Row]], report: SetupReport, user):
        self.rows = rows
        self.report = report
        self.user = user
        self.county: County | None = None
        self.districts: dict[str, District] = {}
        self.funders: dict[str, Funder] = {}
        self.organisations: dict[str, Organisation] = {}
        self.contracts: dict[str, Contract] = {}
        self.outcomes: dict[int, Outcome] = {}
        self.indicators: dict[str, Indicator] = {}
        # Keys whose own row failed: a reference to one is not reported again.
        self.failed: set[tuple[str, object]] = set()

    def problem(self, row: Row, key: str | None, message: str) -> None:
        self.report.problems.append(row.problem(key, message))

    # --- the steps ---------------------------------------------------------------------------------------------

    def run(self) -> None:
        partnership = self.rows["Partnership"]
        if len(partnership) != 1 or any(value is None for value in partnership[0].values.values()):
            return
        row = partnership[0]
        self.report.partnership = row["slug"]
        self.county = self.upsert(row, County, {"slug": "slug"}, {"name": "name", "ons_code": "ons_code"})
        if self.county is None:
            return
        self.districts_set_up()
        self.funders_set_up()
        self.organisations_set_up()
        self.contracts_set_up()
        self.contract_years_set_up()
        self.contributions_set_up()
        self.subcontracts_set_up()
        self.allocations_set_up()
        self.outcomes_set_up()
        self.indicators_set_up()
        self.targets_set_up()
        self.periods_set_up()
        self.allocations_checked()

    def districts_set_up(self) -> None:
        for row in self.rows_of("Districts"):
            district = self.upsert(
                row,
                District,
                {"slug": "slug"},
                {
                    "name": "name",
                    "ons_code": "ons_code",
                    "population": "population",
                    "population_source": "population_source",
                    "negotiation_status": "negotiation_status",
                },
                owned=True,
            )
            self.keep(self.districts, ("district", row["slug"]), row["slug"], district)

    def funders_set_up(self) -> None:
        for row in self.rows_of("Funders"):
            funder = self.upsert(
                row,
                Funder,
                {"code": "code"},
                {"name": "name", "kind": "kind", "is_group": "is_group", "org_id": "org_id"},
                # Codes are unique within a partnership: another council may have its own LCC.
                extra_lookup={"county": self.county},
                owned=True,
            )
            self.keep(self.funders, ("funder", row["code"]), row["code"], funder)

    def organisations_set_up(self) -> None:
        for row in self.rows_of("Organisations"):
            district = None
            if row["district"]:
                district = self.district(row, "district", row["district"])
                if district is None:
                    self.failed.add(("organisation", row["code"]))
                    continue
            organisation = self.upsert(
                row,
                Organisation,
                {"code": "code"},
                {"name": "name", "kind": "kind", "org_id": "org_id"},
                # Codes are unique within a partnership: another council may have its own VAL.
                extra_lookup={"county": self.county},
                # Written as the model keeps it, so a second run finds nothing to change.
                extra={"district": district, "postcode": normalise_postcode(row["postcode"])},
                owned=True,
            )
            self.keep(self.organisations, ("organisation", row["code"]), row["code"], organisation)

    def contracts_set_up(self) -> None:
        # Contracts paid from another's pool come after it, so the pool contract is known by then.
        ordered = sorted(self.rows_of("Contracts"), key=lambda row: bool(row["paid_from_pool_of"]))
        for row in ordered:
            commissioner = self.reference(row, "commissioner", self.funders, "funder", Funder, "code")
            provider = self.reference(row, "provider", self.organisations, "organisation", Organisation, "code")
            pool = None
            if row["paid_from_pool_of"]:
                pool = self.reference(row, "paid_from_pool_of", self.contracts, "contract", Contract, "reference")
            if commissioner is None or provider is None or (row["paid_from_pool_of"] and pool is None):
                self.failed.add(("contract", row["reference"]))
                continue
            contract = self.upsert(
                row,
                Contract,
                {"reference": "reference"},
                {
                    "title": "title",
                    "start_year": "start_year",
                    "end_year": "end_year",
                    "extension_years": "extension_years",
                    "extension_exercised": "extension_exercised",
                },
                extra={"commissioner": commissioner, "provider": provider, "paid_from_pool_of": pool},
                owned=True,
            )
            self.keep(self.contracts, ("contract", row["reference"]), row["reference"], contract)

    def contract_years_set_up(self) -> None:
        for row in self.rows_of("Contract years"):
            contract = self.contract(row)
            if contract is not None:
                self.upsert(
                    row,
                    ContractYear,
                    {"financial_year": "financial_year"},
                    {
                        "stated_total": "stated_total",
                        "is_estimate": "is_estimate",
                        "source": "source",
                        "arrangement": "arrangement",
                        "arrangement_source": "arrangement_source",
                    },
                    extra_lookup={"contract": contract},
                )

    def contributions_set_up(self) -> None:
        for row in self.rows_of("Contributions"):
            contract = self.contract(row)
            funder = self.reference(row, "funder", self.funders, "funder", Funder, "code")
            if contract is not None and funder is not None:
                self.upsert(
                    row,
                    Contribution,
                    {"financial_year": "financial_year", "description": "description"},
                    {"amount": "amount"},
                    extra_lookup={"contract": contract, "funder": funder},
                )

    def subcontracts_set_up(self) -> None:
        for row in self.rows_of("Sub-contracts"):
            contract = self.contract(row)
            provider = self.reference(row, "provider", self.organisations, "organisation", Organisation, "code")
            slugs = [slug.strip() for slug in (row["districts"] or "").split(",") if slug.strip()]
            districts = [self.district(row, "districts", slug) for slug in slugs]
            if contract is None or provider is None or None in districts:
                continue
            subcontract = self.upsert(
                row,
                SubContract,
                {},
                {"start_year": "start_year", "end_year": "end_year", "strands": "strands"},
                extra_lookup={"contract": contract, "provider": provider},
            )
            if subcontract is not None:
                self.many(row, subcontract, "districts", districts)

    def allocations_set_up(self) -> None:
        for row in self.rows_of("Allocations"):
            contract = self.contract(row)
            organisation = self.reference(row, "organisation", self.organisations, "organisation", Organisation, "code")
            if contract is not None and organisation is not None:
                self.upsert(
                    row,
                    Allocation,
                    {"financial_year": "financial_year"},
                    {"amount": "amount"},
                    extra_lookup={"contract": contract, "organisation": organisation},
                )

    def outcomes_set_up(self) -> None:
        for row in self.rows_of("Outcomes"):
            outcome = self.upsert(
                row, Outcome, {"number": "number"}, {"strand": "strand", "priority": "priority", "wording": "wording"}
            )
            self.keep(self.outcomes, ("outcome", row["number"]), row["number"], outcome)

    def indicators_set_up(self) -> None:
        fields = (
            "number",
            "short_name",
            "wording",
            "strand",
            "kind",
            "unit",
            "higher_is_better",
            "under_provider_control",
            "tolerance_pct",
            "for_cio",
            "for_hub",
            "for_lrc",
            "by_district",
            "is_illustrative",
            "survey_based",
            "note",
            "first_year",
            "retired_from",
        )
        for row in self.rows_of("Indicators"):
            outcomes = []
            for text in (row["outcomes"] or "").split(","):
                if not text.strip():
                    continue
                if not text.strip().isdigit():
                    self.problem(row, "outcomes", f"“{text.strip()}” is not an outcome number: give numbers like 3, 4")
                    continue
                outcomes.append(self.reference(row, "outcomes", self.outcomes, "outcome", Outcome, "number", int(text)))
            if None in outcomes:
                self.failed.add(("indicator", row["code"]))
                continue
            indicator = self.upsert(row, Indicator, {"code": "code"}, {name: name for name in fields})
            if indicator is not None:
                self.many(row, indicator, "outcomes", outcomes)
            self.keep(self.indicators, ("indicator", row["code"]), row["code"], indicator)

    def targets_set_up(self) -> None:
        for row in self.rows_of("Targets"):
            indicator = self.reference(row, "indicator", self.indicators, "indicator", Indicator, "code")
            provider = district = None
            if row["provider"]:
                provider = self.reference(row, "provider", self.organisations, "organisation", Organisation, "code")
            if row["district"]:
                district = self.district(row, "district", row["district"])
            if row["quarter"] is not None and row["quarter"] not in (1, 2, 3, 4):
                self.problem(
                    row, "quarter", f"“{row['quarter']}” is not a quarter: give 1, 2, 3 or 4, or leave it empty"
                )
                continue
            if indicator is None or (row["provider"] and provider is None) or (row["district"] and district is None):
                continue
            self.upsert(
                row,
                Target,
                {"financial_year": "financial_year", "quarter": "quarter"},
                {"value": "value"},
                extra_lookup={"indicator": indicator, "provider": provider, "district": district},
                # A target for one of this partnership's providers or districts is its own; one for every provider
                # and district is shared with every partnership reporting the indicator.
                shared=provider is None and district is None,
            )

    def periods_set_up(self) -> None:
        for row in self.rows_of("Reporting periods"):
            period = row["period"]
            row.values["financial_year"], row.values["quarter"] = period.financial_year, period.quarter
            self.upsert(
                row,
                ReportingPeriod,
                {"financial_year": "period", "quarter": "period"},
                {"opens_on": "opens_on", "due_on": "due_on", "locked_on": "locked_on", "status": "status"},
                lookup_values={"financial_year": period.financial_year, "quarter": period.quarter},
            )

    def allocations_checked(self) -> None:
        """A contract year marked so must have allocations (under the contract and every contract paid from its
        pool) adding up to its stated total exactly; otherwise variances are loaded as stated and shown."""
        for row in self.rows_of("Contract years"):
            if not row["allocations_must_add_up"] or ("contract", row["contract"]) in self.failed:
                continue
            contract = self.contracts.get(row["contract"])
            if contract is None:
                continue
            if row["stated_total"] is None:
                self.problem(row, "stated_total", "is empty but the allocations must add up to it: give the total")
                continue
            allocated = contract.allocated_total(row["financial_year"])
            if allocated != row["stated_total"]:
                self.problem(
                    row,
                    "allocations_must_add_up",
                    f"the {row['contract']} allocations for this year add up to £{allocated:,.2f}, not the stated "
                    f"£{row['stated_total']:,.2f}: correct the Allocations sheet or the stated total, or write no "
                    "to load them as stated",
                )

    # --- finding and writing -----------------------------------------------------------------------------------

    def rows_of(self, sheet: str) -> Iterable[Row]:
        """The sheet's rows whose cells all read. A row with a bad cell is reported already; what it would set up
        is marked failed, so a reference to it is not reported a second time."""
        rows = []
        for row in self.rows[sheet]:
            if not row.broken:
                rows.append(row)
            elif sheet in NATURAL_KEYS and row.values.get(NATURAL_KEYS[sheet][1]) is not None:
                what, key = NATURAL_KEYS[sheet]
                self.failed.add((what, row[key]))
        return rows

    def keep(self, found: dict, failed_key: tuple, key, obj) -> None:
        if obj is None:
            self.failed.add(failed_key)
        else:
            found[key] = obj

    def district(self, row: Row, column: str, slug: str) -> District | None:
        return self.reference(row, column, self.districts, "district", District, "slug", slug)

    def contract(self, row: Row) -> Contract | None:
        return self.reference(row, "contract", self.contracts, "contract", Contract, "reference")

    def reference(self, row: Row, column: str, found: dict, what: str, model, key: str, value=None):
        """The row the cell names: one this workbook set up, or one already in this partnership (or, for shared
        tables, in the portal). Unknown: a problem naming the cell and what it accepts."""
        value = row[column] if value is None else value
        if value in found:
            return found[value]
        if (what, value) in self.failed:
            return None  # its own row's problem is reported already
        existing = model.objects.filter(**{key: value})
        if getattr(model, "partnership_path", None):
            existing = existing.filter(**{model.partnership_path: self.county.pk})
        obj = existing.first()
        if obj is None:
            sheet = {"district": "Districts", "funder": "Funders", "organisation": "Organisations"}.get(
                what, f"{what.capitalize()}s"
            )
            self.problem(
                row,
                column,
                f"there is no {what} “{value}” in this partnership: give one from the {sheet} sheet",
            )
            return None
        return obj

    def upsert(
        self,
        row: Row,
        model: type[models.Model],
        lookup: dict[str, str],
        values: dict[str, str],
        *,
        extra: dict | None = None,
        extra_lookup: dict | None = None,
        lookup_values: dict | None = None,
        owned: bool = False,
        shared: bool | None = None,
    ):
        """Find the row's object by its natural key; create it, update the fields that differ, or (for a shared
        table) refuse a difference. Returns the object, or None with the problems recorded."""
        shared = model in SHARED_MODELS if shared is None else shared
        where = {**(extra_lookup or {}), **{name: row[column] for name, column in lookup.items()}}
        where.update(lookup_values or {})
        wanted = {name: row[column] for name, column in values.items()}
        wanted.update(extra or {})
        if owned:
            wanted["county"] = self.county
        columns = {**{name: column for name, column in values.items()}, **{name: name for name in extra or {}}}
        columns.update(lookup)
        obj = model.objects.filter(**where).first()
        if obj is None:
            obj = model(**{**where, **wanted})
            return self.save(row, obj, columns, created=True)
        if owned and obj.county_id != self.county.pk:
            first = next(iter(lookup))
            self.problem(
                row,
                lookup[first],
                f"“{where[first]}” is already used by the partnership {obj.county}: choose another"
                if obj.county_id
                else f"“{where[first]}” is already used outside any partnership: choose another",
            )
            return None
        differing = [name for name, value in wanted.items() if getattr(obj, name) != value]
        if not differing:
            self.report._count(model, "unchanged")
            return obj
        if shared:
            for name in differing:
                column = columns.get(name)
                self.problem(
                    row,
                    column if column in row.values else None,
                    f"{model._meta.verbose_name} {obj} already exists, shared by every partnership, with "
                    f"{model._meta.get_field(name).verbose_name} “{getattr(obj, name)}”, not “{wanted[name]}”: "
                    "write it exactly as it is to reuse it, or give it a new code",
                )
            return None
        for name in differing:
            setattr(obj, name, wanted[name])
        return self.save(row, obj, columns, created=False)

    def save(self, row: Row, obj: models.Model, columns: dict[str, str], *, created: bool):
        try:
            save_with_history(obj, user=self.user, reason=CHANGE_REASON)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                column = columns.get(name)
                if column not in row.values:
                    column = None
                for message in messages:
                    label = "" if name == NON_FIELD_ERRORS or column else f"{name}: "
                    self.problem(row, column, f"{label}{message}")
            return None
        self.report._count(type(obj), "created" if created else "updated")
        obj._setup_written = "created" if created else "updated"
        return obj

    def many(self, row: Row, obj: models.Model, name: str, related: list) -> None:
        """Set a many-to-many relation where it differs (counted as an update of ``obj``)."""
        wanted = {item.pk for item in related}
        manager = getattr(obj, name)
        if set(manager.values_list("pk", flat=True)) == wanted:
            return
        written = getattr(obj, "_setup_written", None)
        if type(obj) in SHARED_MODELS and written != "created":
            self.problem(
                row,
                name,
                f"{obj._meta.verbose_name} {obj} already exists, shared by every partnership, serving other "
                "outcomes: write them exactly as they are to reuse it, or give it a new code",
            )
            return
        manager.set(wanted)
        if written is None:  # counted unchanged by its fields: its relation changed, so it is updated
            table = str(type(obj)._meta.verbose_name_plural)
            self.report.unchanged[table] -= 1
            if not self.report.unchanged[table]:
                del self.report.unchanged[table]
            self.report._count(type(obj), "updated")
