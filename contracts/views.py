"""Contract, sub-contract, budget scenario and budget line pages. Views ask contracts.policies and call the
services; every change is a POST with CSRF, and a refused or invalid change saves nothing."""

import contextlib
import io
import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import DetailView, TemplateView

from contracts import selectors, services
from contracts.forms import (
    BudgetLineDeleteForm,
    BudgetLineForm,
    BudgetLineUpdateForm,
    ContractExtendForm,
    ScenarioAdoptForm,
    ScenarioCompareForm,
    ScenarioForm,
    SubContractCreateForm,
    SubContractEndForm,
    SubContractVaryForm,
)
from contracts.models import BudgetLine, BudgetScenario, Contract
from contracts.policies import contracts as contract_policy
from contracts.policies import scenarios as scenario_policy
from contracts.policies import subcontracts
from contracts.scenarios import ScenarioFigures, allocation_figures, scenario_figures, scenario_organisations
from contracts.tables import AllocationTable, ContributionTable, ScenarioTable
from core.exports import csv_writer
from core.periods import format_financial_year, parse_financial_year
from core.policies import in_users_partnership
from core.views import Confirmation, PortalPermissionMixin, ServiceActionMixin, ServiceFormMixin
from core.workflow import transitions_for

# --- the contract -----------------------------------------------------------------------------------------


class OfItsContractMixin:
    """A contract permission (``portal.manage_contracts``) asked of the contract that the page's object (a
    sub-contract, a budget line, a scenario) belongs to: the contract policy's rules, its partnership's
    included, are about contracts."""

    def get_permission_object(self):
        return self.get_object().contract


class ContractListView(PortalPermissionMixin, TemplateView):
    permission_required = "portal.view_contracts"
    template_name = "contracts/contract_list.html"

    def get_context_data(self, **kwargs):
        contracts = contract_policy.instances_for(self.request.user, "view", selectors.contract_list())
        return super().get_context_data(contracts=contracts, **kwargs)


class ContractDetailView(PortalPermissionMixin, DetailView):
    # Asked of the contract: the readers any, the peer member one a dispute concerns.
    permission_required = "contracts.read_contract"
    template_name = "contracts/contract_detail.html"
    context_object_name = "contract"

    def get_queryset(self):
        return selectors.contract_list()

    def get_context_data(self, **kwargs):
        contract = self.object
        user = self.request.user
        context = super().get_context_data(**kwargs)
        reconciliation = selectors.contract_reconciliation(contract)
        context.update(
            reconciliation=reconciliation,
            stated_changes=selectors.stated_total_changes(contract),
            principles=selectors.funding_principles_against_allocations(contract),
            contributions=ContributionTable(selectors.contract_contributions(contract)),
            contributions_by_funder=selectors.contributions_by_funder(contract),
            allocations=AllocationTable(selectors.contract_allocations(contract, user)),
            subcontracts=selectors.subcontracts_with_money(user, contract),
            extensions=selectors.contract_extensions(contract),
            history=selectors.contract_history(contract),
            budget_totals=selectors.budget_line_totals(contract),
            year_figures=[allocation_figures(contract, row.financial_year) for row in reconciliation if row.allocated],
            can_manage=user.has_perm("portal.manage_contracts"),
        )
        if context["can_manage"] and not contract.extension_exercised and contract.extension_years:
            context.setdefault("extend_form", ContractExtendForm(contract=contract))
        return context


class PlanBaselineView(ContractDetailView):
    """The 2007 plan as the baseline: its funding figures beside the contract's years, and its outcomes and
    objectives against the 2011 framework's strands."""

    template_name = "contracts/plan_baseline.html"

    def get_context_data(self, **kwargs):
        return DetailView.get_context_data(
            self,
            baseline=selectors.plan_baseline(self.object),
            for_the_record=selectors.plan_figures_for_the_record(),
            outcomes=selectors.plan_outcomes(),
            **kwargs,
        )


