from django.contrib.auth.decorators import login_required, permission_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import permissions, routers

from vcsportal.api import views

app_name = "api"


class PortalRouter(routers.DefaultRouter):
    APIRootView = views.APIRootView
    # JSON is the only format, so no ``.json`` suffixes: one URL per resource.
    include_format_suffixes = False


router = PortalRouter()
router.register("districts", views.DistrictViewSet, basename="district")
router.register("funders", views.FunderViewSet, basename="funder")
router.register("providers", views.ProviderViewSet, basename="provider")
router.register("contracts", views.ContractViewSet, basename="contract")
router.register("subcontracts", views.SubContractViewSet, basename="subcontract")
router.register("allocations", views.AllocationViewSet, basename="allocation")
router.register("contributions", views.ContributionViewSet, basename="contribution")
router.register("periods", views.PeriodViewSet, basename="period")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("returns", views.ReturnViewSet, basename="return")
router.register("results", views.ResultViewSet, basename="result")

urlpatterns = [
    # The schema answers a token as well as a session (DRF's authentication; 401 when signed out).
    path(
        "schema/",
        SpectacularAPIView.as_view(permission_classes=[permissions.IsAuthenticated, views.UsesTheApi]),
        name="schema",
    ),
    # The docs are a page for people: a signed-out browser is sent to the login form.
    path(
        "docs/",
        login_required(
            permission_required("portal.use_api", raise_exception=True)(
                SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html")
            )
        ),
        name="docs",
    ),
    path("summary/", views.SummaryView.as_view(), name="summary"),
    path("", include(router.urls)),
]
