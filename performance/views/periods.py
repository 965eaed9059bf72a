"""LCC's periods page: open a period (or change its due date) and lock it."""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from core.views import Confirmation, SiteWidePermissionMixin, confirmation_page, is_confirmed
from performance.forms import PeriodOpenForm
from performance.models import ReportingPeriod, Return
from performance.selectors import periods_with_counts
from performance.services import ReturnRefused, period_lock, period_open


class PeriodListView(SiteWidePermissionMixin, View):
    """Every period with its returns counted by status, and the form that opens one."""

    permission_required = "portal.manage_periods"
    template_name = "performance/period_list.html"

    def get(self, request):
        return self._render(request, PeriodOpenForm())

    def _render(self, request, form, status=200):
        return render(request, self.template_name, {"periods": periods_with_counts(), "form": form}, status=status)

    def post(self, request):
        form = PeriodOpenForm(data=request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        year, quarter = form.cleaned_data["period"]
        try:
            report = period_open(
                financial_year=year, quarter=quarter, due_on=form.cleaned_data["due_on"], user=request.user
            )
        except ReturnRefused as error:
            form.add_error("period", error.message)
            return self._render(request, form, status=400)
        messages.success(
            request,
            f"{report.period.label} is open, due {report.period.due_on:%d %B %Y}: "
            f"{len(report.returns_created)} returns created.",
        )
        return HttpResponseRedirect(reverse("performance:periods"))


class PeriodLockView(SiteWidePermissionMixin, View):
    """Lock a period (POST only), after a confirmation page that says what locking stops."""

    permission_required = "portal.manage_periods"
    http_method_names = ["post"]
    irreversible = True

    def confirmation(self, period: ReportingPeriod) -> Confirmation:
        unfinished = period.returns.filter(status__in=Return.OPEN_TO_PROVIDER).select_related("provider")
        changes = [f"{period.label} changes from Open to Locked: no provider can edit or submit its returns."]
        if unfinished:
            codes = ", ".join(sorted(r.provider.code for r in unfinished))
            count = len(unfinished)
            changes.append(
                f"{count} return{'s are' if count != 1 else ' is'} not yet submitted ({codes}): "
                f"{'they stay as they are' if count != 1 else 'it stays as it is'}."
            )
        changes.append("After locking, only LCC can reopen a return, one at a time, giving a reason.")
        return Confirmation(
            title=f"Lock {period.label}?",
            changes=changes,
            warning="A locked period cannot be unlocked.",
            button=f"Lock {period.label}",
            cancel_url=reverse("performance:periods"),
        )

    def post(self, request, pk):
        period = ReportingPeriod.objects.filter(pk=pk).first()
        if period is None:
            raise Http404("No such period")
        if period.status == ReportingPeriod.Status.OPEN and not is_confirmed(request):
            return confirmation_page(request, self.confirmation(period))
        try:
            locked = period_lock(period=period, user=request.user)
        except ReturnRefused as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{period.label} is locked." if locked else f"{period.label} was already locked.")
        return HttpResponseRedirect(reverse("performance:periods"))
