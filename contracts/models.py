from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse
from simple_history.models import HistoricalRecords

from vcsportal.financial_year import format_financial_year

MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class Strand(models.TextChoices):
    """The three strands of infrastructure services."""

    COORDINATION = "coordination", "Co-ordination, Engagement and Representation"
    CAPACITY = "capacity", "Capacity Building and Support to VCS"
    VOLUNTEERING = "volunteering", "Volunteering"


class Priority(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class Funder(models.Model):
    """A body whose money goes into the pool. A group funder stands for several bodies together."""

    class Kind(models.TextChoices):
        COUNTY_COUNCIL = "county_council", "County council"
        DISTRICT_COUNCIL = "district_council", "District council"
        HEALTH = "health", "Health"
        POLICE = "police", "Police"
        OTHER = "other", "Other"

    code = models.SlugField(max_length=40, unique=True, allow_unicode=False)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    is_group = models.BooleanField(
        default=False, help_text="Stands for several bodies whose contribution is only known as a total."
    )
    org_id = models.CharField(
        "organisation identifier", max_length=100, blank=True, help_text="org-id.guide style, e.g. GB-LAE-LEC"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Organisation(models.Model):
    """A provider of infrastructure services: the CIO, a community hub or a local resource centre."""

    class Kind(models.TextChoices):
        CIO = "cio", "Countywide infrastructure organisation"
        HUB = "hub", "Community hub"
        LRC = "lrc", "Local resource centre"

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=3, choices=Kind.choices)
    county = models.ForeignKey("districts.County", on_delete=models.PROTECT, related_name="organisations")
    district = models.ForeignKey(
        "districts.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        help_text="Empty for the countywide organisation.",
    )
    org_id = models.CharField(
        "organisation identifier",
        max_length=100,
        blank=True,
        help_text="org-id.guide style, e.g. GB-CHC-1234567",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                name="local_providers_have_a_district",
                condition=Q(kind="cio") | Q(district__isnull=False),
            ),
        ]

    def __str__(self):
        return self.name


class Outcome(models.Model):
    """One of the contract's outcomes (Appendix A of the CIO agreement), with its strand and priority."""

    number = models.PositiveSmallIntegerField(unique=True)
    strand = models.CharField(max_length=20, choices=Strand.choices)
    priority = models.CharField(max_length=10, choices=Priority.choices)
    wording = models.TextField()

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"Outcome {self.number}"


class Contract(models.Model):
    """The single contract a commissioner signs with the CIO for all pooled funds."""

    reference = models.CharField(max_length=40, unique=True)
    title = models.CharField(max_length=300)
    county = models.ForeignKey("districts.County", on_delete=models.PROTECT, related_name="contracts")
    commissioner = models.ForeignKey(Funder, on_delete=models.PROTECT, related_name="commissioned_contracts")
    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="contracts")
    start_year = models.PositiveSmallIntegerField(help_text="First financial year, by its starting calendar year.")
    end_year = models.PositiveSmallIntegerField(help_text="Last financial year, by its starting calendar year.")
    extension_years = models.PositiveSmallIntegerField(default=0, help_text="Length of the extension option.")
    extension_exercised = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.CheckConstraint(
                name="contract_starts_before_it_ends", condition=Q(start_year__lte=models.F("end_year"))
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("contracts:detail", kwargs={"pk": self.pk})

    @property
    def term_label(self) -> str:
        return f"{format_financial_year(self.start_year)} to {format_financial_year(self.end_year)}"

    def covers(self, financial_year: int) -> bool:
        return self.start_year <= financial_year <= self.end_year

    # The three figures that the 2010/11 review could not reconcile. Each is computed in the database.
    def contributions_total(self, financial_year: int) -> Decimal:
        """What the listed contributions add up to for the year."""
        total = self.contributions.filter(financial_year=financial_year).aggregate(total=Sum("amount"))["total"]
        return total or Decimal("0.00")

    def stated_total(self, financial_year: int) -> Decimal | None:
        """The pooled total as the source states it, or None where none was stated."""
        year = self.years.filter(financial_year=financial_year).first()
        return year.stated_total if year else None

    def allocated_total(self, financial_year: int) -> Decimal:
        """What the allocations to the CIO and to every sub-contract add up to for the year."""
        total = self.allocations.filter(financial_year=financial_year).aggregate(total=Sum("amount"))["total"]
        return total or Decimal("0.00")


class ContractYear(models.Model):
    """A financial year of the contract with the pooled total as stated (actual or estimate)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="years")
    financial_year = models.PositiveSmallIntegerField()
    stated_total = models.DecimalField(**MONEY, null=True, blank=True)
    is_estimate = models.BooleanField(default=False)
    source = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "financial_year"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "financial_year"], name="one_contract_year"),
        ]

    def __str__(self):
        return f"{self.contract.reference} {format_financial_year(self.financial_year)}"


class Contribution(models.Model):
    """Money a funder puts into the pool for a financial year (a funder may make several)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="contributions")
    funder = models.ForeignKey(Funder, on_delete=models.PROTECT, related_name="contributions")
    financial_year = models.PositiveSmallIntegerField()
    description = models.CharField(max_length=200)
    amount = models.DecimalField(**MONEY)
    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "financial_year", "funder__name", "description"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "funder", "financial_year", "description"], name="one_contribution_line"
            ),
            models.CheckConstraint(name="contribution_not_negative", condition=Q(amount__gte=0)),
        ]

    def __str__(self):
        return f"{self.funder} {format_financial_year(self.financial_year)}: {self.description}"


