import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from contracts.models import Strand
from core.periods import InFinancialYear, Period, format_financial_year
from core.workflow import allowed_by, refusal
from performance import events


class IndicatorQuerySet(models.QuerySet):
    def in_force(self, financial_year: int) -> "IndicatorQuerySet":
        """The indicators of the year's framework: in it from that year or before, and not yet retired."""
        return self.filter(
            Q(first_year__isnull=True) | Q(first_year__lte=financial_year),
            Q(retired_from__isnull=True) | Q(retired_from__gt=financial_year),
        )


class Indicator(models.Model):
    """A measure in the unified performance management framework."""

    partnership_path = None  # shared by every partnership (see tests/partnerships)

    class Kind(models.TextChoices):
        QUANTITATIVE = "Q", "Quantitative target"
        NARRATIVE = "NAR", "Narrative assessment"
        NO_TARGET = "X", "No target"
        ONE_OFF = "ONE_OFF", "One-off event"

    class Unit(models.TextChoices):
        COUNT = "count", "Count"
        PERCENTAGE = "percentage", "Percentage"
        MONEY = "money", "Money (£)"
        RATIO = "ratio", "Ratio"

    code = models.CharField(max_length=20, unique=True)
    number = models.PositiveSmallIntegerField(help_text="Position in its provider's list.")
    short_name = models.CharField(max_length=200)
    wording = models.TextField()
    strand = models.CharField(max_length=20, choices=Strand.choices)
    outcomes = models.ManyToManyField("contracts.Outcome", blank=True, related_name="indicators")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    unit = models.CharField(max_length=12, choices=Unit.choices, default=Unit.COUNT)
    higher_is_better = models.BooleanField(default=True)
    under_provider_control = models.BooleanField(default=True)
    tolerance_pct = models.DecimalField(
        "amber tolerance (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("10.00"),
        help_text="How far short of target (as % of target) still rates amber rather than red.",
    )
    for_cio = models.BooleanField("reported by the CIO", default=False)
    for_hub = models.BooleanField("reported by community hubs", default=False)
    for_lrc = models.BooleanField("reported by local resource centres", default=False)
    by_district = models.BooleanField(
        "CIO reports it per district",
        default=False,
        help_text="Local indicators the CIO reports per district.",
    )
    is_illustrative = models.BooleanField(
        default=False, help_text="The source gives no name for this indicator: the wording is ours."
    )
    survey_based = models.BooleanField(
        default=False,
        help_text="Measured by a survey: its results record the sample size and breakdowns by type of group "
        "and by location.",
    )
    note = models.TextField(blank=True)
    first_year = models.PositiveSmallIntegerField(
        "in the framework from",
        null=True,
        blank=True,
        help_text="The first financial year it is reported in, by its starting calendar year (empty: from the start).",
    )
    retired_from = models.PositiveSmallIntegerField(
        "retired from",
        null=True,
        blank=True,
        help_text="The first financial year it is no longer reported in (empty: still reported).",
    )
    history = HistoricalRecords()

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(name="tolerance_not_negative", condition=Q(tolerance_pct__gte=0)),
            models.CheckConstraint(
                name="indicator_retired_after_it_starts",
                condition=Q(first_year__isnull=True)
                | Q(retired_from__isnull=True)
                | Q(first_year__lt=models.F("retired_from")),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.short_name}"

    def get_absolute_url(self):
        return reverse("performance:indicator", kwargs={"code": self.code})

    def clean(self):
        super().clean()
        if self.first_year and self.retired_from and self.retired_from <= self.first_year:
            raise ValidationError({"retired_from": "Retire it from a year after the one it joins the framework in."})

    def in_force(self, financial_year: int) -> bool:
        """Whether it is in the year's framework (as ``Indicator.objects.in_force``)."""
        started = self.first_year is None or self.first_year <= financial_year
        return started and (self.retired_from is None or self.retired_from > financial_year)


