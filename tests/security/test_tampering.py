"""A hub user (vasl.hub) tampering with ids in URLs, form posts and API calls: another provider's return,
results, sub-contract and dispute. Each attempt is answered 403 or 404 (or, where the id travels inside an
otherwise legitimate form, refused with a message or ignored) and the database is exactly as it was: no row
added, removed or changed, and no history recorded.
"""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from contracts.models import SubContract
from disputes.models import Dispute
from disputes.services import dispute_raise
from performance.models import ReportingPeriod, Result, Return
from performance.services import return_submit
from tests.performance.conftest import fill_hub_rows, page_data, row_prefix
from vcsportal.models import User

pytestmark = pytest.mark.django_db

RETURN_STEPS = ["return_accept", "return_send_back", "return_sign_off", "return_reopen", "return_validate"]


def q3(code: str) -> Return:
    return Return.objects.get(provider__code=code, period__financial_year=2010, period__quarter=3)


def signed_off_q2(code: str) -> Return:
    return Return.objects.get(provider__code=code, period__financial_year=2010, period__quarter=2)


def vac_submits_its_return():
    """VAC fills and submits its Q3 return, so it is past draft (the CIO may see it; VASL still may not)."""
    return_obj = q3("VAC")
    Result.objects.filter(return_obj=return_obj).update(rag="green", actual=7, narrative="A steady quarter.")
    return return_submit(return_obj=return_obj, user=User.objects.get(username="vac.hub"))


def step_data(return_obj: Return) -> dict:
    """What a reviewer's buttons post: a comment, and a verdict on every row."""
    data = {"comment": "Tampered with"}
    for result in return_obj.results.all():
        data[f"v-{result.pk}-validation"] = "challenged"
        data[f"v-{result.pk}-validation_comment"] = "Tampered with"
    return data


def other_form_data(return_obj: Return, hub_client_page) -> dict:
    """A complete, valid return form as vasl.hub's own page would post it, re-addressed to another return's
    rows: each of VASL's row prefixes swapped for the other return's row of the same indicator."""
    data = fill_hub_rows(page_data(hub_client_page), hub_client_page)
    theirs = {r.indicator.code: r.pk for r in return_obj.results.select_related("indicator")}
    swapped = {"version": str(return_obj.version), "submit": "Submit"}
    for form in hub_client_page.context["forms"]:
        other = theirs.get(form.result.indicator.code)
        for key, value in data.items():
            if key.startswith(f"{form.prefix}-") or key.startswith(f"initial-{form.prefix}-"):
                swapped[key.replace(f"row-{form.result.pk}-", f"row-{other}-")] = value
    return swapped


# --- another provider's return: view, save, submit, review steps ------------------------------------------


@pytest.mark.parametrize(
    "victim",
    [
        pytest.param(lambda: q3("VAC"), id="another hub's draft"),
        pytest.param(lambda: q3("VAL"), id="the CIO's draft"),
        pytest.param(lambda: q3("LUTLRC"), id="an LRC's draft"),
        pytest.param(lambda: vac_submits_its_return(), id="another hub's submitted return"),
    ],
)
def test_another_providers_return_is_not_found_whatever_is_asked_of_it(hub_client, unchanged, victim):
    return_obj = victim()
    own_page = hub_client.get(reverse("performance:return", args=[q3("VASL").pk]))
    url = reverse("performance:return", args=[return_obj.pk])
    with unchanged():
        assert hub_client.get(url).status_code == 404
        assert hub_client.post(url, other_form_data(return_obj, own_page)).status_code == 404
        save = other_form_data(return_obj, own_page)
        del save["submit"]
        assert hub_client.post(url, save).status_code == 404
        for step in RETURN_STEPS:
            response = hub_client.post(reverse(f"performance:{step}", args=[return_obj.pk]), step_data(return_obj))
            assert response.status_code == 404, step


def test_a_signed_off_return_of_another_provider_is_not_found_either(hub_client, unchanged):
    return_obj = signed_off_q2("VAC")
    with unchanged():
        for step in RETURN_STEPS:
            response = hub_client.post(reverse(f"performance:{step}", args=[return_obj.pk]), step_data(return_obj))
            assert response.status_code in (403, 404), step


def test_a_hub_cannot_review_its_own_submitted_return(hub_client, unchanged):
    """Accepting, validating, signing off, reopening or sending back are the reviewers' steps, not the provider's."""
    own = q3("VASL")
    Result.objects.filter(return_obj=own).update(rag="green", actual=3, narrative="Good.")
    return_submit(return_obj=own, user=User.objects.get(username="vasl.hub"))
    with unchanged():
        for step in RETURN_STEPS:
            response = hub_client.post(reverse(f"performance:{step}", args=[own.pk]), step_data(own))
            assert response.status_code == 403, step


