"""A dataset many times the Leicestershire one, for query-count tests: bulk-created, in the test's
transaction (so it is rolled back), reusing the real indicators.

``build_scaled_dataset(factor=10)`` adds (factor - 1) copies of the county's seven districts and ten hubs
and LRCs, enough earlier periods that there are ``factor`` times as many, and a signed-off return with a
rating and a figure for every indicator each provider reports, in every period but the open one.
"""

import datetime
from decimal import Decimal

from contracts.models import Allocation, Contract, Organisation
from districts.models import County, District
from performance.models import Indicator, ReportingPeriod, Result, Return

RAGS = ("green", "amber", "red", "green", "not_reported", "green", "amber")


def _rag(*keys) -> str:
    return RAGS[sum(keys) % len(RAGS)]


def build_scaled_dataset(factor: int = 10) -> dict:
    """Grow the Leicestershire data ``factor`` times in districts, providers, periods and results."""
    county = County.objects.get(slug="leicestershire")
    contract = Contract.objects.get(paid_from_pool_of=None)
    base_districts = list(District.objects.filter(county=county).order_by("name"))
    base_local = list(Organisation.objects.exclude(kind=Organisation.Kind.CIO).order_by("code"))
    base_periods = ReportingPeriod.objects.count()

    districts = District.objects.bulk_create(
        District(
            county=county,
            name=f"{d.name} {copy}",
            slug=f"{d.slug}-{copy}",
            population=d.population + copy,
            population_source="Scaled test data",
        )
        for copy in range(1, factor)
        for d in base_districts
    )
    by_name = {d.name: d for d in District.objects.filter(county=county)}
    Organisation.objects.bulk_create(
        Organisation(
            code=f"{o.code}-{copy}",
            name=f"{o.name} {copy}",
            kind=o.kind,
            county=county,
            district=by_name[f"{o.district.name} {copy}"],
        )
        for copy in range(1, factor)
        for o in base_local
    )
    Allocation.objects.bulk_create(
        Allocation(contract=contract, organisation=o, financial_year=2010, amount=Decimal("68000.00"))
        for o in Organisation.objects.filter(code__contains="-")
    )

    existing = {(p.financial_year, p.quarter) for p in ReportingPeriod.objects.all()}
    wanted = base_periods * factor - base_periods
    new_periods = []
    year, quarter = 2001, 1
    while len(new_periods) < wanted:
        if (year, quarter) not in existing:
            due = datetime.date(year + (quarter >= 3), (quarter * 3 + 4 - 1) % 12 + 1, 28)
            new_periods.append(ReportingPeriod(financial_year=year, quarter=quarter, due_on=due, status="locked"))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    ReportingPeriod.objects.bulk_create(new_periods)

    open_period = ReportingPeriod.objects.get(financial_year=2010, quarter=3)
    periods = list(ReportingPeriod.objects.exclude(pk=open_period.pk))
    providers = list(Organisation.objects.all())
    taken = set(Return.objects.values_list("provider_id", "period_id"))
    submitted = datetime.datetime(2000, 1, 1, 12, tzinfo=datetime.UTC)
    returns = Return.objects.bulk_create(
        Return(
            provider=o,
            period=p,
            status=Return.Status.SIGNED_OFF,
            submitted_at=submitted,
            accepted_at=submitted,
            signed_off_at=submitted,
        )
        for p in periods
        for o in providers
        if (o.pk, p.pk) not in taken
    )
    indicators = list(Indicator.objects.all())
    all_districts = list(District.objects.filter(county=county))
    results = []
    for r in returns:
        kind = r.provider.kind
        for indicator in indicators:
            reports = {"cio": indicator.for_cio, "hub": indicator.for_hub, "lrc": indicator.for_lrc}[kind]
            if not reports:
                continue
            places = all_districts if kind == "cio" and indicator.by_district else [None]
            for place in places:
                rag = _rag(r.provider_id, r.period_id, indicator.pk, place.pk if place else 0)
                results.append(
                    Result(
                        return_obj=r,
                        indicator=indicator,
                        district=place,
                        rag=rag,
                        not_reported_reason="no_target" if rag == "not_reported" else "",
                        actual=Decimal(indicator.pk * 3 + r.period_id % 17),
                        target=Decimal(40),
                        narrative="=SUM(A1:A9) scaled test narrative",
                    )
                )
    Result.objects.bulk_create(results, batch_size=2000)
    return {"districts": len(districts), "returns": len(returns), "results": len(results)}