class Target(models.Model):
    """An indicator's target for a financial year: for all providers, or for one; for every district, or for the
    rows reported for one district (the local indicators the CIO reports per district); annual or for one
    quarter. The most specific applies: provider and district, then provider, then district, then all."""

    partnership_path = None  # shared by every partnership (see tests/partnerships)

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    financial_year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Empty for an annual target.")
    provider = models.ForeignKey(
        "contracts.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="targets",
        help_text="Empty: the target for every provider that reports this indicator.",
    )
    district = models.ForeignKey(
        "districts.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="targets",
        help_text="Empty: for every district. Set: for the rows reported for that district (by_district indicators).",
    )
    value = models.DecimalField(max_digits=14, decimal_places=2)
    version = models.PositiveIntegerField(default=1, help_text="Goes up with every change; refuses stale edits.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "financial_year", "quarter"]
        constraints = [
            # One target per indicator, year, quarter (or annual), provider (or all) and district (or every one):
            # the empty ones are folded to 0 so that two "annual, all providers" targets collide on SQLite and
            # PostgreSQL alike.
            models.UniqueConstraint(
                "indicator",
                "financial_year",
                Coalesce("quarter", Value(0)),
                Coalesce("provider", Value(0)),
                Coalesce("district", Value(0)),
                name="one_target",
            ),
            models.CheckConstraint(
                name="target_quarter_1_to_4",
                condition=Q(quarter__isnull=True) | Q(quarter__gte=1, quarter__lte=4),
            ),
        ]

    def __str__(self):
        when = format_financial_year(self.financial_year) + (f" Q{self.quarter}" if self.quarter else "")
        where = f" {self.district.name}" if self.district_id else ""
        return f"{self.indicator.code} {when}{where}: {self.value}"


class ReportingPeriodQuerySet(models.QuerySet):
    def for_period(self, period: Period) -> "ReportingPeriodQuerySet":
        return self.filter(financial_year=period.financial_year, quarter=period.quarter)

    def by_label(self, text: str) -> "ReportingPeriod | None":
        """The period written like ``2010/11 Q3`` (or ``2010-11-q3``); None when malformed or unknown."""
        period = Period.parse_or_none(text)
        return None if period is None else self.for_period(period).first()

    def before(self, period: "ReportingPeriod | Period") -> "ReportingPeriodQuerySet":
        """The periods that come before ``period``."""
        return self.filter(
            Q(financial_year__lt=period.financial_year)
            | Q(financial_year=period.financial_year, quarter__lt=period.quarter)
        )

    def newest_first(self) -> "ReportingPeriodQuerySet":
        return self.order_by("-financial_year", "-quarter")


class ReportingPeriod(models.Model):
    """A quarter of a financial year (Q1 is April to June) in which providers report."""

    partnership_path = None  # shared by every partnership (see tests/partnerships)

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        OPEN = "open", "Open"
        LOCKED = "locked", "Locked"

    financial_year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    opens_on = models.DateField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    locked_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    history = HistoricalRecords()

    objects = ReportingPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["financial_year", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["financial_year", "quarter"], name="one_period_per_quarter"),
            models.CheckConstraint(name="period_quarter_1_to_4", condition=Q(quarter__gte=1, quarter__lte=4)),
        ]

    def __str__(self):
        return self.label

    @property
    def value(self) -> Period:
        """The quarter itself: ordered in time, written as a label or a slug."""
        return Period(self.financial_year, self.quarter)

    @property
    def label(self) -> str:
        return self.value.label

    @property
    def slug(self) -> str:
        """The label in URL form, e.g. ``2010-11-q2``."""
        return self.value.slug

    def is_before(self, other: "ReportingPeriod") -> bool:
        return self.value < other.value

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class ReturnQuerySet(models.QuerySet):
    def counted(self) -> "ReturnQuerySet":
        """Returns whose figures count on dashboards: submitted, accepted or signed off."""
        return self.filter(status__in=Return.COUNTED)

    def open_to_provider(self) -> "ReturnQuerySet":
        """Returns with their provider: a draft, or sent back to be changed."""
        return self.filter(status__in=Return.OPEN_TO_PROVIDER)


@refusal("{obj} is locked: its period {obj.period.label} was locked. Only an LCC officer can reopen it, with a reason.")
def not_locked(return_obj) -> bool:
    """Its provider may still change it: its period is not locked, or LCC reopened it."""
    return not return_obj.is_locked


