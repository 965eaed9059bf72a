"""A national-scale synthetic dataset for benchmarks: many councils, each run like Leicestershire.

Council ``i`` is written as county ``synthetic-001`` (for i = 1) with seven districts, three funders, a CIO,
seven hubs and three LRCs (ten sub-contracts), one CIO contract with its money for every year, and a signed-off
return from every provider for every one of the forty quarterly periods from 2005/06 Q1 to 2014/15 Q4.
Periods are global, so the forty ``ReportingPeriod`` rows are shared by every council (and by Leicestershire).

Every synthetic return holds one result for each of the 30 + 5 indicators already loaded by
``load_leicestershire``: denser than the real rule (where a hub owes five rows), so that 150 councils give the
national scale the portal must carry: 150 x 11 providers x 40 periods x 35 indicators = 2,310,000 results.

Codes carry the council number (``S001-CIO``, ``S001-HUB3``), so they never collide with real codes or with
each other. Each council is written in one transaction and skipped when its county already exists, so the
command is idempotent and can grow a dataset step by step. Figures come from a random generator seeded with
the seed and the council number: the same seed gives the same data, whatever else already exists.

Rows are written with ``bulk_create`` (and results, on PostgreSQL, with ``COPY``): no history is recorded,
because this is benchmark data that no person changed.
"""

import csv
import datetime
import io
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction

from contracts.models import (
    Allocation,
    Contract,
    ContractYear,
    Contribution,
    Funder,
    Organisation,
    SubContract,
)
from core.roles import Role
from core.services import save_with_history
from districts.models import County, District, NegotiationStatus
from performance.models import Indicator, NotReportedReason, Rag, ReportingPeriod, Result, Return
from vcsportal.models import User
from vcsportal.people.roles import person_role_sync

SLUG_PREFIX = "synthetic-"
FIRST_YEAR = 2005
YEARS = 10  # 2005/06 to 2014/15: forty quarters
DISTRICTS_PER_COUNCIL = 7
HUBS_PER_COUNCIL = 7
LRCS_PER_COUNCIL = 3
RESULT_BATCH = 5000

#: How often each rating is drawn: mostly green, as the 2010/11 temperature check was.
RAG_WEIGHTS = {Rag.GREEN: 60, Rag.AMBER: 20, Rag.RED: 8, Rag.NOT_REPORTED: 12}
NARRATIVE = "Synthetic figure for benchmarking."


@dataclass
class SyntheticReport:
    councils_created: list[str] = field(default_factory=list)
    councils_skipped: list[str] = field(default_factory=list)
    returns: int = 0
    results: int = 0


def council_slug(number: int) -> str:
    return f"{SLUG_PREFIX}{number:03d}"


def council_code(number: int) -> str:
    return f"S{number:03d}"


def synthetic_periods() -> list[ReportingPeriod]:
    """The forty shared quarterly periods, created where missing (existing periods keep their status)."""
    periods = []
    for year in range(FIRST_YEAR, FIRST_YEAR + YEARS):
        for quarter in range(1, 5):
            period = ReportingPeriod.objects.filter(financial_year=year, quarter=quarter).first()
            if period is None:
                period = ReportingPeriod(financial_year=year, quarter=quarter, status=ReportingPeriod.Status.LOCKED)
                save_with_history(period, user=None, reason="Synthetic benchmark data")
            periods.append(period)
    return periods


def synthetic_generate(
    *, councils: int, seed: int = 0, progress: Callable[[int, int, SyntheticReport], None] | None = None
) -> SyntheticReport:
    """Make sure councils 1..``councils`` exist, creating the missing ones; returns what was created.

    Needs the indicators loaded first (``load_leicestershire``). Each council is all or nothing.
    """
    indicators = list(Indicator.objects.order_by("code"))
    if len(indicators) == 0:
        raise ValueError("No indicators: run load_leicestershire before generating synthetic data.")
    periods = synthetic_periods()
    report = SyntheticReport()
    existing = set(County.objects.filter(slug__startswith=SLUG_PREFIX).values_list("slug", flat=True))
    for number in range(1, councils + 1):
        slug = council_slug(number)
        if slug in existing:
            report.councils_skipped.append(slug)
        else:
            returns, results = _council_create(number, random.Random(f"{seed}:{number}"), indicators, periods)
            report.councils_created.append(slug)
            report.returns += returns
            report.results += results
        if progress:
            progress(number, councils, report)
    return report


