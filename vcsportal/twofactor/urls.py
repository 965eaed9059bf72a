from django.urls import path

from vcsportal.twofactor import views

app_name = "twofactor"

urlpatterns = [
    path("", views.ManageView.as_view(), name="manage"),
    path("set-up/", views.SetUpView.as_view(), name="setup"),
    path("verify/", views.VerifyView.as_view(), name="verify"),
    path("recovery-codes/", views.RecoveryCodesView.as_view(), name="recovery_codes"),
]