@refusal(
    "{obj.period.label} is locked: a return can no longer be sent back; an LCC officer can reopen it with a reason."
)
def period_not_locked(return_obj) -> bool:
    return return_obj.period.status != ReportingPeriod.Status.LOCKED


@refusal("{obj} is already open to its provider: there is nothing to reopen.")
def not_open_in_an_open_period(return_obj) -> bool:
    """A draft or sent-back return is reopened only when its period is locked (so its provider may finish it)."""
    return return_obj.status not in Return.OPEN_TO_PROVIDER or not period_not_locked(return_obj)


@refusal("{obj} has already been reopened.")
def not_already_reopened(return_obj) -> bool:
    return not (return_obj.status in Return.OPEN_TO_PROVIDER and return_obj.reopened_after_lock)


class Return(models.Model):
    """A provider's quarterly temperature check for one period."""

    partnership_path = "provider__county_id"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        ACCEPTED = "accepted", "Accepted"
        RETURNED = "returned", "Returned"
        SIGNED_OFF = "signed_off", "Signed off"

    #: Statuses whose figures count on dashboards.
    COUNTED = (Status.SUBMITTED, Status.ACCEPTED, Status.SIGNED_OFF)
    #: Statuses in which the return is with its provider (to fill in, or to change after being sent back).
    OPEN_TO_PROVIDER = (Status.DRAFT, Status.RETURNED)
    #: Statuses in which a reviewer looks at it (and validates or challenges its ratings).
    IN_REVIEW = (Status.SUBMITTED, Status.ACCEPTED)

    provider = models.ForeignKey("contracts.Organisation", on_delete=models.PROTECT, related_name="returns")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="returns")
    status = FSMField(max_length=12, choices=Status.choices, default=Status.DRAFT, protected=False)
    version = models.PositiveIntegerField(default=1, help_text="Goes up with every save; refuses stale edits.")
    submitted_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    signed_off_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True, help_text="Why the return was sent back or reopened.")
    reopened_after_lock = models.BooleanField(
        default=False,
        help_text="LCC reopened it after its period was locked: its provider may edit and submit it again.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    objects = ReturnQuerySet.as_manager()

    class Meta:
        ordering = ["period", "provider__kind", "provider__name"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "period"], name="one_return_per_provider_period"),
        ]
        indexes = [
            models.Index(fields=["period", "status"], name="return_period_status"),
            # The dashboard and the exports join a period's returns to their providers (bench/plans/).
            models.Index(fields=["period", "provider"], include=["status"], name="return_period_provider"),
        ]

    def __str__(self):
        return f"{self.provider.code} {self.period.label}"

    def get_absolute_url(self):
        return reverse("performance:return", kwargs={"pk": self.pk})

    @property
    def is_locked(self) -> bool:
        """Its period is locked and LCC has not reopened it: its provider may no longer change it."""
        return self.period.status == ReportingPeriod.Status.LOCKED and not self.reopened_after_lock

    @property
    def is_open_to_provider(self) -> bool:
        return self.status in self.OPEN_TO_PROVIDER

    @property
    def is_sent_back(self) -> bool:
        return self.status == self.Status.RETURNED

    @property
    def is_in_review(self) -> bool:
        return self.status in self.IN_REVIEW

    @classmethod
    def sources_of(cls, step: str) -> list[str]:
        """The statuses the workflow step ``step`` starts from."""
        return list(getattr(cls, step)._django_fsm.transitions)

    # The workflow. Each step says when it is open (its source statuses and conditions), whose step it is (its
    # permission, which asks performance.policies) and what it stamps; ``custom`` holds how the step reads
    # (its button, its history reason, the event it announces). performance.services fires them (one
    # service, ``return_transition``) and the return page offers the steps the machine says are open.
    @transition(
        field=status,
        source=[Status.DRAFT, Status.RETURNED],
        target=Status.SUBMITTED,
        conditions=[not_locked],
        permission=allowed_by("performance.edit_return"),
        custom={
            "done": "submitted",
            "not_from": "{obj} is {status}: only a draft can be submitted.",
            "reason": "Submitted",
            "event": events.RETURN_SUBMITTED,
        },
    )
    def submit(self, when):
        self.submitted_at = when
        self.reopened_after_lock = False

    @transition(
        field=status,
        source=[Status.RETURNED],
        target=Status.DRAFT,
        conditions=[not_locked],
        permission=allowed_by("performance.edit_return"),
        custom={"done": "taken back to draft"},
    )
    def resume(self):
        """A sent-back return becomes a draft again as soon as its provider changes it."""

    @transition(
        field=status,
        source=[Status.SUBMITTED],
        target=Status.ACCEPTED,
        permission=allowed_by("performance.accept_return"),
        custom={
            "label": "Accept return",
            "done": "accepted",
            "reason": "Accepted",
            "event": events.RETURN_ACCEPTED,
            "url_name": "performance:return_accept",
        },
    )
    def accept(self, when):
        self.accepted_at = when

    @transition(
        field=status,
        source=[Status.ACCEPTED],
        target=Status.SIGNED_OFF,
        permission=allowed_by("performance.sign_off_return"),
        custom={
            "label": "Sign off return",
            "done": "signed off",
            "reason": "Signed off",
            "event": events.RETURN_SIGNED_OFF,
            "url_name": "performance:return_sign_off",
        },
    )
    def sign_off(self, when):
        self.signed_off_at = when

    @transition(
        field=status,
        source=[Status.SUBMITTED, Status.ACCEPTED],
        target=Status.RETURNED,
        conditions=[period_not_locked],
        permission=allowed_by("performance.send_back_return"),
        custom={
            "label": "Send back",
            "done": "sent back",
            "reason": "Sent back: {comment}",
            "event": events.RETURN_SENT_BACK,
            "url_name": "performance:return_send_back",
            "comment_label": "Comment for the provider",
            "comment_missing": "Write a comment telling the provider what to change.",
            "legend": "Send back to {provider}",
        },
    )
    def send_back(self, when, comment):
        self.review_comment = comment
        self.submitted_at = None
        self.accepted_at = None

    @transition(
        field=status,
        source=[Status.DRAFT, Status.RETURNED, Status.SUBMITTED, Status.ACCEPTED, Status.SIGNED_OFF],
        target=Status.DRAFT,
        conditions=[not_open_in_an_open_period, not_already_reopened],
        permission=allowed_by("performance.reopen_return"),
        custom={
            "label": "Reopen",
            "done": "reopened",
            "reason": "Reopened: {comment}",
            "event": events.RETURN_REOPENED,
            "url_name": "performance:return_reopen",
            "comment_label": "Reason for reopening",
            "comment_as": "reason",
            "comment_missing": "Write the reason for reopening the return.",
            "legend": "Reopen this return",
        },
    )
    def reopen(self, when, comment):
        self.review_comment = comment
        self.reopened_after_lock = self.period.status == ReportingPeriod.Status.LOCKED
        self.submitted_at = None
        self.accepted_at = None
        self.signed_off_at = None


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    NOT_REPORTED = "not_reported", "Not reported"

    @classmethod
    def css_class(cls, value) -> str:
        """The colour class for a rating given as its code or its label (``green`` or ``Green``): ``rag--green``;
        an empty or unknown rating reads as not rated (``rag--not_reported``). The one place it is written
        (``rag_class`` in templates, ``rag_word`` in tables), so a label never becomes an unstyled class."""
        by_label = {str(label).lower(): code for code, label in cls.choices}
        text = str(value or "").strip().lower()
        code = text if text in cls.values else by_label.get(text, cls.NOT_REPORTED)
        return f"rag--{code}"


