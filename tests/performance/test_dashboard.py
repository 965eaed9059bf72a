"""The dashboard's sections (overview, providers, change, localities): the review's figures, filters, change,
completeness, localities and who sees drafts."""

import re

import pytest
from django.urls import reverse

from performance.models import Result, Return

pytestmark = pytest.mark.django_db
URL = reverse("performance:dashboard")
PROVIDERS_URL = reverse("performance:dashboard_providers")
CHANGE_URL = reverse("performance:dashboard_change")
LOCALITIES_URL = reverse("performance:dashboard_localities")
SECTION_URLS = [URL, PROVIDERS_URL, CHANGE_URL, LOCALITIES_URL]


def text(response) -> str:
    """The page as a reader hears it: tags gone, whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_hubs_and_lrcs_in_2010_11_q2_match_table_three(funder_client):
    response = funder_client.get(URL, {"period": "2010-11-q2", "provider_kind": ["hub", "lrc"]})
    assert response.status_code == 200
    headline = response.context["headline"]
    assert (headline["green"], headline["amber"], headline["red"], headline["not_reported"]) == (26, 2, 0, 13)
    assert (headline["green_pct"], headline["amber_pct"], headline["not_reported_pct"]) == (63, 5, 32)
    assert headline["total"] == 41
    assert "26 green (63%), 2 amber (5%), 0 red (0%), 13 not reported (32%) of 41 indicators" in text(response)
    response = funder_client.get(PROVIDERS_URL, {"period": "2010-11-q2", "provider_kind": ["hub", "lrc"]})
    assert response.status_code == 200
    rows = {p.code: (p.red, p.amber, p.green, p.not_reported) for p in response.context["provider_table"].data}
    assert rows == {
        "CDLRC": (0, 0, 0, 2),
        "LUTLRC": (0, 0, 2, 0),
        "SYSLRC": (0, 0, 2, 0),
        "VASL": (0, 0, 5, 0),
        "CABD": (0, 0, 5, 0),
        "MRCCA": (0, 1, 4, 0),
        "OWCA": (0, 0, 2, 3),
        "VAC": (0, 0, 2, 3),
        "VAHB": (0, 0, 2, 3),
        "VAM": (0, 1, 2, 2),
    }


def test_the_default_period_is_the_latest_with_counted_returns(lcc_client):
    response = lcc_client.get(URL)
    filters = response.context["filters"]
    # 2010/11 Q3 is open with drafts only; 2010/11 Q2 is the latest with counted returns.
    assert filters.period.label == "2010/11 Q2"
    assert filters.compare_to.label == "2009/10 Q3"
    assert response.context["headline"]["total"] == 30 + 41


def test_val_against_2009_10_q3_has_one_decline_and_29_steady_or_improved(funder_client):
    response = funder_client.get(
        CHANGE_URL, {"period": "2010-11-q2", "compare_to": "2009-10-q3", "provider_kind": "cio"}
    )
    change = response.context["change"]
    assert change["declined"] == 1
    assert change["declined_indicators"] == ["VAL-28"]
    assert change["improved"] + change["steady"] == 29
    assert change["newly_reported"] == change["no_longer_reported"] == 0
    page = text(response)
    assert "1 declined (VAL-28)" in page
    assert "Green to amber" in page  # VAL-28's move, written in words
    assert "Amber to green" in page


def test_hubs_that_first_reported_in_q2_show_as_newly_reported(funder_client):
    response = funder_client.get(CHANGE_URL, {"period": "2010-11-q2", "provider_kind": ["hub", "lrc"]})
    change = response.context["change"]
    assert change["newly_reported"] == 28
    assert change["still_not_reported"] == 13
    assert change["improved"] == change["declined"] == change["steady"] == 0


def test_a_rating_that_disappears_counts_as_no_longer_reported(funder_client):
    result = Result.objects.get(
        return_obj__provider__code="VAL", return_obj__period__quarter=2, indicator__code="VAL-01"
    )
    result.rag = "not_reported"
    result.not_reported_reason = "no_target"
    result.save()
    response = funder_client.get(CHANGE_URL, {"period": "2010-11-q2", "compare_to": "2009-10-q3", "provider": "VAL"})
    assert response.context["change"]["no_longer_reported"] == 1


def test_ratings_of_a_return_not_yet_submitted_count_apart_from_those_no_longer_reported(funder_client):
    """2010/11 Q3's returns are drafts: compared with Q2, their ratings are "not yet submitted", never "no longer
    reported" (which says a provider dropped a rating it gave before)."""
    response = funder_client.get(CHANGE_URL, {"period": "2010-11-q3", "compare_to": "2010-11-q2"})
    change = response.context["change"]
    assert change["no_longer_reported"] == 0
    assert change["not_yet_submitted"] > 0
    assert "not yet submitted" in response.content.decode()


