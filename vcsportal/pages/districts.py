"""District pages: population, providers, money in by source, negotiation status and latest results.

A page of the site rather than of the districts app: it shows the contracts app's money and the performance
app's results beside the district's own facts, asking each app's selectors (districts know no money).
"""

import django_tables2 as tables
from django.urls import path
from django.views.generic import DetailView, TemplateView

from contracts import selectors as contract_selectors
from contracts.policies import allocations, contracts
from core.tables import PortalTable
from core.views import PortalPermissionMixin, ServiceActionMixin
from districts import selectors, services, services_agreements
from districts.forms import LocalityAgreementDraftForm, NegotiationNoteForm
from districts.models import District
from districts.policies import districts as district_policy
from performance import selectors as performance_selectors
from performance import selectors_review as performance_selectors_review
from vcsportal.pages import district_agreements

NUMERIC = {"td": {"class": "govuk-table__cell--numeric"}, "th": {"class": "govuk-table__header--numeric"}}


class DistrictTable(PortalTable):
    name = tables.Column(verbose_name="District", linkify=True, orderable=False)
    population = tables.Column(verbose_name="Population", attrs=NUMERIC, orderable=False)
    provider_count = tables.Column(verbose_name="Local providers", attrs=NUMERIC, orderable=False)
    live_subcontracts = tables.Column(verbose_name="Live sub-contracts", attrs=NUMERIC, orderable=False)
    negotiation_status = tables.Column(verbose_name="Negotiation status", orderable=False)

    class Meta(PortalTable.Meta):
        model = District
        fields = ["name", "population", "provider_count", "live_subcontracts", "negotiation_status"]
        caption = "Districts"

    def render_population(self, value):
        return f"{value:,}"

    def render_negotiation_status(self, record):
        return record.get_negotiation_status_display()


class DistrictListView(PortalPermissionMixin, TemplateView):
    permission_required = "portal.view_dashboard"
    template_name = "districts/district_list.html"

    def get_context_data(self, **kwargs):
        districts = district_policy.instances_for(
            self.request.user, "view", contract_selectors.districts_with_coverage()
        )
        return super().get_context_data(table=DistrictTable(districts), **kwargs)


class DistrictDetailView(PortalPermissionMixin, DetailView):
    permission_required = "portal.view_dashboard"
    template_name = "districts/district_detail.html"
    context_object_name = "district"

    def get_queryset(self):
        return district_policy.instances_for(self.request.user, "view", contract_selectors.districts_with_coverage())

    def get_permission_object(self):
        return None

    def get_context_data(self, **kwargs):
        district = self.object
        user = self.request.user
        # Money by source: a hub or LRC sees its own sub-contract's; the CIO's front-line staff lines are
        # for those who read the contract.
        sees_money = allocations.user_can(user, "view")
        sees_frontline = contracts.user_can(user, "view")
        context = super().get_context_data(**kwargs)
        context.update(
            providers=contract_selectors.district_providers(district),
            sees_money=sees_money,
            sees_frontline=sees_frontline,
            money_by_year=contract_selectors.district_money_by_year(district, user, include_frontline=sees_frontline)
            if sees_money
            else [],
            subcontract_money=contract_selectors.district_subcontract_money(district, user) if sees_money else [],
            frontline_money=contract_selectors.district_frontline_money(district) if sees_frontline else [],
            notes=selectors.district_notes(district),
            flags=performance_selectors_review.district_contradictions(district),
            status_history=selectors.district_status_history(district),
            results=performance_selectors.district_latest_results(district),
            can_add_note=user.has_perm("districts.add_negotiation_note"),
        )
        if context["can_add_note"]:
            context.setdefault("note_form", NegotiationNoteForm(initial={"status": district.negotiation_status}))
        for name, value in district_agreements.district_agreements_context(district, user).items():
            context.setdefault(name, value)
        return context


class NegotiationNoteAddView(ServiceActionMixin, DistrictDetailView):
    permission_required = "districts.add_negotiation_note"
    form_context_name = "note_form"
    success_message = "The negotiation note has been recorded."

    def get_form(self):
        return NegotiationNoteForm(self.request.POST)

    def perform(self, form):
        return services.negotiation_note_add(district=self.object, user=self.request.user, **form.cleaned_data)


class LocalityAgreementDraftView(ServiceActionMixin, DistrictDetailView):
    """Start the next version of a district's locality agreement for a year (by VAL or the district's hub or
    LRC); the new draft's page opens."""

    permission_required = "districts.draft_locality_agreement"
    form_context_name = "draft_form"
    success_message = "A new draft of the locality agreement has been started."

    def get_form(self):
        return LocalityAgreementDraftForm(self.request.POST)

    def perform(self, form):
        return services_agreements.locality_agreement_draft(
            district=self.object, user=self.request.user, **form.cleaned_data
        )

    def get_success_url(self, result):
        return result.get_absolute_url()


app_name = "districts"

urlpatterns = [
    path("", DistrictListView.as_view(), name="list"),
    path("<slug:slug>/", DistrictDetailView.as_view(), name="detail"),
    path("<slug:slug>/notes/", NegotiationNoteAddView.as_view(), name="add_note"),
    path("<slug:slug>/agreements/new/", LocalityAgreementDraftView.as_view(), name="agreement_draft"),
    *district_agreements.urlpatterns,
]