class NotReportedReason(models.TextChoices):
    NO_TARGET = "no_target", "No target set"
    NOT_APPLICABLE = "not_applicable", "Not applicable"
    NOT_YET_AVAILABLE = "not_yet_available", "Data not yet available"
    OTHER = "other", "Other"


class Validation(models.TextChoices):
    SELF_RATED = "self_rated", "Self-rated"
    VALIDATED = "validated", "Validated"
    CHALLENGED = "challenged", "Challenged"


class ReturnSummary(models.Model):
    """A return's results counted by RAG rating, kept by the database itself.

    Triggers on the results table (installed by migration 0005, see ``performance.summaries``) add and take
    away counts as rows are inserted, updated or deleted, by whatever path: the services, an import, the
    synthetic data's COPY, a direct ``update()``. So the dashboard's figures over whole returns (the headline,
    by kind, by provider, over time) read about 1 row per return instead of some 35 results, and can never
    disagree with the results. ``not_reported`` counts both an explicit not-reported rating and a row left
    unrated, as the dashboard does. Never written by Django.
    """

    partnership_path = "return_obj__provider__county_id"

    # No foreign-key constraint: the triggers write here while Django deletes a return's results.
    return_obj = models.OneToOneField(
        Return,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="summary",
        db_column="return_id",
    )
    red = models.IntegerField(default=0)
    amber = models.IntegerField(default=0)
    green = models.IntegerField(default=0)
    not_reported = models.IntegerField(default=0)
    total = models.IntegerField(default=0)

    def __str__(self):
        counts = f"{self.green} green, {self.amber} amber, {self.red} red, {self.not_reported} not reported"
        return f"{self.return_obj_id}: {counts}"