class SubContract(models.Model):
    """A sub-contract from the CIO to a hub or LRC. Its money per year is held as allocations."""

    class Status(models.TextChoices):
        LIVE = "live", "Live"
        ENDED = "ended", "Ended"

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="subcontracts")
    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="subcontracts")
    start_year = models.PositiveSmallIntegerField()
    end_year = models.PositiveSmallIntegerField()
    strands = models.JSONField(default=list, blank=True, help_text="Strands of infrastructure work covered.")
    districts = models.ManyToManyField("districts.District", blank=True, related_name="subcontracts")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.LIVE)
    ended_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "provider__name"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "provider"], name="one_subcontract_per_provider"),
            models.CheckConstraint(
                name="subcontract_starts_before_it_ends", condition=Q(start_year__lte=models.F("end_year"))
            ),
        ]

    def __str__(self):
        return f"Sub-contract: {self.provider}"

    def covers(self, financial_year: int) -> bool:
        return self.status == self.Status.LIVE and self.start_year <= financial_year <= self.end_year


class Allocation(models.Model):
    """Money allocated under the contract to one organisation for one financial year."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="allocations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="allocations")
    financial_year = models.PositiveSmallIntegerField()
    amount = models.DecimalField(**MONEY)
    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "financial_year", "organisation__kind", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "organisation", "financial_year"],
                name="one_allocation_per_organisation_year",
            ),
            models.CheckConstraint(name="allocation_not_negative", condition=Q(amount__gte=0)),
        ]

    def __str__(self):
        return f"{self.organisation} {format_financial_year(self.financial_year)}"


class BudgetLine(models.Model):
    """A line of the CIO's own budget: front-line district staff per district, or central costs."""

    class Category(models.TextChoices):
        DISTRICT_VOLUNTEERING_ASSISTANT = "dva", "District Volunteering Assistant"
        DISTRICT_DEVELOPMENT_OFFICER = "ddo", "District Development Officer"
        CENTRAL = "central", "Central"

    FRONT_LINE = (Category.DISTRICT_VOLUNTEERING_ASSISTANT, Category.DISTRICT_DEVELOPMENT_OFFICER)

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="budget_lines")
    financial_year = models.PositiveSmallIntegerField()
    category = models.CharField(max_length=10, choices=Category.choices)
    district = models.ForeignKey(
        "districts.District", on_delete=models.PROTECT, null=True, blank=True, related_name="budget_lines"
    )
    amount = models.DecimalField(**MONEY)
    note = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "financial_year", "category", "district__name"]
        constraints = [
            models.CheckConstraint(
                name="front_line_budget_lines_have_a_district",
                condition=Q(category="central") | Q(district__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.get_category_display()} {self.district or ''} {format_financial_year(self.financial_year)}"