class ContractExtendView(ServiceActionMixin, ContractDetailView):
    permission_required = "portal.manage_contracts"
    form_context_name = "extend_form"
    success_message = "The extension has been exercised and recorded."
    irreversible = True

    def get_form(self):
        return ContractExtendForm(self.request.POST, contract=self.object)

    def get_confirmation(self, form):
        contract, years = self.object, form.cleaned_data["years"]
        return Confirmation(
            title=f"Exercise the extension of {contract}?",
            changes=[
                f"The contract's last year moves from {format_financial_year(contract.end_year)} to "
                f"{format_financial_year(contract.end_year + years)} ({years} year{'s' if years != 1 else ''}).",
                "The extension option is used up: it cannot be exercised again.",
            ],
            extra=[("Why", form.cleaned_data["reason"])],
            button="Exercise the extension",
            cancel_url=contract.get_absolute_url(),
        )

    def perform(self, form):
        return services.contract_extend(
            contract=self.object,
            user=self.request.user,
            reason=form.cleaned_data["reason"],
            years=form.cleaned_data["years"],
        )


# --- sub-contracts ----------------------------------------------------------------------------------------


class SubContractCreateView(ServiceFormMixin, PortalPermissionMixin, DetailView):
    permission_required = "portal.manage_contracts"
    template_name = "contracts/subcontract_create.html"
    context_object_name = "contract"
    model = Contract

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", SubContractCreateForm(contract=self.object))
        return super().get_context_data(**kwargs)

    def get_form(self):
        return SubContractCreateForm(self.request.POST, contract=self.object)

    def perform(self, form):
        data = form.cleaned_data
        return services.subcontract_create(
            contract=self.object,
            provider=data["provider"],
            start_year=data["start_year"],
            end_year=data["end_year"],
            strands=data["strands"],
            districts=data["districts"],
            amounts={year: data["amount"] for year in range(data["start_year"], data["end_year"] + 1)},
            user=self.request.user,
            reason=data["reason"],
        )

    def get_success_message(self, subcontract):
        return f"The sub-contract with {subcontract.provider.name} has been created."

    def get_success_url(self, subcontract):
        return subcontract.get_absolute_url()


class SubContractDetailView(PortalPermissionMixin, DetailView):
    # The peer member reads a sub-contract a dispute concerns; its variations are for those who view it.
    permission_required = "contracts.read_subcontract"
    scope_action = "read"
    template_name = "contracts/subcontract_detail.html"
    context_object_name = "subcontract"

    def get_queryset(self):
        return selectors.subcontract_list(self.request.user, action=self.scope_action)

    def get_context_data(self, **kwargs):
        subcontract = self.object
        context = super().get_context_data(**kwargs)
        can_manage = self.request.user.has_perm("portal.manage_contracts")
        context.update(
            allocations=selectors.subcontract_allocations(subcontract),
            variations=selectors.subcontract_variations(subcontract),
            can_manage=can_manage,
            can_view_contract=self.request.user.has_perm("contracts.read_contract", subcontract.contract),
        )
        # Varied and ended while the machine says it may be ended: live, and LCC's to change.
        if "end" in {step.name for step in transitions_for(subcontract, self.request.user)}:
            context.setdefault("vary_form", SubContractVaryForm(subcontract=subcontract))
            context.setdefault("end_form", SubContractEndForm(initial={"version": subcontract.version}))
        return context


class SubContractVaryView(OfItsContractMixin, ServiceActionMixin, SubContractDetailView):
    permission_required = "portal.manage_contracts"
    scope_action = "view"
    form_context_name = "vary_form"
    success_message = "The variation has been recorded."

    def get_form(self):
        return SubContractVaryForm(self.request.POST, subcontract=self.object)

    def perform(self, form):
        data = form.cleaned_data
        return services.subcontract_vary(
            subcontract=self.object,
            user=self.request.user,
            version=data["version"],
            reason=data["reason"],
            varied_on=data["varied_on"],
            financial_year=data["financial_year"],
            amount=data["amount"],
            start_year=data["start_year"],
            end_year=data["end_year"],
            strands=data["strands"],
            districts=data["districts"] if "districts" in self.request.POST else None,
        )


