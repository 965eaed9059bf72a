from django.urls import path, register_converter

from performance.views import dashboard


class FileFormatConverter:
    regex = "csv|xlsx"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(FileFormatConverter, "file_format")

app_name = "performance"

urlpatterns = [
    path("dashboard/", dashboard.DashboardView.as_view(), name="dashboard"),
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
