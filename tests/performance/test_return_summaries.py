"""Each return's results counted by RAG (``ReturnSummary``) are kept by database triggers, and the dashboard
reads them where every filter is about whole returns. These tests write results every way the portal and
its operators do and check the counts; ``tests/conftest.py`` also checks them after every database test."""

import itertools

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Q

from contracts.models import Organisation
from performance import dashboard
from performance.models import ReportingPeriod, Result, Return, ReturnSummary
from performance.summaries import summary_mismatches
from tests.performance.scale import build_scaled_dataset

pytestmark = pytest.mark.django_db


def test_loaded_data_is_counted():
    """Leicestershire's hubs and LRCs in 2010/11 Q2, as the 2011 review counts them: 26 green, 2 amber and
    13 not reported of 41, here read from the summaries."""
    rows = ReturnSummary.objects.filter(
        return_obj__period__financial_year=2010,
        return_obj__period__quarter=2,
        return_obj__provider__kind__in=[Organisation.Kind.HUB, Organisation.Kind.LRC],
    ).values_list("green", "amber", "red", "not_reported", "total")
    assert [sum(column) for column in zip(*rows, strict=True)] == [26, 2, 0, 13, 41]


def test_every_kind_of_write_keeps_counts():
    result = Result.objects.filter(rag="green").first()
    Result.objects.filter(pk=result.pk).update(rag="red")
    assert summary_mismatches() == []
    Result.objects.filter(return_obj__period__quarter=2).update(rag="amber", validation="validated")
    assert summary_mismatches() == []
    Result.objects.filter(return_obj__period__quarter=2).update(validation="challenged")  # no rating changes
    assert summary_mismatches() == []
    moved = Result.objects.filter(return_obj__period__quarter=3).first()
    other = Return.objects.exclude(pk=moved.return_obj_id).exclude(results__indicator=moved.indicator).first()
    Result.objects.filter(pk=moved.pk).update(return_obj=other)  # a row moved between returns
    assert summary_mismatches() == []
    result.refresh_from_db()
    result.rag = ""
    result.save()
    assert summary_mismatches() == []
    Result.objects.filter(pk=result.pk).delete()
    assert summary_mismatches() == []


def test_bulk_insert_and_return_deletion_keep_counts():
    build_scaled_dataset(factor=2)
    assert summary_mismatches() == []
    doomed = Return.objects.filter(status=Return.Status.SIGNED_OFF).exclude(provider__kind="cio").last()
    Result.objects.filter(return_obj=doomed).delete()
    doomed.delete()
    assert summary_mismatches() == []
    assert not ReturnSummary.objects.filter(return_obj_id=doomed.pk).exists()


def test_a_flush_leaves_no_counts_behind():
    """``flush`` (as at the end of every browser test) empties the tables in an order of its own: no
    summary is left behind, whichever goes first. (Inside the test's transaction, so it is rolled back.)"""
    call_command("flush", "--noinput", inhibit_post_migrate=True)
    assert ReturnSummary.objects.count() == 0


def test_check_command_finds_and_repairs_wrong_counts(capsys):
    call_command("check_return_summaries")
    assert "equal its results" in capsys.readouterr().out
    ReturnSummary.objects.filter(pk=ReturnSummary.objects.first().pk).update(green=999)
    with pytest.raises(CommandError, match="1 returns' stored counts differ"):
        call_command("check_return_summaries")
    call_command("check_return_summaries", "--repair")
    assert summary_mismatches() == []


def _by_results(filters):
    """The dashboard's figures counted result by result (the path used when a filter is about results)."""
    results = dashboard.results_in_view(filters)
    return results.aggregate(**dashboard.rag_counts())


@pytest.mark.parametrize("kinds", [(), ("hub",), ("cio",), ("hub", "lrc")])
@pytest.mark.parametrize("with_drafts", [False, True])
def test_summaries_give_the_figures_results_give(kinds, with_drafts):
    """Over a dataset with every status and rating, for every period: the headline, the kinds, each provider
    and the periods over time are the same whether counted from the summaries or from the results."""
    build_scaled_dataset(factor=2)
    # Some drafts and sent-back returns with ratings, so that including drafts changes the figures.
    Return.objects.filter(period__quarter=3).update(status=Return.Status.DRAFT)
    Result.objects.filter(return_obj__period__quarter=3).update(rag="red")
    drafts = Q() if with_drafts else None
    for period in ReportingPeriod.objects.all():
        filters = dashboard.DashboardFilters(period=period, provider_kinds=kinds, drafts=drafts)
        assert dashboard.counts_whole_returns(filters)
        counted = _by_results(filters)
        assert {k: v for k, v in dashboard.headline(filters).items() if not k.endswith("_pct")} == counted
        kinds_rows = (
            dashboard.results_in_view(filters).values("return_obj__provider__kind").annotate(**dashboard.rag_counts())
        )
        assert sorted(
            (row["kind"], *(row[key] for key in (*dashboard.RAG_KEYS, "total")))
            for row in dashboard.by_provider_kind(filters)
        ) == sorted(
            (row["return_obj__provider__kind"], *(row[key] for key in (*dashboard.RAG_KEYS, "total")))
            for row in kinds_rows
        )
        per_provider = {
            row["return_obj__provider"]: row
            for row in dashboard.results_in_view(filters)
            .values("return_obj__provider")
            .annotate(**dashboard.rag_counts())
        }
        for provider in dashboard.providers_in_view(filters):
            expected = per_provider.get(provider.pk, dict.fromkeys((*dashboard.RAG_KEYS, "total"), 0))
            assert [getattr(provider, key) for key in (*dashboard.RAG_KEYS, "total")] == [
                expected[key] for key in (*dashboard.RAG_KEYS, "total")
            ]
        over_time = dashboard.rag_over_time(filters)
        for row in over_time:
            one = ReportingPeriod.objects.get(financial_year=row["financial_year"], quarter=row["quarter"])
            counted = _by_results(dashboard.DashboardFilters(period=one, provider_kinds=kinds, drafts=drafts))
            assert {key: row[key] for key in (*dashboard.RAG_KEYS, "total")} == counted
            assert counted["total"] > 0


@pytest.mark.parametrize(
    "narrowing",
    [{"strand": "x"}, {"rag": "green"}, {"validation": "validated"}, {"priority": "high"}, {"district": True}],
)
def test_filters_about_results_count_results(narrowing):
    """A filter about each result (its district, strand, outcome priority, rating or validation) cannot be
    answered from whole returns' counts: the dashboard then counts the results."""
    period = ReportingPeriod.objects.get(financial_year=2010, quarter=2)
    if narrowing.get("district"):
        from districts.models import District

        narrowing = {"district": District.objects.first()}
    filters = dashboard.DashboardFilters(period=period, **narrowing)
    assert not dashboard.counts_whole_returns(filters)
    assert {k: v for k, v in dashboard.headline(filters).items() if not k.endswith("_pct")} == _by_results(filters)


def test_over_time_lists_only_periods_with_results_in_view():
    period = ReportingPeriod.objects.get(financial_year=2010, quarter=3)
    empty = dashboard.DashboardFilters(period=period, providers=(-1,))
    assert dashboard.rag_over_time(empty) == []
    assert list(itertools.chain(dashboard.by_provider_kind(empty))) == []
