"""Reads for districts: the districts themselves, their negotiation notes and status history. A page that
needs a district's money or results asks the contracts and performance apps' selectors too."""

from django.db.models import QuerySet, Sum
from django.utils import timezone

from districts.models import (
    County,
    District,
    DistrictNegotiation,
    LocalityAgreement,
    LocalityAgreementService,
    LocalityService,
    NegotiationNote,
    NegotiationPosition,
    NegotiationRoute,
    NegotiationStatus,
)
from districts.policies import locality_agreements


def district_notes(district: District) -> QuerySet[NegotiationNote]:
    """The dated negotiation notes, newest first, with who recorded them."""
    return district.negotiation_notes.select_related("recorded_by")


def district_status_history(district: District):
    """Every recorded change to the district's negotiation status, newest first."""
    return district.history.select_related("history_user").order_by("-history_date")


def district_locality_agreements(district: District, user) -> QuerySet[LocalityAgreement]:
    """The versions of the district's locality agreements the user may read, newest year and version first."""
    return locality_agreements.instances_for(
        user, "view", LocalityAgreement.objects.filter(district=district).select_related("district")
    )


def locality_agreement_services(agreement: LocalityAgreement) -> QuerySet[LocalityAgreementService]:
    """The services of one version, in the order of ``LocalityService``."""
    order = {value: index for index, value in enumerate(LocalityService.values)}
    return sorted(agreement.services.all(), key=lambda row: order[row.service])


def locality_agreement_history(agreement: LocalityAgreement):
    """Every recorded change to the version and its services, newest first, with who and why."""
    entries = list(agreement.history.select_related("history_user"))
    entries += list(LocalityAgreementService.history.filter(agreement_id=agreement.pk).select_related("history_user"))
    return sorted(entries, key=lambda entry: entry.history_date, reverse=True)


def district_negotiations(district: District) -> QuerySet[DistrictNegotiation]:
    """The district's structured negotiations, newest year first."""
    return district.negotiations.all()


def negotiation_positions(negotiation: DistrictNegotiation) -> QuerySet[NegotiationPosition]:
    """Each party's current position, with who recorded it."""
    return negotiation.positions.select_related("recorded_by")


def negotiation_routes(negotiation: DistrictNegotiation) -> QuerySet[NegotiationRoute]:
    """The steps taken to mediation or the Peer Review Body, newest first."""
    return negotiation.routes.select_related("recorded_by")


def negotiation_history(negotiation: DistrictNegotiation):
    """Every recorded change to the negotiation's outputs, positions and routes, newest first."""
    entries = list(negotiation.history.select_related("history_user"))
    entries += list(NegotiationPosition.history.filter(negotiation_id=negotiation.pk).select_related("history_user"))
    entries += list(NegotiationRoute.history.filter(negotiation_id=negotiation.pk).select_related("history_user"))
    return sorted(entries, key=lambda entry: entry.history_date, reverse=True)


def negotiation_deadline_passed_unagreed(negotiation: DistrictNegotiation, today=None) -> bool:
    """Whether the deadline has passed with the district not agreed (the route to mediation is open)."""
    today = today or timezone.localdate()
    return today > negotiation.deadline and negotiation.district.negotiation_status != NegotiationStatus.AGREED


def partnership_named(slug: str | None) -> County:
    """The partnership a command is run for: the one named by its slug, or, while only one exists, that one.
    Raises ValueError with a message that says what would be accepted."""
    slugs = list(County.objects.order_by("slug").values_list("slug", flat=True)[:6])
    if not slug:
        if len(slugs) == 1:
            return County.objects.get(slug=slugs[0])
        shown = ", ".join(slugs[:5]) + (", ..." if len(slugs) > 5 else "")
        raise ValueError(f"name the partnership (several exist: {shown})" if slugs else "no partnership exists yet")
    partnership = County.objects.filter(slug=slug).first()
    if partnership is None:
        raise ValueError(
            f"no partnership “{slug}”: give a partnership's slug, e.g. {slugs[0] if slugs else 'leicestershire'}"
        )
    return partnership


def population_by_partnership() -> dict[int, int]:
    """Per partnership (by id), the residents of its districts (the sum of their populations). One query."""
    return dict(
        District.objects.order_by()
        .values("county_id")
        .annotate(residents=Sum("population"))
        .values_list("county_id", "residents")
    )
