"""A period's returns, for its reviewers (LCC and the CIO): every provider owing one, its status and dates, the
days overdue and a link to each, filtered by status and downloadable; "send a reminder now" to the overdue
ones; and bulk accept (the CIO) or bulk sign-off (LCC) of the chosen returns after a confirmation page.

A page of the site: it lists the performance app's returns and offers the notifications app's reminders.
What each person sees and may do is the policies' answer (the returns policy for seeing a return and taking a
step on it, the reminders policy for chasing it); the changes are the apps' services.
"""

import tablib
from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.views import View

from core.exports import cell
from core.views import SiteWidePermissionMixin
from core.workflow import declared
from notifications.policies import reminders as reminder_policy
from notifications.services import reminders_send_now
from performance.models import ReportingPeriod, Return
from performance.selectors import PERIOD_LIST_STATUSES, period_returns
from performance.services import BULK_STEPS, ReturnRefused, returns_transition


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Show",
        choices=[("", "Every provider"), *PERIOD_LIST_STATUSES],
        required=False,
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )


class PeriodReturnsMixin(SiteWidePermissionMixin):
    permission_required = "performance.review_any"

    def get_period(self) -> ReportingPeriod:
        period = ReportingPeriod.objects.by_label(self.kwargs["period"])
        if period is None:
            raise Http404("No such reporting period")
        return period

    def rows(self, period, status=""):
        return period_returns(period, self.request.user, status=status)


#: The bulk steps' buttons (each step's own label names one return).
BULK_LABELS = {"accept": "Accept", "sign_off": "Sign off"}


def _when(value) -> str:
    return timezone.localtime(value).strftime("%d %b %Y") if value else ""


EXPORT_HEADERS = ["provider", "name", "kind", "status", "submitted", "accepted", "signed_off", "days_overdue"]


class PeriodReturnsView(PeriodReturnsMixin, View):
    def get(self, request, period):
        period = self.get_period()
        form = StatusFilterForm(data=request.GET or None)
        status = form.cleaned_data["status"] if form.is_valid() else ""
        rows = self.rows(period, status)
        everyone = rows if not status else self.rows(period)
        overdue_chaseable = [
            row
            for row in everyone
            if row.days_overdue
            and row.return_obj is not None
            and row.return_obj.status in Return.OPEN_TO_PROVIDER
            and reminder_policy.user_can(request.user, "remind", row.return_obj)
        ]
        offered = [(step, BULK_LABELS[step]) for step in BULK_STEPS if any(step in row.steps for row in everyone)]
        return render(
            request,
            "pages/period_returns.html",
            {
                "period": period,
                "form": form,
                "status": status,
                "rows": rows,
                "offered_steps": offered,
                "overdue_chaseable": overdue_chaseable,
            },
        )


class PeriodReturnsExportView(PeriodReturnsMixin, View):
    def get(self, request, period, file_format):
        period = self.get_period()
        status = request.GET.get("status", "")
        if status not in dict(PERIOD_LIST_STATUSES):
            status = ""
        data = tablib.Dataset(headers=EXPORT_HEADERS, title=f"{period.label} returns"[:31].replace("/", "-"))
        for row in self.rows(period, status):
            # Formula-safe, as every file the portal writes (core.exports).
            data.append(
                [
                    cell(value)
                    for value in (
                        row.provider.code,
                        row.provider.name,
                        row.provider.get_kind_display(),
                        row.status_label,
                        _when(row.submitted_on),
                        _when(row.accepted_on),
                        _when(row.signed_off_on),
                        row.days_overdue if row.days_overdue is not None else "",
                    )
                ]
            )
        if file_format == "xlsx":
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            body = data.export("xlsx")
        else:
            content_type = "text/csv; charset=utf-8"
            body = data.export("csv")
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="returns-{period.slug}.{file_format}"'
        return response


class BulkStepView(PeriodReturnsMixin, View):
    """POST the chosen returns and a step: first a confirmation page listing what will change (and what will
    not, and why); then, confirmed, the step on all of them in one transaction."""

    http_method_names = ["post"]

    def post(self, request, period):
        period = self.get_period()
        back = reverse("period_returns:list", args=[period.slug])
        step = request.POST.get("step", "")
        if step not in BULK_STEPS:
            messages.error(request, "Choose what to do with the chosen returns.")
            return HttpResponseRedirect(back)
        chosen = {value for value in request.POST.getlist("returns") if value.isdigit()}
        label = BULK_LABELS[step]
        done_word = declared(Return(), step).custom["done"]
        if request.POST.get("confirm"):
            versions = {}
            for value in chosen:
                version = request.POST.get(f"version-{value}", "")
                if version.isdigit():
                    versions[int(value)] = int(version)
            try:
                done = returns_transition(returns=versions, step=step, user=request.user)
            except ReturnRefused as error:
                messages.error(request, error.message)
                return HttpResponseRedirect(back)
            messages.success(
                request,
                f"{len(done)} return{'s' if len(done) != 1 else ''} {done_word}: "
                + ", ".join(str(r.provider.code) for r in done)
                + ". Each provider's staff will be told by email.",
            )
            return HttpResponseRedirect(back)
        rows = [row for row in self.rows(period) if row.return_obj is not None and str(row.return_obj.pk) in chosen]
        changing = [row for row in rows if step in row.steps]
        unchanged = [row for row in rows if step not in row.steps]
        if not changing:
            messages.error(request, f"None of the chosen returns can be {done_word} by you now. Choose again.")
            return HttpResponseRedirect(back)
        target = Return.Status(declared(Return(), step).target).label
        return render(
            request,
            "pages/period_returns_confirm.html",
            {
                "period": period,
                "step": step,
                "label": label,
                "done_word": done_word,
                "target": target,
                "changing": changing,
                "unchanged": unchanged,
            },
        )


class RemindView(PeriodReturnsMixin, View):
    """Send the overdue returns' providers a reminder now (POST)."""

    permission_required = "notifications.send_reminders"
    http_method_names = ["post"]

    def post(self, request, period):
        period = self.get_period()
        recorded = reminders_send_now(period=period, user=request.user)
        if recorded:
            providers = sorted({n.about.provider.code for n in recorded})
            messages.success(
                request,
                f"Reminders are being sent to {len(recorded)} "
                f"{'person' if len(recorded) == 1 else 'people'} at {', '.join(providers)}.",
            )
        else:
            messages.success(
                request, "No reminder was due: the overdue returns' providers were reminded today already."
            )
        return HttpResponseRedirect(reverse("period_returns:list", args=[period.slug]))


app_name = "period_returns"

urlpatterns = [
    path("<slug:period>/returns/", PeriodReturnsView.as_view(), name="list"),
    path(
        "<slug:period>/returns.<file_format:file_format>",
        PeriodReturnsExportView.as_view(),
        name="export",
    ),
    path("<slug:period>/returns/bulk/", BulkStepView.as_view(), name="bulk"),
    path("<slug:period>/returns/remind/", RemindView.as_view(), name="remind"),
]
