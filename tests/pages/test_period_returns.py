"""A period's returns for its reviewers: every provider owing one, filtered and downloadable; reminders now
to the overdue; bulk accept (the CIO) and bulk sign-off (LCC) after a confirmation page, in one transaction,
with history on each return and each provider told. What each reviewer sees is what the policies allow."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from notifications.models import Notification
from performance.models import Return
from performance.selectors import providers_reporting_in, return_history
from performance.services import return_accept
from tests.notifications.test_events import q3, submitted, user

pytestmark = pytest.mark.django_db

Q3 = "2010-11-q3"
LIST = reverse("period_returns:list", args=[Q3])
BULK = reverse("period_returns:bulk", args=[Q3])


def test_lcc_sees_every_provider_owing_a_q3_return_with_a_link_to_each(lcc_client):
    response = lcc_client.get(LIST)
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row.provider.code for row in rows] == [p.code for p in providers_reporting_in(2010)]
    assert len(rows) == 11
    page = response.content.decode()
    for row in rows:
        assert f'href="{row.return_obj.get_absolute_url()}"' in page
        assert row.status_label == "Draft"
        assert row.days_overdue > 0  # Q3 was due on 31 January 2011


def test_the_cio_sees_its_own_return_and_only_that_the_hubs_drafts_are_not_submitted(val_client):
    response = val_client.get(LIST)
    rows = {row.provider.code: row for row in response.context["rows"]}
    assert rows["VAL"].visible and rows["VAL"].status_label == "Draft"
    assert not rows["VASL"].visible and rows["VASL"].status_label == "Not submitted yet"
    page = response.content.decode()
    assert f'href="{rows["VASL"].return_obj.get_absolute_url()}"' not in page
    assert f'href="{rows["VAL"].return_obj.get_absolute_url()}"' in page


def test_a_submitted_hub_return_shows_to_the_cio_with_its_date(val_client):
    return_obj = submitted("VASL", "vasl.hub")
    rows = {row.provider.code: row for row in val_client.get(LIST).context["rows"]}
    assert rows["VASL"].visible and rows["VASL"].status_label == "Submitted"
    assert rows["VASL"].submitted_on == Return.objects.get(pk=return_obj.pk).submitted_at
    assert rows["VASL"].steps == ("accept",)


def test_only_reviewers_open_the_list(login):
    for username, status in [
        ("lcc.officer", 200),
        ("val.staff", 200),
        ("funder.reviewer", 403),
        ("vasl.hub", 403),
        ("peer.reviewer", 403),
    ]:
        assert login(username).get(LIST).status_code == status, username
    assert login("lcc.officer").get(reverse("period_returns:list", args=["2010-11-q5"])).status_code == 404


def test_filter_by_status_and_download_as_csv_and_xlsx(lcc_client):
    submitted("VASL", "vasl.hub")
    rows = lcc_client.get(LIST, {"status": "submitted"}).context["rows"]
    assert [row.provider.code for row in rows] == ["VASL"]
    assert len(lcc_client.get(LIST, {"status": "not_submitted"}).context["rows"]) == 10
    assert len(lcc_client.get(LIST, {"status": "overdue"}).context["rows"]) == 10

    response = lcc_client.get(reverse("period_returns:export", args=[Q3, "csv"]), {"status": "submitted"})
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert lines[0] == ["provider", "name", "kind", "status", "submitted", "accepted", "signed_off", "days_overdue"]
    assert [line[0] for line in lines[1:]] == ["VASL"]
    assert lines[1][3] == "Submitted"

    response = lcc_client.get(reverse("period_returns:export", args=[Q3, "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 12  # header and eleven providers
    assert [cell.value for cell in sheet[1]][0] == "provider"


def test_the_cio_bulk_accepts_after_a_confirmation_and_each_provider_is_told(val_client):
    vasl, vac = submitted("VASL", "vasl.hub"), submitted("VAC", "vac.hub")
    page = val_client.get(LIST).content.decode()
    assert "Accept the chosen returns" in page
    assert "Sign off the chosen returns" not in page

    confirm = val_client.post(BULK, {"step": "accept", "returns": [vasl.pk, vac.pk]})
    assert confirm.status_code == 200
    text = confirm.content.decode()
    assert "Accept 2 returns?" in text
    assert "VASL 2010/11 Q3" in text and "VAC 2010/11 Q3" in text and "Accepted" in text
    # Nothing has changed yet.
    assert set(Return.objects.filter(pk__in=[vasl.pk, vac.pk]).values_list("status", flat=True)) == {"submitted"}

    data = {"step": "accept", "confirm": "1", "returns": [vasl.pk, vac.pk]}
    data.update({f"version-{r.pk}": r.version for r in Return.objects.filter(pk__in=[vasl.pk, vac.pk])})
    response = val_client.post(BULK, data)
    assert response.status_code == 302
    for return_obj in Return.objects.filter(pk__in=[vasl.pk, vac.pk]):
        assert return_obj.status == Return.Status.ACCEPTED
        latest = return_history(return_obj)[0]
        assert (latest.why, latest.who) == ("Accepted", "Victor Staff")
    told = set(Notification.objects.filter(kind="accepted").values_list("recipient__username", flat=True))
    assert told == {"vasl.hub", "vac.hub", "lcc.officer"}


def test_lcc_bulk_signs_off_and_a_return_changed_since_the_confirmation_refuses_the_whole_batch(lcc_client):
    vasl = return_accept(return_obj=submitted("VASL", "vasl.hub"), user=user("val.staff"))
    vac = return_accept(return_obj=submitted("VAC", "vac.hub"), user=user("val.staff"))
    data = {"step": "sign_off", "confirm": "1", "returns": [vasl.pk, vac.pk]}
    data.update({f"version-{vasl.pk}": vasl.version, f"version-{vac.pk}": vac.version - 1})  # VAC moved on
    response = lcc_client.post(BULK, data, follow=True)
    assert "VAC 2010/11 Q3 changed after you confirmed" in response.content.decode()
    assert set(Return.objects.filter(pk__in=[vasl.pk, vac.pk]).values_list("status", flat=True)) == {"accepted"}

    data[f"version-{vac.pk}"] = vac.version
    lcc_client.post(BULK, data)
    assert set(Return.objects.filter(pk__in=[vasl.pk, vac.pk]).values_list("status", flat=True)) == {"signed_off"}
    assert set(Notification.objects.filter(kind="signed_off").values_list("recipient__username", flat=True)) == {
        "vasl.hub",
        "vac.hub",
    }


def test_the_confirmation_lists_what_will_not_change_and_a_step_not_yours_changes_nothing(val_client, lcc_client):
    vasl = submitted("VASL", "vasl.hub")
    val_own = submitted("VAL", "val.staff")
    confirm = val_client.post(BULK, {"step": "accept", "returns": [vasl.pk, val_own.pk]}).content.decode()
    assert "Accept 1 return?" in confirm
    assert "Not changed (1): VAL (submitted)" in confirm
    # The CIO may not sign off: forcing the step through a crafted POST changes nothing.
    accepted = return_accept(return_obj=vasl, user=user("val.staff"))
    data = {"step": "sign_off", "confirm": "1", "returns": [accepted.pk], f"version-{accepted.pk}": accepted.version}
    assert val_client.post(BULK, data).status_code == 403
    assert Return.objects.get(pk=accepted.pk).status == Return.Status.ACCEPTED


def test_send_a_reminder_now_to_the_overdue_providers_once_a_day(lcc_client, val_client):
    response = lcc_client.post(reverse("period_returns:remind", args=[Q3]), follow=True)
    assert "Reminders are being sent to 4 people" in response.content.decode()
    reminded = Notification.objects.filter(kind="overdue", actor__username="lcc.officer")
    assert sorted(reminded.values_list("recipient__username", flat=True)) == [
        "lutterworth.lrc",
        "vac.hub",
        "val.staff",
        "vasl.hub",
    ]
    again = lcc_client.post(reverse("period_returns:remind", args=[Q3]), follow=True).content.decode()
    assert "reminded today already" in again
    assert Notification.objects.filter(kind="overdue").count() == 4


def test_the_cio_chases_only_its_sub_contractors(val_client, login):
    val_client.post(reverse("period_returns:remind", args=[Q3]))
    assert sorted(Notification.objects.filter(kind="overdue").values_list("recipient__username", flat=True)) == [
        "lutterworth.lrc",
        "vac.hub",
        "vasl.hub",
    ]
    for username in ("funder.reviewer", "vasl.hub", "peer.reviewer"):
        assert login(username).post(reverse("period_returns:remind", args=[Q3])).status_code == 403, username


def test_the_periods_page_links_each_period_and_its_counts_to_the_list(lcc_client):
    page = lcc_client.get(reverse("performance:periods")).content.decode()
    assert f'href="{LIST}"' in page
    assert f'href="{LIST}?status=submitted"' in page
    assert q3("VASL").period.slug == Q3