def test_filters_by_strand_priority_district_rag_and_validation(funder_client):
    base = {"period": "2010-11-q2"}
    volunteering = funder_client.get(URL, {**base, "strand": "volunteering", "provider_kind": ["hub", "lrc"]})
    assert volunteering.context["headline"]["total"] == 7 * 3 + 3 * 2  # LOC-1..3 for hubs, LOC-1..2 for LRCs
    harborough = funder_client.get(URL, {**base, "district": "harborough"})
    assert harborough.context["headline"]["total"] == 5 + 2  # VASL and Lutterworth LRC
    amber = funder_client.get(URL, {**base, "rag": "amber"})
    assert amber.context["headline"]["total"] == amber.context["headline"]["amber"] == 2 + 3
    validated = funder_client.get(URL, {**base, "validation": "validated"})
    assert validated.context["headline"]["total"] == 0
    high = funder_client.get(URL, {**base, "priority": "high", "provider_kind": "hub"})
    # LOC-1 (outcome 19, high), LOC-3 (19 high, 20 medium), LOC-4 (11 high), LOC-5 (10, 11 high); not LOC-2.
    assert high.context["headline"]["total"] == 7 * 4
    priorities = {row["label"]: row["total"] for row in high.context["priority_table"].data}
    assert priorities["High"] == 28


@pytest.mark.parametrize("url", SECTION_URLS)
def test_an_unknown_period_is_named_in_the_error_summary(funder_client, url):
    response = funder_client.get(url, {"period": "1999-00-q9"})
    assert response.status_code == 200
    assert "Period: “1999-00-q9” is not a reporting period" in text(response)


@pytest.mark.parametrize("url", SECTION_URLS)
def test_comparing_with_a_later_period_is_refused_by_name(funder_client, url):
    response = funder_client.get(url, {"period": "2009-10-q3", "compare_to": "2010-11-q2"})
    assert "Compare with: Choose a period before 2009/10 Q3 to compare with" in text(response)
    assert response.context["filters"].compare_to is None


def test_completeness_shows_drafts_as_not_submitted(lcc_client):
    response = lcc_client.get(URL, {"period": "2010-11-q3", "include_drafts": "true"})
    summary = {row["measure"]: row["providers"] for row in response.context["completeness_table"].data}
    assert summary["Not submitted (draft or sent back)"] == 11
    assert summary["Signed off"] == 0
    response = lcc_client.get(PROVIDERS_URL, {"period": "2010-11-q3", "include_drafts": "true"})
    statuses = {p.code: p.return_status for p in response.context["provider_table"].data}
    assert set(statuses.values()) == {"not_submitted"}


def test_q2_returns_are_signed_off_and_on_time(funder_client):
    response = funder_client.get(URL, {"period": "2010-11-q2"})
    summary = {row["measure"]: row["providers"] for row in response.context["completeness_table"].data}
    assert summary["Signed off"] == 11
    assert summary["Submitted on time"] == 11
    assert "On time" in text(funder_client.get(PROVIDERS_URL, {"period": "2010-11-q2"}))


def test_a_late_submission_reads_late(funder_client):
    late = Return.objects.get(provider__code="VASL", period__quarter=2)
    late.submitted_at = late.submitted_at.replace(month=11, day=15)
    late.save()
    response = funder_client.get(PROVIDERS_URL, {"period": "2010-11-q2"})
    rows = {p.code: p.timeliness for p in response.context["provider_table"].data}
    assert rows["VASL"] == "late"
    assert rows["CABD"] == "on_time"


def test_localities_split_credit_between_val_and_the_hub_and_lrc(lcc_client):
    q2 = Return.objects.get(provider__code="VAL", period__quarter=2)
    loc1 = Result.objects.filter(indicator__code="LOC-1")
    harborough = q2.provider.county.districts.get(slug="harborough")
    Result.objects.create(return_obj=q2, indicator=loc1.first().indicator, district=harborough, rag="green", actual=40)
    loc1.filter(return_obj__provider__code="VASL", return_obj__period__quarter=2).update(actual=100)
    loc1.filter(return_obj__provider__code="LUTLRC", return_obj__period__quarter=2).update(actual=30)
    response = lcc_client.get(LOCALITIES_URL, {"period": "2010-11-q2"})
    row = next(r for r in response.context["locality_table"].data if r["slug"] == "harborough")
    assert row["money"] == 78000  # VASL £68,000 and Lutterworth LRC £10,000 in 2010/11
    assert (row["loc_0_cio"], row["loc_0_hub"], row["loc_0_lrc"], row["loc_0_total"]) == (40, 100, 30, 170)
    assert round(row["loc_0_per_1000"], 2) == round(170 * 1000 / 85382, 2)
    assert "1.99" in text(response)
    assert "£78,000.00" in text(response)


