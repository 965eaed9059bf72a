from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import routers

from vcsportal.api import views

app_name = "api"


class PortalRouter(routers.DefaultRouter):
    APIRootView = views.APIRootView


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
    # The schema answers a token as well as a session, so it is left to DRF's authentication.
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    # The docs are a page for people: the login middleware sends a signed-out browser to the login form.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html"),
        name="docs",
    ),
    path("", include(router.urls)),
]
