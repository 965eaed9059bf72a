from django.urls import path

from contracts import views

app_name = "contracts"

urlpatterns = [
    path("", views.ContractListView.as_view(), name="list"),
    path("<int:pk>/", views.ContractDetailView.as_view(), name="detail"),
    path("<int:pk>/plan-2007/", views.PlanBaselineView.as_view(), name="plan_baseline"),
    path("<int:pk>/extend/", views.ContractExtendView.as_view(), name="extend"),
    path("<int:pk>/subcontracts/new/", views.SubContractCreateView.as_view(), name="subcontract_create"),
    path("<int:pk>/budget-lines/", views.BudgetLineListView.as_view(), name="budget_lines"),
    path("budget-lines/<int:pk>/change/", views.BudgetLineChangeView.as_view(), name="budget_line_update"),
    path("budget-lines/<int:pk>/remove/", views.BudgetLineChangeView.as_view(delete=True), name="budget_line_delete"),
    path("subcontracts/mine/", views.MySubContractView.as_view(), name="my_subcontract"),
    path("subcontracts/<int:pk>/", views.SubContractDetailView.as_view(), name="subcontract"),
    path("subcontracts/<int:pk>/vary/", views.SubContractVaryView.as_view(), name="subcontract_vary"),
    path("subcontracts/<int:pk>/end/", views.SubContractEndView.as_view(), name="subcontract_end"),
    path("scenarios/", views.ScenarioListView.as_view(), name="scenarios"),
    path("scenarios/new/", views.ScenarioCreateView.as_view(), name="scenario_create"),
    path("scenarios/compare/", views.ScenarioCompareView.as_view(), name="scenario_compare"),
    path("scenarios/<int:pk>/", views.ScenarioDetailView.as_view(), name="scenario"),
    path("scenarios/<int:pk>/export/", views.ScenarioExportView.as_view(), name="scenario_export"),
    path("scenarios/<int:pk>/adopt/", views.ScenarioAdoptView.as_view(), name="scenario_adopt"),
]
