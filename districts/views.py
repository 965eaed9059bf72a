"""District pages: population, providers, money in by source, negotiation status and latest results."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.generic import DetailView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from districts import selectors, services
from districts.forms import NegotiationNoteForm
from districts.tables import DistrictTable


class DistrictListView(PermissionRequiredMixin, TemplateView):
    permission_required = "portal.view_dashboard"
    raise_exception = True
    template_name = "districts/district_list.html"

    def get_context_data(self, **kwargs):
        districts = selectors.district_list()
        return super().get_context_data(table=DistrictTable(districts), **kwargs)


class DistrictDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "portal.view_dashboard"
    raise_exception = True
    template_name = "districts/district_detail.html"
    context_object_name = "district"

    def get_queryset(self):
        return selectors.district_list()

    def get_permission_object(self):
        return None

    def get_context_data(self, **kwargs):
        district = self.object
        user = self.request.user
        sees_money = user.has_perm("portal.view_contracts") or user.has_perm("contracts.has_own_subcontract")
        sees_frontline = user.has_perm("portal.view_contracts")
        context = super().get_context_data(**kwargs)
        context.update(
            providers=selectors.district_providers(district),
            sees_money=sees_money,
            sees_frontline=sees_frontline,
            money_by_year=selectors.district_money_by_year(district, user, include_frontline=sees_frontline)
            if sees_money
            else [],
            subcontract_money=selectors.district_subcontract_money(district, user) if sees_money else [],
            frontline_money=selectors.district_frontline_money(district) if sees_frontline else [],
            notes=selectors.district_notes(district),
            status_history=selectors.district_status_history(district),
            results=selectors.district_latest_results(district),
            can_add_note=user.has_perm("districts.add_negotiation_note"),
        )
        if context["can_add_note"]:
            context.setdefault("note_form", NegotiationNoteForm(initial={"status": district.negotiation_status}))
        return context


class NegotiationNoteAddView(DistrictDetailView):
    permission_required = "districts.add_negotiation_note"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = NegotiationNoteForm(request.POST)
        if form.is_valid():
            try:
                services.negotiation_note_add(district=self.object, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, "The negotiation note has been recorded.")
                return redirect(self.object)
        return self.render_to_response(self.get_context_data(note_form=form))
