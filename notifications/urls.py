from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.NotificationListView.as_view(), name="list"),
    path("preferences/", views.PreferencesView.as_view(), name="preferences"),
    path("delivery/", views.DeliveryLogView.as_view(), name="delivery_log"),
    path("delivery/retry-failed/", views.RetryFailedView.as_view(), name="retry_failed"),
    path("<int:pk>/retry/", views.NotificationRetryView.as_view(), name="retry"),
]