@transaction.atomic
def _council_create(number: int, rng: random.Random, indicators, periods) -> tuple[int, int]:
    code = council_code(number)
    county = County.objects.create(name=f"Synthetic County {number:03d}", slug=council_slug(number))
    districts = District.objects.bulk_create(
        District(
            county=county,
            name=f"Synthetic District {number:03d}-{d}",
            slug=f"{council_slug(number)}-district-{d}",
            population=rng.randint(40_000, 180_000),
            population_source="Synthetic",
            negotiation_status=rng.choice(NegotiationStatus.values),
        )
        for d in range(1, DISTRICTS_PER_COUNCIL + 1)
    )
    county_council, district_councils, health = Funder.objects.bulk_create(
        [
            Funder(
                code=f"{code}-CC",
                name=f"Synthetic County Council {number:03d}",
                kind=Funder.Kind.COUNTY_COUNCIL,
                county=county,
            ),
            Funder(
                code=f"{code}-DCS",
                name=f"Synthetic District Councils {number:03d}, combined",
                kind=Funder.Kind.DISTRICT_COUNCIL,
                is_group=True,
                county=county,
            ),
            Funder(
                code=f"{code}-HEALTH",
                name=f"Synthetic Health Board {number:03d}",
                kind=Funder.Kind.HEALTH,
                county=county,
            ),
        ]
    )
    organisations = [
        Organisation(code=f"{code}-CIO", name=f"Synthetic CIO {number:03d}", kind=Organisation.Kind.CIO, county=county)
    ]
    organisations += [
        Organisation(
            code=f"{code}-HUB{h}",
            name=f"Synthetic Hub {number:03d}-{h}",
            kind=Organisation.Kind.HUB,
            county=county,
            district=districts[h - 1],
        )
        for h in range(1, HUBS_PER_COUNCIL + 1)
    ]
    organisations += [
        Organisation(
            code=f"{code}-LRC{lrc}",
            name=f"Synthetic LRC {number:03d}-{lrc}",
            kind=Organisation.Kind.LRC,
            county=county,
            district=districts[lrc - 1],
        )
        for lrc in range(1, LRCS_PER_COUNCIL + 1)
    ]
    organisations = Organisation.objects.bulk_create(organisations)
    cio, providers = organisations[0], organisations[1:]
    last_year = FIRST_YEAR + YEARS - 1
    contract = Contract.objects.create(
        reference=f"{code}-CIO-CONTRACT",
        title=f"Synthetic countywide infrastructure contract {number:03d}",
        county=county,
        commissioner=county_council,
        provider=cio,
        start_year=FIRST_YEAR,
        end_year=last_year,
    )
    subcontracts = SubContract.objects.bulk_create(
        SubContract(
            contract=contract,
            provider=provider,
            start_year=FIRST_YEAR,
            end_year=last_year,
            strands=["volunteering", "capacity"] if provider.kind == Organisation.Kind.HUB else ["volunteering"],
        )
        for provider in providers
    )
    SubContract.districts.through.objects.bulk_create(
        SubContract.districts.through(subcontract_id=subcontract.pk, district_id=provider.district_id)
        for subcontract, provider in zip(subcontracts, providers, strict=True)
    )
    years = range(FIRST_YEAR, last_year + 1)
    contributions, contract_years, allocations = [], [], []
    for year in years:
        amounts = {
            county_council: _pounds(rng, 700_000, 1_000_000),
            district_councils: _pounds(rng, 120_000, 200_000),
            health: _pounds(rng, 100_000, 250_000),
        }
        contributions += [
            Contribution(contract=contract, funder=funder, financial_year=year, description="Contribution", amount=a)
            for funder, a in amounts.items()
        ]
        contract_years.append(ContractYear(contract=contract, financial_year=year, stated_total=sum(amounts.values())))
        allocations += [
            Allocation(
                contract=contract, organisation=organisation, financial_year=year, amount=_allocation(rng, organisation)
            )
            for organisation in organisations
        ]
    Contribution.objects.bulk_create(contributions)
    ContractYear.objects.bulk_create(contract_years)
    Allocation.objects.bulk_create(allocations)

    _people_create(county, county_council=county_council, health=health, cio=cio, providers=providers)

    returns = Return.objects.bulk_create(
        [
            Return(
                provider=organisation,
                period=period,
                status=Return.Status.SIGNED_OFF if period.status == "locked" else Return.Status.SUBMITTED,
                submitted_at=_due(period),
                accepted_at=_due(period) if period.status == "locked" else None,
                signed_off_at=_due(period) if period.status == "locked" else None,
            )
            for organisation in organisations
            for period in periods
        ],
        batch_size=1000,
    )
    rows = (_result_row(rng, return_obj.pk, indicator) for return_obj in returns for indicator in indicators)
    results = _results_write(rows)
    return len(returns), results