# --- another provider's ids inside vasl.hub's own return form ----------------------------------------------


def test_rows_of_another_return_posted_with_its_own_form_are_ignored(hub_client, unchanged):
    """VASL's own rows unchanged, plus a full set of rows addressed to VAC's and VAL's results (extra rows
    that belong to other returns): nothing is saved anywhere."""
    own = q3("VASL")
    page = hub_client.get(reverse("performance:return", args=[own.pk]))
    data = page_data(page)
    for victim in (q3("VAC"), q3("VAL"), signed_off_q2("VAC")):
        extra = other_form_data(victim, page)
        extra.pop("version"), extra.pop("submit")
        data.update(extra)
    with unchanged():
        response = hub_client.post(reverse("performance:return", args=[own.pk]), data)
        assert response.status_code == 302  # saved as a draft: VASL's rows, which it left as they were


def test_swapping_a_row_id_for_another_returns_result_changes_neither_return(hub_client, unchanged):
    """The row's fields renamed to a VAC result id, with VASL's own row missing from the post: the VAC result
    is not touched, and VASL's row (absent) keeps its values."""
    own, theirs = q3("VASL"), q3("VAC")
    page = hub_client.get(reverse("performance:return", args=[own.pk]))
    data = fill_hub_rows(page_data(page), page)
    prefix = row_prefix(page, "LOC-1")
    their_loc1 = theirs.results.get(indicator__code="LOC-1")
    swapped = {
        key.replace(prefix, f"row-{their_loc1.pk}"): value
        for key, value in data.items()
        if prefix in key  # only the LOC-1 row, re-addressed
    }
    swapped["version"] = data["version"]
    with unchanged():
        response = hub_client.post(reverse("performance:return", args=[own.pk]), swapped)
        assert response.status_code == 302


def test_the_return_form_has_no_field_that_names_an_indicator_district_or_return(hub_client):
    """Rows are found by the return's own results on the server, never by ids the browser sends: there is no
    indicator, district or return field to swap."""
    page = hub_client.get(reverse("performance:return", args=[q3("VASL").pk]))
    names = set(page_data(page))
    assert not {name for name in names if any(word in name for word in ("indicator", "district", "return_obj"))}


def test_a_stale_version_of_another_return_does_not_unlock_ones_own(hub_client, unchanged):
    own = q3("VASL")
    page = hub_client.get(reverse("performance:return", args=[own.pk]))
    data = fill_hub_rows(page_data(page), page)
    data["version"] = str(q3("VAL").version + 100)
    with unchanged():
        assert hub_client.post(reverse("performance:return", args=[own.pk]), data).status_code == 409


# --- sub-contracts ------------------------------------------------------------------------------------------


def vary_data(subcontract: SubContract) -> dict:
    return {
        "version": str(subcontract.version),
        "varied_on": "2011-04-01",
        "financial_year": "2010/11",
        "amount": "999999.00",
        "reason": "Tampered with",
    }


def end_data(subcontract: SubContract) -> dict:
    return {"version": str(subcontract.version), "ended_on": "2011-03-31", "reason": "Tampered with"}


def test_another_providers_sub_contract_is_not_found(hub_client, unchanged):
    theirs = SubContract.objects.get(provider__code="VAC")
    with unchanged():
        assert hub_client.get(reverse("contracts:subcontract", args=[theirs.pk])).status_code == 404
        assert (
            hub_client.post(reverse("contracts:subcontract_vary", args=[theirs.pk]), vary_data(theirs)).status_code
            == 404
        )
        assert (
            hub_client.post(reverse("contracts:subcontract_end", args=[theirs.pk]), end_data(theirs)).status_code == 404
        )


def test_a_hub_cannot_vary_or_end_its_own_sub_contract(hub_client, unchanged):
    own = SubContract.objects.get(provider__code="VASL")
    with unchanged():
        assert hub_client.post(reverse("contracts:subcontract_vary", args=[own.pk]), vary_data(own)).status_code == 403
        assert hub_client.post(reverse("contracts:subcontract_end", args=[own.pk]), end_data(own)).status_code == 403


def test_a_hub_cannot_let_a_sub_contract_or_touch_the_cio_contract(hub_client, unchanged):
    contract = SubContract.objects.get(provider__code="VASL").contract
    with unchanged():
        response = hub_client.post(
            reverse("contracts:subcontract_create", args=[contract.pk]),
            {"provider": "1", "start_year": "2011/12", "end_year": "2011/12", "amount": "1.00", "reason": "x"},
        )
        assert response.status_code == 403
        assert (
            hub_client.post(reverse("contracts:extend", args=[contract.pk]), {"years": "2", "reason": "x"}).status_code
            == 403
        )


