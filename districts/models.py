from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords


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