def _people_create(county, *, county_council, health, cio, providers) -> None:
    """One person per role in the council's partnership (``synthetic-001.lcc``, ...), so that scale tests and the
    benchmark sign in as each council's own people. They have no usable password: an administrator invites them
    (or a test signs them in) to use them."""
    hub = next(p for p in providers if p.kind == Organisation.Kind.HUB)
    lrc = next(p for p in providers if p.kind == Organisation.Kind.LRC)
    for suffix, role, organisation, funder in (
        ("lcc", Role.LCC_OFFICER, None, county_council),
        ("funder", Role.FUNDER_REVIEWER, None, health),
        ("cio", Role.CIO_STAFF, cio, None),
        ("hub", Role.PROVIDER_STAFF, hub, None),
        ("lrc", Role.PROVIDER_STAFF, lrc, None),
        ("peer", Role.PEER_REVIEWER, None, None),
    ):
        person = User(
            username=f"{county.slug}.{suffix}",
            email=f"{suffix}@{county.slug}.example.org",
            role=role,
            organisation=organisation,
            funder=funder,
            partnership=county,
        )
        person.set_unusable_password()
        person.save()
        person_role_sync(person)


def _pounds(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low, high)).quantize(Decimal("0.01"))


def _allocation(rng: random.Random, organisation: Organisation) -> Decimal:
    if organisation.kind == Organisation.Kind.CIO:
        return _pounds(rng, 700_000, 1_000_000)
    if organisation.kind == Organisation.Kind.HUB:
        return _pounds(rng, 50_000, 80_000)
    return _pounds(rng, 5_000, 15_000)


def _due(period: ReportingPeriod) -> datetime.datetime:
    # A quarter's return is due the month after it ends: Q1 (Apr-Jun) in July, Q4 (Jan-Mar) in April.
    month = 3 * period.quarter + 4
    year = period.financial_year + (month - 1) // 12
    return datetime.datetime(year, (month - 1) % 12 + 1, 15, 12, 0, tzinfo=datetime.UTC)


_RAGS = list(RAG_WEIGHTS)
_WEIGHTS = list(RAG_WEIGHTS.values())
#: Columns written for each result, in the order of ``_result_row``; every other column takes its default.
RESULT_COLUMNS = (
    "return_id",
    "indicator_id",
    "rag",
    "computed_rag",
    "rag_override_reason",
    "not_reported_reason",
    "not_reported_other",
    "actual",
    "target",
    "narrative",
    "evidence_url",
    "validation",
    "validation_comment",
)


def _result_row(rng: random.Random, return_id: int, indicator: Indicator) -> tuple:
    rag = rng.choices(_RAGS, _WEIGHTS)[0]
    if rag == Rag.NOT_REPORTED:
        return (
            return_id,
            indicator.pk,
            rag,
            "",
            "",
            NotReportedReason.NOT_YET_AVAILABLE,
            "",
            None,
            None,
            "",
            "",
            "self_rated",
            "",
        )
    if indicator.unit == Indicator.Unit.PERCENTAGE:
        target = Decimal(rng.choice((50, 60, 75, 90)))
        actual = Decimal(rng.randint(0, 100))
    elif indicator.unit == Indicator.Unit.MONEY:
        target = _pounds(rng, 10_000, 100_000)
        actual = _pounds(rng, 0, 120_000)
    else:
        target = Decimal(rng.randint(20, 800))
        actual = Decimal(rng.randint(0, 1000))
    if indicator.kind != Indicator.Kind.QUANTITATIVE:
        target = actual = None
    return (return_id, indicator.pk, rag, rag, "", "", "", actual, target, NARRATIVE, "", "self_rated", "")


def _results_write(rows) -> int:
    """Write result rows: COPY on PostgreSQL (several times faster than INSERT), executemany elsewhere."""
    count = 0
    if connection.vendor == "postgresql":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for row in rows:
            writer.writerow(r"\N" if value is None else value for value in row)
            count += 1
        buffer.seek(0)
        table = Result._meta.db_table
        with connection.cursor() as cursor:
            cursor.copy_expert(
                f"COPY {table} ({', '.join(RESULT_COLUMNS)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer
            )
        return count
    # Elsewhere (SQLite in tests), plain executemany: model instances would cost more than the insert.
    placeholders = ", ".join(["%s"] * len(RESULT_COLUMNS))
    sql = f"INSERT INTO {Result._meta.db_table} ({', '.join(RESULT_COLUMNS)}) VALUES ({placeholders})"
    with connection.cursor() as cursor:
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) == RESULT_BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        cursor.executemany(sql, batch)
    return count + len(batch)
