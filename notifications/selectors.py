"""Reads for notifications: who is told about what, which reminders are owed on a day, and the lists the
pages show. Recipients are chosen by role and organisation, as DOMAIN.md assigns the work:

- a provider's staff (CIO, hub or LRC) hear about their own organisation's returns;
- the reviewer of a return: the CIO's staff (of the same county) for a hub's or an LRC's, LCC officers
  for the CIO's own; LCC officers also sign returns off, so they hear when one is accepted;
- the Peer Review Body's members and the staff of both parties hear about a dispute.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from contracts.models import Organisation
from core.roles import PROVIDER_ROLES, Role
from notifications.events import DUE_SOON_DAYS, OVERDUE_EVERY_DAYS, Kind
from notifications.models import Notification
from performance.models import ReportingPeriod, Return


def _people() -> QuerySet:
    return get_user_model().objects.filter(is_active=True).order_by("username")


def provider_staff(organisation_ids) -> QuerySet:
    """The active staff of the given organisations (CIO, hub or LRC staff)."""
    return _people().filter(role__in=list(PROVIDER_ROLES), organisation_id__in=list(organisation_ids))


def lcc_officers() -> QuerySet:
    return _people().filter(role=Role.LCC_OFFICER)


def peer_reviewers() -> QuerySet:
    return _people().filter(role=Role.PEER_REVIEWER)


def reviewers_of(return_obj: Return) -> QuerySet:
    """Who reviews the return: the CIO's staff for a hub's or an LRC's, LCC officers for the CIO's own."""
    if return_obj.provider.kind == Organisation.Kind.CIO:
        return lcc_officers()
    return _people().filter(
        role=Role.CIO_STAFF,
        organisation__kind=Organisation.Kind.CIO,
        organisation__county_id=return_obj.provider.county_id,
    )


def dispute_audience(dispute) -> QuerySet:
    """Both parties' staff and the Peer Review Body's members."""
    parties = provider_staff([dispute.raised_by_organisation_id, dispute.respondent_id])
    return (parties | peer_reviewers()).distinct()


@dataclass(frozen=True)
class ReminderOwed:
    return_obj: Return
    kind: Kind
    #: Tells this reminder apart from the same kind's others for the return (see Notification.occurrence).
    occurrence: str


def open_returns_on(today: datetime.date) -> QuerySet:
    """Returns still with their providers (draft or sent back) in periods open on ``today`` with a due date:
    an open period, or a locked one where LCC reopened the return."""
    return (
        Return.objects.filter(status__in=[Return.Status.DRAFT, Return.Status.RETURNED], period__due_on__isnull=False)
        .filter(
            Q(period__status=ReportingPeriod.Status.OPEN)
            | Q(period__status=ReportingPeriod.Status.LOCKED, reopened_after_lock=True)
        )
        .filter(Q(period__opens_on__isnull=True) | Q(period__opens_on__lte=today))
        .select_related("provider", "period")
        .order_by("period__financial_year", "period__quarter", "provider__kind", "provider__code")
    )


def reminder_owed(return_obj: Return, today: datetime.date) -> ReminderOwed | None:
    """The reminder a still-open return is owed on ``today``, whether or not it has been sent.

    Catching up, not matching dates: within the 7 days before the due date the "due soon" reminder is owed
    (once per due date, so a run missed on the 7th day sends it on the 6th); on the due date, "due today";
    after it, one "overdue" reminder per week, the week counted from the day after the due date (a run
    missed on that day sends the week's reminder on any later day of the week)."""
    due = return_obj.period.due_on
    if today > due:
        week = ((today - due).days - 1) // OVERDUE_EVERY_DAYS
        starts = due + datetime.timedelta(days=1 + week * OVERDUE_EVERY_DAYS)
        return ReminderOwed(return_obj, Kind.OVERDUE, starts.isoformat())
    if today == due:
        return ReminderOwed(return_obj, Kind.DUE_TODAY, due.isoformat())
    if (due - today).days <= DUE_SOON_DAYS:
        return ReminderOwed(return_obj, Kind.DUE_SOON, due.isoformat())
    return None


def reminders_owed(today: datetime.date) -> list[ReminderOwed]:
    """Every reminder owed on ``today`` (sent or not: recording them is idempotent)."""
    owed = (reminder_owed(return_obj, today) for return_obj in open_returns_on(today))
    return [reminder for reminder in owed if reminder is not None]


def notifications_for(user) -> QuerySet:
    """A person's own notifications, newest first."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def delivery_log(status: str | None = None) -> QuerySet:
    """Every notification with its delivery, failures first, then newest first; optionally one status."""
    queryset = Notification.objects.select_related("recipient", "content_type")
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-created_at", "-id")


def delivery_counts() -> dict[str, int]:
    """How many notifications are in each delivery status (every status present, zero if none)."""
    counts = dict.fromkeys(Notification.Status.values, 0)
    counts.update(
        {row["status"]: row["count"] for row in Notification.objects.values("status").annotate(count=Count("id"))}
    )
    return counts


#: How long a worker may take over one email (or leave one queued) before the safety net takes it over.
LOST_AFTER = datetime.timedelta(minutes=10)


def stuck_sending(now: datetime.datetime | None = None) -> QuerySet:
    """Emails a worker claimed but never finished (it stopped mid-send) more than ``LOST_AFTER`` ago."""
    now = now or timezone.now()
    return Notification.objects.filter(status=Notification.Status.SENDING, last_attempt_at__lte=now - LOST_AFTER)


def retries_due(now: datetime.datetime) -> QuerySet:
    """Failed emails whose next try is due, and queued ones never tried that have waited longer than a
    worker should take (their task was lost): the safety net the ``retry_notifications`` command sweeps."""
    stale = now - LOST_AFTER
    return Notification.objects.filter(
        Q(status=Notification.Status.FAILED, next_attempt_at__lte=now)
        | Q(status=Notification.Status.QUEUED, attempts=0, created_at__lte=stale)
    ).order_by("id")
