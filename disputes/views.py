"""Dispute pages: the list, raising one, one dispute with its history, and the Peer Review Body's steps.
Views ask disputes.policies (through permission names) and call disputes.services."""

from django.views.generic import DetailView, TemplateView

from core.paging import database_integer
from core.views import Confirmation, PortalPermissionMixin, ServiceActionMixin, ServiceFormMixin
from disputes import selectors, services
from disputes.forms import DisputeDecideForm, DisputeHearingForm, DisputeRaiseForm
from disputes.tables import DisputeTable


class DisputeListView(PortalPermissionMixin, TemplateView):
    permission_required = "portal.view_disputes"
    template_name = "disputes/dispute_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            table=DisputeTable(selectors.dispute_list(self.request.user)),
            can_raise=self.request.user.has_perm("disputes.raise_dispute"),
            **kwargs,
        )


def _raise_form(user, data=None, initial=None) -> DisputeRaiseForm:
    return DisputeRaiseForm(
        data,
        subcontracts=selectors.subcontracts_disputable(user),
        results=selectors.results_challengeable(user),
        disputes=selectors.dispute_list(user),
        initial=initial,
    )


class DisputeCreateView(ServiceFormMixin, PortalPermissionMixin, TemplateView):
    permission_required = "disputes.raise_dispute"
    template_name = "disputes/dispute_create.html"
    success_message = "The dispute has been raised with the Peer Review Body."

    def get_context_data(self, **kwargs):
        if "form" not in kwargs:
            initial = {}
            refers = database_integer(self.request.GET.get("refers_to"))
            if refers is not None:
                initial["refers_to"] = selectors.dispute_list(self.request.user).filter(pk=refers).first()
            kwargs["form"] = _raise_form(self.request.user, initial=initial)
        return super().get_context_data(**kwargs)

    def get_form(self):
        return _raise_form(self.request.user, self.request.POST)

    def perform(self, form):
        data = form.cleaned_data
        return services.dispute_raise(
            user=self.request.user,
            subject=data["subject"],
            details=data["details"],
            subcontract=data["subcontract"],
            result=data["result"],
            refers_to=data["refers_to"],
        )


class DisputeDetailView(PortalPermissionMixin, DetailView):
    permission_required = "disputes.view_dispute"
    template_name = "disputes/dispute_detail.html"
    context_object_name = "dispute"

    def get_queryset(self):
        return selectors.dispute_list(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        can_decide = user.has_perm("disputes.decide_dispute", self.object)
        context.update(
            history=selectors.dispute_history(self.object),
            referenced_by=selectors.dispute_list(user).filter(refers_to=self.object),
            can_decide=can_decide,
            can_raise=user.has_perm("disputes.raise_dispute"),
            **selectors.dispute_subject(user, self.object),
        )
        if can_decide:
            context.setdefault("hearing_form", DisputeHearingForm(initial={"hearing_on": self.object.hearing_on}))
            context.setdefault("decide_form", DisputeDecideForm(initial={"hearing_on": self.object.hearing_on}))
        return context


class DisputeHearingView(ServiceActionMixin, DisputeDetailView):
    permission_required = "disputes.decide_dispute"
    form_context_name = "hearing_form"
    success_message = "The hearing date has been recorded."

    def get_form(self):
        return DisputeHearingForm(self.request.POST)

    def perform(self, form):
        return services.dispute_set_hearing(
            dispute=self.object, user=self.request.user, hearing_on=form.cleaned_data["hearing_on"]
        )


class DisputeDecideView(ServiceActionMixin, DisputeDetailView):
    permission_required = "disputes.decide_dispute"
    form_context_name = "decide_form"
    success_message = "The decision has been recorded. It binds all parties."
    irreversible = True

    def get_form(self):
        return DisputeDecideForm(self.request.POST)

    def get_confirmation(self, form):
        dispute, hearing_on = self.object, form.cleaned_data["hearing_on"]
        changes = [f"{dispute} is decided: its status changes from {dispute.get_status_display()} to Decided."]
        if hearing_on:
            changes.append(f"The hearing date is recorded as {hearing_on:%-d %B %Y}.")
        changes.append("The decision binds all parties; it cannot be changed after it is recorded.")
        return Confirmation(
            title=f"Record the Peer Review Body's binding decision on {dispute}?",
            changes=changes,
            extra=[("The decision", form.cleaned_data["decision"])],
            button="Record the binding decision",
            cancel_url=dispute.get_absolute_url(),
        )

    def perform(self, form):
        return services.dispute_decide(
            dispute=self.object,
            user=self.request.user,
            decision=form.cleaned_data["decision"],
            hearing_on=form.cleaned_data["hearing_on"],
        )