class Result(models.Model):
    """One indicator's rating, figure and narrative in a return (per district where the CIO reports so)."""

    partnership_path = "return_obj__provider__county_id"

    return_obj = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="results", db_column="return_id")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="results")
    district = models.ForeignKey(
        "districts.District", on_delete=models.PROTECT, null=True, blank=True, related_name="results"
    )
    rag = models.CharField("RAG rating", max_length=12, choices=Rag.choices, blank=True)
    computed_rag = models.CharField(max_length=12, choices=Rag.choices, blank=True)
    rag_override_reason = models.TextField(blank=True)
    not_reported_reason = models.CharField(max_length=20, choices=NotReportedReason.choices, blank=True)
    not_reported_other = models.CharField(max_length=500, blank=True)
    actual = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    narrative = models.TextField(blank=True)
    evidence_url = models.URLField(blank=True, max_length=500)
    validation = models.CharField(max_length=12, choices=Validation.choices, default=Validation.SELF_RATED)
    validation_comment = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["return_obj", "indicator__code", "district__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["return_obj", "indicator"],
                condition=Q(district__isnull=True),
                name="one_result_per_indicator",
            ),
            models.UniqueConstraint(
                fields=["return_obj", "indicator", "district"],
                condition=Q(district__isnull=False),
                name="one_result_per_indicator_district",
            ),
            models.CheckConstraint(
                name="not_reported_has_a_reason",
                condition=~Q(rag="not_reported") | ~Q(not_reported_reason=""),
            ),
        ]
        indexes = [
            models.Index(fields=["indicator", "rag"], name="result_indicator_rag"),
            # Covering indexes (PostgreSQL; plain indexes elsewhere), so the dashboard's counts per return and
            # an indicator's history are read from the index alone, not from the table's pages (bench/plans/).
            models.Index(
                fields=["return_obj", "indicator"], include=["rag", "actual", "district"], name="result_return_cover"
            ),
            models.Index(fields=["indicator", "return_obj"], include=["rag", "actual"], name="result_indicator_return"),
        ]

    def __str__(self):
        where = f" {self.district.slug}" if self.district_id else ""
        return f"{self.return_obj} {self.indicator.code}{where}"

    @property
    def is_override(self) -> bool:
        return bool(self.computed_rag) and bool(self.rag) and self.rag != self.computed_rag


class FrameworkPublication(InFinancialYear, models.Model):
    """A financial year's framework (its indicator set and targets) published by an LCC officer. What changes
    in it afterwards is recorded as ``FrameworkChange`` rows, listed for funders and providers."""

    partnership_path = None  # shared by every partnership (see tests/partnerships)

    financial_year = models.PositiveSmallIntegerField(unique=True)
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=100)
    indicators_published = models.PositiveIntegerField(help_text="How many indicators the year's framework held.")
    targets_published = models.PositiveIntegerField(help_text="How many targets the year's framework held.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-financial_year"]

    def __str__(self):
        return f"The {format_financial_year(self.financial_year)} framework, published {self.published_at:%d %B %Y}"


