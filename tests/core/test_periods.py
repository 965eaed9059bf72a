"""Financial years and quarters are read, written and ordered in one place: ``core.periods.Period``."""

import pytest
from django.core.exceptions import ValidationError

from core.periods import Period, financial_year_of, format_financial_year, parse_financial_year


def test_labels_and_slugs_name_the_same_quarter():
    assert Period.parse("2010/11 Q2") == Period.parse("2010-11-q2") == Period(2010, 2)
    assert Period(2010, 2).label == "2010/11 Q2"
    assert Period(2010, 2).slug == "2010-11-q2"
    assert Period(1999, 4).label == "1999/00 Q4" and Period.parse("1999/00 Q4") == Period(1999, 4)


@pytest.mark.parametrize("text", ["", "2010/11", "2010/12 Q2", "2010/11 Q5", "2010-12-q2", "Q2 2010/11", "last year"])
def test_what_is_not_a_period_says_how_to_write_one(text):
    assert Period.parse_or_none(text) is None
    with pytest.raises(ValidationError, match="write it like 2010/11 Q2|second part must be the next year"):
        Period.parse(text)


def test_periods_are_ordered_in_time():
    assert Period(2009, 4) < Period(2010, 1) < Period(2010, 2)
    assert Period(2010, 1).is_before(Period(2010, 3))
    assert not Period(2010, 3).is_before(Period(2010, 3))
    assert Period(2010, 1).previous() == Period(2009, 4)
    assert sorted([Period(2011, 1), Period(2009, 3), Period(2010, 4)]) == [
        Period(2009, 3),
        Period(2010, 4),
        Period(2011, 1),
    ]


def test_financial_years():
    assert parse_financial_year("2010/11") == 2010
    assert format_financial_year(2010) == "2010/11"
    import datetime

    assert financial_year_of(datetime.date(2011, 3, 31)) == 2010
    assert financial_year_of(datetime.date(2011, 4, 1)) == 2011


@pytest.mark.django_db
def test_the_reporting_periods_queryset_reads_the_same_value():
    from performance.models import ReportingPeriod

    q3 = ReportingPeriod.objects.by_label("2010/11 Q3")
    assert q3 is not None and q3.value == Period(2010, 3)
    assert ReportingPeriod.objects.by_label("2010-11-q3") == q3
    assert ReportingPeriod.objects.by_label("2010/11 Q9") is None
    before = list(ReportingPeriod.objects.before(q3))
    assert before and all(p.value < q3.value for p in before)
    assert all(p.value < q3.value for p in ReportingPeriod.objects.before(q3.value))
    newest = list(ReportingPeriod.objects.newest_first())
    assert [p.value for p in newest] == sorted((p.value for p in newest), reverse=True)
