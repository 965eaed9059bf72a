"""What people are told about: the kinds of notification, and which of them a person may turn off.

Most kinds follow an event the services publish (``performance.events``, the disputes' events); the three
reminders come from the daily ``send_reminders`` job. Each notification is recorded whether or not it is
emailed; a person's preferences decide only whether the non-essential ones are emailed to them.
"""

from django.db import models


class Kind(models.TextChoices):
    PERIOD_OPENED = "period_opened", "A reporting period opened"
    DUE_SOON = "due_soon", "A return is due within 7 days"
    DUE_TODAY = "due_today", "A return is due today"
    OVERDUE = "overdue", "A return is overdue (weekly while it is)"
    SENT_BACK = "sent_back", "A return was sent back"
    RESUBMITTED = "resubmitted", "A return was resubmitted for review"
    ACCEPTED = "accepted", "A return was accepted"
    SIGNED_OFF = "signed_off", "A return was signed off"
    REOPENED = "reopened", "A return was reopened by LCC"
    DISPUTE_RAISED = "dispute_raised", "A dispute was raised"
    DISPUTE_DECIDED = "dispute_decided", "A dispute was decided"


#: Always emailed: each asks the person to act (a return to correct, finish or send late) or binds them (the
#: Peer Review Body's case and decision). The others are news a person may follow in the portal instead.
ESSENTIAL = frozenset(
    {
        Kind.OVERDUE,
        Kind.SENT_BACK,
        Kind.REOPENED,
        Kind.DISPUTE_RAISED,
        Kind.DISPUTE_DECIDED,
    }
)

#: The kinds a person may turn off, in the order the preferences page lists them.
OPTIONAL = tuple(kind for kind in Kind if kind not in ESSENTIAL)

#: The reminders ``send_reminders`` owes, and how many days before the due date each starts.
REMINDERS = (Kind.DUE_SOON, Kind.DUE_TODAY, Kind.OVERDUE)
DUE_SOON_DAYS = 7
OVERDUE_EVERY_DAYS = 7