def test_money_by_district_is_not_shown_to_hubs(hub_client, funder_client):
    assert "Money into the district" not in text(hub_client.get(LOCALITIES_URL))
    assert "Money into the district" in text(funder_client.get(LOCALITIES_URL))


@pytest.mark.parametrize("url", SECTION_URLS)
@pytest.mark.parametrize(
    "fixture",
    ["lcc_client", "funder_client", "val_client", "hub_client", "other_hub_client", "lrc_client", "peer_client"],
)
def test_every_role_sees_every_section(request, fixture, url):
    response = request.getfixturevalue(fixture).get(url)
    assert response.status_code == 200
    if url in (URL, PROVIDERS_URL):  # the sections with a chart
        assert "<svg" in response.content.decode()


@pytest.mark.parametrize("url", SECTION_URLS)
def test_signed_out_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def _q3_vasl_draft_rated_green():
    Result.objects.filter(return_obj__provider__code="VASL", return_obj__period__quarter=3).update(rag="green")


def test_a_hub_never_sees_another_providers_draft(hub_client, other_hub_client):
    _q3_vasl_draft_rated_green()
    for client in (hub_client, other_hub_client):
        response = client.get(URL, {"period": "2010-11-q3", "include_drafts": "true"})
        assert response.context["headline"]["total"] == 0
        assert not response.context["filters"].include_drafts
        assert 'name="include_drafts"' not in response.content.decode()


def test_lcc_may_include_every_draft(lcc_client):
    _q3_vasl_draft_rated_green()
    response = lcc_client.get(URL, {"period": "2010-11-q3", "include_drafts": "true"})
    assert response.context["headline"]["green"] == 5
    assert response.context["headline"]["total"] == 30 + 35 + 7 * 5 + 3 * 2
    assert "Draft returns included" in text(response)


def test_funders_may_ask_for_drafts_but_see_no_providers_draft(funder_client):
    _q3_vasl_draft_rated_green()
    response = funder_client.get(URL, {"period": "2010-11-q3", "include_drafts": "true"})
    assert response.context["filters"].include_drafts
    assert response.context["headline"]["total"] == 0
    assert "No draft returns that you may see are included" in text(response)


def test_the_cio_sees_only_its_own_draft(val_client):
    _q3_vasl_draft_rated_green()
    Result.objects.filter(return_obj__provider__code="VAL", return_obj__period__quarter=3, district=None).update(
        rag="amber"
    )
    response = val_client.get(URL, {"period": "2010-11-q3", "include_drafts": "true"})
    headline = response.context["headline"]
    assert headline["green"] == 0  # VASL's draft stays VASL's
    assert headline["amber"] == 30
    assert headline["total"] == 30 + 35


def test_without_include_drafts_nobody_counts_a_draft(lcc_client):
    _q3_vasl_draft_rated_green()
    assert lcc_client.get(URL, {"period": "2010-11-q3"}).context["headline"]["total"] == 0


def test_the_provider_and_change_tables_sort(funder_client):
    response = funder_client.get(PROVIDERS_URL, {"period": "2010-11-q2", "p-sort": "-not_reported"})
    codes = [row.record.code for row in response.context["provider_table"].paginated_rows]
    assert codes[0] in ("OWCA", "VAC", "VAHB")  # three not reported each, the most
    response = funder_client.get(CHANGE_URL, {"period": "2010-11-q2", "provider": "VAL", "c-sort": "indicator_code"})
    rows = [row.record for row in response.context["change_table"].paginated_rows]
    assert [row["indicator_code"] for row in rows[:2]] == ["VAL-01", "VAL-02"]


@pytest.mark.parametrize(
    ("username", "may_include", "drafts_of"),
    [
        ("lcc.officer", True, "every provider"),
        ("funder.reviewer", True, "none"),
        ("val.staff", True, "VAL"),
        ("vasl.hub", False, None),
        ("vac.hub", False, None),
        ("lutterworth.lrc", False, None),
        ("peer.reviewer", False, None),
    ],
)
def test_who_may_count_whose_drafts(username, may_include, drafts_of):
    from contracts.models import Organisation
    from performance.models import Return
    from performance.policies import returns
    from vcsportal.models import User

    user = User.objects.get(username=username)
    assert user.has_perm("performance.include_drafts") is may_include
    if drafts_of is None:
        assert returns.rule(user, "include_drafts") is None
        return
    providers = Organisation.objects.filter(
        pk__in=returns.instances_for(user, "include_drafts", Return.objects.open_to_provider()).values("provider")
    )
    if drafts_of == "every provider":
        assert providers.count() == Return.objects.open_to_provider().values("provider").distinct().count() > 0
    elif drafts_of == "none":
        assert not providers.exists()
    else:
        assert list(providers.values_list("code", flat=True)) == [drafts_of]
