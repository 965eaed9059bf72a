"""The read-only API. Every queryset goes through vcsportal.permissions, the module the pages use, so a
token reads exactly what its user reads in the browser: a hub never sees another hub's draft, and those
who may not view contracts get 403 on the money endpoints.

The pages' LoginRequiredMiddleware runs before DRF has read the token; DRF exempts its views from it and
applies its own authentication and permissions instead (IsAuthenticated on every view here).
"""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import filters, permissions, routers, viewsets

from contracts.models import Allocation, Contract, Contribution, Funder, Organisation, SubContract
from districts.models import District
from performance.models import Indicator, ReportingPeriod, Result, Return
from vcsportal import permissions as policy
from vcsportal.api import filters as api_filters
from vcsportal.api import serializers


class StableOrderingFilter(filters.OrderingFilter):
    """Whatever order is asked for, the primary key breaks ties, so pages never overlap or skip rows."""

    def get_ordering(self, request, queryset, view):
        ordering = list(super().get_ordering(request, queryset, view) or [])
        if "pk" not in ordering and "-pk" not in ordering:
            ordering.append("pk")
        return ordering


class HasPortalPermission(permissions.BasePermission):
    """Asks the portal's permission module for the view's ``portal_permission`` (if it names one)."""

    def has_permission(self, request, view):
        name = getattr(view, "portal_permission", None)
        return name is None or request.user.has_perm(name)


class PortalReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.IsAuthenticated, HasPortalPermission]
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    portal_permission: str | None = "portal.view_dashboard"
    # Any path segment reaches the view, so a malformed id is the API's JSON 404 (after authentication),
    # never the site's HTML page.
    lookup_value_regex = "[^/]+"


@extend_schema_view(list=extend_schema(summary="Districts"), retrieve=extend_schema(summary="A district"))
class DistrictViewSet(PortalReadOnlyViewSet):
    serializer_class = serializers.DistrictSerializer
    queryset = District.objects.select_related("county")
    lookup_field = "slug"
    ordering_fields = ["name", "population"]
    ordering = ["name"]


@extend_schema_view(list=extend_schema(summary="Funders"), retrieve=extend_schema(summary="A funder"))
class FunderViewSet(PortalReadOnlyViewSet):
    serializer_class = serializers.FunderSerializer
    queryset = Funder.objects.all()
    lookup_field = "code"
    filterset_fields = ["kind", "is_group"]
    ordering_fields = ["name", "code"]
    ordering = ["name"]


@extend_schema_view(
    list=extend_schema(summary="Providers (the CIO, community hubs and local resource centres)"),
    retrieve=extend_schema(summary="A provider"),
)
class ProviderViewSet(PortalReadOnlyViewSet):
    serializer_class = serializers.ProviderSerializer
    queryset = Organisation.objects.select_related("county", "district")
    lookup_field = "code"
    filterset_fields = {"kind": ["exact"], "district__slug": ["exact"]}
    ordering_fields = ["name", "code", "kind"]
    ordering = ["kind", "name"]


@extend_schema_view(list=extend_schema(summary="Contracts"), retrieve=extend_schema(summary="A contract"))
class ContractViewSet(PortalReadOnlyViewSet):
    serializer_class = serializers.ContractSerializer
    portal_permission = "portal.view_contracts"
    lookup_field = "reference"
    ordering_fields = ["reference"]
    ordering = ["reference"]

    def get_queryset(self):
        queryset = Contract.objects.select_related("county", "commissioner", "provider").prefetch_related("years")
        return policy.visible_contract_money(self.request.user, queryset)


@extend_schema_view(list=extend_schema(summary="Sub-contracts"), retrieve=extend_schema(summary="A sub-contract"))
class SubContractViewSet(PortalReadOnlyViewSet):
    serializer_class = serializers.SubContractSerializer
    portal_permission = "portal.view_contracts"
    filterset_class = api_filters.SubContractFilter
    ordering_fields = ["provider__code", "start_year"]
    ordering = ["contract__reference", "provider__name"]

    def get_queryset(self):
        queryset = SubContract.objects.select_related("contract", "provider").prefetch_related("districts").distinct()
        return policy.visible_contract_money(self.request.user, queryset)


