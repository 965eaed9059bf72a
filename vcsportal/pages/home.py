"""What needs you: the home page's list of what is waiting for the signed-in person, with links.

Each section asks a policy a question about this person, never their role by name: the returns they may
edit that are still open (a provider's staff), the returns whose next review step is theirs (the CIO's staff,
LCC), the overdue returns they may chase and the periods they manage that are past due and not locked (LCC;
the CIO its sub-contractors' lateness), the disputes they may see that are still open (and those theirs to
decide), the latest signed-off period and what changed (those who read the whole picture: LCC, funders, the
CIO) and the emails that failed (those who look after delivery). A section with nothing in it is not shown.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from contracts.policies import contracts as contract_policy
from disputes.models import Dispute
from disputes.policies import disputes as dispute_policy
from notifications.models import Notification
from notifications.policies import notifications as notification_policy
from notifications.policies import reminders as reminder_policy
from notifications.selectors import open_returns_on
from performance import dashboard
from performance.models import ReportingPeriod, Return
from performance.policies import figures_partnership
from performance.policies import periods as period_policy
from performance.policies import returns as return_policy
from performance.selectors import returns_to_review


@dataclass
class Item:
    text: str
    url: str
    detail: str = ""


@dataclass
class Section:
    key: str
    title: str
    items: list[Item] = field(default_factory=list)
    more_url: str = ""
    more_label: str = ""


def _day(date) -> str:
    return f"{date.day} {date:%B %Y}" if date else "no date set"


def _return_name(return_obj: Return) -> str:
    return f"{return_obj.provider.code} {return_obj.period.label}"


def _own_open_returns(user, today) -> Section:
    section = Section("own", "Your returns to complete")
    mine = return_policy.instances_for(user, "edit", open_returns_on(today))
    for return_obj in mine:
        due = return_obj.period.due_on
        late = (today - due).days if due and today > due else 0
        detail = f"{return_obj.get_status_display()}, due {_day(due)}"
        if late:
            detail += f": {late} day{'s' if late != 1 else ''} overdue"
        if return_obj.is_sent_back and return_obj.review_comment:
            detail += f". Sent back: {return_obj.review_comment}"
        section.items.append(Item(_return_name(return_obj), return_obj.get_absolute_url(), detail))
    if return_policy.user_can(user, "own"):
        section.more_url, section.more_label = reverse("performance:my_returns"), "All your returns"
    return section


def _to_review(user) -> tuple[Section, Section]:
    review = Section("review", "Returns waiting for your review")
    sign_off = Section("sign_off", "Returns waiting for your sign-off")
    first_accepted = None
    for return_obj in returns_to_review(user):
        if return_obj.status == Return.Status.ACCEPTED:
            first_accepted = first_accepted or return_obj
            when = return_obj.accepted_at
            sign_off.items.append(
                Item(_return_name(return_obj), return_obj.get_absolute_url(), f"accepted {_day(when and when.date())}")
            )
        else:
            when = return_obj.submitted_at
            review.items.append(
                Item(_return_name(return_obj), return_obj.get_absolute_url(), f"submitted {_day(when and when.date())}")
            )
    if review.items:
        review.more_url, review.more_label = reverse("performance:review_list"), "Every return waiting for you"
    if first_accepted is not None:
        period = first_accepted.period
        sign_off.more_url = reverse("period_returns:list", args=[period.slug]) + "?status=accepted"
        sign_off.more_label = f"Sign off the {period.label} returns together"
    return review, sign_off


def _overdue(user, today) -> Section:
    """Overdue returns the person may chase, counted per period, linking to the period's list."""
    section = Section("overdue", "Overdue returns")
    chaseable = reminder_policy.instances_for(
        user, "remind", open_returns_on(today).filter(period__due_on__lt=today)
    ).order_by()
    per_period = chaseable.values("period").annotate(count=Count("pk")).order_by("period")
    periods = ReportingPeriod.objects.in_bulk([row["period"] for row in per_period])
    for row in per_period:
        period = periods[row["period"]]
        codes = ", ".join(
            chaseable.filter(period=period).order_by("provider__code").values_list("provider__code", flat=True)
        )
        section.items.append(
            Item(
                f"{period.label}: {row['count']} return{'s' if row['count'] != 1 else ''} overdue",
                reverse("period_returns:list", args=[period.slug]) + "?status=overdue",
                f"due {_day(period.due_on)}: {codes}",
            )
        )
    return section


