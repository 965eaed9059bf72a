"""Disputes between the CIO and a hub or LRC, heard by the Peer Review Body, whose decisions bind all parties
(the 2011 review's Recommendation 8)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from contracts.models import Contract, Organisation, SubContract
from core.workflow import allowed_by, refusal


@refusal("Enter the date the Peer Review Body heard the dispute.")
def has_a_hearing_date(dispute) -> bool:
    """A dispute is decided after it was heard: its hearing date is recorded first (or with the decision)."""
    return dispute.hearing_on is not None


class Dispute(models.Model):
    """A disagreement between the CIO and a hub or LRC, heard by the Peer Review Body, whose decision binds."""

    partnership_path = "contract__county_id"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        HEARING_SET = "hearing_set", "Hearing date set"
        DECIDED = "decided", "Decided"

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="disputes")
    raised_by_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="disputes_raised")
    respondent = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="disputes_answered")
    subcontract = models.ForeignKey(
        SubContract, on_delete=models.PROTECT, null=True, blank=True, related_name="disputes"
    )
    result = models.ForeignKey(
        "performance.Result",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disputes",
        help_text="The result whose RAG rating is challenged.",
    )
    refers_to = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="referenced_by")
    subject = models.CharField(max_length=200)
    details = models.TextField()
    status = FSMField(max_length=12, choices=Status.choices, default=Status.OPEN, protected=False)
    hearing_on = models.DateField(null=True, blank=True)
    decision = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(table_name="contracts_historicaldispute")

    class Meta:
        # The table it has had since it lived in the contracts app (moved without copying a row).
        db_table = "contracts_dispute"
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="dispute_is_about_a_subcontract_or_a_result",
                condition=Q(subcontract__isnull=False) | Q(result__isnull=False),
            ),
            models.CheckConstraint(
                name="decided_dispute_has_a_decision",
                condition=~Q(status="decided") | (~Q(decision="") & Q(decided_at__isnull=False)),
            ),
            models.CheckConstraint(
                name="dispute_parties_differ", condition=~Q(raised_by_organisation=models.F("respondent"))
            ),
        ]

    def __str__(self):
        return f"Dispute {self.pk}: {self.subject}"

    def get_absolute_url(self):
        return reverse("disputes:detail", kwargs={"pk": self.pk})

    @property
    def is_decided(self) -> bool:
        return self.status == self.Status.DECIDED

    # The Peer Review Body's steps. Whose step each is: disputes.policies; the services record who and why.
    @transition(
        field=status,
        source=[Status.OPEN, Status.HEARING_SET],
        target=Status.HEARING_SET,
        permission=allowed_by("disputes.decide_dispute"),
        custom={"label": "Record the hearing date", "done": "given a hearing date"},
    )
    def set_hearing(self, hearing_on):
        self.hearing_on = hearing_on

    @transition(
        field=status,
        source=[Status.OPEN, Status.HEARING_SET],
        target=Status.DECIDED,
        conditions=[has_a_hearing_date],
        permission=allowed_by("disputes.decide_dispute"),
        custom={"label": "Record the binding decision", "done": "decided"},
    )
    def decide(self, decision, decided_by, when):
        self.decision = decision
        self.decided_by = decided_by
        self.decided_at = when
