"""Reads for districts: the districts themselves, their negotiation notes and status history. A page that
needs a district's money or results asks the contracts and performance apps' selectors too."""

from django.db.models import QuerySet

from districts.models import District, NegotiationNote


def district_notes(district: District) -> QuerySet[NegotiationNote]:
    """The dated negotiation notes, newest first, with who recorded them."""
    return district.negotiation_notes.select_related("recorded_by")


def district_status_history(district: District):
    """Every recorded change to the district's negotiation status, newest first."""
    return district.history.select_related("history_user").order_by("-history_date")
