"""The working agreements the review asks for, on the district pages (issue 16, items 6 and 7): locality
agreements (Appendix Six; Recommendation Four) and structured district negotiations (Appendix Seven;
Recommendation Six). Reads ask districts.selectors, writes districts.services_agreements, and who may do what
districts.policies; a guessed id of a version the user may not read is a 404."""

from django.urls import path
from django.views.generic import DetailView

from core.views import PortalPermissionMixin, ServiceActionMixin
from districts import selectors, services, services_agreements
from districts.forms import (
    LocalityAgreementDraftForm,
    LocalityAgreementEditForm,
    NegotiationNoteForm,
    NegotiationOutputsForm,
    NegotiationPositionForm,
    NegotiationRouteForm,
    VersionForm,
)
from districts.models import DistrictNegotiation, LocalityAgreement, NegotiationParty
from districts.policies import locality_agreements, negotiations


def district_agreements_context(district, user) -> dict:
    """What the district page shows of its working agreements: the versions the user may read, the
    structured negotiations, and the form to draft a new version where the user is a party."""
    context = {
        "locality_agreements": selectors.district_locality_agreements(district, user),
        "negotiations": selectors.district_negotiations(district),
        "can_draft_agreement": locality_agreements.user_can(
            user, "draft", LocalityAgreement(district=district, financial_year=0)
        ),
    }
    if context["can_draft_agreement"]:
        context["draft_form"] = LocalityAgreementDraftForm()
    return context


class LocalityAgreementDetailView(PortalPermissionMixin, DetailView):
    permission_required = "districts.view_locality_agreement"
    template_name = "districts/locality_agreement.html"
    context_object_name = "agreement"

    def get_queryset(self):
        queryset = LocalityAgreement.objects.filter(district__slug=self.kwargs["slug"]).select_related(
            "district", "val_signed_by", "local_signed_by", "supersedes"
        )
        return locality_agreements.instances_for(self.request.user, "view", queryset)

    def get_context_data(self, **kwargs):
        agreement, user = self.object, self.request.user
        services = selectors.locality_agreement_services(agreement)
        versions = locality_agreements.instances_for(
            user,
            "view",
            LocalityAgreement.objects.filter(district=agreement.district, financial_year=agreement.financial_year),
        )
        context = super().get_context_data(**kwargs)
        context.update(
            district=agreement.district,
            services=services,
            versions=versions,
            history=selectors.locality_agreement_history(agreement),
            can_edit=locality_agreements.user_can(user, "edit", agreement),
        )
        party = services_agreements.signing_party(user)
        signed = {"val": agreement.val_signed_at, "local": agreement.local_signed_at}.get(party)
        context["can_sign"] = context["can_edit"] and party is not None and not signed
        latest = max(version.number for version in versions)
        context["can_draft_next"] = (
            agreement.number == latest
            and agreement.status == LocalityAgreement.Status.AGREED
            and locality_agreements.user_can(user, "draft", agreement)
        )
        if context["can_draft_next"]:
            context["draft_form"] = LocalityAgreementDraftForm(initial={"financial_year": agreement.financial_year})
        if context["can_edit"]:
            initial = LocalityAgreementEditForm.initial_for(agreement, services)
            context.setdefault("edit_form", LocalityAgreementEditForm(initial=initial))
        if context["can_sign"]:
            context.setdefault("sign_form", VersionForm(initial={"version": agreement.version}))
        return context


class LocalityAgreementEditView(ServiceActionMixin, LocalityAgreementDetailView):
    permission_required = "districts.edit_locality_agreement"
    form_context_name = "edit_form"
    success_message = "The draft has been saved. Any sign-off given to the earlier words has been withdrawn."

    def get_form(self):
        return LocalityAgreementEditForm(self.request.POST)

    def perform(self, form):
        return services_agreements.locality_agreement_edit(
            agreement=self.object,
            user=self.request.user,
            version=form.cleaned_data["version"],
            note=form.cleaned_data["note"],
            services=form.service_values(),
        )


class LocalityAgreementSignView(ServiceActionMixin, LocalityAgreementDetailView):
    permission_required = "districts.sign_locality_agreement"
    form_context_name = "sign_form"
    success_message = "Your sign-off has been recorded."

    def get_form(self):
        return VersionForm(self.request.POST)

    def perform(self, form):
        return services_agreements.locality_agreement_sign(
            agreement=self.object, user=self.request.user, version=form.cleaned_data["version"]
        )