class FrameworkChange(models.Model):
    """One change to a published year's framework: an indicator added, changed or retired, a target set,
    changed or removed; who, when, why, and what it was before and after."""

    partnership_path = None  # shared by every partnership (see tests/partnerships)

    class Kind(models.TextChoices):
        INDICATOR_ADDED = "indicator_added", "Indicator added"
        INDICATOR_CHANGED = "indicator_changed", "Indicator changed"
        INDICATOR_RETIRED = "indicator_retired", "Indicator retired"
        TARGET_SET = "target_set", "Target set"
        TARGET_CHANGED = "target_changed", "Target changed"
        TARGET_REMOVED = "target_removed", "Target removed"

    publication = models.ForeignKey(FrameworkPublication, on_delete=models.PROTECT, related_name="changes")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="framework_changes")
    what = models.CharField(max_length=200, help_text="The field changed, or whose target it is.")
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)
    reason = models.CharField(max_length=100)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["publication", "-changed_at", "-id"]

    def __str__(self):
        return f"{self.publication.year_label}: {self.get_kind_display()} {self.indicator.code} {self.what}"


class LateTargetChange(models.Model):
    """A target changed after returns of its period were submitted: the ratings in those returns were given
    against the target as it was, and are shown beside this record (on the return and on the dashboard)."""

    partnership_path = None  # shared by every partnership (see tests/partnerships)

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="late_target_changes")
    financial_year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Empty for an annual target.")
    provider = models.ForeignKey(
        "contracts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty: the target for every provider.",
    )
    district = models.ForeignKey(
        "districts.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty: the target for every district.",
    )
    value_before = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    value_after = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    reason = models.CharField(max_length=100)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField()
    returns = models.ManyToManyField(
        Return, related_name="late_target_changes", help_text="The submitted returns whose ratings it touches."
    )

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self):
        return f"{self.indicator.code} {self.scope_label}: {self.value_before} to {self.value_after}"

    @property
    def scope_label(self) -> str:
        when = format_financial_year(self.financial_year) + (f" Q{self.quarter}" if self.quarter else ", annual")
        where = f", {self.district.name}" if self.district_id else ""
        return f"{when}, " + (self.provider.code if self.provider_id else "all providers") + where


# --- what the 2011 review says about the indicators (issue 16) ------------------------------------------------


class IndicatorAmendment(InFinancialYear, models.Model):
    """A change made to an indicator between framework years, as a source records it (the review's 8.4 and
    Table One: eight of VAL's thirty were amended for 2010/11). Changes made in the portal itself are in the
    indicator's history; this is what happened before the portal."""

    partnership_path = None  # shared by every partnership (see tests/partnerships)

    class Kind(models.TextChoices):
        WORDING = "wording", "Wording simplified"
        PROCESS = "process", "Moved from a measurable target to process"
        TARGET = "target", "Target updated or made sharper"

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="amendments")
    financial_year = models.PositiveSmallIntegerField(help_text="The framework year the amendment took effect in.")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    what_changed = models.TextField(help_text="What was amended, in the source's words.")
    source = models.CharField(max_length=200)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator__code", "financial_year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "financial_year"], name="one_amendment_per_indicator_year")
        ]

    def __str__(self):
        return f"{self.indicator.code} {format_financial_year(self.financial_year)}: {self.get_kind_display()}"


class RatingSplit(models.Model):
    """A rating a source gives for part of an area only (the review's Table One splits some of VAL's ratings
    between the City and the County): kept beside the one rating the return holds, never averaged into it."""

    partnership_path = None  # shared by every partnership (see tests/partnerships)

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="rating_splits")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="rating_splits")
    area = models.CharField(max_length=40, help_text="E.g. City, County.")
    rag = models.CharField("RAG rating", max_length=12, choices=Rag.choices)
    source = models.CharField(max_length=200)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator__code", "period__financial_year", "period__quarter", "area"]
        constraints = [models.UniqueConstraint(fields=["indicator", "period", "area"], name="one_rating_per_area")]

    def __str__(self):
        return f"{self.indicator.code} {self.period.label} {self.area}: {self.get_rag_display()}"


class SourceContradictionQuerySet(models.QuerySet):
    def for_indicator(self, indicator) -> "SourceContradictionQuerySet":
        return self.filter(indicator=indicator)

    def for_result(self, result) -> "SourceContradictionQuerySet":
        """The flags on a result: on its indicator in its period (or in every period)."""
        return self.filter(indicator_id=result.indicator_id).filter(
            Q(period__isnull=True) | Q(period_id=result.return_obj.period_id)
        )


