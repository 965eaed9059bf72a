"""District negotiations, structured (issue 16, item 7; the review's Appendix Seven and Recommendation Six):
each party's position, the outputs the funders asked for, the end-of-January-2011 deadline, the route to
mediation or the Peer Review Body once it passes, and a status history. CIO staff and LCC officers record the
steps; a district's hub or LRC its own position; funders and everybody else read only."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from districts.models import DistrictNegotiation, NegotiationNote, NegotiationPosition, NegotiationRoute
from districts.services_agreements import negotiation_route_record
from vcsportal import leicestershire_data as data
from vcsportal.models import User

pytestmark = pytest.mark.django_db


def _negotiation(slug="harborough"):
    return DistrictNegotiation.objects.get(district__slug=slug, financial_year=data.NEGOTIATION_YEAR)


def _url(name, negotiation):
    return reverse(f"districts:{name}", args=[negotiation.district.slug, negotiation.pk])


OUTPUTS = {
    "pct_to_hubs_and_lrcs": "22.50",
    "pct_to_hub": "80",
    "pct_to_lrc": "20",
    "pct_val_frontline": "40",
    "pct_val_dva": "15",
    "pct_val_ddo": "25",
    "district_plan_summary": "Bases in Market Harborough and Lutterworth.",
    "val_support_summary": "Policy work feeds local customer insight.",
}


def test_every_district_has_its_loaded_negotiation_with_the_positions_appendix_five_gives(funder_client):
    negotiations = DistrictNegotiation.objects.all()
    assert {n.district.slug for n in negotiations} == set(data.NEGOTIATION_STATUS_DEC_2010)
    deadline = datetime.date(*data.NEGOTIATION_DEADLINE)
    assert deadline == datetime.date(2011, 1, 31) and {n.deadline for n in negotiations} == {deadline}
    for negotiation in negotiations:
        loaded = {p.party: p.position for p in negotiation.positions.all()}
        assert loaded == data.NEGOTIATION_POSITIONS[negotiation.district.slug]
        # The review records none of the outputs the funders asked for.
        assert negotiation.pct_to_hubs_and_lrcs is None and negotiation.district_plan_summary == ""
    harborough = _negotiation()
    page = funder_client.get(harborough.get_absolute_url()).content.decode()
    assert "31 January 2011" in page and "passed without agreement" in page
    assert "3 years transition funding at £57,000 pa" in page  # the Hub's offer, as Appendix Five gives it
    assert page.count("Not agreed") >= 8 and data.NEGOTIATION_POSITION_SOURCE in page
    assert harborough.district.get_absolute_url() in page
    # Where the review gives a party no position, none is shown.
    oadby = funder_client.get(_negotiation("oadby-and-wigston").get_absolute_url()).content.decode()
    assert "No position recorded" in oadby
    assert not NegotiationPosition.objects.filter(
        negotiation__district__slug="oadby-and-wigston", party="district_council"
    ).exists()
    district_page = funder_client.get(harborough.district.get_absolute_url()).content.decode()
    assert harborough.get_absolute_url() in district_page


def test_cio_staff_record_the_outputs_as_decimals_with_history(val_client):
    negotiation = _negotiation()
    response = val_client.post(_url("negotiation_outputs", negotiation), {"version": negotiation.version, **OUTPUTS})
    assert response.status_code == 302
    negotiation.refresh_from_db()
    assert negotiation.pct_to_hubs_and_lrcs == Decimal("22.50") and negotiation.pct_val_ddo == Decimal("25")
    latest = negotiation.history.first()
    assert (
        latest.history_user.username == "val.staff" and latest.history_change_reason == "Negotiation outputs recorded"
    )
    page = val_client.get(negotiation.get_absolute_url()).content.decode()
    assert "22.50%" in page and "Bases in Market Harborough" in page


@pytest.mark.parametrize(
    ("field", "value"),
    [("pct_to_hubs_and_lrcs", "100.01"), ("pct_to_hub", "-1"), ("pct_val_frontline", "ten"), ("pct_to_lrc", "30")],
)
def test_percentages_are_0_to_100_with_errors_naming_the_field(lcc_client, field, value):
    negotiation = _negotiation()
    response = lcc_client.post(
        _url("negotiation_outputs", negotiation), {"version": negotiation.version, **OUTPUTS, field: value}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page and f'href="#id_{field}"' in page
    negotiation.refresh_from_db()
    assert negotiation.pct_to_hubs_and_lrcs is None


def test_a_stale_edit_of_the_outputs_is_refused(val_client, lcc_client):
    negotiation = _negotiation()
    seen = negotiation.version
    lcc_client.post(_url("negotiation_outputs", negotiation), {"version": seen, **OUTPUTS})
    response = val_client.post(
        _url("negotiation_outputs", negotiation), {"version": seen, **OUTPUTS, "pct_to_hub": "50", "pct_to_lrc": "50"}
    )
    assert response.status_code == 409
    negotiation.refresh_from_db()
    assert negotiation.pct_to_hub == Decimal("80")


def test_a_hub_records_its_own_position_only(hub_client):
    negotiation = _negotiation()
    before = negotiation.positions.get(party="hub")
    response = hub_client.post(
        _url("negotiation_position", negotiation),
        {"party": "hub", "position": "We accept two years' transition funding.", "version": before.version},
    )
    assert response.status_code == 302
    after = negotiation.positions.get(party="hub")
    assert after.position.startswith("We accept") and after.recorded_by.username == "vasl.hub"
    assert after.history.count() == 2 and after.history.last().position == before.position  # the earlier kept
    refused = hub_client.post(_url("negotiation_position", negotiation), {"party": "val", "position": "x"})
    assert refused.status_code == 200 and 'href="#id_party_1"' in refused.content.decode()
    assert negotiation.positions.get(party="val").position == data.NEGOTIATION_POSITIONS["harborough"]["val"]


def test_status_changes_are_recorded_with_who_when_and_note(val_client):
    negotiation = _negotiation("melton")
    response = val_client.post(
        _url("negotiation_status", negotiation),
        {"noted_on": "2011-01-28", "status": "agreed", "note": "Transition funding agreed for 2011/12."},
    )
    assert response.status_code == 302
    note = NegotiationNote.objects.get(district__slug="melton", noted_on="2011-01-28")
    assert note.recorded_by.username == "val.staff" and note.status == "agreed"
    negotiation.district.refresh_from_db()
    assert negotiation.district.negotiation_status == "agreed"
    assert negotiation.district.history.first().history_user.username == "val.staff"
    page = val_client.get(negotiation.get_absolute_url()).content.decode()
    assert "28 January 2011: Agreed" in page and "6 December 2010: Part agreed" in page
    assert "Record the route" not in page  # agreed: nothing to mediate


def test_the_route_is_taken_only_after_the_deadline_without_agreement(lcc_client):
    negotiation = _negotiation("charnwood")
    lcc = User.objects.get(username="lcc.officer")
    with pytest.raises(ValidationError) as early:
        negotiation_route_record(
            negotiation=negotiation, user=lcc, route="mediation", decided_on=datetime.date(2011, 1, 31), reason="x"
        )
    assert "decided_on" in early.value.message_dict
    response = lcc_client.post(
        _url("negotiation_route", negotiation),
        {"route": "peer_review_body", "decided_on": "2011-02-07", "reason": "No agreement by 31 January 2011."},
    )
    assert response.status_code == 302
    route = NegotiationRoute.objects.get(negotiation=negotiation)
    assert route.get_route_display() == "The Peer Review Body" and route.recorded_by == lcc
    page = lcc_client.get(negotiation.get_absolute_url()).content.decode()
    assert "7 February 2011: The Peer Review Body" in page and "No agreement by 31 January 2011." in page


@pytest.mark.parametrize("username", ["funder.reviewer", "peer.reviewer", "vasl.hub", "vac.hub", "lutterworth.lrc"])
def test_who_may_not_record_the_steps(login, username):
    negotiation = _negotiation()
    client = login(username)
    assert client.get(negotiation.get_absolute_url()).status_code == 200  # everybody reads
    for name, form in [
        ("negotiation_outputs", {"version": negotiation.version, **OUTPUTS}),
        ("negotiation_route", {"route": "mediation", "decided_on": "2011-02-07", "reason": "x"}),
        ("negotiation_status", {"noted_on": "2011-02-07", "status": "agreed", "note": "x"}),
    ]:
        assert client.post(_url(name, negotiation), form).status_code == 403
    position = client.post(_url("negotiation_position", negotiation), {"party": "hub", "position": "Ours."})
    # Harborough's own hub records its position; its LRC may record only the LRC's (refused on the field);
    # funders, peer reviewers and another district's hub may not record one at all.
    expected = {"vasl.hub": 302, "lutterworth.lrc": 200}.get(username, 403)
    assert position.status_code == expected
    negotiation.refresh_from_db()
    assert negotiation.pct_to_hubs_and_lrcs is None and not negotiation.routes.exists()
    assert negotiation.district.negotiation_status == "part_agreed"


def test_the_changes_are_in_the_pages_history(lcc_client):
    negotiation = _negotiation()
    lcc_client.post(_url("negotiation_outputs", negotiation), {"version": negotiation.version, **OUTPUTS})
    page = lcc_client.get(negotiation.get_absolute_url()).content.decode()
    assert "Negotiation outputs recorded" in page and "Laura Officer" in page
    assert "The data load" in page  # the positions loaded from Appendix Five


def test_a_stale_position_is_refused(hub_client, lcc_client):
    negotiation = _negotiation()
    page = hub_client.get(negotiation.get_absolute_url()).content.decode()
    seen = negotiation.positions.get(party="hub").version
    assert f'id="position_version" value="{seen}"' in page or f'value="{seen}" id="position_version"' in page
    lcc_client.post(
        _url("negotiation_position", negotiation), {"party": "hub", "position": "Corrected by LCC.", "version": seen}
    )
    response = hub_client.post(
        _url("negotiation_position", negotiation), {"party": "hub", "position": "Ours.", "version": seen}
    )
    assert response.status_code == 409
    assert negotiation.positions.get(party="hub").position == "Corrected by LCC."