@extend_schema_view(
    list=extend_schema(summary="Allocations of money per provider and financial year"),
    retrieve=extend_schema(summary="An allocation"),
)
class AllocationViewSet(PortalReadOnlyViewSet):
    serializer_class = serializers.AllocationSerializer
    portal_permission = "portal.view_contracts"
    filterset_class = api_filters.AllocationFilter
    ordering_fields = ["financial_year", "amount", "organisation__code"]
    ordering = ["contract__reference", "financial_year", "organisation__kind", "organisation__name"]

    def get_queryset(self):
        queryset = Allocation.objects.select_related("contract", "organisation")
        return policy.visible_contract_money(self.request.user, queryset)


@extend_schema_view(
    list=extend_schema(summary="Pooled contributions per funder and financial year"),
    retrieve=extend_schema(summary="A contribution"),
)
class ContributionViewSet(PortalReadOnlyViewSet):
    serializer_class = serializers.ContributionSerializer
    portal_permission = "portal.view_contracts"
    filterset_class = api_filters.ContributionFilter
    ordering_fields = ["financial_year", "amount", "funder__code"]
    ordering = ["contract__reference", "financial_year", "funder__name", "description"]

    def get_queryset(self):
        queryset = Contribution.objects.select_related("contract", "funder")
        return policy.visible_contract_money(self.request.user, queryset)


@extend_schema_view(
    list=extend_schema(summary="Reporting periods (quarters)"), retrieve=extend_schema(summary="A period")
)
class PeriodViewSet(PortalReadOnlyViewSet):
    serializer_class = serializers.PeriodSerializer
    queryset = ReportingPeriod.objects.all()
    filterset_class = api_filters.PeriodListFilter
    ordering_fields = ["financial_year", "quarter", "due_on"]
    ordering = ["financial_year", "quarter"]


@extend_schema_view(list=extend_schema(summary="Indicators"), retrieve=extend_schema(summary="An indicator"))
class IndicatorViewSet(PortalReadOnlyViewSet):
    serializer_class = serializers.IndicatorSerializer
    queryset = Indicator.objects.all()
    lookup_field = "code"
    filterset_fields = ["strand", "kind", "for_cio", "for_hub", "for_lrc"]
    ordering_fields = ["code", "number"]
    ordering = ["code"]


@extend_schema_view(
    list=extend_schema(summary="Returns the user may open"),
    retrieve=extend_schema(summary="A return with its results"),
)
class ReturnViewSet(PortalReadOnlyViewSet):
    filterset_class = api_filters.ReturnFilter
    ordering_fields = ["submitted_at", "updated_at", "status", "provider__code"]
    ordering = ["period__financial_year", "period__quarter", "provider__kind", "provider__name"]

    def get_serializer_class(self):
        return serializers.ReturnDetailSerializer if self.action == "retrieve" else serializers.ReturnSerializer

    def get_queryset(self):
        queryset = Return.objects.select_related("provider", "period")
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                "results__indicator", "results__district", "results__return_obj__period"
            )
        return policy.visible_returns(self.request.user, queryset)


@extend_schema_view(
    list=extend_schema(summary="Results (one indicator's rating and figures in a return)"),
    retrieve=extend_schema(summary="A result"),
)
class ResultViewSet(PortalReadOnlyViewSet):
    serializer_class = serializers.ResultSerializer
    filterset_class = api_filters.ResultFilter
    ordering_fields = ["indicator__code", "rag", "actual"]
    ordering = [
        "return_obj__period__financial_year",
        "return_obj__period__quarter",
        "return_obj__provider__code",
        "indicator__code",
        "district__name",
    ]

    def get_queryset(self):
        queryset = Result.objects.select_related("return_obj__period", "return_obj__provider", "indicator", "district")
        return policy.visible_results(self.request.user, queryset)


class APIRootView(routers.APIRootView):
    permission_classes = [permissions.IsAuthenticated]