class SourceContradiction(models.Model):
    """Where the sources (or one source with itself) disagree: a flag shown wherever the figure it concerns is
    counted, with both claims and where each is made. Never resolved by picking one: both stay on record."""

    partnership_path = None  # shared by every partnership (see tests/partnerships)

    code = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=200)
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, null=True, blank=True, related_name="contradictions"
    )
    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contradictions",
        help_text="The period whose result it concerns (empty: the indicator in every period, or no indicator).",
    )
    district = models.ForeignKey(
        "districts.District", on_delete=models.CASCADE, null=True, blank=True, related_name="contradictions"
    )
    first_claim = models.TextField()
    first_source = models.CharField(max_length=200)
    first_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    second_claim = models.TextField()
    second_source = models.CharField(max_length=200)
    second_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    stated_figures = models.JSONField(
        default=dict, blank=True, help_text="Figures a source states that the portal counts for itself."
    )
    history = HistoricalRecords()

    objects = SourceContradictionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return self.title


def evidence_upload_to(instance, filename: str) -> str:
    """Each version of a document gets a path of its own, so replacing it never overwrites the old file."""
    return f"evidence/return-{instance.return_obj_id}/{uuid.uuid4().hex}/{filename}"


class Evidence(models.Model):
    """A document (PDF, Word, spreadsheet, image) kept in the storage against a return, or one of its results.

    It is served only through the portal's evidence view, which asks ``performance.policies.evidence``; never
    from a public media URL. Replacing the document keeps the previous file and its row in the history."""

    partnership_path = "return_obj__provider__county_id"

    return_obj = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="evidence", db_column="return_id")
    result = models.ForeignKey(
        Result,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evidence",
        help_text="Empty: evidence for the return as a whole.",
    )
    title = models.CharField(max_length=200)
    document = models.FileField(upload_to=evidence_upload_to, max_length=400)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120, help_text="The type sniffed from the file's content.")
    size = models.PositiveIntegerField(help_text="In bytes.")
    version = models.PositiveIntegerField(default=1)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["return_obj", "result", "title", "id"]
        verbose_name_plural = "evidence"

    def __str__(self):
        return f"{self.title} ({self.original_name})"


class SurveyFigure(models.Model):
    """For a survey-based indicator's result: the sample and the figure, overall and broken down by type of
    group and by location (the review's 8.4 on #20 and #24)."""

    partnership_path = "result__return_obj__provider__county_id"

    class Dimension(models.TextChoices):
        OVERALL = "overall", "All respondents"
        GROUP_TYPE = "group_type", "Type of group"
        LOCATION = "location", "Location"

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="survey_figures")
    dimension = models.CharField(max_length=12, choices=Dimension.choices)
    category = models.CharField(max_length=100, blank=True, help_text="Empty for all respondents.")
    sample_size = models.PositiveIntegerField(help_text="How many answered.")
    value = models.DecimalField(
        "figure (%)", max_digits=5, decimal_places=2, null=True, blank=True, help_text="0 to 100."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["result", "dimension", "category"]
        constraints = [
            models.UniqueConstraint(fields=["result", "dimension", "category"], name="one_survey_figure_per_category"),
            models.CheckConstraint(
                name="survey_overall_has_no_category",
                condition=(Q(dimension="overall") & Q(category="")) | (~Q(dimension="overall") & ~Q(category="")),
            ),
            models.CheckConstraint(
                name="survey_value_is_a_percentage",
                condition=Q(value__isnull=True) | (Q(value__gte=0) & Q(value__lte=100)),
            ),
        ]

    def __str__(self):
        return f"{self.result} {self.get_dimension_display()} {self.category}".strip()


class PendingImport(models.Model):
    """A CSV file an LCC officer has checked (a dry run), kept so they may confirm the import without choosing the
    file again: only they may use it, once, within ``performance.imports.PENDING_IMPORT_MINUTES``; it is deleted
    when used or found expired."""

    partnership_path = "user__partnership_id"

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    data = models.BinaryField()
    submit = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"CSV file kept for {self.user} since {self.created:%H:%M}"
