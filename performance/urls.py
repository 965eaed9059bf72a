from django.urls import path, register_converter

from performance.views import dashboard, imports, periods, returns


class FileFormatConverter:
    regex = "csv|xlsx"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(FileFormatConverter, "file_format")

app_name = "performance"

urlpatterns = [
    path("returns/", returns.MyReturnsView.as_view(), name="my_returns"),
    path("returns/review/", returns.ReviewListView.as_view(), name="review_list"),
    path("returns/import/", imports.ReturnImportView.as_view(), name="import"),
    path("returns/<int:pk>/", returns.ReturnDetailView.as_view(), name="return"),
    path("returns/<int:pk>/accept/", returns.ReturnAcceptView.as_view(), name="return_accept"),
    path("returns/<int:pk>/send-back/", returns.ReturnSendBackView.as_view(), name="return_send_back"),
    path("returns/<int:pk>/sign-off/", returns.ReturnSignOffView.as_view(), name="return_sign_off"),
    path("returns/<int:pk>/reopen/", returns.ReturnReopenView.as_view(), name="return_reopen"),
    path("returns/<int:pk>/validate/", returns.ReturnValidateView.as_view(), name="return_validate"),
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
    path("indicators/<str:code>/", dashboard.IndicatorView.as_view(), name="indicator"),
    path(
        "indicators/<str:code>/export.<file_format:file_format>",
        dashboard.IndicatorExportView.as_view(),
        name="indicator_export",
    ),
]
