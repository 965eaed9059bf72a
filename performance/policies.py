"""Who may see and do what with returns, their results, periods and the dashboard (see core.policies).

A return's draft is its provider's own: its staff edit it and submit it. The CIO's staff review the returns of
the CIO's sub-contractors (hubs and LRCs) once they leave the provider; LCC accepts the CIO's own, signs every
accepted return off and may reopen any return.

**Drafts** (one rule, ``rule_view``, which every page, export, dashboard, the quarterly pack and the API ask): a
return that is with its provider (a draft, or sent back) is read only by that provider's own staff and by LCC
officers. Funders read every return once it is submitted; the CIO its own (drafts too) and its
sub-contractors' once submitted; a hub or LRC its own; the peer review member none
(it reads only a result a dispute concerns, with its return's evidence: what the Peer Review Body adjudicates).
*When* a step is open (the return's status, its period's lock) is the state machine's business
(``Return``'s transitions); whose step it is, is decided here.
"""

from django.db.models import Q

from contracts.models import Organisation
from core.policies import EVERY, NOTHING, Policy, ReadableByEveryone, prefixed, role_of
from core.roles import Role
from performance.models import Evidence, Indicator, ReportingPeriod, Result, Return

SUBCONTRACTOR_KINDS = (Organisation.Kind.HUB, Organisation.Kind.LRC)


def _own(user) -> Q:
    return Q(provider_id=user.organisation_id)


#: Returns that have left their provider (submitted, accepted, signed off): what others than the provider's own
#: staff and LCC may read.
SUBMITTED = ~Q(status__in=Return.OPEN_TO_PROVIDER)
#: Returns with their provider: a draft, or sent back.
DRAFTS = Q(status__in=Return.OPEN_TO_PROVIDER)


def _subcontractors_returns_in_review(user) -> Q:
    """For the CIO's staff: its sub-contractors' returns once they have left the provider."""
    organisation = user.organisation
    if organisation is None or organisation.kind != Organisation.Kind.CIO:
        return NOTHING
    return Q(provider__kind__in=SUBCONTRACTOR_KINDS) & SUBMITTED


class ReturnPolicy(Policy):
    model = Return
    permissions = {
        "performance.view_return": "view",
        "performance.edit_return": "edit",
        "performance.has_own_returns": "own",
        "performance.accept_return": "accept",
        "performance.send_back_return": "send_back",
        "performance.sign_off_return": "sign_off",
        "performance.reopen_return": "reopen",
        "performance.validate_results": "validate",
        "performance.review_any": "review",
        "portal.import_returns": "import",
        "performance.include_drafts": "include_drafts",
        "performance.add_evidence": "add_evidence",
    }

    def rule_view(self, user):
        role = role_of(user)
        if role == Role.LCC_OFFICER:
            return EVERY
        if role == Role.FUNDER_REVIEWER:
            # A provider's draft is its own (and LCC's to see): funders read a return once it is submitted.
            return SUBMITTED
        if role == Role.CIO_STAFF:
            return _own(user) | _subcontractors_returns_in_review(user)
        if role == Role.PROVIDER_STAFF:
            return _own(user)
        # The peer review member reads no returns: an empty list, as for anyone whose returns are none.
        return NOTHING

    def rule_own(self, user):
        """A provider's staff's own returns (the CIO's staff's too: the CIO reports as well)."""
        return _own(user) if role_of(user) in (Role.CIO_STAFF, Role.PROVIDER_STAFF) else None

    def rule_edit(self, user):
        """Fill in and submit: a provider's own staff only (the import has its own action)."""
        return self.rule_own(user)

    def rule_accept(self, user):
        role = role_of(user)
        if role == Role.CIO_STAFF:
            return _subcontractors_returns_in_review(user)
        if role == Role.LCC_OFFICER:
            return Q(provider__kind=Organisation.Kind.CIO)
        return None

    def rule_review(self, user):
        """Review a return (send it back, validate or challenge its ratings): the CIO its sub-contractors',
        LCC any."""
        role = role_of(user)
        if role == Role.CIO_STAFF:
            return _subcontractors_returns_in_review(user)
        if role == Role.LCC_OFFICER:
            return EVERY
        return None

    def rule_add_evidence(self, user):
        """Add or replace a return's evidence (and a survey's figures): LCC any return; its own staff until it
        is signed off."""
        role = role_of(user)
        if role == Role.LCC_OFFICER:
            return EVERY
        if role in (Role.CIO_STAFF, Role.PROVIDER_STAFF):
            return _own(user) & ~Q(status=Return.Status.SIGNED_OFF)
        return None

    rule_send_back = rule_review
    rule_validate = rule_review

    def rule_sign_off(self, user):
        return EVERY if role_of(user) == Role.LCC_OFFICER else None

    rule_reopen = rule_sign_off
    #: Upload results for any provider (the CSV import, and LCC's writes through the API).
    rule_import = rule_sign_off

    def rule_write_results(self, user):
        """Write results through the API: a provider's staff their own; LCC any (as the import does)."""
        if role_of(user) == Role.LCC_OFFICER:
            return EVERY
        return self.rule_edit(user)

    def rule_include_drafts(self, user):
        """Whose draft (or sent-back) returns may count in this user's dashboard when they ask for drafts: the
        drafts among the returns ``rule_view`` lets them read (one rule: every provider's for LCC, its own for
        the CIO's staff, none for funders). None: the user may not ask for drafts at all (hubs, LRCs and the
        peer review member read the published dashboard)."""
        if role_of(user) not in (Role.LCC_OFFICER, Role.CIO_STAFF, Role.FUNDER_REVIEWER):
            return None
        return self.rule_view(user) & DRAFTS


