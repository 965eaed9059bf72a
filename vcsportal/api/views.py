"""The read-only API. Every queryset goes through vcsportal.permissions, the module the pages use, so a
token reads exactly what its user reads in the browser: a hub never sees another hub's draft, and those
who may not view contracts get 403 on the money endpoints.

The pages' LoginRequiredMiddleware runs before DRF has read the token; DRF exempts its views from it and
applies its own authentication and permissions instead (IsAuthenticated on every view here).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import filters, permissions, routers, status, viewsets
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ParseError
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from contracts.models import Allocation, Contract, Contribution, Funder, Organisation, SubContract
from districts.models import District
from performance import dashboard
from performance.models import Indicator, ReportingPeriod, Result, Return
from performance.services import ReturnRefused, StaleReturn
from vcsportal import permissions as policy
from vcsportal.api import filters as api_filters
from vcsportal.api import serializers
from vcsportal.api.returns import ResultsRefused, RowError, may_write_results, return_results_write


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
        if self.action == "results":
            return policy.visible_returns(self.request.user, queryset)
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                "results__indicator", "results__district", "results__return_obj__period"
            )
        return policy.visible_returns(self.request.user, queryset)

    @extend_schema(
        summary="Write a return's results (and submit it)",
        description=(
            "A provider's system saves results into its own draft (or sent-back) return, as the return form "
            "does; an LCC officer writes into any draft or submitted return, as the CSV import does. The rows "
            "are named like the CSV import's columns and checked by the same rules, in the same words; one "
            "request is one transaction: any bad row saves nothing. `version` is the return's version you "
            "read: if someone changed the return since, nothing is saved and the answer (409) says what "
            "changed. With `submit: true` the return is then submitted, which needs every row complete."
        ),
        request=serializers.ReturnResultsWriteSerializer,
        responses={
            200: serializers.ReturnResultsWrittenSerializer,
            400: OpenApiResponse(
                serializers.ReturnResultsRefusedSerializer,
                description="Bad rows (each named by position, indicator and district) or a malformed body.",
            ),
            403: OpenApiResponse(description="This user may not write this return's results."),
            415: OpenApiResponse(description="The body is not sent as application/json."),
            409: OpenApiResponse(
                serializers.ReturnConflictSerializer,
                description="The return changed since `version` (what changed is listed), or its status or its "
                "period's lock does not allow the change.",
            ),
        },
        examples=[
            OpenApiExample(
                "Save one row of a hub's draft",
                request_only=True,
                value={
                    "version": 3,
                    "submit": False,
                    "results": [
                        {
                            "indicator": "LOC-1",
                            "district": None,
                            "rag": "green",
                            "actual": "120",
                            "target": None,
                            "reason": "",
                            "narrative": "Enquiries up after the autumn recruitment fair.",
                            "evidence_url": "",
                        }
                    ],
                },
            )
        ],
    )
    @action(detail=True, methods=["post"], url_path="results")
    def results(self, request, pk=None):
        # Refused by role before the id is looked at: a funder's write is a 403 whatever the id.
        if not may_write_results(request.user):
            raise ApiPermissionDenied("Your role may not write returns' results: funders and reviewers read only.")
        return_obj = self.get_object()
        if not may_write_results(request.user, return_obj):
            raise ApiPermissionDenied(f"You may not change the results of {return_obj}.")
        try:
            data = request.data
        except ParseError as error:
            return _refused(
                "The request body is not JSON: nothing was saved.",
                [RowError(None, None, None, "body", str(error.detail))],
            )
        body = serializers.ReturnResultsWriteSerializer(data=data)
        if not body.is_valid():
            return _refused("The request body is not valid: nothing was saved.", _body_errors(body, data))
        data = body.validated_data
        try:
            written = return_results_write(
                return_obj=return_obj,
                user=request.user,
                version=data["version"],
                rows=data["results"],
                submit=data["submit"],
            )
        except ResultsRefused as error:
            return _refused(error.detail, error.errors)
        except StaleReturn as error:
            return Response(
                serializers.ReturnConflictSerializer(
                    {"detail": error.message, "current_version": error.current_version, "changes": error.changes}
                ).data,
                status=status.HTTP_409_CONFLICT,
            )
        except PermissionDenied as error:
            raise ApiPermissionDenied(str(error)) from error
        except ReturnRefused as error:
            return_obj.refresh_from_db()
            return Response(
                {"detail": error.message, "current_version": return_obj.version, "changes": []},
                status=status.HTTP_409_CONFLICT,
            )
        return Response(
            serializers.ReturnResultsWrittenSerializer(
                {
                    "id": written.return_obj.pk,
                    "status": written.return_obj.status,
                    "version": written.return_obj.version,
                    "created": written.report.created,
                    "updated": written.report.updated,
                    "unchanged": written.report.unchanged,
                    "submitted": written.submitted,
                }
            ).data
        )


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


def _refused(detail: str, errors: list[RowError]) -> Response:
    return Response(
        serializers.ReturnResultsRefusedSerializer({"detail": detail, "errors": errors}).data,
        status=status.HTTP_400_BAD_REQUEST,
    )


def _body_errors(body: drf_serializers.Serializer, data) -> list[RowError]:
    """DRF's nested errors (a wrong JSON type, a missing field) as row errors like the rows' own."""
    rows = data.get("results") if isinstance(data, dict) else None
    errors = []
    for name, problem in body.errors.items():
        # A bad row comes back as {position: {field: [messages]}} (or a list of such, older DRF).
        per_row = dict(enumerate(problem)) if isinstance(problem, list) else problem
        if name == "results" and isinstance(per_row, dict) and all(isinstance(k, int) for k in per_row):
            for position, row_problems in per_row.items():
                given = rows[position] if isinstance(rows, list) and isinstance(rows[position], dict) else {}
                indicator = given.get("indicator") if isinstance(given.get("indicator"), str) else None
                district = given.get("district") if isinstance(given.get("district"), str) else None
                for field, messages in (row_problems or {}).items():
                    errors.extend(RowError(position, indicator, district, field, str(m)) for m in messages)
            continue
        # A dict here is "results" that is not a list: {"non_field_errors": [...]}.
        messages = [m for inner in problem.values() for m in inner] if isinstance(problem, dict) else problem
        errors.extend(RowError(None, None, None, name, str(m)) for m in messages)
    return errors


class SummaryView(APIView):
    """The dashboard's summary, exactly as ``pmf_summary --format json`` prints it, from the same code."""

    permission_classes = [permissions.IsAuthenticated, HasPortalPermission]
    portal_permission = "portal.view_dashboard"

    class Query(drf_serializers.Serializer):
        include_drafts = drf_serializers.BooleanField(required=False, default=False)

    @extend_schema(
        summary="The dashboard summary (pmf_summary's JSON)",
        description=(
            "RAG counts for a period, overall and per provider, and with `compare_to` the change since an "
            "earlier period: the same figures as the dashboard page and `manage.py pmf_summary --format json`, "
            "from the same selectors. Counts submitted, accepted and signed-off returns; `include_drafts` "
            "adds the drafts this user may see, for the roles the dashboard lets include them (403 otherwise)."
        ),
        parameters=[
            OpenApiParameter(
                "period",
                OpenApiTypes.STR,
                required=True,
                description="Like 2010/11 Q2.",
                pattern=r"^\d{4}/\d{2} Q[1-4]$",
            ),
            OpenApiParameter("provider_kind", OpenApiTypes.STR, description="Comma-separated: cio, hub, lrc."),
            OpenApiParameter("compare_to", OpenApiTypes.STR, description="An earlier period, like 2009/10 Q3."),
            OpenApiParameter("include_drafts", OpenApiTypes.BOOL, description="Count the drafts you may see."),
        ],
        responses={
            200: serializers.SummarySerializer,
            403: OpenApiResponse(description="Drafts asked for by a role that may not include them."),
        },
    )
    def get(self, request):
        query = self.Query(data=request.query_params)
        query.is_valid(raise_exception=True)
        draft_providers = None
        if query.validated_data["include_drafts"]:
            draft_providers = policy.draft_providers_visible(request.user)
            if draft_providers is None:
                raise ApiPermissionDenied("include_drafts: your role may not include draft returns in the summary.")
        try:
            filters = dashboard.pmf_summary_filters(
                period=request.query_params.get("period", ""),
                provider_kind=request.query_params.get("provider_kind", ""),
                compare_to=request.query_params.get("compare_to", ""),
                draft_providers=draft_providers,
            )
        except ValidationError as error:
            return Response(error.message_dict, status=status.HTTP_400_BAD_REQUEST)
        return Response(dashboard.pmf_summary(filters))


class APIRootView(routers.APIRootView):
    permission_classes = [permissions.IsAuthenticated]
