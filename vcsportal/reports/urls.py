from django.urls import path

from vcsportal.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.PackIndexView.as_view(), name="index"),
    path("<slug:period>/", views.PackView.as_view(), name="pack"),
    path("<slug:period>/pack.pdf", views.PackPdfView.as_view(), name="pack_pdf"),
]