def _periods_past_due(user, today) -> Section:
    section = Section("periods", "Periods past their due date and not locked")
    if not period_policy.user_can(user, "manage"):
        return section
    for period in ReportingPeriod.objects.filter(status=ReportingPeriod.Status.OPEN, due_on__lt=today).order_by(
        "financial_year", "quarter"
    ):
        section.items.append(
            Item(
                period.label,
                reverse("period_returns:list", args=[period.slug]),
                f"due {_day(period.due_on)}; lock it on the reporting periods page once its returns are in",
            )
        )
    if section.items:
        section.more_url, section.more_label = reverse("performance:periods"), "Reporting periods"
    return section


def _open_disputes(user) -> Section:
    section = Section("disputes", "Open disputes")
    visible = dispute_policy.instances_for(user, "view").exclude(status=Dispute.Status.DECIDED)
    for dispute in visible.select_related("raised_by_organisation", "respondent").order_by("raised_at", "pk"):
        detail = (
            f"{dispute.raised_by_organisation.code} against {dispute.respondent.code}, {dispute.get_status_display()}"
        )
        if dispute.hearing_on:
            detail += f" ({_day(dispute.hearing_on)})"
        if dispute_policy.user_can(user, "decide", dispute):
            detail += ": waiting for the Peer Review Body's decision"
        section.items.append(Item(dispute.subject, dispute.get_absolute_url(), detail))
    return section


def _latest_signed_off(user) -> Section:
    section = Section("latest", "The latest signed-off period")
    if not contract_policy.user_can(user, "view"):
        return section
    partnership = figures_partnership(user)
    signed_off = Return.objects.filter(period=OuterRef("pk"), status=Return.Status.SIGNED_OFF)
    if partnership is not None:
        signed_off = signed_off.filter(provider__county_id=partnership)
    period = ReportingPeriod.objects.filter(Exists(signed_off)).newest_first().first()
    if period is None:
        return section
    previous = dashboard.previous_period_with_returns(period, partnership)
    filters = dashboard.DashboardFilters(period=period, compare_to=previous, partnership=partnership)
    totals = dashboard.headline(filters)
    section.items.append(
        Item(
            f"{period.label}: {totals['green']} green, {totals['amber']} amber, {totals['red']} red, "
            f"{totals['not_reported']} not reported of {totals['total']} indicators",
            reverse("reports:pack", args=[period.slug]),
            "the funders' quarterly pack",
        )
    )
    change = dashboard.change_summary(filters)
    if change is not None:
        declined = f" ({', '.join(change['declined_indicators'])})" if change["declined_indicators"] else ""
        query = f"?period={period.slug}&compare_to={previous.slug}"
        section.items.append(
            Item(
                f"Since {change['compare_to']}: {change['improved']} improved, "
                f"{change['declined']} declined{declined}, {change['newly_reported']} newly reported",
                reverse("performance:dashboard_change") + query,
                "what changed, rating by rating",
            )
        )
    return section


def _failed_emails(user) -> Section:
    section = Section("emails", "Emails that could not be sent")
    if not notification_policy.user_can(user, "view_delivery_log"):
        return section
    failed = Notification.objects.filter(Q(status=Notification.Status.FAILED)).count()
    if failed:
        section.items.append(
            Item(
                f"{failed} email{'s' if failed != 1 else ''} failed",
                reverse("notifications:delivery_log") + "?status=failed",
                "see the errors and retry them",
            )
        )
    return section


def what_needs_you(user, *, today: datetime.date | None = None) -> list[Section]:
    """The sections of the home page that have something in them for ``user``, most pressing first."""
    today = today or timezone.localdate()
    review, sign_off = _to_review(user)
    sections = [
        _own_open_returns(user, today),
        review,
        sign_off,
        _overdue(user, today),
        _periods_past_due(user, today),
        _open_disputes(user),
        _failed_emails(user),
        _latest_signed_off(user),
    ]
    return [section for section in sections if section.items]
