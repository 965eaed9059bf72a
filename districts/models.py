from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.periods import format_financial_year


class County(models.Model):
    """The area a partnership serves (Leicestershire first; the product serves any county)."""

    partnership_path = "id"

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    ons_code = models.CharField("ONS code", max_length=9, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "counties"
        ordering = ["name"]

    def __str__(self):
        return self.name


class NegotiationStatus(models.TextChoices):
    AGREED = "agreed", "Agreed"
    PART_AGREED = "part_agreed", "Part agreed"
    NOT_AGREED = "not_agreed", "Not agreed"


class District(models.Model):
    """A district (lower-tier council area) in a county, with its population."""

    partnership_path = "county_id"

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="districts")
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    ons_code = models.CharField("ONS code", max_length=9, blank=True, help_text="e.g. E07000129 for Blaby")
    population = models.PositiveIntegerField()
    population_source = models.CharField(max_length=200)
    negotiation_status = models.CharField(
        max_length=20, choices=NegotiationStatus.choices, default=NegotiationStatus.NOT_AGREED
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["county", "name"], name="district_name_unique_in_county"),
            models.CheckConstraint(name="district_population_positive", condition=models.Q(population__gt=0)),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("districts:detail", kwargs={"slug": self.slug})


class NegotiationNote(models.Model):
    """A dated note on a district's negotiation, with the status it recorded."""

    partnership_path = "district__county_id"

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="negotiation_notes")
    noted_on = models.DateField()
    status = models.CharField(max_length=20, choices=NegotiationStatus.choices)
    note = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["district", "-noted_on", "-recorded_at"]

    def __str__(self):
        return f"{self.district}: {self.get_status_display()} ({self.noted_on})"


class LocalityService(models.TextChoices):
    """The infrastructure services a locality agreement assigns, in the review's words (the three strands
    of DOMAIN.md, split the way the district negotiations (Appendix Five) talked about them)."""

    FUNDING_ADVICE = "funding_advice", "Funding advice"
    VOLUNTEER_BROKERAGE = "volunteer_brokerage", "Volunteer brokerage"
    TRAINING = "training", "Training"
    ONE_TO_ONE_SUPPORT = "one_to_one_support", "One-to-one support to groups"
    REPRESENTATION = "representation", "Co-ordination, engagement and representation"
    POLICY = "policy", "Policy and partnership work"
    COMMUNITY_DEVELOPMENT = "community_development", "Community development"


class LocalityParty(models.TextChoices):
    """Who delivers a service in a locality: VAL (the CIO's staff), the district's hub or its LRC."""

    VAL = "val", "VAL"
    HUB = "hub", "The community hub"
    LRC = "lrc", "The local resource centre"


class LocalityAgreement(models.Model):
    """One version of a district's agreement, for a financial year, of who does what (Appendix Six: "separate
    discussions will take place between VAL and each Hub and LRC about what is done by VAL and what is done by
    the Hub and LRC in each locality"). A draft changes; an agreed version (both parties signed) never does and
    is only superseded by a later version."""

    partnership_path = "district__county_id"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        AGREED = "agreed", "Agreed"
        SUPERSEDED = "superseded", "Superseded"

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="locality_agreements")
    financial_year = models.PositiveSmallIntegerField(help_text="The year it starts in: 2011 is 2011/12.")
    number = models.PositiveSmallIntegerField("version number", default=1)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    note = models.TextField(blank=True)
    source = models.CharField(
        max_length=300, blank=True, help_text="Where a loaded version comes from (empty when drafted here)."
    )
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    val_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    val_signed_at = models.DateTimeField(null=True, blank=True)
    local_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    local_signed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, help_text="Goes up with every change; refuses stale edits.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["district", "-financial_year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "financial_year", "number"], name="locality_agreement_number_unique"
            ),
            models.CheckConstraint(
                name="locality_agreement_agreed_has_both_signoffs",
                condition=models.Q(status="draft")
                | models.Q(val_signed_at__isnull=False, local_signed_at__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.district}: locality agreement {format_financial_year(self.financial_year)} v{self.number}"

    def get_absolute_url(self):
        return reverse("districts:agreement", kwargs={"slug": self.district.slug, "pk": self.pk})


class LocalityAgreementService(models.Model):
    """One service in a locality agreement: who delivers it (empty: not yet agreed) and whether VAL's staff
    delivering it are based in the hub (Recommendation Four: "located to work within CHs or LRCs")."""

    partnership_path = "agreement__district__county_id"

    agreement = models.ForeignKey(LocalityAgreement, on_delete=models.CASCADE, related_name="services")
    service = models.CharField(max_length=30, choices=LocalityService.choices)
    delivered_by = models.CharField(max_length=3, choices=LocalityParty.choices, blank=True)
    val_staff_based_in_hub = models.BooleanField("VAL staff based in the hub", default=False)
    note = models.CharField(max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "service"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "service"], name="locality_service_once_per_agreement"),
        ]

    def __str__(self):
        return f"{self.get_service_display()}: {self.get_delivered_by_display() or 'not yet agreed'}"


