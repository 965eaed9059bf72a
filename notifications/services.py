"""Writes for notifications: recording who is told what, sending the email, retrying a failed one, the daily
reminders and a person's preferences.

Recording happens inside the transaction of the change that caused it (the listeners run in the service's
transaction), so a change that rolls back leaves no notification behind. The email is handed to the task
queue only once that transaction commits (``transaction.on_commit``), and the worker sends it: a slow or
failing mail server never slows or breaks a page. A failed send is recorded on the notification and queued
again after a delay (``NOTIFICATION_RETRY_DELAYS``); when the tries are used up it waits in LCC's delivery
log for someone to retry it.
"""

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from notifications.events import ESSENTIAL, OPTIONAL, Kind
from notifications.messages import compose
from notifications.models import Notification, OptOut
from notifications.policies import reminders as reminder_policy
from notifications.selectors import (
    open_returns_on,
    provider_staff,
    reminder_owed,
    reminders_owed,
    retries_due,
    stuck_sending,
)

logger = logging.getLogger(__name__)


def _require(user, permission: str, obj=None):
    """Command-line runs (user None) are trusted operators; everyone else needs the permission."""
    if user is not None and not user.has_perm(permission, obj):
        raise PermissionDenied(f"You may not do that ({permission}).")


def _enqueue(notification_ids: list[int], run_after: datetime.datetime | None = None) -> None:
    # Imported here: the task module imports this one.
    from notifications.tasks import deliver_notification

    task = deliver_notification.using(run_after=run_after) if run_after else deliver_notification
    for notification_id in notification_ids:
        try:
            task.enqueue(notification_id)
        except Exception:  # the queue refusing must not break the change that already committed
            # The notification stays queued; retry_notifications finds queued ones that were never tried.
            logger.exception("Could not queue notification %s", notification_id)


def notify(
    *,
    kind: Kind,
    about,
    recipients: Iterable,
    actor=None,
    occurrence: str = "",
    data: dict | None = None,
    today: datetime.date | None = None,
    queue: bool = True,
) -> list[Notification]:
    """Record that each recipient is told ``kind`` about ``about`` (a return or a dispute), once: a
    notification already recorded for the same person, kind, object and ``occurrence`` is not recorded or
    sent again. The person who did it (``actor``) is not told. The new notifications' emails are queued
    when the surrounding transaction commits (unless ``queue`` is False: the caller sends them itself);
    a person who turned this non-essential kind off, or who has no email address, has it recorded but
    not emailed. Returns the notifications recorded now."""
    content_type = ContentType.objects.get_for_model(about)
    people = {person.pk: person for person in recipients if actor is None or person.pk != actor.pk}
    turned_off = (
        set()
        if kind in ESSENTIAL
        else set(OptOut.objects.filter(user_id__in=people, kind=kind).values_list("user_id", flat=True))
    )
    recorded = []
    for person in people.values():
        message = compose(kind, about, recipient=person, data=data, today=today)
        status, because = Notification.Status.QUEUED, ""
        if person.pk in turned_off:
            status, because = Notification.Status.NOT_EMAILED, "You turned these emails off."
        elif not person.email:
            status, because = Notification.Status.NOT_EMAILED, "No email address."
        notification, created = Notification.objects.get_or_create(
            recipient=person,
            kind=kind,
            content_type=content_type,
            object_id=about.pk,
            occurrence=occurrence,
            defaults={
                "actor": actor,
                "subject": message.subject,
                "body_text": message.text(person),
                "body_html": message.html(person),
                "path": message.path,
                "status": status,
                "address": person.email,
                "not_emailed_because": because,
            },
        )
        if created:
            recorded.append(notification)
    queued = [n.pk for n in recorded if n.status == Notification.Status.QUEUED]
    if queue and queued:
        transaction.on_commit(lambda: _enqueue(queued))
    return recorded


def _retry_delay(attempts: int) -> datetime.timedelta | None:
    """How long to wait after the ``attempts``-th failure, or None when the tries are used up."""
    delays = settings.NOTIFICATION_RETRY_DELAYS
    if attempts > len(delays):
        return None
    return datetime.timedelta(seconds=delays[attempts - 1])


def notification_deliver(notification_id: int) -> Notification | None:
    """Send one notification's email (plain text with an HTML alternative) to its recipient's address.

    Sent at most once: it is claimed first with one conditional update (queued or failed -> sending), so two
    workers, or the worker and a command, never both send it; the mail server is talked to outside any
    transaction, so a slow one holds no lock that a page would wait on. A failure is recorded (attempts, the
    error) and the email queued again after the next delay; after the last it waits for LCC to retry it.
    """
    now = timezone.now()
    claimed = Notification.objects.filter(
        pk=notification_id, status__in=[Notification.Status.QUEUED, Notification.Status.FAILED]
    ).update(status=Notification.Status.SENDING, attempts=F("attempts") + 1, last_attempt_at=now)
    notification = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if not claimed or notification is None:
        return notification
    address = notification.recipient.email
    if not address:
        notification.status = Notification.Status.NOT_EMAILED
        notification.not_emailed_because = "No email address."
        notification.next_attempt_at = None
        notification.save()
        return notification
    notification.address = address
    email = EmailMultiAlternatives(
        subject=notification.subject,
        body=notification.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
    )
    email.attach_alternative(notification.body_html, "text/html")
    try:
        email.send(fail_silently=False)
    except Exception as error:  # mail backends raise socket, SMTP and TLS errors alike
        delay = _retry_delay(notification.attempts)
        notification.status = Notification.Status.FAILED
        notification.last_error = f"{type(error).__name__}: {error}"[:2000]
        notification.next_attempt_at = now + delay if delay is not None else None
        notification.save()
        if delay is not None:
            retry_at = notification.next_attempt_at
            transaction.on_commit(lambda: _enqueue([notification_id], run_after=retry_at))
        return notification
    notification.status = Notification.Status.SENT
    notification.sent_at = timezone.now()
    notification.last_error = ""
    notification.next_attempt_at = None
    notification.save()
    return notification


