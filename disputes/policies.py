"""Who may see, raise and decide disputes (see core.policies).

LCC, funders and the Peer Review Body read every dispute; the CIO's and the providers' staff the disputes
their organisation is party to. The CIO and the hubs and LRCs raise them: about a sub-contract they may see,
or a hub's or LRC's RAG rating once submitted (the CIO about its sub-contractors', a hub or LRC about its own).
Only the peer review member records the hearing and the binding decision, while the dispute is undecided.
"""

from django.db.models import Q

from contracts.models import Organisation
from core.policies import EVERY, Policy, role_of
from core.roles import Role
from disputes.models import Dispute
from performance.models import Result, Return
from performance.policies import SUBCONTRACTOR_KINDS
from performance.policies import results as result_policy

#: The staff of the parties: the CIO's, and the hubs' and LRCs'.
PARTY_ROLES = (Role.CIO_STAFF, Role.PROVIDER_STAFF)


class DisputePolicy(Policy):
    model = Dispute
    permissions = {
        "portal.view_disputes": "view",
        "disputes.view_dispute": "view",
        "disputes.raise_dispute": "raise",
        "disputes.decide_dispute": "decide",
        "portal.decide_disputes": "decide",
    }

    def rule_view(self, user):
        role = role_of(user)
        if role in (Role.LCC_OFFICER, Role.FUNDER_REVIEWER, Role.PEER_REVIEWER):
            return EVERY
        if role in PARTY_ROLES:
            return Q(raised_by_organisation_id=user.organisation_id) | Q(respondent_id=user.organisation_id)
        return None

    def rule_raise(self, user):
        return EVERY if role_of(user) in PARTY_ROLES else None

    def rule_decide(self, user):
        return ~Q(status=Dispute.Status.DECIDED) if role_of(user) == Role.PEER_REVIEWER else None


class ChallengePolicy(Policy):
    """The RAG ratings a user may challenge in a dispute: a hub's or LRC's submitted rating that the user
    may read, and for a hub's or LRC's staff only their own."""

    model = Result

    def rule_challenge(self, user):
        if disputes.rule_raise(user) is None:
            return None
        q = result_policy.rule_view(user) & Q(return_obj__provider__kind__in=SUBCONTRACTOR_KINDS)
        q &= ~Q(return_obj__status=Return.Status.DRAFT)
        organisation = user.organisation
        if organisation is not None and organisation.kind != Organisation.Kind.CIO:
            q &= Q(return_obj__provider_id=organisation.pk)
        return q


disputes = DisputePolicy()
challenges = ChallengePolicy()

POLICIES = (disputes, challenges)
