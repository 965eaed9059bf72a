"""The API. Every queryset comes from the model's permission policy (``<app>/policies.py``), the one the
pages ask, so a token reads exactly what its user reads in the browser: a hub never sees another hub's
draft, reads its own sub-contract and allocations, and gets 403 where it may read nothing (contracts and
contributions).

The pages' LoginRequiredMiddleware runs before DRF has read the token; DRF exempts its views from it and
applies its own authentication and permissions instead (IsAuthenticated on every view here).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.decorators import method_decorator
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

from contracts import policies as contract_policies
from contracts.models import Allocation, Contract, Contribution, Funder, Organisation, SubContract
from core.policies import Policy
from core.replicas import reads_may_lag
from districts import policies as district_policies
from districts.models import District
from performance import dashboard
from performance import policies as performance_policies
from performance.filters import summary_filters
from performance.models import Indicator, ReportingPeriod, Result, Return
from performance.policies import figures_partnership
from performance.selectors import periods_of_partnership
from performance.services import ReturnRefused, StaleReturn
from vcsportal.api import filters as api_filters
from vcsportal.api import serializers
from vcsportal.api.returns import ResultsRefused, RowError, return_results_write


class StableOrderingFilter(filters.OrderingFilter):
    """Whatever order is asked for, the primary key breaks ties, so pages never overlap or skip rows."""

    def get_ordering(self, request, queryset, view):
        ordering = list(super().get_ordering(request, queryset, view) or [])
        if "pk" not in ordering and "-pk" not in ordering:
            ordering.append("pk")
        return ordering


class PolicyPermission(permissions.BasePermission):
    """Asks the view's permission policy whether the user may take its action on this kind of thing at all
    (403 otherwise); which objects they may, the policy's queryset says (a guessed id is a 404)."""

    def has_permission(self, request, view):
        return view.policy.user_can(request.user, view.policy_action)


# Lists may be read from a replica a moment behind; one object (and every write) reads the primary.
@method_decorator(reads_may_lag, name="list")
class PortalReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """Every list and object comes from the model's policy, the one the pages ask: a token reads exactly
    what its user reads in the browser."""

    permission_classes = [permissions.IsAuthenticated, PolicyPermission]
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    policy: Policy
    policy_action = "view"
    # Any path segment reaches the view, so a malformed id is the API's JSON 404 (after authentication),
    # never the site's HTML page.
    lookup_value_regex = "[^/]+"

    def base_queryset(self):
        return self.queryset.all()

    def get_queryset(self):
        return self.policy.instances_for(self.request.user, self.policy_action, self.base_queryset())


@extend_schema_view(list=extend_schema(summary="Districts"), retrieve=extend_schema(summary="A district"))
class DistrictViewSet(PortalReadOnlyViewSet):
    policy = district_policies.districts
    serializer_class = serializers.DistrictSerializer
    queryset = District.objects.select_related("county")
    lookup_field = "slug"
    ordering_fields = ["name", "population"]
    ordering = ["name"]


@extend_schema_view(list=extend_schema(summary="Funders"), retrieve=extend_schema(summary="A funder"))
class FunderViewSet(PortalReadOnlyViewSet):
    policy = contract_policies.funders
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
    policy = contract_policies.organisations
    serializer_class = serializers.ProviderSerializer
    queryset = Organisation.objects.select_related("county", "district")
    lookup_field = "code"
    filterset_fields = {"kind": ["exact"], "district__slug": ["exact"]}
    ordering_fields = ["name", "code", "kind"]
    ordering = ["kind", "name"]


@extend_schema_view(list=extend_schema(summary="Contracts"), retrieve=extend_schema(summary="A contract"))
class ContractViewSet(PortalReadOnlyViewSet):
    serializer_class = serializers.ContractSerializer
    policy = contract_policies.contracts
    lookup_field = "reference"
    ordering_fields = ["reference"]
    ordering = ["reference"]

    def base_queryset(self):
        return Contract.objects.select_related("county", "commissioner", "provider").prefetch_related("years")


@extend_schema_view(list=extend_schema(summary="Sub-contracts"), retrieve=extend_schema(summary="A sub-contract"))
class SubContractViewSet(PortalReadOnlyViewSet):
    serializer_class = serializers.SubContractSerializer
    policy = contract_policies.subcontracts
    filterset_class = api_filters.SubContractFilter
    ordering_fields = ["provider__code", "start_year"]
    ordering = ["contract__reference", "provider__name"]

    def base_queryset(self):
        return SubContract.objects.select_related("contract", "provider").prefetch_related("districts").distinct()


