"""generate_synthetic: exact row counts, unique codes, idempotence and a reproducible seed."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count

from contracts.models import Allocation, Contract, Funder, Organisation, SubContract
from districts.models import County, District
from performance.models import Indicator, ReportingPeriod, Result, Return

pytestmark = pytest.mark.django_db


def _generate(councils: int, seed: int = 1) -> str:
    out = io.StringIO()
    call_command("generate_synthetic", councils=councils, seed=seed, stdout=out)
    return out.getvalue()


def _synthetic_counts() -> dict[str, int]:
    synthetic = {"county__slug__startswith": "synthetic-"}
    return {
        "counties": County.objects.filter(slug__startswith="synthetic-").count(),
        "districts": District.objects.filter(**synthetic).count(),
        "funders": Funder.objects.filter(code__startswith="S0").count(),
        "organisations": Organisation.objects.filter(**synthetic).count(),
        "contracts": Contract.objects.filter(**synthetic).count(),
        "subcontracts": SubContract.objects.filter(contract__county__slug__startswith="synthetic-").count(),
        "allocations": Allocation.objects.filter(contract__county__slug__startswith="synthetic-").count(),
        "returns": Return.objects.filter(provider__county__slug__startswith="synthetic-").count(),
        "results": Result.objects.filter(return_obj__provider__county__slug__startswith="synthetic-").count(),
    }


def test_two_councils_give_exact_row_counts_unique_codes_and_a_rerun_adds_nothing():
    leicestershire_results = Result.objects.count()
    output = _generate(2)
    assert "Created 2 councils (880 returns, 30,800 results)" in output
    assert Indicator.objects.count() == 35
    assert _synthetic_counts() == {
        "counties": 2,
        "districts": 14,
        "funders": 6,
        "organisations": 22,  # a CIO, 7 hubs and 3 LRCs each
        "contracts": 2,
        "subcontracts": 20,
        "allocations": 220,  # 11 organisations x 10 financial years x 2 councils
        "returns": 880,  # 11 providers x 40 periods x 2 councils
        "results": 30_800,  # x 35 indicators
    }
    # Periods are global: the 40 quarters 2005/06 Q1 to 2014/15 Q4 include Leicestershire's three.
    assert ReportingPeriod.objects.count() == 40
    assert ReportingPeriod.objects.get(financial_year=2010, quarter=3).status == "open"
    assert Result.objects.count() == leicestershire_results + 30_800
    # Every provider has exactly one return per period and one result per indicator in each.
    assert not Return.objects.values("provider", "period").annotate(n=Count("id")).filter(n__gt=1).exists()
    assert set(
        Return.objects.filter(provider__code__startswith="S0").annotate(n=Count("results")).values_list("n", flat=True)
    ) == {35}

    # Codes carry the council number and stay unique.
    codes = set(Organisation.objects.filter(county__slug="synthetic-002").values_list("code", flat=True))
    assert codes == {"S002-CIO", *(f"S002-HUB{n}" for n in range(1, 8)), *(f"S002-LRC{n}" for n in range(1, 4))}
    assert Contract.objects.filter(reference="S002-CIO-CONTRACT").exists()

    # A second run creates nothing; a larger one adds only the new councils.
    before = _synthetic_counts()
    assert "Created 0 councils (0 returns, 0 results); 2 already existed." in _generate(2)
    assert _synthetic_counts() == before
    assert "Created 1 councils (440 returns, 15,400 results); 2 already existed." in _generate(3)


def _cio_figures(seed: int) -> list:
    """Generate council 1 with the seed inside a savepoint, read its CIO's figures, then roll it back."""
    with transaction.atomic():
        _generate(1, seed=seed)
        figures = list(
            Result.objects.filter(return_obj__provider__code="S001-CIO")
            .order_by("return_obj__period", "indicator__code")
            .values_list("rag", "actual")
        )
        transaction.set_rollback(True)
    return figures


def test_the_seed_decides_the_figures():
    first = _cio_figures(7)
    assert len(first) == 40 * 35
    assert _cio_figures(7) == first
    assert _cio_figures(8) != first
