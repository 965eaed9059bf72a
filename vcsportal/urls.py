from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from contracts.views_360giving import giving360_urlpatterns
from vcsportal import views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("health/", views.health, name="health"),
    path("accounts/login/", views.PortalLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        views.PortalPasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="registration/password_change_done.html"),
        name="password_change_done",
    ),
    path("accounts/password/reset/", views.PortalPasswordResetView.as_view(), name="password_reset"),
    path("accounts/password/reset/sent/", views.PortalPasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        views.PortalPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        views.PortalPasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("accounts/invitation/<uidb64>/<token>/", views.InvitationAcceptView.as_view(), name="invitation_accept"),
    path("account/two-factor/", include("vcsportal.twofactor.urls")),
    path("people/", include("vcsportal.people.urls")),
    path("districts/", include("vcsportal.pages.districts")),
    path("contracts/disputes/", include("disputes.urls")),
    path("contracts/", include("contracts.urls")),
    path("periods/", include("vcsportal.pages.period_returns")),
    path("partnerships/set-up/", include("vcsportal.pages.partnership_setup")),
    path("", include("performance.urls")),
    path("notifications/", include("notifications.urls")),
    path("reports/", include("vcsportal.reports.urls")),
    path("national/", include("vcsportal.pages.national")),
    path("open-data/", include((giving360_urlpatterns, "opendata"))),
    path("api/", include("vcsportal.api.urls")),
    path("account/api-token/", views.ApiTokenView.as_view(), name="api_token"),
    path("admin/", admin.site.urls),
]
