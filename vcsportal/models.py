from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

from core.roles import PROVIDER_ROLES, Role


class User(AbstractUser):
    """A person who signs in. Every user has one role; provider staff belong to one organisation."""

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

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="provider_roles_have_an_organisation",
                condition=~models.Q(role__in=["cio_staff", "provider_staff"]) | models.Q(organisation__isnull=False),
            ),
        ]

    def clean(self):
        super().clean()
        if self.role in PROVIDER_ROLES and self.organisation_id is None:
            raise ValidationError({"organisation": "CIO and hub or LRC staff must belong to an organisation."})

    @property
    def role_label(self) -> str:
        return Role(self.role).label
