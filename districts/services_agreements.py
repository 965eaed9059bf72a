"""Changes to locality agreements and structured district negotiations (issue 16, items 6 and 7).

Every write is atomic, checks the policy, keeps its history (who, when, why) and refuses a stale edit.
An agreed locality agreement is never edited: a new version supersedes it."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.policies import role_of
from core.roles import Role
from core.services import lock_current, require, save_new_version, save_with_history
from districts.models import (
    DistrictNegotiation,
    LocalityAgreement,
    LocalityAgreementService,
    LocalityParty,
    LocalityService,
    NegotiationParty,
    NegotiationPosition,
    NegotiationRoute,
    NegotiationStatus,
)
from districts.policies import locality_agreements, negotiations

#: The fields of a negotiation the funders asked for (Appendix Seven).
NEGOTIATION_OUTPUTS = [
    "pct_to_hubs_and_lrcs",
    "pct_to_hub",
    "pct_to_lrc",
    "pct_val_frontline",
    "pct_val_dva",
    "pct_val_ddo",
    "district_plan_summary",
    "val_support_summary",
]


def signing_party(user) -> str | None:
    """Which side of a locality agreement the user signs for: VAL (the CIO's staff) or the hub or LRC."""
    role = role_of(user)
    if role == Role.CIO_STAFF:
        return "val"
    if role == Role.PROVIDER_STAFF:
        return "local"
    return None


@transaction.atomic
def locality_agreement_draft(*, district, financial_year: int, user, note: str = "") -> LocalityAgreement:
    """Start the next version of a district's agreement for a year, as a draft copying the latest version's
    services (or every service, not yet agreed, for the first). A draft already open is refused."""
    latest = (
        LocalityAgreement.objects.select_for_update()
        .filter(district=district, financial_year=financial_year)
        .order_by("-number")
        .first()
    )
    probe = latest or LocalityAgreement(district=district, financial_year=financial_year)
    require(locality_agreements.user_can(user, "draft", probe), "You may not draft this district's agreement.")
    if latest is not None and latest.status == LocalityAgreement.Status.DRAFT:
        raise ValidationError({"financial_year": "A draft of this year's agreement is already open: change that one."})
    number = (latest.number + 1) if latest else 1
    agreement = LocalityAgreement(
        district=district,
        financial_year=financial_year,
        number=number,
        note=(note or "").strip() or (latest.note if latest else ""),
        supersedes=latest if latest and latest.status == LocalityAgreement.Status.AGREED else None,
        created_by=user,
    )
    save_with_history(agreement, user=user, reason=f"Version {number} drafted")
    earlier = {s.service: s for s in latest.services.all()} if latest else {}
    for service in LocalityService.values:
        copied = earlier.get(service)
        row = LocalityAgreementService(
            agreement=agreement,
            service=service,
            delivered_by=copied.delivered_by if copied else "",
            val_staff_based_in_hub=copied.val_staff_based_in_hub if copied else False,
            note=copied.note if copied else "",
        )
        save_with_history(row, user=user, reason=f"Version {number} drafted")
    return agreement


@transaction.atomic
def locality_agreement_edit(*, agreement: LocalityAgreement, user, version: int, note: str, services: dict):
    """Change a draft: its note and, per service, ``{"delivered_by", "val_staff_based_in_hub", "note"}``.
    Any sign-off already given is withdrawn, since it was given to other words."""
    current = lock_current(agreement, version=version)
    require(locality_agreements.user_can(user, "edit", current), "Only a draft can be changed, by its parties.")
    errors = {}
    for service, values in services.items():
        if service not in LocalityService.values:
            errors[service] = "Choose a service the agreement lists."
        elif values.get("delivered_by", "") not in ["", *LocalityParty.values]:
            errors[f"{service}_delivered_by"] = "Choose VAL, the hub, the LRC or not yet agreed."
        elif values.get("val_staff_based_in_hub") and values.get("delivered_by") != LocalityParty.VAL:
            errors[f"{service}_val_staff_based_in_hub"] = "Only a service VAL delivers can have VAL staff in the hub."
    if errors:
        raise ValidationError(errors)
    for row in current.services.select_for_update():
        values = services.get(row.service)
        if values is None:
            continue
        new = (values.get("delivered_by", ""), bool(values.get("val_staff_based_in_hub")), values.get("note", ""))
        if new != (row.delivered_by, row.val_staff_based_in_hub, row.note):
            row.delivered_by, row.val_staff_based_in_hub, row.note = new
            save_with_history(row, user=user, reason=f"Version {current.number} changed")
    current.note = (note or "").strip()
    withdrawn = current.val_signed_at or current.local_signed_at
    current.val_signed_by = current.val_signed_at = current.local_signed_by = current.local_signed_at = None
    reason = "Draft changed" + ("; sign-offs withdrawn" if withdrawn else "")
    return save_new_version(current, user=user, reason=reason)


@transaction.atomic
def locality_agreement_sign(*, agreement: LocalityAgreement, user, version: int) -> LocalityAgreement:
    """Sign a draft for the user's party; when both parties have signed it is agreed, and the agreed version it
    follows is superseded. Signing twice for the same party is refused."""
    current = lock_current(agreement, version=version)
    require(locality_agreements.user_can(user, "sign", current), "Only a draft can be signed, by its parties.")
    party = signing_party(user)
    now = timezone.now()
    if party == "val":
        if current.val_signed_at:
            raise ValidationError("VAL has already signed this version.")
        current.val_signed_by, current.val_signed_at = user, now
        reason = "Signed for VAL"
    else:
        if current.local_signed_at:
            raise ValidationError("The hub or LRC has already signed this version.")
        current.local_signed_by, current.local_signed_at = user, now
        reason = "Signed for the hub or LRC"
    if current.val_signed_at and current.local_signed_at:
        current.status = LocalityAgreement.Status.AGREED
        reason += "; agreed by both parties"
        if current.supersedes_id:
            earlier = lock_current(current.supersedes)
            earlier.status = LocalityAgreement.Status.SUPERSEDED
            save_new_version(earlier, user=user, reason=f"Superseded by version {current.number}")
    return save_new_version(current, user=user, reason=reason)


def _check_percentages(values: dict) -> None:
    errors = {}
    hub, lrc = values.get("pct_to_hub"), values.get("pct_to_lrc")
    if hub is not None and lrc is not None and hub + lrc > 100:
        errors["pct_to_lrc"] = (
            "The hub's and the LRC's shares of the hubs' and LRCs' money cannot add up to more than 100%."
        )
    dva, ddo, frontline = values.get("pct_val_dva"), values.get("pct_val_ddo"), values.get("pct_val_frontline")
    if dva is not None and ddo is not None and frontline is not None and dva + ddo > frontline:
        errors["pct_val_ddo"] = (
            "The District Volunteering Assistants' and Development Officers' shares cannot exceed the front-line share."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def negotiation_outputs_record(*, negotiation: DistrictNegotiation, user, version: int, **outputs):
    """Record the outputs the funders asked for (percentages 0 to 100, Decimal; the two summaries)."""
    current = lock_current(negotiation, version=version)
    require(negotiations.user_can(user, "record", current), "You may not record this negotiation.")
    unknown = set(outputs) - set(NEGOTIATION_OUTPUTS)
    if unknown:
        raise ValueError(f"Not an output of a negotiation: {sorted(unknown)}")
    for name, value in outputs.items():
        setattr(current, name, value.strip() if isinstance(value, str) else value)
    _check_percentages({name: getattr(current, name) for name in NEGOTIATION_OUTPUTS})
    return save_new_version(current, user=user, reason="Negotiation outputs recorded")


def negotiation_parties_for(user) -> list[str]:
    """The parties whose position the user may record: the CIO's staff VAL's, a hub's or LRC's staff their
    own organisation's, an LCC officer any party's."""
    role = role_of(user)
    if role == Role.CIO_STAFF:
        return [NegotiationParty.VAL]
    if role == Role.PROVIDER_STAFF:
        kind = getattr(getattr(user, "organisation", None), "kind", None)
        return [kind] if kind in NegotiationParty.values else []
    return list(NegotiationParty.values)


@transaction.atomic
def negotiation_position_record(
    *, negotiation: DistrictNegotiation, user, party: str, position: str, version: int | None = None
) -> NegotiationPosition:
    """Record (or replace, keeping the earlier in history) a party's position: the CIO's staff record VAL's,
    a hub's or LRC's staff their own, LCC officers any party's."""
    require(negotiations.user_can(user, "record_position", negotiation), "You may not record a position here.")
    if party not in NegotiationParty.values:
        raise ValidationError({"party": "Choose VAL, the hub, the LRC or the district council."})
    if party not in negotiation_parties_for(user):
        raise ValidationError({"party": "You can record only your own organisation's position."})
    position = (position or "").strip()
    if not position:
        raise ValidationError({"position": "Enter the position."})
    existing = NegotiationPosition.objects.filter(negotiation=negotiation, party=party).first()
    if existing is None:
        entry = NegotiationPosition(negotiation=negotiation, party=party, position=position, recorded_by=user)
        return save_with_history(entry, user=user, reason="Position recorded")
    current = lock_current(existing, version=version)
    current.position, current.recorded_by, current.source = position, user, ""
    return save_new_version(current, user=user, reason="Position changed")


@transaction.atomic
def negotiation_route_record(
    *, negotiation: DistrictNegotiation, user, route: str, decided_on: datetime.date, reason: str
) -> NegotiationRoute:
    """Record the route taken once the deadline has passed without agreement: mediation or the Peer Review
    Body. Refused before the deadline has passed, or when the district has agreed."""
    require(negotiations.user_can(user, "record", negotiation), "You may not record this negotiation.")
    errors = {}
    if route not in NegotiationRoute.Route.values:
        errors["route"] = "Choose mediation or the Peer Review Body."
    if decided_on is None:
        errors["decided_on"] = "Enter the date of the decision."
    elif decided_on <= negotiation.deadline:
        errors["decided_on"] = f"The route is taken after the deadline ({negotiation.deadline:%-d %B %Y}) has passed."
    if not (reason or "").strip():
        errors["reason"] = "Enter why this route was taken."
    if negotiation.district.negotiation_status == NegotiationStatus.AGREED:
        errors["route"] = "This district has agreed: there is nothing to mediate."
    if errors:
        raise ValidationError(errors)
    entry = NegotiationRoute(
        negotiation=negotiation, route=route, decided_on=decided_on, reason=reason.strip(), recorded_by=user
    )
    return save_with_history(entry, user=user, reason=f"Route: {entry.get_route_display()}")
