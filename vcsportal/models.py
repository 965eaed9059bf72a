from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

from core.roles import NATIONAL_ROLES, PROVIDER_ROLES, Role


class User(AbstractUser):
    """A person who signs in. Every user has one role; provider staff belong to one organisation."""

    partnership_path = "partnership_id"

    role = models.CharField(max_length=20, choices=Role.choices, default=Role.FUNDER_REVIEWER)
    organisation = models.ForeignKey(
        "contracts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text="The provider this person works for (CIO, hub or LRC staff only).",
    )
    funder = models.ForeignKey(
        "contracts.Funder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text="The funder this person reviews for (funder reviewers and LCC officers).",
    )
    partnership = models.ForeignKey(
        "districts.County",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        help_text="The county partnership this person works in: they see its data only (empty: a site "
        "administrator, who sees every partnership's).",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="provider_roles_have_an_organisation",
                condition=~models.Q(role__in=["cio_staff", "provider_staff"]) | models.Q(organisation__isnull=False),
            ),
            # A national reviewer reads across partnerships, so belongs to none (and to no provider or funder).
            models.CheckConstraint(
                name="national_roles_belong_to_no_partnership",
                condition=~models.Q(role="national_reviewer")
                | models.Q(partnership__isnull=True, organisation__isnull=True, funder__isnull=True),
            ),
        ]

    def clean(self):
        super().clean()
        if self.role in PROVIDER_ROLES and self.organisation_id is None:
            raise ValidationError({"organisation": "CIO and hub or LRC staff must belong to an organisation."})
        if self.role in NATIONAL_ROLES and (self.partnership_id or self.organisation_id or self.funder_id):
            raise ValidationError(
                "A national reviewer reads across partnerships: leave the partnership, organisation and funder empty."
            )

    @property
    def role_label(self) -> str:
        return Role(self.role).label


class PersonChange(models.Model):
    """One recorded change to a person's access: invited, role changed, deactivated or reactivated, two-factor
    reset. Who did it, when and why, shown on the person's page (the user table itself keeps no history, so
    that signing in, which saves the last login, is not mistaken for a change)."""

    partnership_path = "person__partnership_id"

    class Kind(models.TextChoices):
        INVITED = "invited", "Invited"
        INVITATION_SENT = "invitation_sent", "Invitation sent again"
        ROLE = "role", "Role changed"
        DEACTIVATED = "deactivated", "Deactivated"
        REACTIVATED = "reactivated", "Reactivated"
        TWO_FACTOR_RESET = "two_factor_reset", "Two-factor sign-in reset"
        DETAILS = "details", "Details changed in the admin"

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    before = models.CharField(max_length=300, blank=True)
    after = models.CharField(max_length=300, blank=True)
    reason = models.TextField()
    changed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person", "-changed_at", "-id"]

    def __str__(self):
        return f"{self.person}: {self.get_kind_display()} ({self.changed_at:%Y-%m-%d})"
