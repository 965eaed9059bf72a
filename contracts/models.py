import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from core.periods import InFinancialYear, format_financial_year
from core.workflow import allowed_by

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

    partnership_path = "county_id"

    class Kind(models.TextChoices):
        COUNTY_COUNCIL = "county_council", "County council"
        DISTRICT_COUNCIL = "district_council", "District council"
        HEALTH = "health", "Health"
        POLICE = "police", "Police"
        OTHER = "other", "Other"

    code = models.SlugField(max_length=40, allow_unicode=False, help_text="Unique within the partnership.")
    name = models.CharField(max_length=200)
    county = models.ForeignKey(
        "districts.County",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funders",
        help_text="The partnership whose pool this funder pays into.",
    )
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
        constraints = [
            models.UniqueConstraint(fields=["county", "code"], name="funder_code_unique_in_partnership"),
        ]

    def __str__(self):
        return self.name


#: A UK postcode (outward and inward code; GIR 0AA too), spaced or not, any case: "LE16 7AW", "le167aw".
UK_POSTCODE = re.compile(r"^(GIR ?0AA|[A-Z]{1,2}[0-9][0-9A-Z]? ?[0-9][A-Z]{2})$", re.IGNORECASE)


def normalise_postcode(value: str) -> str:
    """A postcode as Royal Mail writes it: capitals, one space before the inward code ("LE16 7AW")."""
    compact = "".join((value or "").split()).upper()
    return f"{compact[:-3]} {compact[-3:]}" if compact else ""


def validate_uk_postcode(value: str) -> None:
    if value and not UK_POSTCODE.match("".join(value.split())):
        raise ValidationError(f"“{value}” is not a UK postcode: write it like LE16 7AW.", code="postcode")


class Organisation(models.Model):
    """A provider of infrastructure services: the CIO, a community hub or a local resource centre."""

    partnership_path = "county_id"

    class Kind(models.TextChoices):
        CIO = "cio", "Countywide infrastructure organisation"
        HUB = "hub", "Community hub"
        LRC = "lrc", "Local resource centre"

    code = models.CharField(max_length=20, help_text="Unique within the partnership, e.g. VASL.")
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
    postcode = models.CharField(
        max_length=8,
        blank=True,
        validators=[validate_uk_postcode],
        help_text="The organisation's UK postcode, e.g. LE16 7AW (published in the 360Giving data when given).",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            # Two partnerships may each have a "VAL" or a "CABD": a provider's code names it within its own.
            models.UniqueConstraint(fields=["county", "code"], name="organisation_code_unique_in_partnership"),
            models.CheckConstraint(
                name="local_providers_have_a_district",
                condition=Q(kind="cio") | Q(district__isnull=False),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.postcode and UK_POSTCODE.match("".join(self.postcode.split())):
            self.postcode = normalise_postcode(self.postcode)


class Outcome(models.Model):
    """One of the contract's outcomes (Appendix A of the CIO agreement), with its strand and priority."""

    partnership_path = None  # shared by every partnership (see tests/partnerships)

    number = models.PositiveSmallIntegerField(unique=True)
    strand = models.CharField(max_length=20, choices=Strand.choices)
    priority = models.CharField(max_length=10, choices=Priority.choices)
    wording = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"Outcome {self.number}"


class Contract(models.Model):
    """The single contract a commissioner signs with the CIO for all pooled funds."""

    partnership_path = "county_id"

    reference = models.CharField(max_length=40, unique=True)
    title = models.CharField(max_length=300)
    county = models.ForeignKey("districts.County", on_delete=models.PROTECT, related_name="contracts")
    commissioner = models.ForeignKey(Funder, on_delete=models.PROTECT, related_name="commissioned_contracts")
    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="contracts")
    start_year = models.PositiveSmallIntegerField(help_text="First financial year, by its starting calendar year.")
    end_year = models.PositiveSmallIntegerField(help_text="Last financial year, by its starting calendar year.")
    extension_years = models.PositiveSmallIntegerField(default=0, help_text="Length of the extension option.")
    extension_exercised = models.BooleanField(default=False)
    paid_from_pool_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pool_contracts",
        help_text="The contract whose pooled funding pays this one (2010/11's separate hub and LRC contracts).",
    )
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
        """What the allocations paid from this contract's pooled funding add up to for the year: under this
        contract (the CIO and its sub-contracts) and under every contract paid from its pool (2010/11's separate
        hub and LRC contracts)."""
        total = Allocation.objects.filter(
            Q(contract=self) | Q(contract__paid_from_pool_of=self), financial_year=financial_year
        ).aggregate(total=Sum("amount"))["total"]
        return total or Decimal("0.00")


