"""A person's Notifications page and email preferences; LCC's delivery log, where failed emails are retried."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from core.paging import page_of
from notifications import policies
from notifications.events import ESSENTIAL, OPTIONAL, Kind
from notifications.forms import DeliveryFilterForm, PreferencesForm
from notifications.models import Notification, OptOut
from notifications.selectors import delivery_counts, delivery_log, notifications_for
from notifications.services import notification_retry, notifications_retry_failed, preferences_save

PAGE_SIZE = 25


class PermissionMixin:
    """Refuse (403) a user without the site-wide permission the view names."""

    permission_required: str = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission_required):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class NotificationListView(PermissionMixin, View):
    """The signed-in person's own notifications, newest first, with what became of each email."""

    permission_required = "notifications.view_own"

    def get(self, request):
        page = page_of(notifications_for(request.user), request.GET, per_page=PAGE_SIZE)
        return render(request, "notifications/notification_list.html", {"page": page})


class PreferencesView(PermissionMixin, View):
    """Turn the non-essential notifications' emails on or off (each person their own: no id to guess)."""

    permission_required = "notifications.view_own"

    def get(self, request):
        off = set(OptOut.objects.filter(user=request.user).values_list("kind", flat=True))
        form = PreferencesForm(initial={"emailed": [kind.value for kind in OPTIONAL if kind not in off]})
        return self._render(request, form)

    def _render(self, request, form, status=200):
        essential = [Kind(kind).label for kind in Kind if kind in ESSENTIAL]
        return render(request, "notifications/preferences.html", {"form": form, "essential": essential}, status=status)

    def post(self, request):
        form = PreferencesForm(data=request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        preferences_save(user=request.user, emailed=form.cleaned_data["emailed"])
        messages.success(request, "Your email preferences are saved.")
        return HttpResponseRedirect(reverse("notifications:preferences"))


class DeliveryLogView(PermissionMixin, View):
    """Every notification's email and how it fared (LCC): failures with their error, attempts and next try."""

    permission_required = "notifications.view_delivery_log"

    def get(self, request):
        form = DeliveryFilterForm(data=request.GET or None)
        status = form.cleaned_data["status"] if form.is_valid() else ""
        page = page_of(delivery_log(status or None), request.GET, per_page=PAGE_SIZE)
        return render(
            request,
            "notifications/delivery_log.html",
            {
                "form": form,
                "page": page,
                "status": status,
                "status_label": Notification.Status(status).label if status else "",
                "counts": [(label, delivery_counts()[value], value) for value, label in Notification.Status.choices],
                "failed": Notification.Status.FAILED,
            },
        )


class NotificationRetryView(PermissionMixin, View):
    """Queue one failed email to be sent again now (POST)."""

    permission_required = "notifications.view_delivery_log"
    http_method_names = ["post"]

    def post(self, request, pk):
        notification = policies.notifications.instances_for(request.user, "view_delivery_log").filter(pk=pk).first()
        if notification is None:
            raise Http404("No such notification")
        if not request.user.has_perm("notifications.retry_notification", notification):
            messages.error(request, "Only a failed email can be retried.")
        else:
            notification_retry(notification=notification, user=request.user)
            messages.success(request, f"The email to {notification.address} is queued to be sent again.")
        return HttpResponseRedirect(reverse("notifications:delivery_log") + "?status=failed")


class RetryFailedView(PermissionMixin, View):
    """Queue every failed email to be sent again now (POST)."""

    permission_required = "notifications.retry_notification"
    http_method_names = ["post"]

    def post(self, request):
        count = notifications_retry_failed(user=request.user)
        messages.success(request, f"{count} failed email{'' if count == 1 else 's'} queued to be sent again.")
        return HttpResponseRedirect(reverse("notifications:delivery_log"))
