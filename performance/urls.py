from django.urls import path

from performance.views import imports, periods, returns

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
]