class Arrangement(models.TextChoices):
    """How a year's infrastructure money was contracted (review 2.5-2.6 and Recommendation 5)."""

    SEPARATE = "separate", "Separate contracts: VAL's contract and one for each hub and LRC"
    SINGLE_CIO = "single_cio", "Single CIO contract with sub-contracts to the hubs and LRCs"


class ContractYear(models.Model):
    """A financial year of the contract with the pooled total as stated (actual or estimate)."""

    partnership_path = "contract__county_id"

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="years")
    financial_year = models.PositiveSmallIntegerField()
    stated_total = models.DecimalField(**MONEY, null=True, blank=True)
    is_estimate = models.BooleanField(default=False)
    source = models.CharField(max_length=200, blank=True)
    arrangement = models.CharField(
        max_length=20, choices=Arrangement.choices, blank=True, help_text="Which contracting arrangement applied."
    )
    arrangement_source = models.CharField(max_length=200, blank=True)
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

    partnership_path = "contract__county_id"

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

    partnership_path = "contract__county_id"

    class Status(models.TextChoices):
        LIVE = "live", "Live"
        ENDED = "ended", "Ended"

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="subcontracts")
    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="subcontracts")
    start_year = models.PositiveSmallIntegerField()
    end_year = models.PositiveSmallIntegerField()
    strands = models.JSONField(default=list, blank=True, help_text="Strands of infrastructure work covered.")
    districts = models.ManyToManyField("districts.District", blank=True, related_name="subcontracts")
    status = FSMField(max_length=10, choices=Status.choices, default=Status.LIVE, protected=False)
    ended_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Goes up with every change; refuses stale edits.")
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

    def get_absolute_url(self):
        return reverse("contracts:subcontract", kwargs={"pk": self.pk})

    @property
    def term_label(self) -> str:
        return f"{format_financial_year(self.start_year)} to {format_financial_year(self.end_year)}"

    @property
    def strand_labels(self) -> list[str]:
        return [Strand(value).label for value in self.strands if value in Strand.values]

    def covers(self, financial_year: int) -> bool:
        return self.status == self.Status.LIVE and self.start_year <= financial_year <= self.end_year

    @classmethod
    def live_in(cls, financial_year: int, prefix: str = "") -> Q:
        """The filter ``covers`` is in the database: live, and its term takes in the year (seen from a
        related model through ``prefix``, e.g. ``subcontracts__``)."""
        return Q(
            **{
                f"{prefix}status": cls.Status.LIVE,
                f"{prefix}start_year__lte": financial_year,
                f"{prefix}end_year__gte": financial_year,
            }
        )

    # Ending early is LCC's step (contracts.policies); contracts.services records the variation.
    @transition(
        field=status,
        source=Status.LIVE,
        target=Status.ENDED,
        permission=allowed_by("contracts.manage_subcontract"),
        custom={"label": "End the sub-contract", "done": "ended"},
    )
    def end(self, ended_on):
        self.ended_on = ended_on


class Allocation(models.Model):
    """Money allocated under the contract to one organisation for one financial year."""

    partnership_path = "contract__county_id"

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

    partnership_path = "contract__county_id"

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
    version = models.PositiveIntegerField(default=1, help_text="Goes up with every change; refuses stale edits.")
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


class ContractExtension(models.Model):
    """The exercise of a contract's extension option: the new end, who decided it and why."""

    partnership_path = "contract__county_id"

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="extensions")
    previous_end_year = models.PositiveSmallIntegerField()
    new_end_year = models.PositiveSmallIntegerField()
    reason = models.TextField()
    exercised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    exercised_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["contract", "-exercised_at"]
        constraints = [
            models.CheckConstraint(
                name="extension_moves_the_end_later", condition=Q(new_end_year__gt=models.F("previous_end_year"))
            ),
        ]

    def __str__(self):
        return f"{self.contract.reference} extended to {format_financial_year(self.new_end_year)}"


