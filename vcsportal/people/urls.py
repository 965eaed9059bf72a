from django.urls import path

from vcsportal.people import views

app_name = "people"

urlpatterns = [
    path("", views.PeopleListView.as_view(), name="list"),
    path("invite/", views.PersonInviteView.as_view(), name="invite"),
    path("<int:pk>/", views.PersonDetailView.as_view(), name="detail"),
    path("<int:pk>/role/", views.PersonChangeRoleView.as_view(), name="change_role"),
    path("<int:pk>/deactivate/", views.PersonDeactivateView.as_view(), name="deactivate"),
    path("<int:pk>/reactivate/", views.PersonReactivateView.as_view(), name="reactivate"),
    path("<int:pk>/invitation/", views.PersonInvitationResendView.as_view(), name="resend_invitation"),
    path("<int:pk>/two-factor/reset/", views.PersonTwoFactorResetView.as_view(), name="reset_two_factor"),
]
