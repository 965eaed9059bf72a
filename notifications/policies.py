"""Who may see which notifications, and who looks after their delivery (see core.policies).

Everyone signed in reads their own notifications and sets their own preferences; LCC officers read the
delivery log of every email and retry the failed ones.
"""

from django.db.models import Q

from core.policies import EVERY, Policy, role_of
from core.roles import Role
from notifications.models import Notification


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


notifications = NotificationPolicy()

POLICIES = (notifications,)
