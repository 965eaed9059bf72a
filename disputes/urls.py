from django.urls import path

from disputes import views

app_name = "disputes"

# Mounted at /contracts/disputes/, where disputes have always lived.
urlpatterns = [
    path("", views.DisputeListView.as_view(), name="list"),
    path("new/", views.DisputeCreateView.as_view(), name="create"),
    path("<int:pk>/", views.DisputeDetailView.as_view(), name="detail"),
    path("<int:pk>/hearing/", views.DisputeHearingView.as_view(), name="hearing"),
    path("<int:pk>/decide/", views.DisputeDecideView.as_view(), name="decide"),
]
