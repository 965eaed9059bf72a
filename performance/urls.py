from django.urls import path

from performance.views import dashboard, evidence, framework, imports, periods, return_sections, returns

app_name = "performance"

urlpatterns = [
    path("returns/", returns.MyReturnsView.as_view(), name="my_returns"),
    path("returns/review/", returns.ReviewListView.as_view(), name="review_list"),
    path("returns/import/", imports.ReturnImportView.as_view(), name="import"),
    path("returns/import/template.csv", imports.ReturnImportTemplateView.as_view(), name="import_template"),
    path("returns/<int:pk>/", returns.ReturnDetailView.as_view(), name="return"),
    path(
        "returns/<int:pk>/sections/<slug:section>/",
        return_sections.ReturnSectionView.as_view(),
        name="return_section",
    ),
    path("returns/<int:pk>/check/", return_sections.ReturnCheckView.as_view(), name="return_check"),
    path("returns/<int:pk>/accept/", returns.ReturnAcceptView.as_view(), name="return_accept"),
    path("returns/<int:pk>/send-back/", returns.ReturnSendBackView.as_view(), name="return_send_back"),
    path("returns/<int:pk>/sign-off/", returns.ReturnSignOffView.as_view(), name="return_sign_off"),
    path("returns/<int:pk>/reopen/", returns.ReturnReopenView.as_view(), name="return_reopen"),
    path("returns/<int:pk>/validate/", returns.ReturnValidateView.as_view(), name="return_validate"),
    path("returns/<int:pk>/evidence/", evidence.ReturnEvidenceView.as_view(), name="return_evidence"),
    path("evidence/<int:pk>/", evidence.EvidenceDownloadView.as_view(), name="evidence"),
    path("evidence/<int:pk>/replace/", evidence.EvidenceReplaceView.as_view(), name="evidence_replace"),
    path(
        "evidence/<int:pk>/versions/<int:history_id>/",
        evidence.EvidenceDownloadView.as_view(),
        name="evidence_version",
    ),
    path("periods/", periods.PeriodListView.as_view(), name="periods"),
    path("periods/<int:pk>/lock/", periods.PeriodLockView.as_view(), name="period_lock"),
    path("dashboard/", dashboard.DashboardView.as_view(), name="dashboard"),
    path("dashboard/providers/", dashboard.DashboardProvidersView.as_view(), name="dashboard_providers"),
    path("dashboard/change/", dashboard.DashboardChangeView.as_view(), name="dashboard_change"),
    path("dashboard/localities/", dashboard.DashboardLocalitiesView.as_view(), name="dashboard_localities"),
    path(
        "dashboard/export/<slug:table>.<file_format:file_format>",
        dashboard.DashboardExportView.as_view(),
        name="dashboard_export",
    ),
    path("framework/", framework.FrameworkListView.as_view(), name="framework"),
    path("framework/<financial_year:year>/", framework.FrameworkYearView.as_view(), name="framework_year"),
    path(
        "framework/<financial_year:year>/publish/", framework.FrameworkPublishView.as_view(), name="framework_publish"
    ),
    path(
        "framework/<financial_year:year>/changes/", framework.FrameworkChangesView.as_view(), name="framework_changes"
    ),
    path("framework/<financial_year:year>/targets/copy/", framework.TargetsCopyView.as_view(), name="targets_copy"),
    path(
        "framework/<financial_year:year>/targets/import/", framework.TargetsImportView.as_view(), name="targets_import"
    ),
    path(
        "framework/<financial_year:year>/targets.<file_format:file_format>",
        framework.TargetsExportView.as_view(),
        name="targets_export",
    ),
    path("framework/<financial_year:year>/targets/<str:code>/", framework.TargetsSetView.as_view(), name="targets_set"),
    path("indicators/", dashboard.IndicatorListView.as_view(), name="indicators"),
    path("indicators/<str:code>/", dashboard.IndicatorView.as_view(), name="indicator"),
    path(
        "indicators/<str:code>/export.<file_format:file_format>",
        dashboard.IndicatorExportView.as_view(),
        name="indicator_export",
    ),
]
