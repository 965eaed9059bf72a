"""What each notification says: a subject, a few plain sentences naming the return or dispute, and a link.

The same words make the plain-text and the HTML email (templates ``notifications/email/message.txt`` and
``.html``) and the entry on the person's Notifications page. Links are absolute (``PORTAL_BASE_URL``).
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from notifications.events import Kind


@dataclass(frozen=True)
class Message:
    subject: str
    paragraphs: list[str]
    #: What the link does, e.g. "Open the return".
    action: str
    #: The page it links to, within the portal (the email gives the absolute ``url``).
    path: str
    quote_label: str = ""
    quote: str = ""
    details: list[tuple[str, str]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return absolute_url(self.path)

    def text(self, recipient) -> str:
        return render_to_string("notifications/email/message.txt", self._context(recipient))

    def html(self, recipient) -> str:
        return render_to_string("notifications/email/message.html", self._context(recipient))

    def _context(self, recipient) -> dict:
        return {
            "message": self,
            "recipient": recipient,
            "portal_name": settings.PORTAL_NAME,
            "preferences_url": absolute_url(reverse("notifications:preferences")),
        }


def absolute_url(path: str) -> str:
    return f"{settings.PORTAL_BASE_URL}{path}"


def _day(date: datetime.date | None) -> str:
    return f"{date.day} {date:%B %Y}" if date else "no date set"


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def _return_name(return_obj) -> str:
    return f"{return_obj.provider.name}'s {return_obj.period.label} return"


def _return_details(return_obj) -> list[tuple[str, str]]:
    return [
        ("Return", f"{return_obj.provider.code} {return_obj.period.label}"),
        ("Provider", return_obj.provider.name),
        ("Period", return_obj.period.label),
        ("Due", _day(return_obj.period.due_on)),
        ("Status", return_obj.get_status_display()),
    ]


def compose(kind: Kind, about, *, recipient, data: dict | None = None, today: datetime.date | None = None) -> Message:
    """The message telling ``recipient`` about ``about`` (a return or a dispute); ``data`` is the event's
    (a comment, a reason), ``today`` the day a reminder is sent for."""
    data = data or {}
    if kind in (Kind.DISPUTE_RAISED, Kind.DISPUTE_DECIDED):
        return _dispute_message(kind, about)
    return _return_message(kind, about, recipient=recipient, data=data, today=today)


def _return_message(kind: Kind, return_obj, *, recipient, data: dict, today) -> Message:
    name = _return_name(return_obj)
    code = f"{return_obj.provider.code} {return_obj.period.label}"
    due = return_obj.period.due_on
    url = return_obj.get_absolute_url()
    own = recipient.organisation_id == return_obj.provider_id
    details = _return_details(return_obj)
    if kind == Kind.PERIOD_OPENED:
        return Message(
            f"{return_obj.period.label} is open: {code} return due {_day(due)}",
            [
                f"The reporting period {return_obj.period.label} is open for returns.",
                f"{name} is due on {_day(due)}. It is ready for you to fill in.",
            ],
            "Open the return",
            url,
            details=details,
        )
    if kind == Kind.DUE_SOON:
        left = (due - today).days
        return Message(
            f"Reminder: {code} return due in {_days(left)} ({_day(due)})",
            [f"{name} is due on {_day(due)}, in {_days(left)}. It has not been submitted yet."],
            "Finish and submit the return",
            url,
            details=details,
        )
    if kind == Kind.DUE_TODAY:
        return Message(
            f"Due today: {code} return",
            [f"{name} is due today, {_day(due)}. It has not been submitted yet."],
            "Finish and submit the return",
            url,
            details=details,
        )
    if kind == Kind.OVERDUE:
        late = (today - due).days
        return Message(
            f"Overdue: {code} return was due {_day(due)}",
            [
                f"{name} was due on {_day(due)} and is {_days(late)} overdue. It has not been submitted yet.",
                "You will be reminded each week until it is submitted.",
            ],
            "Finish and submit the return",
            url,
            details=details,
        )
    if kind == Kind.SENT_BACK:
        return Message(
            f"Sent back: {code} return needs changes",
            [f"{name} was sent back to you. Change it as the reviewer asks, then submit it again."],
            "Change the return",
            url,
            quote_label="What to change",
            quote=data.get("comment", return_obj.review_comment),
            details=details,
        )
    if kind == Kind.RESUBMITTED:
        return Message(
            f"Resubmitted for review: {code} return",
            [f"{name} was sent back earlier and has been submitted again. It is waiting for your review."],
            "Review the return",
            url,
            details=details,
        )
    if kind == Kind.ACCEPTED:
        paragraphs = (
            [f"{name} was accepted by its reviewer. LCC will now sign it off."]
            if own
            else [f"{name} was accepted by its reviewer and is waiting for LCC to sign it off."]
        )
        return Message(
            f"Accepted: {code} return" if own else f"Ready to sign off: {code} return",
            paragraphs,
            "Open the return" if own else "Sign off the return",
            url,
            details=details,
        )
    if kind == Kind.SIGNED_OFF:
        return Message(
            f"Signed off: {code} return",
            [f"{name} was signed off by LCC. Its figures are now final."],
            "Open the return",
            url,
            details=details,
        )
    if kind == Kind.REOPENED:
        return Message(
            f"Reopened: {code} return",
            [f"LCC reopened {name}. It is a draft again: change it as needed and submit it again."],
            "Open the return",
            url,
            quote_label="Why it was reopened",
            quote=data.get("reason", return_obj.review_comment),
            details=details,
        )
    raise ValueError(f"No message for {kind!r} about a return")


def _dispute_message(kind: Kind, dispute) -> Message:
    url = dispute.get_absolute_url()
    details = [
        ("Dispute", f"{dispute.pk}: {dispute.subject}"),
        ("Raised by", dispute.raised_by_organisation.name),
        ("Respondent", dispute.respondent.name),
        ("Status", dispute.get_status_display()),
    ]
    if kind == Kind.DISPUTE_RAISED:
        return Message(
            f"Dispute raised: {dispute.subject}",
            [
                f"{dispute.raised_by_organisation.name} raised a dispute with {dispute.respondent.name} "
                "for the Peer Review Body to hear."
            ],
            "Open the dispute",
            url,
            quote_label="The dispute",
            quote=dispute.details,
            details=details,
        )
    return Message(
        f"Dispute decided: {dispute.subject}",
        ["The Peer Review Body decided the dispute. Its decision binds both parties."],
        "Open the dispute",
        url,
        quote_label="The decision",
        quote=dispute.decision,
        details=details,
    )
