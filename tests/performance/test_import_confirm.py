"""Confirming a checked import: after a dry run the officer imports the kept file with one button, carrying only
an opaque token. Only they may use it, once, within the time it is kept; the import is all or nothing, and the
kept file is gone afterwards whatever happened."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from performance.imports import PENDING_IMPORT_MINUTES
from performance.models import PendingImport, Result, Return
from performance.services import period_lock
from tests.performance.test_import import GOOD, HEADER, snapshot
from tests.signin import signed_in
from vcsportal.models import User
from vcsportal.people.roles import roles_sync

pytestmark = pytest.mark.django_db

URL = reverse("performance:import")


def dry_run(client, text: str = GOOD, **extra):
    upload = SimpleUploadedFile("returns.csv", text.encode(), content_type="text/csv")
    return client.post(URL, {"file": upload, "dry_run": "on", **extra})


def confirm_form(response) -> dict:
    """The fields of the page's Confirm import form, as it renders them."""
    page = response.content.decode()
    form = re.search(r"<form method=\"post\" novalidate>(.*?)</form>", page, re.S)
    assert form and "Confirm import" in form.group(1)
    return dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form.group(1)))


def confirm(client, token: str):
    return client.post(URL, {"confirm": token})


def imported_history() -> int:
    return Result.history.filter(history_change_reason="CSV import").count()


@pytest.fixture
def second_lcc_client():
    first = User.objects.get(username="lcc.officer")
    second = User.objects.create(
        username="lcc.second",
        role=first.role,
        funder=first.funder,
        organisation=first.organisation,
        is_staff=True,
        partnership=first.partnership,
    )
    roles_sync()
    return signed_in(second)


def test_a_dry_run_then_confirm_imports_exactly_what_the_dry_run_reported(lcc_client):
    before = snapshot()
    response = dry_run(lcc_client)
    assert response.status_code == 200
    page = response.content.decode()
    assert "0 results would be created and 6 updated (0 unchanged). Dry run: nothing was saved." in page
    assert snapshot() == before
    fields = confirm_form(response)
    assert set(fields) == {"csrfmiddlewaretoken", "confirm"}  # only the opaque token: no figures, no file name
    assert f"kept for you for {PENDING_IMPORT_MINUTES} minutes" in page

    response = confirm(lcc_client, fields["confirm"])
    assert response.status_code == 200
    assert "0 results were created and 6 updated (0 unchanged)." in response.content.decode()
    assert Result.history.filter(history_change_reason="CSV import", history_user__username="lcc.officer").count() == 6
    assert not PendingImport.objects.exists()
    row = Result.objects.get(
        return_obj__provider__code="VAL",
        return_obj__period__quarter=3,
        indicator__code="LOC-4",
        district__slug="melton",
    )
    assert (row.actual, row.narrative) == (8, "Melton groups")


def test_a_confirmed_import_submits_when_the_dry_run_asked_to(lcc_client):
    rows = "".join(f"2010/11 Q3,VASL,LOC-{n},,green,{n},,,Quarter {n} narrative\n" for n in range(1, 6))
    response = dry_run(lcc_client, HEADER + rows, submit="on")
    assert "Submitted: VASL 2010/11 Q3. Dry run: nothing was saved." in response.content.decode()
    response = confirm(lcc_client, confirm_form(response)["confirm"])
    assert response.status_code == 200
    assert "Submitted: VASL 2010/11 Q3." in response.content.decode()
    submitted = Return.objects.get(provider__code="VASL", period__financial_year=2010, period__quarter=3)
    assert submitted.status == Return.Status.SUBMITTED


def test_another_officer_cannot_use_the_token(lcc_client, second_lcc_client):
    token = confirm_form(dry_run(lcc_client))["confirm"]
    before = snapshot()
    response = confirm(second_lcc_client, token)
    assert response.status_code == 404
    assert "This checked file is not kept for you" in response.content.decode()
    assert snapshot() == before
    # Theirs to use still.
    assert confirm(lcc_client, token).status_code == 200
    assert imported_history() == 6


def test_those_who_may_not_import_cannot_confirm(lcc_client, hub_client):
    token = confirm_form(dry_run(lcc_client))["confirm"]
    before = snapshot()
    assert confirm(hub_client, token).status_code == 403
    assert snapshot() == before
    assert PendingImport.objects.count() == 1


def test_an_expired_token_is_refused_and_its_file_deleted(lcc_client):
    token = confirm_form(dry_run(lcc_client))["confirm"]
    PendingImport.objects.update(created=timezone.now() - timedelta(minutes=PENDING_IMPORT_MINUTES + 1))
    before = snapshot()
    response = confirm(lcc_client, token)
    assert response.status_code == 410
    page = response.content.decode()
    assert "The checked file expired" in page and "Choose the file again" in page
    assert page.count("govuk-error-summary__list") == 1
    assert snapshot() == before
    assert not PendingImport.objects.exists()


def test_a_new_dry_run_deletes_files_kept_too_long(lcc_client):
    dry_run(lcc_client)
    PendingImport.objects.update(created=timezone.now() - timedelta(minutes=PENDING_IMPORT_MINUTES + 1))
    token = confirm_form(dry_run(lcc_client))["confirm"]
    assert list(PendingImport.objects.values_list("token", flat=True)) == [token]


def test_a_token_is_used_once(lcc_client):
    token = confirm_form(dry_run(lcc_client))["confirm"]
    assert confirm(lcc_client, token).status_code == 200
    before = snapshot()
    response = confirm(lcc_client, token)
    assert response.status_code == 404
    assert "it has been imported already" in response.content.decode()
    assert snapshot() == before
    assert confirm(lcc_client, "made-up").status_code == 404


def test_a_confirm_that_now_fails_saves_nothing_and_drops_the_file(lcc_client):
    """The kept file is read again at confirmation: if the returns changed since (here: locked), every problem
    is listed and nothing is half-saved."""
    token = confirm_form(dry_run(lcc_client))["confirm"]
    period = Return.objects.get(provider__code="VAL", period__financial_year=2010, period__quarter=3).period
    period_lock(period=period)
    before = snapshot()
    response = confirm(lcc_client, token)
    assert response.status_code == 400
    assert "is locked" in response.content.decode()
    assert snapshot() == before
    assert not PendingImport.objects.exists()


def test_a_failed_dry_run_keeps_nothing_and_offers_no_confirmation(lcc_client):
    response = dry_run(lcc_client, GOOD + "2010/11 Q3,VASL,LOC-3,,green,x,,,x\n")
    assert response.status_code == 400
    assert "Confirm import" not in response.content.decode()
    assert not PendingImport.objects.exists()
