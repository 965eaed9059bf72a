"""The Leicestershire 2010/11 picture, loaded from the 2011 review, holds the review's own figures."""

from decimal import Decimal

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import Count, Q

from contracts.models import Allocation, Contract, Contribution, Funder, Organisation, Outcome, SubContract
from districts.models import District
from performance.models import Indicator, ReportingPeriod, Result, Return
from performance.units import figure_error
from vcsportal.leicestershire import CONTRACT_REFERENCE, load_leicestershire

pytestmark = pytest.mark.django_db

ALL_MODELS = [m for m in apps.get_models() if m._meta.app_label in {"districts", "contracts", "performance"}]


def _row_counts():
    return {model._meta.label: model.objects.count() for model in ALL_MODELS}


def test_loading_twice_leaves_the_same_rows_and_no_new_history():
    before = _row_counts()
    report = load_leicestershire()
    assert not report.changed
    assert _row_counts() == before  # includes every historical (audit) table


def test_loading_repairs_a_changed_fact():
    district = District.objects.get(slug="melton")
    district.population = 1
    district.save()
    report = load_leicestershire()
    assert report.updated == {"districts": 1}
    assert District.objects.get(slug="melton").population == 50_376


def test_districts_and_county_population():
    assert District.objects.count() == 7
    assert sum(District.objects.values_list("population", flat=True)) == 650_489
    assert District.objects.get(slug="charnwood").population == 166_100


def test_codes_are_exactly_as_in_domain():
    assert set(Organisation.objects.values_list("code", flat=True)) == {
        "VAL", "CABD", "VAC", "VASL", "VAHB", "VAM", "MRCCA", "OWCA", "CDLRC", "LUTLRC", "SYSLRC",
    }  # fmt: skip
    assert set(Funder.objects.values_list("code", flat=True)) == {
        "LCC", "PCT", "POLICE", "CONNEXIONS", "BLABY-DC", "CHARNWOOD-BC", "HARBOROUGH-DC",
        "HINCKLEY-BOSWORTH-BC", "MELTON-BC", "NWL-DC", "OADBY-WIGSTON-BC", "DISTRICT-COUNCILS",
    }  # fmt: skip
    assert Organisation.objects.get(code="MRCCA").district.slug == "north-west-leicestershire"
    assert Organisation.objects.get(code="VAL").district is None


def test_the_2010_11_figures_do_not_reconcile_and_the_model_says_so():
    contract = Contract.objects.get(reference=CONTRACT_REFERENCE)
    assert contract.stated_total(2010) == Decimal("1462398.00")
    assert contract.contributions_total(2010) == Decimal("1471000.00")
    assert contract.allocated_total(2010) == Decimal("1485000.00")
    assert contract.stated_total(2011) == Decimal("1254878.00")
    assert contract.years.get(financial_year=2011).is_estimate
    # LCC's money is two contributions; the District Councils' is one group total, never split.
    assert Contribution.objects.filter(funder__code="LCC").count() == 2
    assert Contribution.objects.get(funder__code="DISTRICT-COUNCILS").amount == Decimal("189000.00")
    assert not Contribution.objects.filter(funder__kind="district_council", funder__is_group=False).exists()


def test_contract_term_extension_and_subcontracts():
    contract = Contract.objects.get(reference=CONTRACT_REFERENCE)
    assert (contract.start_year, contract.end_year, contract.extension_years) == (2009, 2011, 2)
    assert contract.term_label == "2009/10 to 2011/12"
    assert SubContract.objects.filter(contract=contract).count() == 10
    amounts = Allocation.objects.filter(financial_year=2010).values("organisation__kind").annotate(n=Count("id"))
    assert {row["organisation__kind"]: row["n"] for row in amounts} == {"cio": 1, "hub": 7, "lrc": 3}
    assert set(Allocation.objects.filter(organisation__kind="hub").values_list("amount", flat=True)) == {
        Decimal("68000.00")
    }


def test_outcomes_and_indicator_kinds():
    assert Outcome.objects.count() == 24
    assert Outcome.objects.filter(priority="high").count() == 8
    kinds = dict(
        Indicator.objects.filter(code__startswith="VAL-").values_list("kind").annotate(n=Count("id")).order_by()
    )
    assert kinds == {"Q": 17, "NAR": 5, "X": 5, "ONE_OFF": 3}
    assert Indicator.objects.filter(code__startswith="LOC-").count() == 5
    assert list(Indicator.objects.filter(for_lrc=True).values_list("code", flat=True)) == ["LOC-1", "LOC-2"]


