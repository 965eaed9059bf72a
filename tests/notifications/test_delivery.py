"""A slow or failing mail server never breaks a page: with the SMTP server down the change completes, the
email is recorded as failed (and shown to LCC), and it is retried later and delivered once the server is back."""

import datetime
import time

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from notifications.services import notification_deliver
from performance.services import return_send_back
from tests.notifications.test_events import submitted
from vcsportal.models import User

pytestmark = pytest.mark.django_db


def test_with_the_mail_server_down_the_action_completes_and_the_email_is_retried_when_it_is_back(
    smtp, committed, worker, settings, val_client, lcc_client
):
    settings.NOTIFICATION_RETRY_DELAYS = [1, 1]
    return_obj = submitted("VASL", "vasl.hub")
    smtp.stop()
    with committed():
        response = val_client.post(
            reverse("performance:return_send_back", args=[return_obj.pk]), {"comment": "LOC-3 is missing."}
        )
    assert response.status_code == 302
    return_obj.refresh_from_db()
    assert return_obj.status == return_obj.Status.RETURNED

    worker()
    notification = Notification.objects.get(kind="sent_back")
    assert notification.status == Notification.Status.FAILED
    assert notification.attempts == 1
    assert "refused" in notification.last_error.lower()
    assert notification.next_attempt_at is not None
    assert smtp.inbox.messages == []

    # LCC sees the failure in the delivery log, with its error.
    page = lcc_client.get(reverse("notifications:delivery_log"), {"status": "failed"}).content.decode()
    assert "Sent back: VASL 2010/11 Q3 return needs changes" in page
    assert "Failed" in page and "vasl.hub@example.org" in page

    smtp.start()
    time.sleep(1.2)  # the retry is queued to run after the first delay
    worker()
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 2
    assert smtp.inbox.sent() == {("vasl.hub@example.org", "Sent back: VASL 2010/11 Q3 return needs changes")}


def test_after_the_last_automatic_try_lcc_retries_from_the_delivery_log(
    smtp, committed, worker, settings, val_client, lcc_client
):
    settings.NOTIFICATION_RETRY_DELAYS = []  # one try only
    return_obj = submitted("VASL", "vasl.hub")
    smtp.stop()
    with committed():
        val_client.post(reverse("performance:return_send_back", args=[return_obj.pk]), {"comment": "Again."})
    worker()
    notification = Notification.objects.get(kind="sent_back")
    assert notification.status == Notification.Status.FAILED
    assert notification.next_attempt_at is None
    assert "no more automatic tries" in lcc_client.get(reverse("notifications:delivery_log")).content.decode()

    smtp.start()
    with committed():
        response = lcc_client.post(reverse("notifications:retry", args=[notification.pk]))
    assert response.status_code == 302
    worker()
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert smtp.inbox.addresses() == ["vasl.hub@example.org"]


def test_only_lcc_sees_the_delivery_log_or_retries(smtp, committed, worker, settings, login):
    settings.NOTIFICATION_RETRY_DELAYS = []
    return_obj = submitted("VASL", "vasl.hub")
    smtp.stop()
    with committed():
        login("val.staff").post(reverse("performance:return_send_back", args=[return_obj.pk]), {"comment": "X."})
    worker()
    notification = Notification.objects.get(kind="sent_back")
    for username in ("funder.reviewer", "val.staff", "vasl.hub", "vac.hub", "lutterworth.lrc", "peer.reviewer"):
        client = login(username)
        assert client.get(reverse("notifications:delivery_log")).status_code == 403, username
        assert client.post(reverse("notifications:retry", args=[notification.pk])).status_code == 403, username
        assert client.post(reverse("notifications:retry_failed")).status_code == 403, username
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED


def test_retry_notifications_sends_the_failed_ones_whose_retry_is_due(smtp, committed, worker, settings, capsys):
    settings.NOTIFICATION_RETRY_DELAYS = [3600]
    return_obj = submitted("VASL", "vasl.hub")
    smtp.stop()
    with committed():
        return_send_back(return_obj=return_obj, user=User.objects.get(username="val.staff"), comment="Y.")
    worker()
    assert Notification.objects.get(kind="sent_back").status == Notification.Status.FAILED
    with committed():
        call_command("retry_notifications")
    assert capsys.readouterr().out == ""  # its retry is an hour away

    # An hour later (the worker was down meanwhile) the mail server is back and the command sends it.
    Notification.objects.filter(kind="sent_back").update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))
    smtp.start()
    with committed():
        call_command("retry_notifications")
    assert capsys.readouterr().out == "vasl.hub@example.org: Sent back: VASL 2010/11 Q3 return needs changes\n"
    assert Notification.objects.get(kind="sent_back").status == Notification.Status.SENT
    assert smtp.inbox.addresses() == ["vasl.hub@example.org"]


def test_an_email_is_sent_once_however_often_its_delivery_runs(smtp, committed, worker):
    return_obj = submitted("VASL", "vasl.hub")
    with committed():
        return_send_back(return_obj=return_obj, user=User.objects.get(username="val.staff"), comment="Once.")
    notification = Notification.objects.get(kind="sent_back")
    notification_deliver(notification.pk)  # e.g. the retry_notifications command beside the worker
    worker()  # the queued task finds it sent
    notification_deliver(notification.pk)
    assert smtp.inbox.addresses() == ["vasl.hub@example.org"]
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Notification.Status.SENT, 1)


def test_an_email_whose_worker_stopped_mid_send_is_taken_over_by_the_safety_net(smtp, committed, capsys):
    return_obj = submitted("VASL", "vasl.hub")
    return_send_back(return_obj=return_obj, user=User.objects.get(username="val.staff"), comment="Stuck.")
    Notification.objects.filter(kind="sent_back").update(
        status=Notification.Status.SENDING, attempts=1, last_attempt_at=timezone.now() - datetime.timedelta(hours=1)
    )
    with committed():
        call_command("retry_notifications")
    assert capsys.readouterr().out == "vasl.hub@example.org: Sent back: VASL 2010/11 Q3 return needs changes\n"
    notification = Notification.objects.get(kind="sent_back")
    assert (notification.status, notification.attempts) == (Notification.Status.SENT, 2)
