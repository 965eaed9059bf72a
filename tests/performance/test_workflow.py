"""The return workflow end to end: fill, save, submit, accept, sign off; send back; reopen; periods."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse

from performance.models import ReportingPeriod, Result, Return
from performance.services import (
    ReturnRefused,
    period_lock,
    period_open,
    return_accept,
    return_reopen,
    return_send_back,
    return_sign_off,
    return_submit,
)
from tests.performance.conftest import fill_hub_rows, page_data
from vcsportal.models import User

pytestmark = pytest.mark.django_db


def test_a_hub_fills_saves_and_submits_val_accepts_lcc_signs_off_and_history_shows_each_step(
    hub_client, val_client, lcc_client, other_hub_client, q3_return
):
    return_obj = q3_return("VASL")
    url = reverse("performance:return", args=[return_obj.pk])

    page = hub_client.get(url)
    assert page.status_code == 200
    data = fill_hub_rows(page_data(page), page, codes=("LOC-1", "LOC-2"))
    data["save"] = "1"
    response = hub_client.post(url, data)
    assert response.status_code == 302
    return_obj.refresh_from_db()
    assert return_obj.status == Return.Status.DRAFT
    assert return_obj.results.get(indicator__code="LOC-1").actual == Decimal("10")

    # The other hub cannot see the draft at all.
    assert other_hub_client.get(url).status_code == 404
    # VAL cannot see a sub-contractor's draft either.
    assert val_client.get(url).status_code == 404

    page = hub_client.get(url)
    data = fill_hub_rows(page_data(page), page)
    data["submit"] = "1"
    data["confirmed"] = "yes"  # the confirmation page's button
    response = hub_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return_obj.refresh_from_db()
    assert return_obj.status == Return.Status.SUBMITTED
    assert return_obj.submitted_at is not None

    assert return_obj in val_client.get(reverse("performance:review_list")).context["returns"]
    assert val_client.post(reverse("performance:return_accept", args=[return_obj.pk])).status_code == 302
    return_obj.refresh_from_db()
    assert return_obj.status == Return.Status.ACCEPTED

    assert lcc_client.post(reverse("performance:return_sign_off", args=[return_obj.pk])).status_code == 302
    return_obj.refresh_from_db()
    assert return_obj.status == Return.Status.SIGNED_OFF

    page = lcc_client.get(url).content.decode()
    for step, who in [("Submitted", "Hannah Hub"), ("Accepted", "Victor Staff"), ("Signed off", "Laura Officer")]:
        assert step in page
        assert who in page
    assert "status: Accepted → Signed off" in page
    assert "actual: (empty) → 10.00" in page


def test_submit_is_refused_until_every_row_is_complete_with_errors_naming_the_indicator(hub_client, q3_return):
    return_obj = q3_return("VASL")
    url = reverse("performance:return", args=[return_obj.pk])
    page = hub_client.get(url)
    data = fill_hub_rows(page_data(page), page, codes=("LOC-1", "LOC-2", "LOC-3"))
    data["submit"] = "1"
    response = hub_client.post(url, data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "govuk-error-summary" in text
    assert "LOC-4 groups given one-to-one support: write a narrative" in text
    assert "LOC-5" in text
    return_obj.refresh_from_db()
    assert return_obj.status == Return.Status.DRAFT
    # Nothing half-saved: the refused submission saved none of the typed rows.
    assert return_obj.results.get(indicator__code="LOC-1").actual is None
    # ...and the typed values are shown again.
    assert 'value="10"' in text


def test_send_back_with_a_comment_then_the_provider_resumes_and_resubmits(hub_client, val_client, q3_return):
    return_obj = q3_return("VASL")
    hub = User.objects.get(username="vasl.hub")
    val = User.objects.get(username="val.staff")
    url = reverse("performance:return", args=[return_obj.pk])
    page = hub_client.get(url)
    hub_client.post(url, {**fill_hub_rows(page_data(page), page), "submit": "1", "confirmed": "yes"})

    response = val_client.post(reverse("performance:return_send_back", args=[return_obj.pk]), {"comment": ""})
    return_obj.refresh_from_db()
    assert return_obj.status == Return.Status.SUBMITTED  # no comment, no send-back

    val_client.post(reverse("performance:return_send_back", args=[return_obj.pk]), {"comment": "LOC-3 looks low"})
    return_obj.refresh_from_db()
    assert return_obj.status == Return.Status.RETURNED
    assert return_obj.review_comment == "LOC-3 looks low"
    home = hub_client.get(reverse("performance:my_returns")).content.decode()
    assert "LOC-3 looks low" in home

    page = hub_client.get(url)
    assert page.status_code == 200 and "forms" in page.context
    data = page_data(page)
    response = hub_client.post(url, {**data, "submit": "1", "confirmed": "yes"})
    assert response.status_code == 302
    return_obj.refresh_from_db()
    assert return_obj.status == Return.Status.SUBMITTED
    assert hub and val
    # Resubmitted, accepted and signed off: the send-back comment is no longer shown as if it stood (it is in
    # the history).
    val_client.post(reverse("performance:return_accept", args=[return_obj.pk]))
    for client in (hub_client, val_client):
        page = client.get(url).content.decode()
        assert "Sent back because" not in page and "Reviewer&#x27;s note" not in page and "Reviewer's note" not in page


def test_every_transition_and_the_illegal_ones(q3_return):
    lcc = User.objects.get(username="lcc.officer")
    val = User.objects.get(username="val.staff")
    hub = User.objects.get(username="vasl.hub")
    return_obj = q3_return("VASL")

    with pytest.raises(PermissionDenied):  # a hub's draft is not the CIO's to see, let alone accept
        return_accept(return_obj=return_obj, user=val)
    with pytest.raises(ReturnRefused, match="cannot be signed off"):
        return_sign_off(return_obj=return_obj, user=lcc)
    with pytest.raises(ReturnRefused, match="cannot be sent back"):
        return_send_back(return_obj=return_obj, user=lcc, comment="why")
    with pytest.raises(ReturnRefused, match="already open"):
        return_reopen(return_obj=return_obj, user=lcc, reason="why")

    Result.objects.filter(return_obj=return_obj).update(rag="green", actual=1, narrative="Fine.")
    return_submit(return_obj=return_obj, user=hub)
    with pytest.raises(ReturnRefused, match="only a draft can be submitted"):
        return_submit(return_obj=return_obj, user=hub)
    with pytest.raises(ReturnRefused, match="cannot be signed off"):
        return_sign_off(return_obj=return_obj, user=lcc)
    return_accept(return_obj=return_obj, user=val)
    with pytest.raises(ReturnRefused, match="cannot be accepted"):
        return_accept(return_obj=return_obj, user=val)
    return_send_back(return_obj=return_obj, user=lcc, comment="Please add evidence")
    assert Return.objects.get(pk=return_obj.pk).status == Return.Status.RETURNED
    with pytest.raises(PermissionDenied):  # back with its provider: not the CIO's to see
        return_accept(return_obj=return_obj, user=val)
    return_submit(return_obj=return_obj, user=hub)  # returned -> draft -> submitted
    return_accept(return_obj=return_obj, user=val)
    return_sign_off(return_obj=return_obj, user=lcc)
    with pytest.raises(ReturnRefused, match="cannot be sent back"):
        return_send_back(return_obj=return_obj, user=lcc, comment="late thoughts")
    with pytest.raises(ReturnRefused, match="reason"):
        return_reopen(return_obj=return_obj, user=lcc, reason=" ")
    return_reopen(return_obj=return_obj, user=lcc, reason="Figures corrected by the district council")
    return_obj.refresh_from_db()
    assert return_obj.status == Return.Status.DRAFT
    assert return_obj.signed_off_at is None
    assert return_obj.review_comment == "Figures corrected by the district council"


def test_the_cio_return_is_accepted_by_lcc_not_by_val(q3_return):
    lcc = User.objects.get(username="lcc.officer")
    val = User.objects.get(username="val.staff")
    return_obj = q3_return("VAL")
    Result.objects.filter(return_obj=return_obj).update(rag="not_reported", not_reported_reason="not_yet_available")
    return_submit(return_obj=return_obj, user=val)
    with pytest.raises(PermissionDenied):
        return_accept(return_obj=return_obj, user=val)
    return_accept(return_obj=return_obj, user=lcc)
    return_sign_off(return_obj=return_obj, user=lcc)
    assert Return.objects.get(pk=return_obj.pk).status == Return.Status.SIGNED_OFF


def test_after_the_lock_only_lcc_reopens_with_a_reason_and_the_provider_can_finish(hub_client, q3_return):
    lcc = User.objects.get(username="lcc.officer")
    hub = User.objects.get(username="vasl.hub")
    return_obj = q3_return("VASL")
    period = return_obj.period
    assert period_lock(period=period, user=lcc) is True
    assert period_lock(period=period, user=lcc) is False

    url = reverse("performance:return", args=[return_obj.pk])
    page = hub_client.get(url)
    assert "forms" not in page.context  # read-only once locked
    Result.objects.filter(return_obj=return_obj).update(rag="green", actual=1, narrative="Fine.")
    with pytest.raises(ReturnRefused, match="locked"):
        return_submit(return_obj=return_obj, user=hub)
    with pytest.raises(PermissionDenied):
        return_reopen(return_obj=return_obj, user=hub, reason="please")
    return_reopen(return_obj=return_obj, user=lcc, reason="Late because of staff illness")
    return_obj.refresh_from_db()
    assert return_obj.reopened_after_lock
    assert "forms" in hub_client.get(url).context
    return_submit(return_obj=return_obj, user=hub)
    return_obj.refresh_from_db()
    assert return_obj.status == Return.Status.SUBMITTED
    assert not return_obj.reopened_after_lock  # the lock applies again once it is submitted
    with pytest.raises(ReturnRefused, match="locked"):
        return_send_back(return_obj=return_obj, user=lcc, comment="Sorry, one more thing")


def test_open_period_command_creates_a_return_for_every_live_provider_and_is_idempotent(capsys):
    call_command("open_period", "2010/11 Q4", "--due", "2011-04-30")
    period = ReportingPeriod.objects.get(financial_year=2010, quarter=4)
    assert period.status == ReportingPeriod.Status.OPEN
    assert period.due_on == datetime.date(2011, 4, 30)
    assert period.returns.count() == 11
    assert period.returns.get(provider__code="VAL").results.count() == 30 + 5 * 7
    assert period.returns.get(provider__code="LUTLRC").results.count() == 2
    assert set(period.returns.values_list("status", flat=True)) == {"draft"}
    out = capsys.readouterr().out
    assert "11 returns" in out

    history_before = Return.history.count() + Result.history.count()
    call_command("open_period", "2010/11 Q4", "--due", "2011-04-30")
    assert "nothing changed" in capsys.readouterr().out
    assert Return.history.count() + Result.history.count() == history_before
    assert period.returns.count() == 11

    call_command("lock_period", "2010/11 Q4")
    period.refresh_from_db()
    assert period.status == ReportingPeriod.Status.LOCKED
    assert period.locked_on is not None


def test_open_period_leaves_out_providers_whose_subcontract_has_ended():
    from contracts.models import SubContract

    # 2011/12: every hub and LRC reports under its sub-contract of the CIO contract (in 2010/11 each was
    # under its own contract, which a sub-contract's status does not touch).
    owing = {
        r.provider.code
        for r in period_open(financial_year=2011, quarter=1, due_on=datetime.date(2011, 7, 31)).returns_created
    }
    assert "SYSLRC" in owing
    Return.objects.filter(period__financial_year=2011).delete()
    SubContract.objects.filter(provider__code="SYSLRC").update(status="ended")
    report = period_open(financial_year=2011, quarter=1, due_on=datetime.date(2011, 7, 31))
    assert {r.provider.code for r in report.returns_created} == owing - {"SYSLRC"}
    assert not Return.objects.filter(provider__code="SYSLRC", period=report.period).exists()
    # No contract covers 2013/14: nobody owes a return.
    assert period_open(financial_year=2013, quarter=1, due_on=datetime.date(2013, 7, 31)).returns_created == []


def test_period_commands_refuse_bad_input():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not a period"):
        call_command("open_period", "2010 Q5", "--due", "2011-04-30")
    with pytest.raises(CommandError, match="not a date"):
        call_command("open_period", "2010/11 Q4", "--due", "30 April")
    with pytest.raises(CommandError, match="no period"):
        call_command("lock_period", "2015/16 Q1")
    with pytest.raises(CommandError, match="locked"):
        call_command("open_period", "2010/11 Q2", "--due", "2011-04-30")


def test_periods_page_opens_and_locks(lcc_client):
    response = lcc_client.post(reverse("performance:periods"), {"period": "2010/11 Q4", "due_on": "2011-04-30"})
    assert response.status_code == 302
    period = ReportingPeriod.objects.get(financial_year=2010, quarter=4)
    assert period.returns.count() == 11
    page = lcc_client.get(reverse("performance:periods")).content.decode()
    assert "2010/11 Q4" in page
    response = lcc_client.post(reverse("performance:periods"), {"period": "Q4 2010", "due_on": "2011-04-30"})
    assert response.status_code == 400
    assert "Enter the period like 2010/11 Q4" in response.content.decode()
    lcc_client.post(reverse("performance:period_lock", args=[period.pk]), {"confirmed": "yes"})
    period.refresh_from_db()
    assert period.status == ReportingPeriod.Status.LOCKED


def test_reviewers_validate_or_challenge_each_rating_and_new_figures_need_checking_again(
    val_client, hub_client, q3_return
):
    return_obj = q3_return("VASL")
    Result.objects.filter(return_obj=return_obj).update(rag="green", actual=4, narrative="Fine.")
    return_submit(return_obj=return_obj, user=User.objects.get(username="vasl.hub"))
    loc1, loc2 = return_obj.results.order_by("indicator__code")[:2]
    url = reverse("performance:return_validate", args=[return_obj.pk])

    response = val_client.post(url, {f"v-{loc1.pk}-validation": "challenged", f"v-{loc2.pk}-validation": "validated"})
    assert response.status_code == 400
    assert "LOC-1 volunteer enquiries: say why you challenge the rating" in response.content.decode()
    assert not return_obj.results.exclude(validation="self_rated").exists()

    data = {f"v-{r.pk}-validation": "self_rated" for r in return_obj.results.all()}
    data.update(
        {
            f"v-{loc1.pk}-validation": "challenged",
            f"v-{loc1.pk}-validation_comment": "The enquiry log shows 3",
            f"v-{loc2.pk}-validation": "validated",
        }
    )
    assert val_client.post(url, data).status_code == 302
    loc1.refresh_from_db()
    loc2.refresh_from_db()
    assert (loc1.validation, loc1.validation_comment, loc2.validation) == (
        "challenged",
        "The enquiry log shows 3",
        "validated",
    )
    assert loc1.history.first().history_user.username == "val.staff"

    # Sent back, the hub corrects LOC-1: the new figure is self-rated again until a reviewer checks it.
    return_send_back(return_obj=return_obj, user=User.objects.get(username="val.staff"), comment="See LOC-1")
    page = hub_client.get(reverse("performance:return", args=[return_obj.pk]))
    assert "Challenged" in page.content.decode()
    data = page_data(page)
    data[f"row-{loc1.pk}-actual"] = "3"
    assert (
        hub_client.post(reverse("performance:return", args=[return_obj.pk]), {**data, "save": "1"}).status_code == 302
    )
    loc1.refresh_from_db()
    loc2.refresh_from_db()
    assert (loc1.actual, loc1.validation, loc2.validation) == (Decimal("3"), "self_rated", "validated")
    # Back to self-rated, the row no longer carries the challenge's comment (its history keeps it).
    assert loc1.validation_comment == ""
    assert loc1.history.filter(validation_comment="The enquiry log shows 3").exists()
    assert (
        "The enquiry log shows 3"
        not in hub_client.get(reverse("performance:return", args=[return_obj.pk])).content.decode().split("History")[0]
    )

    # A reviewer putting a row back to self-rated leaves no comment on it either.
    return_submit(return_obj=return_obj, user=User.objects.get(username="vasl.hub"))
    data = {f"v-{loc2.pk}-validation": "self_rated", f"v-{loc2.pk}-validation_comment": "Never mind"}
    assert val_client.post(url, data).status_code == 302
    loc2.refresh_from_db()
    assert (loc2.validation, loc2.validation_comment) == ("self_rated", "")


def test_opening_an_open_period_again_changes_only_its_due_date(lcc_client):
    q3 = ReportingPeriod.objects.get(financial_year=2010, quarter=3)
    returns_before = Return.objects.count()
    response = lcc_client.post(reverse("performance:periods"), {"period": "2010/11 Q3", "due_on": "2011-02-14"})
    assert response.status_code == 302
    q3.refresh_from_db()
    assert q3.due_on == datetime.date(2011, 2, 14)
    assert Return.objects.count() == returns_before
    assert q3.history.first().history_user.username == "lcc.officer"