returns = ReturnPolicy()


class ResultPolicy(Policy):
    """A result is read by whoever may read its return; the dashboard is everyone's; exports are everyone's
    but the peer review member's."""

    model = Result
    permissions = {"portal.view_dashboard": "dashboard", "portal.export": "export"}

    def rule_view(self, user):
        if role_of(user) == Role.PEER_REVIEWER:
            return Q(pk__in=_disputed_results())
        rule = returns.rule_view(user)
        return None if rule is None else prefixed(rule, "return_obj__")

    def rule_dashboard(self, user):
        return EVERY

    def rule_export(self, user):
        return EVERY if role_of(user) not in (None, Role.PEER_REVIEWER) else None


def _disputed_results():
    """The results whose RAG rating a dispute challenges (read through the reverse relation: disputes sit
    above this app)."""
    return Result.objects.filter(disputes__isnull=False)


class EvidencePolicy(Policy):
    """Evidence is read by whoever may read its return (and by the peer review member, a disputed result's
    return's evidence); who adds or replaces it is the return's policy's ``add_evidence``."""

    model = Evidence
    permissions = {"performance.view_evidence": "view"}

    def rule_view(self, user):
        if role_of(user) == Role.PEER_REVIEWER:
            return Q(return_obj__in=Return.objects.filter(results__in=_disputed_results()))
        rule = returns.rule_view(user)
        return None if rule is None else prefixed(rule, "return_obj__")


class PeriodPolicy(ReadableByEveryone):
    model = ReportingPeriod
    permissions = {"portal.manage_periods": "manage"}

    def rule_manage(self, user):
        return EVERY if role_of(user) == Role.LCC_OFFICER else None


class IndicatorPolicy(ReadableByEveryone):
    """Everyone signed in reads the framework (indicators, targets, what changed after publication); LCC
    officers run it: indicators, targets, copying and importing them, publishing a year."""

    model = Indicator
    permissions = {"performance.manage_framework": "manage"}

    def rule_manage(self, user):
        return EVERY if role_of(user) == Role.LCC_OFFICER else None


results = ResultPolicy()


#: A partnership id that no partnership has (nobody's figures).
NO_PARTNERSHIP = 0


def figures_partnership(user) -> int | None:
    """Whose figures a user's dashboards, exports and indicator pages count: their own partnership's; every
    partnership's for a site administrator (a superuser in none) or the command's operator (no user); nobody's
    for anyone else in none."""
    if user is None:
        return None
    if user.partnership_id is None:
        return None if user.is_superuser else NO_PARTNERSHIP
    return user.partnership_id


evidence = EvidencePolicy()
periods = PeriodPolicy()
indicators = IndicatorPolicy()

POLICIES = (returns, results, evidence, periods, indicators)