# --- disputes -----------------------------------------------------------------------------------------------


@pytest.fixture
def vac_dispute():
    """A dispute VAC raised with VAL about VAC's sub-contract: VASL is no party to it."""
    return dispute_raise(
        user=User.objects.get(username="vac.hub"),
        subject="Payment schedule",
        details="The second instalment is late.",
        subcontract=SubContract.objects.get(provider__code="VAC"),
    )


def test_another_providers_dispute_is_not_found(hub_client, unchanged, vac_dispute):
    with unchanged():
        assert hub_client.get(reverse("disputes:detail", args=[vac_dispute.pk])).status_code == 404
        for name, data in (
            ("disputes:hearing", {"hearing_on": "2011-03-14"}),
            ("disputes:decide", {"decision": "VASL wins", "hearing_on": "2011-03-14"}),
        ):
            assert hub_client.post(reverse(name, args=[vac_dispute.pk]), data).status_code == 404
        page = hub_client.get(reverse("disputes:list")).content.decode()
        assert "Payment schedule" not in page


@pytest.mark.parametrize(
    "tampered",
    [
        pytest.param(
            lambda d: {"subcontract": SubContract.objects.get(provider__code="VAC").pk}, id="VAC's sub-contract"
        ),
        pytest.param(
            lambda d: {"result": signed_off_q2("VAC").results.first().pk}, id="a rating in VAC's signed-off return"
        ),
        pytest.param(lambda d: {"result": q3("VAC").results.first().pk}, id="a rating in VAC's draft"),
        pytest.param(
            lambda d: {"subcontract": SubContract.objects.get(provider__code="VASL").pk, "refers_to": d.pk},
            id="referring to VAC's dispute",
        ),
    ],
)
def test_raising_a_dispute_about_another_providers_ids_is_refused_with_a_message(
    hub_client, unchanged, vac_dispute, tampered
):
    data = {"subject": "Tampered", "details": "Tampered with", **tampered(vac_dispute)}
    with unchanged():
        response = hub_client.post(reverse("disputes:create"), data)
        assert response.status_code == 200  # the form again, with its error
        assert "from the list" in response.content.decode()
    assert not Dispute.objects.filter(subject="Tampered").exists()


# --- the API ------------------------------------------------------------------------------------------------