@extend_schema_view(
    list=extend_schema(summary="Allocations of money per provider and financial year"),
    retrieve=extend_schema(summary="An allocation"),
)
class AllocationViewSet(PortalReadOnlyViewSet):
    serializer_class = serializers.AllocationSerializer
    policy = contract_policies.allocations
    filterset_class = api_filters.AllocationFilter
    ordering_fields = ["financial_year", "amount", "organisation__code"]
    ordering = ["contract__reference", "financial_year", "organisation__kind", "organisation__name"]

    def base_queryset(self):
        return Allocation.objects.select_related("contract", "organisation")


@extend_schema_view(
    list=extend_schema(summary="Pooled contributions per funder and financial year"),
    retrieve=extend_schema(summary="A contribution"),
)
class ContributionViewSet(PortalReadOnlyViewSet):
    serializer_class = serializers.ContributionSerializer
    policy = contract_policies.contributions
    filterset_class = api_filters.ContributionFilter
    ordering_fields = ["financial_year", "amount", "funder__code"]
    ordering = ["contract__reference", "financial_year", "funder__name", "description"]

    def base_queryset(self):
        return Contribution.objects.select_related("contract", "funder")


@extend_schema_view(
    list=extend_schema(summary="Reporting periods (quarters)"), retrieve=extend_schema(summary="A period")
)
class PeriodViewSet(PortalReadOnlyViewSet):
    policy = performance_policies.periods
    serializer_class = serializers.PeriodSerializer
    queryset = ReportingPeriod.objects.all()
    filterset_class = api_filters.PeriodListFilter
    ordering_fields = ["financial_year", "quarter", "due_on"]
    ordering = ["financial_year", "quarter"]

    def base_queryset(self):
        # The calendar is shared: the list holds the quarters the user's partnership reports in.
        return periods_of_partnership(self.queryset.all(), figures_partnership(self.request.user))


@extend_schema_view(list=extend_schema(summary="Indicators"), retrieve=extend_schema(summary="An indicator"))
class IndicatorViewSet(PortalReadOnlyViewSet):
    policy = performance_policies.indicators
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
    policy = performance_policies.returns
    filterset_class = api_filters.ReturnFilter
    ordering_fields = ["submitted_at", "updated_at", "status", "provider__code"]
    ordering = ["period__financial_year", "period__quarter", "provider__kind", "provider__name"]

    def get_serializer_class(self):
        return serializers.ReturnDetailSerializer if self.action == "retrieve" else serializers.ReturnSerializer

    def base_queryset(self):
        queryset = Return.objects.select_related("provider", "period")
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                "results__indicator", "results__district", "results__return_obj__period"
            )
        return queryset

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
        if not self.policy.user_can(request.user, "write_results"):
            raise ApiPermissionDenied("Your role may not write returns' results: funders and reviewers read only.")
        return_obj = self.get_object()
        if not self.policy.user_can(request.user, "write_results", return_obj):
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
    policy = performance_policies.results
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

    def base_queryset(self):
        return Result.objects.select_related("return_obj__period", "return_obj__provider", "indicator", "district")


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


@method_decorator(reads_may_lag, name="get")
class SummaryView(APIView):
    """The dashboard's summary, exactly as ``pmf_summary --format json`` prints it, from the same code."""

    permission_classes = [permissions.IsAuthenticated, PolicyPermission]
    policy = performance_policies.results
    policy_action = "dashboard"

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
            OpenApiParameter(
                "provider_control",
                OpenApiTypes.STR,
                enum=["full", "partial"],
                description="full: only indicators under the provider's complete control; partial: only those "
                "that are not (the review's Table One).",
            ),
        ],
        responses={
            200: serializers.SummarySerializer,
            403: OpenApiResponse(description="Drafts asked for by a role that may not include them."),
        },
    )
    def get(self, request):
        # The dashboard's own form reads the parameters (strictly); drafts asked for by a role that may not
        # count them are its PermissionDenied, which DRF answers with 403.
        try:
            filters = summary_filters(request.query_params, user=request.user)
        except ValidationError as error:
            return Response(error.message_dict, status=status.HTTP_400_BAD_REQUEST)
        return Response(dashboard.pmf_summary(filters))


class UsesTheApi(permissions.BasePermission):
    """The API is for people whose pages it mirrors (``portal.use_api``): a national reviewer, who reads none
    of them, is refused even its root and schema."""

    def has_permission(self, request, view):
        return request.user.has_perm("portal.use_api")


class APIRootView(routers.APIRootView):
    permission_classes = [permissions.IsAuthenticated, UsesTheApi]
