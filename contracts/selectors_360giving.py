"""Reads for the 360Giving publication: the year's allocations (one grant each) and the pooled
contributions that paid for them. Kept apart from the contract pages' selectors so the export and the
pages can change independently; both read the same tables."""

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery, Sum

from contracts.models import Allocation, Contribution, SubContract


def grant_allocations(*, financial_year: int, partnership) -> QuerySet[Allocation]:
    """Every allocation of money above zero for the financial year under the partnership's contracts (a
    ``districts.County`` or its id), one per funded organisation and
    contract, with what a grant record needs loaded in the same few queries: the organisation, its
    district, the contract and its county and commissioner, the organisation's sub-contract under that
    contract with its districts, and ``last_modified`` (when the allocation's history last changed)."""
    history = Allocation.history.model
    last_change = history.objects.filter(id=OuterRef("pk")).order_by("-history_date").values("history_date")[:1]
    return (
        Allocation.objects.filter(financial_year=financial_year, amount__gt=0, contract__county=partnership)
        .select_related(
            "organisation",
            "organisation__district",
            "organisation__county",
            "contract",
            "contract__county",
            "contract__commissioner",
            "contract__provider",
            "contract__paid_from_pool_of",
        )
        .prefetch_related(
            Prefetch(
                "organisation__subcontracts",
                queryset=SubContract.objects.prefetch_related("districts").order_by("pk"),
            )
        )
        .annotate(last_modified=Subquery(last_change))
        .order_by("contract__reference", "organisation__kind", "organisation__name", "pk")
    )


def pooled_contributions_by_funder(*, financial_year: int, partnership) -> QuerySet:
    """Per contract of the partnership and funder, the total the funder put into the pool for the year (a
    funder may make several contributions), largest first. Rows are dicts with ``contract_id``, ``funder__code``,
    ``funder__name``, ``funder__org_id``, ``funder__is_group`` and ``total``."""
    return (
        Contribution.objects.filter(financial_year=financial_year, contract__county=partnership)
        .values("contract_id", "funder__code", "funder__name", "funder__org_id", "funder__is_group")
        .annotate(total=Sum("amount"))
        .order_by("contract_id", "-total", "funder__name")
    )


def grant_years(*, partnership) -> list[int]:
    """The financial years (by starting calendar year) in which the partnership has money to publish, latest
    first."""
    return list(
        Allocation.objects.filter(amount__gt=0, contract__county=partnership)
        .values_list("financial_year", flat=True)
        .distinct()
        .order_by("-financial_year")
    )