def test_table_three_hub_and_lrc_counts():
    q2 = ReportingPeriod.objects.get(financial_year=2010, quarter=2)
    counts = Result.objects.filter(return_obj__period=q2, return_obj__provider__kind__in=["hub", "lrc"]).aggregate(
        total=Count("id"),
        red=Count("id", filter=Q(rag="red")),
        amber=Count("id", filter=Q(rag="amber")),
        green=Count("id", filter=Q(rag="green")),
        not_reported=Count("id", filter=Q(rag="not_reported")),
    )
    assert counts == {"total": 41, "red": 0, "amber": 2, "green": 26, "not_reported": 13}
    vam = Result.objects.filter(return_obj__period=q2, return_obj__provider__code="VAM")
    assert sorted(vam.values_list("rag", flat=True)) == ["amber", "green", "green", "not_reported", "not_reported"]
    assert not vam.filter(rag="not_reported", not_reported_reason="").exists()


def test_val_historic_returns_and_the_one_decline():
    q3_2009 = Return.objects.get(provider__code="VAL", period__financial_year=2009, period__quarter=3)
    q2_2010 = Return.objects.get(provider__code="VAL", period__financial_year=2010, period__quarter=2)
    assert q3_2009.status == q2_2010.status == Return.Status.SIGNED_OFF
    rank = {"red": 0, "amber": 1, "green": 2}
    before = dict(q3_2009.results.values_list("indicator__code", "rag"))
    after = dict(q2_2010.results.values_list("indicator__code", "rag"))
    assert len(before) == len(after) == 30
    declined = [code for code in after if rank[after[code]] < rank[before[code]]]
    assert declined == ["VAL-28"]
    assert q2_2010.results.get(indicator__code="VAL-02").actual == Decimal("75.00")


def test_2010_11_q3_is_open_with_a_draft_for_every_provider():
    q3 = ReportingPeriod.objects.get(financial_year=2010, quarter=3)
    assert q3.status == ReportingPeriod.Status.OPEN
    assert q3.returns.count() == 11
    assert set(q3.returns.values_list("status", flat=True)) == {"draft"}
    # VAL: 30 countywide rows plus 5 local indicators in each of 7 districts.
    assert q3.returns.get(provider__code="VAL").results.count() == 30 + 5 * 7
    assert q3.returns.get(provider__code="VASL").results.count() == 5
    assert q3.returns.get(provider__code="SYSLRC").results.count() == 2


def test_database_refuses_a_second_return_for_the_same_provider_and_period():
    existing = Return.objects.filter(period__financial_year=2010, period__quarter=3).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Return.objects.create(provider=existing.provider, period=existing.period)


def test_database_refuses_a_second_result_for_the_same_indicator():
    result = Result.objects.filter(district__isnull=True).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Result.objects.create(return_obj=result.return_obj, indicator=result.indicator)


def test_database_refuses_not_reported_without_a_reason():
    result = Result.objects.filter(return_obj__status="draft").first()
    result.rag = "not_reported"
    with pytest.raises(IntegrityError), transaction.atomic():
        result.save()


def test_indicators_have_the_units_the_review_gives_them():
    """Appendix Eight, Table Two: the "Percentage of ..." indicators are percentages, VAL-15 is the funding groups
    were supported to raise (£s raised), every other is a count (of groups, enquiries, opportunities, events); the
    review gives no ratio."""
    units = dict(Indicator.objects.values_list("code", "unit"))
    percentages = {f"VAL-{n:02d}" for n in (2, 7, 9, 10, 12, 19, 20, 22, 23, 24, 26, 27, 28)}
    assert {code for code, unit in units.items() if unit == Indicator.Unit.PERCENTAGE} == percentages
    assert {code for code, unit in units.items() if unit == Indicator.Unit.MONEY} == {"VAL-15"}
    assert {code for code, unit in units.items() if unit == Indicator.Unit.COUNT} == set(units) - percentages - {
        "VAL-15"
    }
    # The short names say so too.
    for indicator in Indicator.objects.all():
        assert indicator.short_name.startswith("%") == (indicator.unit == Indicator.Unit.PERCENTAGE), indicator.code


def test_every_2010_11_figure_loaded_is_within_its_units_bounds():
    """The loaded figures (the review's own, and the illustrative hub ones) pass the rule every channel applies;
    a source figure that broke it would be listed here, not corrected."""
    results = Result.objects.filter(return_obj__period__financial_year=2010).select_related("indicator", "district")
    figures = [(r, name, getattr(r, name)) for r in results for name in ("actual", "target")]
    assert sum(value is not None for _r, _name, value in figures) > 0
    outside = [
        (str(r), name, value) for r, name, value in figures if figure_error(r.indicator, value, label=str(r), what=name)
    ]
    assert outside == []