@pytest.fixture
def hub_api():
    token, _ = Token.objects.get_or_create(user=User.objects.get(username="vasl.hub"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_api_ids_of_another_providers_return_and_results_are_not_found(hub_api, unchanged):
    theirs = q3("VAC")
    result = theirs.results.first()
    with unchanged():
        assert hub_api.get(f"/api/returns/{theirs.pk}/").status_code == 404
        assert hub_api.get(f"/api/results/{result.pk}/").status_code == 404
        assert hub_api.get(f"/api/returns/{signed_off_q2('VAC').pk}/").status_code == 404
        # Another hub's sub-contract is not found, as in the browser (its own it reads).
        assert (
            hub_api.get("/api/subcontracts/{}/".format(SubContract.objects.get(provider__code="VAC").pk)).status_code
            == 404
        )
        # Filters name another provider: the answer holds only what VASL may see (nothing of VAC's).
        assert hub_api.get("/api/returns/", {"provider": "VAC"}).json()["results"] == []
        listed = hub_api.get("/api/results/", {"provider": "VAC", "period": "2010/11 Q3"}).json()["results"]
        assert listed == []
        everything = hub_api.get("/api/results/", {"page_size": 1000}).json()["results"]
        assert everything and {row["provider"] for row in everything} == {"VASL"}


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_refuses_writes_to_any_return_or_result(hub_api, unchanged, method):
    own, theirs = q3("VASL"), q3("VAC")
    with unchanged():
        for url in (
            f"/api/returns/{own.pk}/",
            f"/api/returns/{theirs.pk}/",
            f"/api/results/{own.results.first().pk}/",
            f"/api/results/{theirs.results.first().pk}/",
            "/api/returns/",
            "/api/results/",
        ):
            response = getattr(hub_api, method)(url, {"rag": "green", "actual": "1"}, format="json")
            assert response.status_code in (403, 404, 405), (method, url, response.status_code)


# --- a locked period --------------------------------------------------------------------------------------


def test_a_locked_period_cannot_be_unlocked_or_its_returns_reopened_by_a_hub(hub_client, unchanged):
    period = ReportingPeriod.objects.get(financial_year=2010, quarter=2)
    own = signed_off_q2("VASL")
    with unchanged():
        assert hub_client.post(reverse("performance:period_lock", args=[period.pk])).status_code == 403
        assert (
            hub_client.post(
                reverse("performance:periods"), {"period": "2010/11 Q2", "due_on": "2011-01-01"}
            ).status_code
            == 403
        )
        assert hub_client.post(reverse("performance:return_reopen", args=[own.pk]), {"comment": "x"}).status_code == 403


def test_the_unchanged_check_sees_a_legitimate_save(hub_client, unchanged):
    """The check every test above relies on is not blind: vasl.hub's own save of its own rows is noticed."""
    own = q3("VASL")
    page = hub_client.get(reverse("performance:return", args=[own.pk]))
    with pytest.raises(AssertionError, match="performance.Result"), unchanged():
        assert (
            hub_client.post(
                reverse("performance:return", args=[own.pk]), fill_hub_rows(page_data(page), page)
            ).status_code
            == 302
        )


# --- whose step it is comes before the form ---------------------------------------------------------------


@pytest.mark.parametrize("step", ["return_send_back", "return_reopen"])
@pytest.mark.parametrize("data", [{}, {"comment": "Please look again"}], ids=["no comment", "a comment"])
def test_a_funder_is_refused_a_reviewers_step_before_being_asked_for_a_comment(funder_client, unchanged, step, data):
    # It used to read the comment first: with none, a funder was told to write one (302 and a message), as if
    # the step were theirs to take.
    own = q3("VASL")
    Result.objects.filter(return_obj=own).update(rag="green", actual=3, narrative="Good.")
    return_submit(return_obj=own, user=User.objects.get(username="vasl.hub"))
    with unchanged():
        assert funder_client.post(reverse(f"performance:{step}", args=[own.pk]), data).status_code == 403


# --- people: a hub user tampering with the people pages and their own access ------------------------------


def test_a_hub_cannot_promote_itself_or_switch_anyone_off(hub_client, unchanged):
    from core.roles import Role
    from vcsportal.people.services import person_fingerprint

    me, colleague = User.objects.get(username="vasl.hub"), User.objects.get(username="lcc.officer")
    promote = {
        "role-role": Role.LCC_OFFICER,
        "role-organisation": "",
        "role-funder": "",
        "role-reason": "Tampered with",
        "role-seen": person_fingerprint(me),
    }
    switch_off = {"active-reason": "Tampered with", "active-seen": person_fingerprint(colleague)}
    with unchanged():
        assert hub_client.post(reverse("people:change_role", args=[me.pk]), promote).status_code == 403
        assert hub_client.post(reverse("people:deactivate", args=[colleague.pk]), switch_off).status_code == 403
        for action in ("reactivate", "resend_invitation", "reset_two_factor"):
            assert hub_client.post(reverse(f"people:{action}", args=[colleague.pk]), switch_off).status_code == 403
        invite = {"email": "friend@example.org", "first_name": "A", "last_name": "Friend", "role": Role.LCC_OFFICER}
        assert hub_client.post(reverse("people:invite"), invite).status_code == 403
        # The admin is not theirs either.
        assert (
            hub_client.post(reverse("admin:vcsportal_user_change", args=[me.pk]), {"role": "lcc_officer"}).status_code
            == 302
        )


# --- the framework: only LCC sets targets, copies or imports them, or publishes a year ------------------------


@pytest.mark.parametrize("username", ["vasl.hub", "lutterworth.lrc", "val.staff", "funder.reviewer", "peer.reviewer"])
def test_nobody_but_lcc_changes_the_framework_whatever_they_post(login, unchanged, username):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(username)
    year = {"year": 2011}
    posts = [
        (
            reverse("performance:targets_set", kwargs={**year, "code": "LOC-1"}),
            {"all-annual": "1", "VASL-annual": "999", "reason": "Mine"},
        ),
        (
            reverse("performance:targets_copy", kwargs=year),
            {"from_year": "2010/11", "indicators": ["VAL-09"], "change_pct": "50", "reason": "Mine"},
        ),
        (reverse("performance:framework_publish", kwargs=year), {"reason": "Mine"}),
    ]
    with unchanged():
        for url, data in posts:
            assert client.post(url, data).status_code == 403, url
        upload = SimpleUploadedFile(
            "t.csv", b"indicator,financial_year,quarter,provider,value\nLOC-1,2011/12,annual,VASL,999\n"
        )
        url = reverse("performance:targets_import", kwargs=year)
        assert client.post(url, {"file": upload, "reason": "Mine"}).status_code == 403
        # Nor through the admin, which they do not enter.
        assert client.post(reverse("admin:performance_target_add"), {"value": "1"}).status_code == 302
