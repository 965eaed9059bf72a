"""Reads for disputes: the list a user may see, one dispute's history, what a user may dispute about."""

from django.db.models import QuerySet

from contracts.models import SubContract
from contracts.policies import contracts as contract_policy
from contracts.policies import subcontracts
from disputes import policies
from disputes.models import Dispute
from performance.models import Result
from performance.selectors import evidence_of_return


def dispute_list(user) -> QuerySet[Dispute]:
    """The disputes this user may see, newest first."""
    return policies.disputes.instances_for(user, "view").select_related(
        "raised_by_organisation", "respondent", "subcontract__provider", "result__indicator", "refers_to"
    )


def dispute_history(dispute: Dispute):
    """Every recorded change to a dispute (raised, hearing set, decided), oldest first."""
    return dispute.history.select_related("history_user").order_by("history_date")


def results_challengeable(user) -> QuerySet[Result]:
    """The RAG ratings the user may challenge, by provider, newest period first."""
    return (
        policies.challenges.instances_for(user, "challenge")
        .select_related("indicator", "district", "return_obj__provider", "return_obj__period")
        .order_by("return_obj__provider__code", "-return_obj__period__financial_year", "indicator__code")
    )


def subcontracts_disputable(user) -> QuerySet[SubContract]:
    """The sub-contracts the user may raise a dispute about: those they may see."""
    return subcontracts.instances_for(user, "view").select_related("provider")


def dispute_subject(user, dispute: Dispute) -> dict:
    """What the dispute concerns, as far as this user may open it: the sub-contract and its contract (their
    pages), or the disputed rating's return's evidence (the Peer Review Body reads them all)."""
    subject = {"subcontract_readable": False, "contract_readable": False, "evidence": []}
    if dispute.subcontract_id:
        subject["subcontract_readable"] = subcontracts.user_can(user, "read", dispute.subcontract)
    subject["contract_readable"] = contract_policy.user_can(user, "read", dispute.contract)
    if dispute.result_id:
        subject["evidence"] = list(evidence_of_return(user, dispute.result.return_obj))
        subject["evidence_return"] = dispute.result.return_obj
    return subject