@transaction.atomic
def notification_retry(*, notification: Notification, user) -> Notification:
    """LCC sends a failed email again now (queued for the worker), whatever tries it has used."""
    _require(user, "notifications.retry_notification", notification)
    notification = Notification.objects.select_for_update(of=("self",)).get(pk=notification.pk)
    if notification.status != Notification.Status.FAILED:
        return notification
    notification.status = Notification.Status.QUEUED
    notification.next_attempt_at = None
    notification.save()
    transaction.on_commit(lambda: _enqueue([notification.pk]))
    return notification


def notifications_retry_failed(*, user) -> int:
    """LCC retries every failed email at once. Returns how many were queued."""
    _require(user, "notifications.retry_notification")
    failed = Notification.objects.filter(status=Notification.Status.FAILED)
    count = 0
    for notification in failed:
        notification_retry(notification=notification, user=user)
        count += 1
    return count


def notifications_retry_due(now: datetime.datetime | None = None) -> list[Notification]:
    """Send now (not through the queue) every email whose retry is due, every queued one whose task was lost
    and every one a worker stopped in the middle of sending: the safety net for a worker that was down.
    Returns them as they ended."""
    now = now or timezone.now()
    stuck_sending().update(
        status=Notification.Status.FAILED, last_error="The worker stopped while sending it.", next_attempt_at=now
    )
    return [notification_deliver(pk) for pk in list(retries_due(now).values_list("pk", flat=True))]


@dataclass
class ReminderRun:
    recorded: list[Notification] = field(default_factory=list)
    delivered: list[Notification] = field(default_factory=list)

    @property
    def sent(self) -> list[Notification]:
        return [n for n in self.delivered if n.status == Notification.Status.SENT]

    @property
    def failed(self) -> list[Notification]:
        return [n for n in self.delivered if n.status == Notification.Status.FAILED]


def reminders_send(*, today: datetime.date) -> ReminderRun:
    """The daily job: record every reminder owed on ``today`` that was not recorded before (due within 7
    days, due today, overdue once a week), to the staff of each provider whose return is still open, and
    send them before returning (a failure is queued for retry as any other). Idempotent per return, kind
    and day: a second run on the same day records and sends nothing."""
    run = ReminderRun()
    with transaction.atomic():
        for owed in reminders_owed(today):
            run.recorded += notify(
                kind=owed.kind,
                about=owed.return_obj,
                recipients=provider_staff([owed.return_obj.provider_id]),
                occurrence=owed.occurrence,
                today=today,
                queue=False,
            )
    for notification in run.recorded:
        if notification.status == Notification.Status.QUEUED:
            run.delivered.append(notification_deliver(notification.pk))
    return run


@transaction.atomic
def reminders_send_now(*, period, user, today: datetime.date | None = None) -> list[Notification]:
    """A reviewer chases every overdue return of ``period`` they may chase (``notifications.policies``): its
    provider's staff are sent an overdue reminder now (through the queue, after commit). Once per return and
    day: pressing it twice the same day sends nothing more. Returns the notifications recorded."""
    _require(user, "notifications.send_reminders")
    today = today or timezone.localdate()
    chased = reminder_policy.instances_for(user, "remind", open_returns_on(today).filter(period=period))
    recorded = []
    for return_obj in chased:
        owed = reminder_owed(return_obj, today)
        if owed is None or owed.kind != Kind.OVERDUE:
            continue
        recorded += notify(
            kind=Kind.OVERDUE,
            about=return_obj,
            recipients=provider_staff([return_obj.provider_id]),
            actor=user,
            occurrence=f"chased {today.isoformat()}",
            today=today,
        )
    return recorded


@transaction.atomic
def preferences_save(*, user, emailed: Iterable[str]) -> None:
    """Keep emailing ``user`` the non-essential kinds in ``emailed`` and stop the other non-essential ones.
    Essential kinds cannot be turned off."""
    wanted = set(emailed)
    unknown = wanted - set(Kind.values)
    if unknown:
        raise ValueError(f"Unknown kinds of notification: {', '.join(sorted(unknown))}")
    off = [kind for kind in OPTIONAL if kind not in wanted]
    OptOut.objects.filter(user=user).exclude(kind__in=off).delete()
    for kind in off:
        OptOut.objects.get_or_create(user=user, kind=kind)
