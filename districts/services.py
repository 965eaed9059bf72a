"""Changes to districts: negotiation notes, which also move the district's negotiation status."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from core.services import lock_current, save_with_history
from districts.models import District, NegotiationNote, NegotiationStatus


@transaction.atomic
def negotiation_note_add(
    *, district: District, user, noted_on: datetime.date, status: str, note: str
) -> NegotiationNote:
    """Record a dated negotiation note and set the district's status to the one it records (with history)."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "Enter what was agreed or discussed."})
    if status not in NegotiationStatus.values:
        raise ValidationError({"status": "Choose agreed, part agreed or not agreed."})
    if noted_on is None:
        raise ValidationError({"noted_on": "Enter the date of the note."})
    entry = NegotiationNote(district=district, noted_on=noted_on, status=status, note=note, recorded_by=user)
    entry.full_clean()
    entry.save()
    current = lock_current(district)
    if current.negotiation_status != status:
        before = current.get_negotiation_status_display()
        current.negotiation_status = status
        reason = f"Negotiation status {before} to {current.get_negotiation_status_display()}"
        save_with_history(current, user=user, reason=reason)
    return entry
