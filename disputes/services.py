"""Changes to disputes. Each service is atomic, checks whose step it is (disputes.policies, through the state
machine's permissions), validates before it saves, records who, when and why, and announces the event."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from contracts.models import Contract, Organisation, SubContract
from core.events import publish
from core.services import lock_current, require, save_with_history
from core.workflow import require_step, transition_refusal
from disputes import policies
from disputes.events import DISPUTE_DECIDED, DISPUTE_RAISED
from disputes.models import Dispute
from performance.models import Result

DECIDED_MESSAGE = "This dispute has been decided and the decision binds: raise a new dispute that refers to it."


@transaction.atomic
def dispute_raise(
    *,
    user,
    subject: str,
    details: str,
    subcontract: SubContract | None = None,
    result: Result | None = None,
    refers_to: Dispute | None = None,
) -> Dispute:
    """A CIO or a hub/LRC raises a dispute about a sub-contract or a RAG rating with the other party.

    The raiser is the user's organisation; the respondent is the other party (the CIO for a hub or LRC,
    the sub-contractor for the CIO). A decided dispute is never reopened: a new one refers to it.
    """
    require(policies.disputes.user_can(user, "raise"), "Only the CIO's, a hub's or an LRC's staff raise disputes.")
    organisation = user.organisation
    if organisation is None or organisation.kind not in Organisation.Kind.values:
        raise ValidationError("Only the CIO, a hub or an LRC can raise a dispute.")
    if (subcontract is None) == (result is None):
        raise ValidationError({"subcontract": "Choose either the sub-contract or the RAG rating the dispute is about."})
    if subcontract is not None:
        contract = subcontract.contract
        provider = subcontract.provider
    else:
        provider = result.return_obj.provider
        contract = Contract.objects.filter(provider__kind=Organisation.Kind.CIO, county_id=provider.county_id).first()
        if contract is None:
            raise ValidationError({"result": "There is no CIO contract for this provider's county."})
        if provider.kind == Organisation.Kind.CIO:
            raise ValidationError({"result": "A RAG challenge is about a hub's or LRC's rating."})
    if organisation.kind == Organisation.Kind.CIO:
        respondent = provider
    else:
        if provider != organisation:
            field = "subcontract" if subcontract is not None else "result"
            raise ValidationError(
                {field: "A hub or LRC can raise a dispute only about its own sub-contract or rating."}
            )
        respondent = contract.provider
    if refers_to is not None and refers_to.contract_id != contract.pk:
        raise ValidationError({"refers_to": "The earlier dispute must be under the same contract."})
    dispute = Dispute(
        contract=contract,
        raised_by_organisation=organisation,
        respondent=respondent,
        subcontract=subcontract,
        result=result,
        refers_to=refers_to,
        subject=(subject or "").strip(),
        details=(details or "").strip(),
        raised_by=user,
    )
    save_with_history(dispute, user=user, reason=f"Raised by {organisation.code}")
    publish(DISPUTE_RAISED, dispute, actor=user)
    return dispute


def _undecided(dispute: Dispute) -> Dispute:
    """The dispute as it is now, locked; a decided one is refused: its decision binds."""
    current = lock_current(dispute)
    if current.is_decided:
        raise ValidationError(DECIDED_MESSAGE, code="decided")
    return current


def _fire(current: Dispute, name: str, *, user, reason: str, **kwargs) -> Dispute:
    """Fire one of the dispute's transitions: whose step, then whether it is open, then the change."""
    require_step(current, name, user)
    refused = transition_refusal(current, name)
    if refused:
        raise ValidationError(refused)
    getattr(current, name)(**kwargs)
    return save_with_history(current, user=user, reason=reason)


@transaction.atomic
def dispute_set_hearing(*, dispute: Dispute, user, hearing_on: datetime.date) -> Dispute:
    """The chair records the hearing date of an undecided dispute."""
    current = _undecided(dispute)
    if hearing_on is None:
        raise ValidationError({"hearing_on": "Enter the hearing date."})
    return _fire(
        current, "set_hearing", user=user, reason=f"Hearing set for {hearing_on:%d %B %Y}", hearing_on=hearing_on
    )


@transaction.atomic
def dispute_decide(*, dispute: Dispute, user, decision: str, hearing_on: datetime.date | None = None) -> Dispute:
    """The chair records the Peer Review Body's binding decision; after this the dispute cannot change."""
    current = _undecided(dispute)
    decision = (decision or "").strip()
    if not decision:
        raise ValidationError({"decision": "Enter the Peer Review Body's decision."})
    if hearing_on is not None:
        current.hearing_on = hearing_on
    if current.hearing_on is None:
        raise ValidationError({"hearing_on": "Enter the date the Peer Review Body heard the dispute."})
    _fire(
        current,
        "decide",
        user=user,
        reason="Decided (binding)",
        decision=decision,
        decided_by=user,
        when=timezone.now(),
    )
    publish(DISPUTE_DECIDED, current, actor=user)
    return current
