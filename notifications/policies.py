"""Who may see which notifications, and who looks after their delivery (see core.policies).

Everyone signed in reads their own notifications and sets their own preferences; LCC officers read the
delivery log of every email and retry the failed ones; LCC and the CIO chase overdue returns with a reminder.
"""

from django.db.models import Q

from contracts.models import Organisation
from core.policies import EVERY, Policy, role_of
from core.roles import Role
from notifications.models import Notification
from performance.models import Return
from performance.policies import SUBCONTRACTOR_KINDS


class NotificationPolicy(Policy):
    model = Notification
    permissions = {
        "notifications.view_own": "view_own",
        "notifications.view_delivery_log": "view_delivery_log",
        "notifications.retry_notification": "retry",
    }

    def rule_view_own(self, user):
        return Q(recipient_id=user.pk)

    def rule_view_delivery_log(self, user):
        return EVERY if role_of(user) == Role.LCC_OFFICER else None

    def rule_retry(self, user):
        return Q(status=Notification.Status.FAILED) if role_of(user) == Role.LCC_OFFICER else None


class ReminderPolicy(Policy):
    """Whose overdue returns a person may chase with a reminder now: LCC any provider's; the CIO's staff its
    sub-contractors' (the hubs and LRCs), whose drafts they may not open but whose lateness is theirs to chase."""

    model = Return
    permissions = {"notifications.send_reminders": "remind"}

    def rule_remind(self, user):
        role = role_of(user)
        if role == Role.LCC_OFFICER:
            return EVERY
        organisation = user.organisation
        if role == Role.CIO_STAFF and organisation is not None and organisation.kind == Organisation.Kind.CIO:
            return Q(provider__kind__in=SUBCONTRACTOR_KINDS, provider__county_id=organisation.county_id)
        return None


notifications = NotificationPolicy()
reminders = ReminderPolicy()

POLICIES = (notifications, reminders)