def _percentage(name):
    return models.DecimalField(
        name,
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )


class DistrictNegotiation(models.Model):
    """A district's negotiation for a year, structured as the funders asked (Appendix Seven, "What is expected
    from the negotiations?"): the percentages, the two summaries and the deadline (Recommendation Six: the end
    of January 2011). Its status is the district's ``negotiation_status``, moved with a note (the history's
    narrative); a passed deadline without agreement leads to mediation or the Peer Review Body."""

    partnership_path = "district__county_id"

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="negotiations")
    financial_year = models.PositiveSmallIntegerField(help_text="The year negotiated: 2011 is 2011/12.")
    deadline = models.DateField()
    pct_to_hubs_and_lrcs = _percentage("% of the infrastructure budget to hubs and LRCs")
    pct_to_hub = _percentage("% of that to the hub")
    pct_to_lrc = _percentage("% of that to the LRC")
    pct_val_frontline = _percentage("% of VAL's budget on front-line (district-based) staff")
    pct_val_dva = _percentage("% of VAL's budget on District Volunteering Assistants")
    pct_val_ddo = _percentage("% of VAL's budget on District Development Officers")
    district_plan_summary = models.TextField(blank=True)
    val_support_summary = models.TextField("summary of how VAL will support the district", blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Goes up with every change; refuses stale edits.")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["district", "-financial_year"]
        constraints = [
            models.UniqueConstraint(fields=["district", "financial_year"], name="negotiation_once_per_district_year"),
        ]

    def __str__(self):
        return f"{self.district}: negotiation for {format_financial_year(self.financial_year)}"

    def get_absolute_url(self):
        return reverse("districts:negotiation", kwargs={"slug": self.district.slug, "pk": self.pk})


class NegotiationParty(models.TextChoices):
    VAL = "val", "VAL"
    HUB = "hub", "The community hub"
    LRC = "lrc", "The local resource centre"
    DISTRICT_COUNCIL = "district_council", "The district council"


class NegotiationPosition(models.Model):
    """A party's current position in a district negotiation (earlier ones are in its history)."""

    partnership_path = "negotiation__district__county_id"

    negotiation = models.ForeignKey(DistrictNegotiation, on_delete=models.CASCADE, related_name="positions")
    party = models.CharField(max_length=20, choices=NegotiationParty.choices)
    position = models.TextField()
    source = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, help_text="Goes up with every change; refuses stale edits.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["negotiation", "party"]
        constraints = [
            models.UniqueConstraint(fields=["negotiation", "party"], name="negotiation_position_once_per_party"),
        ]

    def __str__(self):
        return f"{self.negotiation}: {self.get_party_display()}"


class NegotiationRoute(models.Model):
    """The step taken when the deadline passed without agreement: mediation, or the Peer Review Body
    (Appendix Seven: "Funders will offer mediation support and Peer Assessment"; Recommendation Eight)."""

    partnership_path = "negotiation__district__county_id"

    class Route(models.TextChoices):
        MEDIATION = "mediation", "Mediation"
        PEER_REVIEW_BODY = "peer_review_body", "The Peer Review Body"

    negotiation = models.ForeignKey(DistrictNegotiation, on_delete=models.PROTECT, related_name="routes")
    route = models.CharField(max_length=20, choices=Route.choices)
    decided_on = models.DateField()
    reason = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["negotiation", "-decided_on", "-recorded_at"]

    def __str__(self):
        return f"{self.negotiation}: {self.get_route_display()} ({self.decided_on})"