class SubContractEndView(OfItsContractMixin, ServiceActionMixin, SubContractDetailView):
    permission_required = "portal.manage_contracts"
    scope_action = "view"
    form_context_name = "end_form"
    success_message = "The sub-contract has been ended."
    irreversible = True

    def get_form(self):
        return SubContractEndForm(self.request.POST)

    def get_confirmation(self, form):
        subcontract, ended_on = self.object, form.cleaned_data["ended_on"]
        return Confirmation(
            title=f"End the sub-contract with {subcontract.provider.name}?",
            changes=[
                f"The sub-contract with {subcontract.provider.name} ends on {ended_on:%-d %B %Y}: its status "
                "changes from Live to Ended and it stops covering later years.",
                "Its allocations so far stay, as history. It cannot be varied after it ends.",
            ],
            extra=[("Why", form.cleaned_data["reason"])],
            button="End the sub-contract",
            cancel_url=subcontract.get_absolute_url(),
        )

    def perform(self, form):
        data = form.cleaned_data
        return services.subcontract_end(
            subcontract=self.object,
            user=self.request.user,
            version=data["version"],
            reason=data["reason"],
            ended_on=data["ended_on"],
        )


class MySubContractView(PortalPermissionMixin, TemplateView):
    """A hub or LRC goes straight to its own sub-contract."""

    permission_required = "contracts.has_own_subcontract"

    def get(self, request, *args, **kwargs):
        subcontract = subcontracts.instances_for(request.user, "view").order_by("-start_year").first()
        if subcontract is None:
            raise Http404("Your organisation has no sub-contract.")
        return redirect(subcontract)


# --- the CIO's budget lines -------------------------------------------------------------------------------


class BudgetLineListView(ServiceFormMixin, PortalPermissionMixin, DetailView):
    permission_required = "portal.view_contracts"
    template_name = "contracts/budget_lines.html"
    context_object_name = "contract"
    model = Contract

    def get_context_data(self, line_forms=None, **kwargs):
        contract = self.object
        context = super().get_context_data(**kwargs)
        can_manage = self.request.user.has_perm("portal.manage_contracts")
        lines = list(selectors.budget_lines(contract))
        if can_manage:
            for line in lines:
                line.update_form = (line_forms or {}).get(line.pk) or BudgetLineUpdateForm(
                    initial={"version": line.version, "amount": line.amount, "note": line.note},
                    prefix=f"line{line.pk}",
                )
            context["line_forms"] = [line.update_form for line in lines]  # their errors head the page
        context.update(lines=lines, totals=selectors.budget_line_totals(contract), can_manage=can_manage)
        if can_manage:
            context.setdefault("form", BudgetLineForm(contract=contract))
        return context

    success_message = "The budget line has been added."

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("portal.manage_contracts"):
            return self.handle_no_permission()
        return super().post(request, *args, **kwargs)

    def get_form(self):
        return BudgetLineForm(self.request.POST, contract=self.object)

    def perform(self, form):
        return services.budget_line_create(contract=self.object, user=self.request.user, **form.cleaned_data)

    def get_success_url(self, line):
        return reverse("contracts:budget_lines", kwargs={"pk": self.object.pk})