class SubContractVariation(models.Model):
    """One recorded change to a sub-contract: its value for a year, its term, strands or districts, or its end."""

    partnership_path = "subcontract__contract__county_id"

    class Kind(models.TextChoices):
        CREATED = "created", "Created"
        VALUE = "value", "Value for a year"
        TERM = "term", "Term"
        STRANDS = "strands", "Strands"
        DISTRICTS = "districts", "Districts covered"
        ENDED = "ended", "Ended"

    subcontract = models.ForeignKey(SubContract, on_delete=models.CASCADE, related_name="variations")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    varied_on = models.DateField(help_text="The date the variation takes effect.")
    financial_year = models.PositiveSmallIntegerField(null=True, blank=True)
    amount_before = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    amount_after = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    before = models.CharField(max_length=500, blank=True)
    after = models.CharField(max_length=500, blank=True)
    reason = models.TextField()
    varied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    #: The budget scenario whose adoption made this change (its value for the year), if one did.
    scenario = models.ForeignKey(
        "BudgetScenario", on_delete=models.PROTECT, null=True, blank=True, related_name="variations"
    )

    class Meta:
        ordering = ["subcontract", "-recorded_at", "-id"]

    def __str__(self):
        return f"{self.subcontract}: {self.get_kind_display()} ({self.varied_on})"

    @property
    def amount_change(self) -> Decimal | None:
        if self.amount_before is None and self.amount_after is None:
            return None
        return (self.amount_after or Decimal("0.00")) - (self.amount_before or Decimal("0.00"))