class NegotiationDetailView(PortalPermissionMixin, DetailView):
    permission_required = "portal.view_dashboard"
    template_name = "districts/negotiation.html"
    context_object_name = "negotiation"

    def get_queryset(self):
        return DistrictNegotiation.objects.filter(district__slug=self.kwargs["slug"]).select_related(
            "district", "updated_by"
        )

    def get_permission_object(self):
        return None

    def get_context_data(self, **kwargs):
        negotiation, user = self.object, self.request.user
        positions = {p.party: p for p in selectors.negotiation_positions(negotiation)}
        can_record = negotiations.user_can(user, "record", negotiation)
        route_open = selectors.negotiation_deadline_passed_unagreed(negotiation)
        context = super().get_context_data(**kwargs)
        context.update(
            district=negotiation.district,
            positions=[(value, label, positions.get(value)) for value, label in NegotiationParty.choices],
            routes=selectors.negotiation_routes(negotiation),
            route_open=route_open,
            notes=selectors.district_notes(negotiation.district),
            status_history=selectors.district_status_history(negotiation.district),
            history=selectors.negotiation_history(negotiation),
            can_record=can_record,
            can_record_position=negotiations.user_can(user, "record_position", negotiation),
        )
        if can_record:
            context.setdefault(
                "outputs_form",
                NegotiationOutputsForm(
                    initial={name: getattr(negotiation, name) for name in services_agreements.NEGOTIATION_OUTPUTS}
                    | {"version": negotiation.version}
                ),
            )
            context.setdefault(
                "status_form", NegotiationNoteForm(initial={"status": negotiation.district.negotiation_status})
            )
            if route_open:
                context.setdefault("route_form", NegotiationRouteForm())
        if context["can_record_position"]:
            # One party (the CIO's staff, a hub or an LRC): its position's version, so a stale edit is refused.
            parties = services_agreements.negotiation_parties_for(user)
            initial = {}
            if len(parties) == 1:
                initial = {"party": parties[0], "version": getattr(positions.get(parties[0]), "version", None)}
            context.setdefault("position_form", NegotiationPositionForm(parties=parties, initial=initial))
        return context


class NegotiationOutputsView(ServiceActionMixin, NegotiationDetailView):
    permission_required = "districts.record_negotiation"
    form_context_name = "outputs_form"
    success_message = "The negotiation's outputs have been recorded."

    def get_permission_object(self):
        return self.get_object()

    def get_form(self):
        return NegotiationOutputsForm(self.request.POST)

    def perform(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version")
        return services_agreements.negotiation_outputs_record(
            negotiation=self.object, user=self.request.user, version=version, **data
        )


class NegotiationPositionView(ServiceActionMixin, NegotiationDetailView):
    permission_required = "districts.record_negotiation_position"
    form_context_name = "position_form"
    success_message = "The position has been recorded."

    def get_permission_object(self):
        return self.get_object()

    def get_form(self):
        return NegotiationPositionForm(self.request.POST)  # every party: the service refuses another's by name

    def perform(self, form):
        return services_agreements.negotiation_position_record(
            negotiation=self.object, user=self.request.user, **form.cleaned_data
        )


class NegotiationRouteView(ServiceActionMixin, NegotiationDetailView):
    permission_required = "districts.record_negotiation"
    form_context_name = "route_form"
    success_message = "The route has been recorded."

    def get_permission_object(self):
        return self.get_object()

    def get_form(self):
        return NegotiationRouteForm(self.request.POST)

    def perform(self, form):
        return services_agreements.negotiation_route_record(
            negotiation=self.object, user=self.request.user, **form.cleaned_data
        )


class NegotiationStatusView(ServiceActionMixin, NegotiationDetailView):
    """A status change with its note (the history's narrative), by the CIO's staff or an LCC officer."""

    permission_required = "districts.record_negotiation"
    form_context_name = "status_form"
    success_message = "The status and its note have been recorded."

    def get_permission_object(self):
        return self.get_object()

    def get_form(self):
        return NegotiationNoteForm(self.request.POST)

    def perform(self, form):
        return services.negotiation_note_add(district=self.object.district, user=self.request.user, **form.cleaned_data)


urlpatterns = [
    path("<slug:slug>/agreements/<int:pk>/", LocalityAgreementDetailView.as_view(), name="agreement"),
    path("<slug:slug>/agreements/<int:pk>/edit/", LocalityAgreementEditView.as_view(), name="agreement_edit"),
    path("<slug:slug>/agreements/<int:pk>/sign/", LocalityAgreementSignView.as_view(), name="agreement_sign"),
    path("<slug:slug>/negotiations/<int:pk>/", NegotiationDetailView.as_view(), name="negotiation"),
    path("<slug:slug>/negotiations/<int:pk>/outputs/", NegotiationOutputsView.as_view(), name="negotiation_outputs"),
    path("<slug:slug>/negotiations/<int:pk>/position/", NegotiationPositionView.as_view(), name="negotiation_position"),
    path("<slug:slug>/negotiations/<int:pk>/route/", NegotiationRouteView.as_view(), name="negotiation_route"),
    path("<slug:slug>/negotiations/<int:pk>/status/", NegotiationStatusView.as_view(), name="negotiation_status"),
]