class BudgetLineChangeView(OfItsContractMixin, PortalPermissionMixin, DetailView):
    """Change or remove one budget line (POST only), refusing a stale edit."""

    permission_required = "portal.manage_contracts"
    http_method_names = ["post"]
    model = BudgetLine
    delete = False

    def post(self, request, *args, **kwargs):
        line = self.get_object()
        prefix = f"line{line.pk}"
        form = (
            BudgetLineDeleteForm(request.POST, prefix=prefix)
            if self.delete
            else BudgetLineUpdateForm(request.POST, prefix=prefix)
        )
        if not form.is_valid():
            if not self.delete:
                return self.page_again(line, form, status=400)
            messages.error(request, "The budget line was not changed: " + "; ".join(_form_messages(form)))
            return redirect("contracts:budget_lines", pk=line.contract_id)
        try:
            if self.delete:
                services.budget_line_delete(line=line, version=form.cleaned_data["version"], user=request.user)
            else:
                services.budget_line_update(line=line, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            if not self.delete:
                form.add_service_error(error)
                return self.page_again(line, form, status=409 if getattr(error, "code", None) == "stale" else 400)
            messages.error(request, " ".join(error.messages))
            response = redirect("contracts:budget_lines", pk=line.contract_id)
            return response
        messages.success(request, "The budget line has been removed." if self.delete else "The budget line is saved.")
        return redirect("contracts:budget_lines", pk=line.contract_id)

    def page_again(self, line, form, *, status):
        """The budget lines page again, this line's form showing what was typed and its errors."""
        page = BudgetLineListView()
        page.setup(self.request, pk=line.contract_id)
        page.object = line.contract
        return page.render_to_response(page.get_context_data(line_forms={line.pk: form}), status=status)


def _form_messages(form) -> list[str]:
    return [f"{form.fields[name].label if name in form.fields else ''}: {msg}" for name, errs in form.errors.items()
            for msg in errs]  # fmt: skip


# --- budget scenarios -------------------------------------------------------------------------------------


def _the_contract(user) -> Contract:
    """The user's partnership's contract with the latest end: the one its scenarios plan."""
    contract = contract_policy.instances_for(user, "view", selectors.contract_list()).order_by("-end_year").first()
    if contract is None:
        raise Http404("There is no contract yet.")
    return contract


class ScenarioListView(PortalPermissionMixin, TemplateView):
    permission_required = "contracts.view_scenarios"
    template_name = "contracts/scenario_list.html"

    def get_context_data(self, **kwargs):
        contract = _the_contract(self.request.user)
        scenarios = selectors.scenario_list(contract)
        return super().get_context_data(
            contract=contract,
            table=ScenarioTable(scenarios),
            compare_form=ScenarioCompareForm(scenarios=scenarios),
            adoptions=selectors.scenario_adoptions(contract),
            can_manage=self.request.user.has_perm("portal.manage_contracts"),
            **kwargs,
        )


class ScenarioCreateView(ServiceFormMixin, PortalPermissionMixin, TemplateView):
    permission_required = "portal.manage_contracts"
    template_name = "contracts/scenario_create.html"
    success_message = "The scenario has been saved."

    @cached_property
    def contract(self) -> Contract:
        return _the_contract(self.request.user)

    def scenario_form(self, data=None, chosen=None) -> ScenarioForm:
        """The form for the year posted, else the year chosen above the form (no first submit needed), else
        the contract's last year: its custom percentages and transition lines list that year's organisations."""
        contract = self.contract
        year = contract.end_year
        for source in (data, chosen):
            if source and source.get("financial_year"):
                with contextlib.suppress(ValidationError):
                    year = parse_financial_year(source["financial_year"])
                break
        initial = {"financial_year": format_financial_year(year), "rule": BudgetScenario.Rule.EQUAL_CUT}
        stated = contract.stated_total(year)
        if stated is not None:
            initial["total"] = stated
        return ScenarioForm(data, organisations=scenario_organisations(contract, year), initial=initial)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("contract", self.contract)
        if "form" not in kwargs:
            kwargs["form"] = self.scenario_form(chosen=self.request.GET)
        kwargs.setdefault("chosen_year", kwargs["form"]["financial_year"].value() or "")
        return super().get_context_data(**kwargs)

    def get_form(self):
        return self.scenario_form(self.request.POST)

    def perform(self, form):
        data = form.cleaned_data
        return services.scenario_create(
            contract=self.contract,
            financial_year=data["financial_year"],
            name=data["name"],
            total=data["total"],
            rule=data["rule"],
            custom_percentages=data["custom_percentages"],
            transitions=data["transitions"],
            user=self.request.user,
        )


class ScenarioDetailView(PortalPermissionMixin, DetailView):
    permission_required = "contracts.view_scenarios"
    template_name = "contracts/scenario_detail.html"
    context_object_name = "scenario"

    def get_queryset(self):
        scenarios = in_users_partnership(selectors.scenario_list(), self.request.user)
        return scenarios.prefetch_related("transition_lines__organisation", "adoptions__adopted_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        figures = context["figures"] = scenario_figures(self.object)
        # Which base the change in the total is measured against is the reader's choice (?base=).
        context["chosen_base"] = chosen = figures.chosen_base(self.request.GET.get("base"))
        context["chosen_base_figures"] = next(
            ((base, change, pct) for base, change, pct in figures.changes_by_base if base.key == chosen), None
        )
        context["can_manage"] = self.request.user.has_perm("portal.manage_contracts")
        context["history"] = self.object.history.select_related("history_user").order_by("-history_date")
        if context["can_manage"] and not self.object.adopted:
            context.setdefault("adopt_form", ScenarioAdoptForm())
        return context


class ScenarioAdoptView(OfItsContractMixin, ServiceActionMixin, ScenarioDetailView):
    permission_required = "portal.manage_contracts"
    form_context_name = "adopt_form"
    success_message = "The scenario has been adopted as the year's allocations."
    irreversible = True

    def get_form(self):
        return ScenarioAdoptForm(self.request.POST)

    def get_confirmation(self, form):
        scenario = self.object
        results = scenario.results.select_related("organisation").order_by("organisation__code")
        return Confirmation(
            title=f"Adopt “{scenario.name}” as the {scenario.year_label} allocations?",
            changes=[
                f"The {scenario.year_label} allocations become this scenario's: "
                + "; ".join(f"{result.organisation.code} £{result.amount:,.2f}" for result in results)
                + ".",
                f"Any scenario adopted before for {scenario.year_label} is no longer the adopted one.",
            ],
            extra=[("Why", form.cleaned_data["reason"])],
            warning="Only adopting another scenario for the year replaces these allocations.",
            button="Adopt the scenario",
            cancel_url=scenario.get_absolute_url(),
        )

    def perform(self, form):
        return services.scenario_adopt(scenario=self.object, user=self.request.user, reason=form.cleaned_data["reason"])


class ScenarioExportView(ScenarioDetailView):
    """The saved scenario in the command's JSON shape (or CSV): the same figures as the page."""

    def render_to_response(self, context, **response_kwargs):
        figures: ScenarioFigures = context["figures"]
        if self.request.GET.get("format") == "csv":
            buffer = io.StringIO()
            writer = csv_writer(buffer, lineterminator="\n")
            writer.writerow(ScenarioFigures.CSV_HEADER)
            writer.writerows(figures.csv_rows())
            response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="scenario-{self.object.pk}.csv"'
            return response
        return HttpResponse(json.dumps(figures.as_dict(), indent=2), content_type="application/json")


class ScenarioCompareView(PortalPermissionMixin, TemplateView):
    permission_required = "contracts.view_scenarios"
    template_name = "contracts/scenario_compare.html"

    def get_context_data(self, **kwargs):
        scenarios = scenario_policy.instances_for(self.request.user, "view", selectors.scenario_list())
        form = ScenarioCompareForm(self.request.GET, scenarios=scenarios)
        context = super().get_context_data(form=form, **kwargs)
        if form.is_valid():
            a, b = form.cleaned_data["a"], form.cleaned_data["b"]
            figures_a, figures_b = scenario_figures(a), scenario_figures(b)
            by_code_b = {line.code: line for line in figures_b.lines}
            codes = [line.code for line in figures_a.lines] + [
                line.code for line in figures_b.lines if line.code not in {x.code for x in figures_a.lines}
            ]
            by_code_a = {line.code: line for line in figures_a.lines}
            rows = [(code, by_code_a.get(code), by_code_b.get(code)) for code in codes]
            districts = list(zip(figures_a.districts, figures_b.districts, strict=False))
            # The change in each total against each base either year before holds (the years may differ).
            pcts_a, pcts_b = figures_a.change_pct_by_base, figures_b.change_pct_by_base
            base_rows = [
                (base, pcts_a.get(base.key), pcts_b.get(base.key))
                for base in {base.key: base for base in [*figures_b.bases, *figures_a.bases]}.values()
            ]
            context.update(
                a=a, b=b, figures_a=figures_a, figures_b=figures_b, rows=rows, districts=districts, base_rows=base_rows
            )
        return context
