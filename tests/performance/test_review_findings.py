"""Issue 16, items 3 and 4: the indicators as the review describes them (kinds counted beside the text's count,
not under VAL's complete control, the eight amended), and its contradictions flagged wherever their figure is
counted. Every expected figure is read from the loaded data (vcsportal/leicestershire_data.py via the loader)."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse

from contracts.models import Allocation, Contract, FundingPrinciple
from districts.models import District
from performance.models import (
    Indicator,
    IndicatorAmendment,
    RatingSplit,
    ReportingPeriod,
    Result,
    Return,
    SourceContradiction,
)
from vcsportal import leicestershire_data as data

pytestmark = pytest.mark.django_db

VAL_15_FLAG = "val-15-green-but-short-of-target"
KINDS_FLAG = "indicator-kinds-table-two-against-the-text"


def val_indicators():
    return Indicator.objects.filter(code__startswith="VAL-")


# --- item 3 ---------------------------------------------------------------------------------------------------


def test_the_indicators_not_under_vals_complete_control_are_recorded():
    partial = set(val_indicators().filter(under_provider_control=False).values_list("number", flat=True))
    assert partial == set(data.NOT_UNDER_VAL_COMPLETE_CONTROL) == {1, 7, 8, 11, 12, 16}
    assert val_indicators().filter(under_provider_control=True).count() == 30 - len(partial)


def test_the_eight_amended_indicators_are_recorded_with_what_was_amended():
    amendments = IndicatorAmendment.objects.select_related("indicator")
    assert sorted(a.indicator.number for a in amendments) == [1, 4, 12, 14, 16, 18, 21, 29]
    by_kind = {}
    for a in amendments:
        by_kind.setdefault(a.kind, set()).add(a.indicator.number)
    # Section 8.4: three moved to process, three simplified in wording, two made targets sharper.
    assert by_kind == {"process": {16, 18, 21}, "wording": {1, 4, 14}, "target": {12, 29}}
    twelve = amendments.get(indicator__number=12)
    assert "commissioners and other relevant staff" in twelve.what_changed
    assert all(a.financial_year == 2010 and a.history.exists() for a in amendments)


def test_the_indicators_page_counts_kinds_beside_the_texts_count(funder_client):
    counted = dict(
        Indicator.objects.filter(for_cio=True, by_district=False)
        .values("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    stated = SourceContradiction.objects.get(code=KINDS_FLAG).stated_figures
    assert counted["Q"] != stated["Q"] and counted["NAR"] != stated["NAR"]  # the review disagrees with itself
    assert (counted["Q"], counted["NAR"], stated["Q"], stated["NAR"]) == (17, 5, 18, 4)
    page = funder_client.get(reverse("performance:indicators")).content.decode()
    for kind in Indicator.Kind.values:
        row = page.split(f'data-kind="{kind}"')[1].split("</tr>")[0]
        assert (
            f'<td class="govuk-table__cell govuk-table__cell--numeric" data-counted>{counted.get(kind, 0)}</td>' in row
        )
        assert f"data-stated>{stated[kind]}</td>" in row
    assert page.count("the sources disagree") == 2
    assert f'data-contradiction="{KINDS_FLAG}"' in page
    for number in data.NOT_UNDER_VAL_COMPLETE_CONTROL:
        assert f'<li data-code="VAL-{number:02d}">' in page
    for amendment in IndicatorAmendment.objects.select_related("indicator"):
        assert amendment.what_changed.replace('"', "&quot;") in page


def _headline(client, **params):
    response = client.get(reverse("api:summary"), {"period": "2010/11 Q2", **params})
    assert response.status_code == 200, response.content
    return response.json()


def test_the_dashboard_filters_by_provider_control_on_the_page_the_command_and_the_api(funder_client):
    period = ReportingPeriod.objects.by_label("2010/11 Q2")
    counted = Result.objects.filter(return_obj__period=period, return_obj__status__in=Return.COUNTED)
    for value, under in (("partial", False), ("full", True)):
        expected = counted.filter(indicator__under_provider_control=under)
        api = _headline(funder_client, provider_control=value)
        assert api["indicators"] == expected.count()
        assert api["totals"]["amber"] == expected.filter(rag="amber").count()
        out = StringIO()
        call_command("pmf_summary", "--period", "2010/11 Q2", "--provider-control", value, stdout=out)
        assert json.loads(out.getvalue()) == api
        page = funder_client.get(reverse("performance:dashboard"), {"period": "2010-11-q2", "provider_control": value})
        html = page.content.decode()
        assert f'<option value="{value}" selected>' in html
        assert f'id="headline-green">{expected.filter(rag="green").count()}<' in html
    assert _headline(funder_client, provider_control="partial")["indicators"] == 6
    refused = funder_client.get(reverse("api:summary"), {"period": "2010/11 Q2", "provider_control": "some"})
    assert refused.status_code == 400 and "provider_control" in refused.json()


# --- item 4 ---------------------------------------------------------------------------------------------------


def test_val_15_green_but_short_of_target_is_a_flag_on_its_result():
    flag = SourceContradiction.objects.get(code=VAL_15_FLAG)
    result = Result.objects.get(
        indicator__code="VAL-15", return_obj__provider__code="VAL", return_obj__period=flag.period
    )
    assert result.rag == "green"
    assert "appears to be short of target" in flag.second_claim
    assert list(SourceContradiction.objects.for_result(result)) == [flag]


def test_val_15s_city_green_county_amber_split_is_recorded():
    splits = {(s.period.label, s.area): s.rag for s in RatingSplit.objects.filter(indicator__code="VAL-15")}
    assert splits == {("2009/10 Q3", "City"): "green", ("2009/10 Q3", "County"): "amber"}
    # The return holds the County rating; the City one is kept beside it, not averaged in.
    q3 = Result.objects.get(
        indicator__code="VAL-15", return_obj__provider__code="VAL", return_obj__period__financial_year=2009
    )
    assert q3.rag == splits[("2009/10 Q3", "County")]


def test_the_flag_shows_on_the_return_page_the_indicator_page_and_the_dashboard(funder_client):
    flag = SourceContradiction.objects.get(code=VAL_15_FLAG)
    val_return = Return.objects.get(provider__code="VAL", period=flag.period)
    marker = f'data-contradiction="{VAL_15_FLAG}"'
    page = funder_client.get(reverse("performance:return", args=[val_return.pk])).content.decode()
    assert page.count(marker) == 1
    row = page.split(f'id="row-{Result.objects.get(return_obj=val_return, indicator__code="VAL-15").pk}"')[1]
    assert marker in row.split("</tr>")[0]  # on VAL-15's own row
    indicator_page = funder_client.get(reverse("performance:indicator", args=["VAL-15"])).content.decode()
    assert marker in indicator_page
    assert 'data-split="2009/10 Q3 City"' in indicator_page and 'data-split="2009/10 Q3 County"' in indicator_page
    dashboard = funder_client.get(reverse("performance:dashboard"), {"period": flag.period.slug}).content.decode()
    assert marker in dashboard.split('id="headline-flags"')[1]
    # Where VAL-15 is not counted, nor is its flag.
    hubs_only = funder_client.get(
        reverse("performance:dashboard"), {"period": flag.period.slug, "provider_kind": "hub"}
    ).content.decode()
    assert marker not in hubs_only
    other_period = funder_client.get(reverse("performance:dashboard"), {"period": "2009-10-q3"}).content.decode()
    assert marker not in other_period


def test_harboroughs_two_offers_are_both_on_its_district_page(funder_client):
    flag = SourceContradiction.objects.get(district__slug="harborough")
    assert flag.first_source == "Review, section 6.3"
    assert "Appendix Five" in flag.second_source
    page = funder_client.get(District.objects.get(slug="harborough").get_absolute_url()).content.decode()
    assert f'data-contradiction="{flag.code}"' in page
    assert f'data-amount="first">£{flag.first_amount:,.2f}<' in page
    assert f'data-amount="second">£{flag.second_amount:,.2f}<' in page
    assert (flag.first_amount, flag.second_amount) == (68000, 57000)
    other = funder_client.get(District.objects.get(slug="melton").get_absolute_url()).content.decode()
    assert flag.code not in other


def test_appendix_ones_principles_beside_what_was_paid(funder_client):
    contract = Contract.objects.get(paid_from_pool_of=None)
    page = funder_client.get(contract.get_absolute_url()).content.decode()
    for principle in FundingPrinciple.objects.all():
        paid = set(
            Allocation.objects.filter(financial_year=2010, organisation__kind=principle.organisation_kind).values_list(
                "amount", flat=True
            )
        )
        (each,) = paid
        row = page.split(f'data-principle="{principle.code}" data-year="2010/11"')[1].split("</tr>")[0]
        assert f"£{principle.amount_per_year:,.2f}" in row
        assert f"£{each:,.2f} (" in row
        assert f"£{max(principle.amount_per_year - each, 0):,.2f}" in row
    principles = {p.organisation_kind: p.amount_per_year for p in FundingPrinciple.objects.all()}
    assert principles == {"hub": 70000, "lrc": 10000}


def test_the_quarterly_pack_flags_val_15_beside_the_headline_that_counts_it(funder_client):
    flag = SourceContradiction.objects.get(code=VAL_15_FLAG)
    html = funder_client.get(reverse("reports:pack", args=[flag.period.slug])).content.decode()
    assert f'data-contradiction="{VAL_15_FLAG}"' in html.split('id="headline-flags"')[1]
    earlier = funder_client.get(reverse("reports:pack", args=["2009-10-q3"])).content.decode()
    assert VAL_15_FLAG not in earlier
