"""Locality agreements (issue 16, item 6; the review's Appendix Six and Recommendation Four): versioned, drafted
by either party, agreed only when both VAL and the hub or LRC have signed, never edited once agreed, read by
both parties, LCC and funders; another district's hub never sees a draft."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from districts.models import District, LocalityAgreement, LocalityService
from districts.services_agreements import locality_agreement_draft, locality_agreement_edit, locality_agreement_sign
from vcsportal import leicestershire_data as data
from vcsportal.models import User

pytestmark = pytest.mark.django_db


def _user(username):
    return User.objects.get(username=username)


def _harborough_draft():
    harborough = District.objects.get(slug="harborough")
    return locality_agreement_draft(district=harborough, financial_year=2011, user=_user("vasl.hub"))


def _services_form(agreement, **changes):
    form = {"version": agreement.version, "note": "Drafted in the January 2011 meeting."}
    for service in LocalityService.values:
        form[f"{service}_delivered_by"] = ""
        form[f"{service}_note"] = ""
    form.update(changes)
    return form


def test_the_loaded_drafts_are_the_two_part_agreements_with_no_sign_off(funder_client):
    loaded = LocalityAgreement.objects.filter(source=data.LOCALITY_AGREEMENT_SOURCE)
    assert (
        {a.district.slug for a in loaded}
        == set(data.LOCALITY_AGREEMENT_DRAFTS)
        == {
            "hinckley-and-bosworth",
            "melton",
        }
    )
    for agreement in loaded:
        assert agreement.status == "draft" and agreement.financial_year == data.NEGOTIATION_YEAR
        assert agreement.val_signed_at is None and agreement.local_signed_at is None
        expected = data.LOCALITY_AGREEMENT_DRAFTS[agreement.district.slug]["services"]
        assert {s.service: s.delivered_by for s in agreement.services.all() if s.delivered_by} == {
            service: party for service, (party, _in_hub) in expected.items()
        }
    melton = loaded.get(district__slug="melton")
    page = funder_client.get(melton.get_absolute_url()).content.decode()
    assert '<th scope="col" class="govuk-table__header">Delivered by</th>' in page
    assert page.count("Not signed") == 2 and "Not yet agreed" in page
    for service, (party, _in_hub) in data.LOCALITY_AGREEMENT_DRAFTS["melton"]["services"].items():
        row = melton.services.get(service=service)
        assert row.delivered_by == party
        assert f'data-service="{service}"' in page and row.get_delivered_by_display() in page
    district_page = funder_client.get(melton.district.get_absolute_url()).content.decode()
    assert melton.get_absolute_url() in district_page and "2011/12, version 1" in district_page


def test_both_sign_offs_are_needed_and_an_agreed_version_is_immutable(val_client, hub_client):
    agreement = _harborough_draft()
    response = hub_client.post(
        reverse("districts:agreement_edit", args=["harborough", agreement.pk]),
        _services_form(
            agreement, volunteer_brokerage_delivered_by="val", volunteer_brokerage_val_staff_based_in_hub="on"
        ),
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    brokerage = agreement.services.get(service="volunteer_brokerage")
    assert brokerage.delivered_by == "val" and brokerage.val_staff_based_in_hub

    response = hub_client.post(
        reverse("districts:agreement_sign", args=["harborough", agreement.pk]), {"version": agreement.version}
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == "draft" and agreement.local_signed_by.username == "vasl.hub"
    assert agreement.val_signed_at is None

    val_client.post(
        reverse("districts:agreement_sign", args=["harborough", agreement.pk]), {"version": agreement.version}
    )
    agreement.refresh_from_db()
    assert agreement.status == "agreed" and agreement.val_signed_by.username == "val.staff"
    assert agreement.history.first().history_change_reason == "Signed for VAL; agreed by both parties"
    page = val_client.get(agreement.get_absolute_url()).content.decode()
    assert "Victor Staff" in page and "Hannah Hub" in page and "Save the draft" not in page

    # Agreed: never edited, by the page or the service.
    response = val_client.post(
        reverse("districts:agreement_edit", args=["harborough", agreement.pk]),
        _services_form(agreement, training_delivered_by="hub"),
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        locality_agreement_edit(
            agreement=agreement, user=_user("val.staff"), version=agreement.version, note="", services={}
        )
    assert agreement.services.get(service="training").delivered_by == ""

    # A new version supersedes it once both sign that one.
    response = val_client.post(reverse("districts:agreement_draft", args=["harborough"]), {"financial_year": "2011/12"})
    second = LocalityAgreement.objects.get(district__slug="harborough", financial_year=2011, number=2)
    assert response.status_code == 302 and response["Location"] == second.get_absolute_url()
    assert second.supersedes == agreement and second.services.get(service="volunteer_brokerage").delivered_by == "val"
    locality_agreement_sign(agreement=second, user=_user("val.staff"), version=second.version)
    second.refresh_from_db()
    locality_agreement_sign(agreement=second, user=_user("lutterworth.lrc"), version=second.version)
    agreement.refresh_from_db()
    assert agreement.status == "superseded" and agreement.services.get(service="training").delivered_by == ""
    assert agreement.history.first().history_change_reason == "Superseded by version 2"


def test_an_edit_withdraws_a_sign_off_given_to_other_words(hub_client):
    agreement = _harborough_draft()
    agreement = locality_agreement_sign(agreement=agreement, user=_user("val.staff"), version=agreement.version)
    hub_client.post(
        reverse("districts:agreement_edit", args=["harborough", agreement.pk]),
        _services_form(agreement, training_delivered_by="hub"),
    )
    agreement.refresh_from_db()
    assert agreement.val_signed_at is None and agreement.status == "draft"
    assert agreement.history.first().history_change_reason == "Draft changed; sign-offs withdrawn"


def test_a_stale_edit_is_refused(hub_client, val_client):
    agreement = _harborough_draft()
    seen = agreement.version
    val_client.post(
        reverse("districts:agreement_edit", args=["harborough", agreement.pk]),
        _services_form(agreement, training_delivered_by="val"),
    )
    response = hub_client.post(
        reverse("districts:agreement_edit", args=["harborough", agreement.pk]),
        _services_form(agreement, version=seen, training_delivered_by="hub"),
    )
    assert response.status_code == 409 and "Someone else changed this" in response.content.decode()
    assert agreement.services.get(service="training").delivered_by == "val"


def test_refusals_are_named_on_their_fields(hub_client):
    agreement = _harborough_draft()
    response = hub_client.post(
        reverse("districts:agreement_edit", args=["harborough", agreement.pk]),
        _services_form(agreement, training_delivered_by="nobody", funding_advice_val_staff_based_in_hub="on"),
    )
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert 'href="#id_training_delivered_by"' in page
    with pytest.raises(ValidationError) as refused:
        locality_agreement_edit(
            agreement=agreement,
            user=_user("vasl.hub"),
            version=agreement.version,
            note="",
            services={"funding_advice": {"delivered_by": "hub", "val_staff_based_in_hub": True}},
        )
    assert "funding_advice_val_staff_based_in_hub" in refused.value.message_dict


def test_a_second_open_draft_is_refused():
    _harborough_draft()
    with pytest.raises(ValidationError):
        _harborough_draft()


@pytest.mark.parametrize("username", ["lcc.officer", "funder.reviewer", "peer.reviewer", "vac.hub"])
def test_who_may_not_draft_edit_or_sign(login, username):
    agreement = _harborough_draft()
    client = login(username)
    sign = client.post(reverse("districts:agreement_sign", args=["harborough", agreement.pk]), {"version": 2})
    edit = client.post(
        reverse("districts:agreement_edit", args=["harborough", agreement.pk]),
        _services_form(agreement, training_delivered_by="hub"),
    )
    draft = client.post(reverse("districts:agreement_draft", args=["harborough"]), {"financial_year": "2012/13"})
    # Another district's hub cannot even see the draft (404); the others read it and are refused (403).
    expected = 404 if username == "vac.hub" else 403
    assert sign.status_code == expected and edit.status_code == expected and draft.status_code == 403
    agreement.refresh_from_db()
    assert agreement.version == 1 and agreement.val_signed_at is None and agreement.local_signed_at is None
    assert not LocalityAgreement.objects.filter(district__slug="harborough", financial_year=2012).exists()


def test_drafts_are_for_their_parties_and_those_who_oversee_them(login):
    melton = LocalityAgreement.objects.get(district__slug="melton", financial_year=2011)
    for username in ("lcc.officer", "funder.reviewer", "val.staff", "peer.reviewer"):
        assert login(username).get(melton.get_absolute_url()).status_code == 200
    other = login("vac.hub")
    assert other.get(melton.get_absolute_url()).status_code == 404
    assert melton.get_absolute_url() not in other.get(melton.district.get_absolute_url()).content.decode()
    # Once agreed, every signed-in user reads it.
    harborough = _harborough_draft()
    harborough = locality_agreement_sign(agreement=harborough, user=_user("val.staff"), version=harborough.version)
    assert other.get(harborough.get_absolute_url()).status_code == 404
    locality_agreement_sign(agreement=harborough, user=_user("vasl.hub"), version=harborough.version)
    assert other.get(harborough.get_absolute_url()).status_code == 200


def test_the_page_shows_versions_and_history_with_who_and_why(lcc_client):
    agreement = _harborough_draft()
    agreement = locality_agreement_sign(agreement=agreement, user=_user("val.staff"), version=agreement.version)
    page = lcc_client.get(agreement.get_absolute_url()).content.decode()
    assert '<caption class="govuk-table__caption govuk-table__caption--m">History</caption>' in page
    assert "Signed for VAL" in page and "Version 1 drafted" in page and "Hannah Hub" in page
    assert "Victor Staff" in page and f'href="{agreement.get_absolute_url()}">Version 1</a>' in page
    # LCC reads but is no party: no form to change or sign.
    assert "Save the draft" not in page and "Sign this version" not in page