class BudgetScenario(InFinancialYear, models.Model):
    """A way of sharing a financial year's money between the CIO and its sub-contractors, saved to compare."""

    partnership_path = "contract__county_id"

    class Rule(models.TextChoices):
        EQUAL_CUT = "equal_cut", "Equal change for all (every allocation by the same %)"
        CIO_ABSORBS = "cio_absorbs", "The CIO absorbs the change (hubs and LRCs keep last year's figure)"
        HUBS_ABSORB = "hubs_absorb", "Hubs absorb the change (the CIO and LRCs keep last year's figure)"
        POPULATION = "population", "Hub money by district population (the CIO keeps its share; LRCs kept)"
        CUSTOM = "custom", "Custom percentages"

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="scenarios")
    financial_year = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    total = models.DecimalField(**MONEY)
    rule = models.CharField(max_length=20, choices=Rule.choices)
    custom_percentages = models.JSONField(
        default=dict, blank=True, help_text="For the custom rule: organisation code to percentage of the total."
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    adopted = models.BooleanField(default=False, help_text="The scenario currently adopted for its year.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "-financial_year", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(name="scenario_total_not_negative", condition=Q(total__gte=0)),
            models.UniqueConstraint(
                fields=["contract", "financial_year"], condition=Q(adopted=True), name="one_adopted_scenario_per_year"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({format_financial_year(self.financial_year)})"

    def get_absolute_url(self):
        return reverse("contracts:scenario", kwargs={"pk": self.pk})


class ScenarioTransitionLine(models.Model):
    """Transition funding in a scenario: paid to a body losing money, top-sliced from the total before the rule."""

    partnership_path = "scenario__contract__county_id"

    scenario = models.ForeignKey(BudgetScenario, on_delete=models.CASCADE, related_name="transition_lines")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(**MONEY)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["scenario", "organisation__code"]
        constraints = [
            models.CheckConstraint(name="transition_amount_not_negative", condition=Q(amount__gte=0)),
        ]

    def __str__(self):
        return f"Transition funding for {self.organisation.code}: {self.amount}"


class ScenarioResult(models.Model):
    """What a scenario gives one organisation, next to what it had last year."""

    partnership_path = "scenario__contract__county_id"

    scenario = models.ForeignKey(BudgetScenario, on_delete=models.CASCADE, related_name="results")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    last_year = models.DecimalField(max_digits=12, decimal_places=2)
    transition = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    amount = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["scenario", "organisation__kind", "organisation__code"]
        constraints = [
            models.UniqueConstraint(fields=["scenario", "organisation"], name="one_result_per_scenario_organisation"),
            models.CheckConstraint(name="scenario_result_not_negative", condition=Q(amount__gte=0)),
        ]

    def __str__(self):
        return f"{self.scenario}: {self.organisation.code} {self.amount}"

    @property
    def change(self) -> Decimal:
        return self.amount - self.last_year


class ScenarioAdoption(models.Model):
    """The record of a scenario adopted as its year's allocations; only a later adoption replaces it."""

    partnership_path = "scenario__contract__county_id"

    scenario = models.ForeignKey(BudgetScenario, on_delete=models.PROTECT, related_name="adoptions")
    financial_year = models.PositiveSmallIntegerField()
    replaces = models.ForeignKey(
        BudgetScenario, on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by_adoptions"
    )
    reason = models.TextField()
    adopted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    adopted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-adopted_at", "-id"]

    def __str__(self):
        return f"{self.scenario} adopted {self.adopted_at:%Y-%m-%d}"


class FundingPrinciple(models.Model):
    """A funding commitment a source states for a kind of provider (the review's Appendix One: LCC core funding
    of £70,000 p.a. per Voluntary Action and £10,000 p.a. per independent Volunteer Centre), to set beside what
    was actually allocated; the two are compared, never merged."""

    partnership_path = None  # shared by every partnership (see tests/partnerships)

    code = models.SlugField(max_length=60, unique=True)
    organisation_kind = models.CharField(max_length=3, choices=Organisation.Kind.choices)
    amount_per_year = models.DecimalField(**MONEY)
    wording = models.TextField()
    source = models.CharField(max_length=200)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation_kind", "code"]

    def __str__(self):
        return f"{self.get_organisation_kind_display()}: £{self.amount_per_year:,.2f} a year ({self.source})"


class PlanFigure(models.Model):
    """A figure from an earlier plan, kept as a historical arrangement to compare the contract's years with (the
    2007 draft strategic and delivery plan, 2008-2014: about £1.1m sustainable funding, the District Councils'
    share, about £82k per district under hub and spoke, its on-cost percentages). Never a contract year."""

    partnership_path = None  # shared by every partnership (see tests/partnerships)

    class Unit(models.TextChoices):
        MONEY = "money", "Money (£)"
        PERCENTAGE = "percentage", "Percentage"

    class ComparesWith(models.TextChoices):
        NOTHING = "", "Nothing (stated for the record)"
        POOLED_TOTAL = "pooled_total", "The year's pooled money"
        DISTRICT_COUNCILS = "district_councils", "The District Councils' contributions"
        PER_DISTRICT_LOCAL = "per_district_local", "The money to each district's hubs and LRCs"

    plan = models.CharField(max_length=200)
    code = models.SlugField(max_length=60, unique=True)
    label = models.CharField(max_length=200)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    unit = models.CharField(max_length=10, choices=Unit.choices)
    is_approximate = models.BooleanField(default=True, help_text="The plan says 'about' or 'around'.")
    compares_with = models.CharField(max_length=20, choices=ComparesWith.choices, blank=True)
    source = models.CharField(max_length=200)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "code"]

    def __str__(self):
        return f"{self.plan}: {self.label}"


class PlanOutcome(models.Model):
    """One of an earlier plan's outcomes (the 2007 plan has three), with the objectives that serve it."""

    partnership_path = None  # shared by every partnership (see tests/partnerships)

    plan = models.CharField(max_length=200)
    number = models.PositiveSmallIntegerField()
    wording = models.TextField()
    source = models.CharField(max_length=200)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="one_plan_outcome_per_number")]

    def __str__(self):
        return f"{self.plan}, outcome {self.number}"


class PlanObjective(models.Model):
    """An objective of an earlier plan's outcome, recorded against the strand of the 2011 framework it serves
    (empty where it serves none: the plan's own management of the infrastructure)."""

    partnership_path = None  # shared by every partnership (see tests/partnerships)

    outcome = models.ForeignKey(PlanOutcome, on_delete=models.CASCADE, related_name="objectives")
    number = models.CharField(max_length=10, help_text="As the plan numbers it, e.g. 1.2.")
    wording = models.TextField()
    strand = models.CharField(max_length=20, choices=Strand.choices, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["outcome", "id"]
        constraints = [models.UniqueConstraint(fields=["outcome", "number"], name="one_plan_objective_per_number")]

    def __str__(self):
        return f"{self.number} {self.wording[:60]}"
