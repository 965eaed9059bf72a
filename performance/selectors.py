"""Reads for returns, periods and their history. Views, commands and the import read through these."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from contracts.models import Contract, Organisation, SubContract
from contracts.policies import contracts as contract_policy
from contracts.policies import subcontracts as subcontract_policy
from contracts.selectors import providers_owing_returns
from core.periods import format_financial_year
from core.workflow import transition_refusal
from districts.models import District
from performance.models import Evidence, Indicator, Rag, ReportingPeriod, Result, Return, Target
from performance.policies import evidence as evidence_policy
from performance.policies import returns as return_policy

#: The workflow's review steps: what a reviewer's list waits for.
REVIEW_STEPS = ("accept", "sign_off")


def providers_reporting_in(financial_year: int) -> QuerySet[Organisation]:
    """Providers that owe a return in the year (the contracts app decides: the CIO of a contract covering it
    and every provider with a live sub-contract covering it), in reporting order."""
    return providers_owing_returns(financial_year).order_by("kind", "code")


def rows_owed_by(
    organisation: Organisation, financial_year: int | None = None
) -> list[tuple[Indicator, District | None]]:
    """The (indicator, district) rows a provider's return holds: the CIO reports its own indicators once
    and the local indicators per district of its county; hubs and LRCs report the local indicators that
    apply to them. With ``financial_year``, only the indicators in that year's framework (not retired, and
    not added only later)."""
    indicators = Indicator.objects.all() if financial_year is None else Indicator.objects.in_force(financial_year)
    if organisation.kind == Organisation.Kind.CIO:
        districts = list(District.objects.filter(county_id=organisation.county_id).order_by("name"))
        rows = []
        for indicator in indicators.filter(for_cio=True).order_by("code"):
            if indicator.by_district:
                rows.extend((indicator, district) for district in districts)
            else:
                rows.append((indicator, None))
        return rows
    flag = "for_hub" if organisation.kind == Organisation.Kind.HUB else "for_lrc"
    return [(indicator, None) for indicator in indicators.filter(**{flag: True}).order_by("code")]


@dataclass(frozen=True)
class TargetFound:
    value: Decimal
    scope: str  # e.g. "VASL, Q3", "VAL, Blaby, annual", "Blaby, annual" or "all providers, annual"


def target_rank(provider_id: int | None, quarter: int | None, district_id: int | None = None) -> tuple[bool, ...]:
    """How specific a target is: a provider's own for the district beats the provider's own, which beats the
    district's (for every provider), which beats the one for all; within each, a quarter's beats the annual one.
    The one rule for which target applies (``targets_for``, and what a change of target touches)."""
    return (provider_id is not None, district_id is not None, quarter is not None)


def target_applying(targets, *, provider_id: int, quarter: int, district_id: int | None = None):
    """Of ``targets`` (dicts or objects with provider_id, district_id, quarter and value, for one indicator and
    year), the one that applies to this provider's row (of ``district_id``, or its row without a district) in
    this quarter, or None."""
    best = None
    for target in targets:
        get = target.get if isinstance(target, dict) else lambda name, t=target: getattr(t, name)
        if get("provider_id") not in (None, provider_id) or get("quarter") not in (None, quarter):
            continue
        if get("district_id") not in (None, district_id):
            continue
        rank = target_rank(get("provider_id"), get("quarter"), get("district_id"))
        if best is None or rank > best[0]:
            best = (rank, target)
    return None if best is None else best[1]


class TargetsApplying:
    """Each row's target for one provider in one period: ``get(indicator_id, district_id)`` (``district_id``
    None for a row without a district), or ``[indicator_id]`` / ``[(indicator_id, district_id)]``."""

    def __init__(self, candidates: dict[int, list[dict]], *, provider: Organisation, quarter: int):
        self.candidates, self.provider, self.quarter = candidates, provider, quarter

    def get(self, indicator_id: int, district_id: int | None = None) -> TargetFound | None:
        target = target_applying(
            self.candidates.get(indicator_id, ()),
            provider_id=self.provider.pk,
            quarter=self.quarter,
            district_id=district_id,
        )
        if target is None:
            return None
        parts = [self.provider.code if target["provider_id"] else None, target["district__name"]]
        if not any(parts):
            parts = ["all providers"]
        parts.append(f"Q{target['quarter']}" if target["quarter"] else "annual")
        return TargetFound(target["value"], ", ".join(part for part in parts if part))

    def __getitem__(self, key) -> TargetFound:
        indicator_id, district_id = key if isinstance(key, tuple) else (key, None)
        found = self.get(indicator_id, district_id)
        if found is None:
            raise KeyError(key)
        return found

    def __contains__(self, key) -> bool:
        try:
            self[key]
        except KeyError:
            return False
        return True


def targets_for(*, provider: Organisation, period: ReportingPeriod, indicators=None) -> TargetsApplying:
    """Each indicator's target for the provider's rows in the period (per district where it reports so): the
    most specific of those set (``target_rank``). Indicators without a target give None."""
    qs = Target.objects.filter(
        Q(provider=provider) | Q(provider__isnull=True),
        Q(quarter=period.quarter) | Q(quarter__isnull=True),
        financial_year=period.financial_year,
    )
    if indicators is not None:
        qs = qs.filter(indicator__in=indicators)
    by_indicator: dict[int, list[dict]] = {}
    for target in qs.values("indicator_id", "provider_id", "district_id", "district__name", "quarter", "value"):
        by_indicator.setdefault(target["indicator_id"], []).append(target)
    return TargetsApplying(by_indicator, provider=provider, quarter=period.quarter)


def return_for_user(user, pk: int) -> Return:
    """The return with this id if the user may see it; raises Return.DoesNotExist otherwise (a 404)."""
    returns = Return.objects.select_related("provider", "period", "updated_by")
    return return_policy.instances_for(user, "view", returns).get(pk=pk)


def evidence_return_for_user(user, pk: int) -> Return:
    """The return whose evidence page this user may open: one they may read, or one holding evidence they may
    read (the peer review member: a disputed rating's return). Raises Return.DoesNotExist otherwise."""
    try:
        return return_for_user(user, pk)
    except Return.DoesNotExist:
        readable = evidence_policy.instances_for(user, "view").values("return_obj_id")
        return Return.objects.select_related("provider", "period").filter(pk__in=readable).get(pk=pk)


def evidence_of_return(user, return_obj: Return):
    """The return's documents this user may read, with what each is for and who uploaded it."""
    documents = Evidence.objects.filter(return_obj=return_obj).select_related("result__indicator", "uploaded_by")
    return evidence_policy.instances_for(user, "view", documents)


def previous_return_for(user, return_obj: Return) -> Return | None:
    """The same provider's return for the period before, if this person may open it."""
    earlier = Return.objects.filter(
        provider_id=return_obj.provider_id, period__in=ReportingPeriod.objects.before(return_obj.period)
    )
    return (
        return_policy.instances_for(user, "view", earlier)
        .select_related("period")
        .order_by("-period__financial_year", "-period__quarter")
        .first()
    )


def subcontract_for(user, return_obj: Return):
    """The sub-contract the return reports under (its provider's, covering the period's financial year), if this
    person may see it; None for the CIO, which reports under the contract itself."""
    year = return_obj.period.financial_year
    covering = SubContract.objects.filter(provider_id=return_obj.provider_id, start_year__lte=year, end_year__gte=year)
    return subcontract_policy.instances_for(user, "view", covering).order_by("-start_year").first()


@dataclass(frozen=True)
class OwnContract:
    """The provider's own contract a return reports under (2010/11: each hub and LRC under its own contract,
    paid from VAL's pool, review 2.5), and whether this person may open its page."""

    contract: Contract
    may_open: bool
    year_label: str


def own_contract_for(user, return_obj: Return) -> OwnContract | None:
    """The provider's own contract covering the period's financial year, where there is one (read where no
    sub-contract covers the year)."""
    year = return_obj.period.financial_year
    contract = (
        Contract.objects.filter(
            provider_id=return_obj.provider_id,
            paid_from_pool_of__isnull=False,
            start_year__lte=year,
            end_year__gte=year,
        )
        .select_related("paid_from_pool_of")
        .first()
    )
    return contract and OwnContract(
        contract, contract_policy.user_can(user, "read", contract), format_financial_year(year)
    )


def return_results(return_obj: Return) -> QuerySet[Result]:
    """The return's result rows in reading order: countywide indicators, then local ones by district."""
    return return_obj.results.select_related("indicator", "district").order_by("indicator__code", "district__name")


def returns_of_provider(organisation: Organisation) -> QuerySet[Return]:
    """An organisation's returns, newest period first, with how many rows are rated."""
    return (
        Return.objects.filter(provider=organisation)
        .select_related("period")
        .annotate(
            rows=Count("results"),
            rated=Count("results", filter=~Q(results__rag="")),
        )
        .order_by("-period__financial_year", "-period__quarter")
    )


@dataclass
class ProviderHome:
    returns: list
    due_next: Return | None
    overdue: list = field(default_factory=list)
    sent_back: list = field(default_factory=list)


def provider_home(organisation: Organisation, *, today: datetime.date | None = None) -> ProviderHome:
    """What a provider sees first: every return with its status and due date, the next one due, the
    overdue ones (due date passed, not yet submitted) and those sent back to it, with the reason."""
    today = today or timezone.localdate()
    returns = list(returns_of_provider(organisation))
    waiting = [r for r in returns if r.is_open_to_provider]
    overdue = [r for r in waiting if r.period.due_on and r.period.due_on < today]
    upcoming = sorted(
        (r for r in waiting if r.period.due_on and r.period.due_on >= today), key=lambda r: r.period.due_on
    )
    return ProviderHome(
        returns=returns,
        due_next=upcoming[0] if upcoming else None,
        overdue=overdue,
        sent_back=[r for r in returns if r.status == Return.Status.RETURNED],
    )


def returns_to_review(user) -> QuerySet[Return]:
    """Returns waiting for this reviewer's step: each review step (accept, sign off) of the state machine, on
    the returns in the status it starts from that the policy lets this user take it on. For the CIO's staff,
    its sub-contractors' submitted returns; for LCC, the CIO's submitted returns and every accepted one."""
    waiting = Q(pk__in=[])
    for step in REVIEW_STEPS:
        rule = return_policy.rule(user, step)
        if rule is not None:
            waiting |= rule & Q(status__in=Return.sources_of(step))
    return (
        Return.objects.filter(waiting)
        .select_related("provider", "period")
        .order_by("period__financial_year", "period__quarter", "provider__kind", "provider__code")
    )


@dataclass
class PeriodReturnRow:
    """One provider owing a return in a period, as a reviewer's list shows it."""

    provider: Organisation
    return_obj: Return | None
    #: Whether the person may open the return (a provider's draft is its own: others see only that it is
    #: not submitted yet).
    visible: bool
    status: str
    status_label: str
    days_overdue: int | None
    #: The bulk steps (accept, sign off) this person may take on it now.
    steps: tuple[str, ...] = ()

    @property
    def submitted_on(self):
        return self.return_obj.submitted_at if self.visible and self.return_obj else None

    @property
    def accepted_on(self):
        return self.return_obj.accepted_at if self.visible and self.return_obj else None

    @property
    def signed_off_on(self):
        return self.return_obj.signed_off_at if self.visible and self.return_obj else None


#: The statuses a period's list filters on: the return's own, and "missing" for a provider without one.
PERIOD_LIST_STATUSES = (
    ("not_submitted", "Not submitted (draft or sent back)"),
    (Return.Status.SUBMITTED, "Submitted"),
    (Return.Status.ACCEPTED, "Accepted"),
    (Return.Status.SIGNED_OFF, "Signed off"),
    ("overdue", "Overdue"),
    ("missing", "No return"),
)


def period_returns(
    period: ReportingPeriod, user, *, status: str = "", today: datetime.date | None = None
) -> list[PeriodReturnRow]:
    """Every provider owing a return in ``period`` (and any other with a return in it), in reporting order,
    with its return as this person may see it: the status, the dates and the days overdue of the returns
    the return policy lets them view; for one they may not (a provider's draft), only that it is not
    submitted yet. ``steps`` are the bulk steps the policy and the state machine leave open to them.
    ``status`` filters (one of ``PERIOD_LIST_STATUSES``), as the person sees the status."""
    today = today or timezone.localdate()
    owing = providers_reporting_in(period.financial_year)
    providers = (
        Organisation.objects.filter(Q(pk__in=owing.values("pk")) | Q(returns__period=period))
        .distinct()
        .order_by("kind", "code")
    )
    returns = {r.provider_id: r for r in Return.objects.filter(period=period).select_related("period", "provider")}
    visible = set(
        return_policy.instances_for(user, "view", Return.objects.filter(period=period)).values_list("pk", flat=True)
    )
    step_rules = {step: return_policy.rule(user, step) for step in REVIEW_STEPS}
    takeable = {
        step: set(
            Return.objects.filter(period=period, status__in=Return.sources_of(step))
            .filter(rule)
            .values_list("pk", flat=True)
        )
        for step, rule in step_rules.items()
        if rule is not None
    }
    due = period.due_on
    rows = []
    for provider in providers:
        return_obj = returns.get(provider.pk)
        seen = return_obj is not None and return_obj.pk in visible
        if return_obj is None:
            shown, label = "missing", "No return"
        elif return_obj.status in Return.OPEN_TO_PROVIDER and not seen:
            shown, label = "not_submitted", "Not submitted yet"
        else:
            shown, label = return_obj.status, return_obj.get_status_display()
        open_to_provider = return_obj is None or return_obj.status in Return.OPEN_TO_PROVIDER
        overdue = None
        if due is not None:
            if open_to_provider and today > due:
                overdue = (today - due).days
            elif return_obj is not None and return_obj.submitted_at and return_obj.submitted_at.date() > due:
                overdue = (return_obj.submitted_at.date() - due).days
        steps = tuple(
            step
            for step, ids in takeable.items()
            if return_obj is not None and return_obj.pk in ids and transition_refusal(return_obj, step) is None
        )
        rows.append(PeriodReturnRow(provider, return_obj, seen, shown, label, overdue, steps))
    if status == "overdue":
        return [
            row
            for row in rows
            if row.days_overdue and row.status in ("not_submitted", "missing", *Return.OPEN_TO_PROVIDER)
        ]
    if status == "not_submitted":
        return [row for row in rows if row.status in ("not_submitted", *Return.OPEN_TO_PROVIDER)]
    if status:
        return [row for row in rows if row.status == status]
    return rows


def periods_with_counts() -> QuerySet[ReportingPeriod]:
    """Every period, newest first, with its returns counted by status (in the database)."""
    return ReportingPeriod.objects.annotate(
        returns_total=Count("returns"),
        returns_draft=Count("returns", filter=Q(returns__status__in=Return.OPEN_TO_PROVIDER)),
        returns_submitted=Count("returns", filter=Q(returns__status=Return.Status.SUBMITTED)),
        returns_accepted=Count("returns", filter=Q(returns__status=Return.Status.ACCEPTED)),
        returns_signed_off=Count("returns", filter=Q(returns__status=Return.Status.SIGNED_OFF)),
    ).order_by("-financial_year", "-quarter")


def periods_of_partnership(periods: QuerySet[ReportingPeriod], partnership: int | None) -> QuerySet[ReportingPeriod]:
    """The periods (of ``periods``) a partnership reports in: those holding one of its returns, and those nobody
    reports in yet (a quarter just created is every partnership's to open). The calendar is shared, so without
    this another partnership's quarters would show in the list. ``partnership`` None: every period."""
    if partnership is None:
        return periods
    return periods.filter(
        Exists(Return.objects.filter(period=OuterRef("pk"), provider__county_id=partnership))
        | ~Exists(Return.objects.filter(period=OuterRef("pk")))
    )


# History ---------------------------------------------------------------------------------------------------

HISTORY_FIELDS_RETURN = ["status", "review_comment", "reopened_after_lock"]
HISTORY_FIELDS_RESULT = [
    "rag",
    "actual",
    "target",
    "rag_override_reason",
    "not_reported_reason",
    "not_reported_other",
    "narrative",
    "evidence_url",
    "validation",
    "validation_comment",
]


@dataclass
class FieldChange:
    field: str
    old: object
    new: object


@dataclass
class HistoryEntry:
    when: datetime.datetime
    who: str
    what: str  # "Return" or the row's label
    why: str
    changes: list[FieldChange]


def _who(record) -> str:
    user = record.history_user
    if user is None:
        return "the system"
    return user.get_full_name() or user.username


def _shown(model, name: str, value):
    """A recorded value as people read it: a choice's label rather than its code."""
    choices = dict(model._meta.get_field(name).flatchoices)
    if value in (None, ""):
        return None
    return choices.get(value, value)


def _change(model, name: str, old, new) -> FieldChange:
    label = str(model._meta.get_field(name).verbose_name)
    return FieldChange(label, _shown(model, name, old), _shown(model, name, new))


def _entries(records, fields, label_of, *, model, keep_unchanged: bool) -> list[HistoryEntry]:
    entries = []
    previous_by_object = {}
    for record in records:  # ordered by object then time: pair each record with the one before it
        previous = previous_by_object.get(record.id)
        if previous is None:
            changes = [
                _change(model, name, None, getattr(record, name))
                for name in fields
                if getattr(record, name) not in ("", None, model._meta.get_field(name).default)
            ]
            if record.history_type != "+":
                changes = []
        else:
            changes = [
                _change(model, name, getattr(previous, name), getattr(record, name))
                for name in fields
                if getattr(previous, name) != getattr(record, name)
            ]
        previous_by_object[record.id] = record
        if changes or (keep_unchanged and record.history_change_reason):
            entries.append(
                HistoryEntry(
                    when=record.history_date,
                    who=_who(record),
                    what=label_of(record),
                    why=record.history_change_reason or "",
                    changes=changes,
                )
            )
    return entries


def return_history(return_obj: Return, *, since: datetime.datetime | None = None) -> list[HistoryEntry]:
    """Every recorded change to the return and its results, newest first: who, when, why, and each field's
    old and new value. ``since`` keeps only the changes made after that moment (for a stale edit)."""
    return_records = return_obj.history.select_related("history_user").order_by("history_date", "history_id")
    result_records = (
        Result.history.filter(return_obj_id=return_obj.pk)
        .select_related("history_user", "indicator", "district")
        .order_by("id", "history_date", "history_id")
    )
    # A return's own records all say something (created, saved, submitted...); a result's only when a
    # value changed, so the 65 empty rows created with a period do not bury the story.
    entries = _entries(
        return_records, HISTORY_FIELDS_RETURN, lambda record: "Return", model=Return, keep_unchanged=True
    ) + _entries(
        result_records,
        HISTORY_FIELDS_RESULT,
        lambda record: record.indicator.code + (f" ({record.district.name})" if record.district_id else ""),
        model=Result,
        keep_unchanged=False,
    )
    if since is not None:
        entries = [entry for entry in entries if entry.when > since]
    return sorted(entries, key=lambda entry: entry.when, reverse=True)


def return_version_loaded_at(return_obj: Return, version: int) -> datetime.datetime | None:
    """When the return reached the given version (the moment a form carrying it was loaded from)."""
    record = return_obj.history.filter(version=version).order_by("-history_date").first()
    return record.history_date if record else None


def indicators_by_code() -> dict[str, Indicator]:
    """Every indicator, by its code."""
    return {indicator.code: indicator for indicator in Indicator.objects.all()}


def district_latest_results(district: District) -> QuerySet[Result]:
    """For each local (LOC) indicator, the district's latest counted result from each provider.

    Counted means the return is submitted, accepted or signed off (Return.COUNTED). The district's results are
    those the CIO reports per district and those of hubs and LRCs based in the district.
    """
    in_district = Q(district=district) | Q(district__isnull=True, return_obj__provider__district=district)
    counted = Result.objects.filter(
        in_district, indicator__code__startswith="LOC-", return_obj__status__in=Return.COUNTED
    )
    newer = counted.filter(
        indicator=OuterRef("indicator"),
        return_obj__provider=OuterRef("return_obj__provider"),
        district=OuterRef("district"),
    ).filter(
        Q(return_obj__period__financial_year__gt=OuterRef("return_obj__period__financial_year"))
        | Q(
            return_obj__period__financial_year=OuterRef("return_obj__period__financial_year"),
            return_obj__period__quarter__gt=OuterRef("return_obj__period__quarter"),
        )
    )
    newer_local = counted.filter(
        indicator=OuterRef("indicator"),
        return_obj__provider=OuterRef("return_obj__provider"),
        district__isnull=True,
    ).filter(
        Q(return_obj__period__financial_year__gt=OuterRef("return_obj__period__financial_year"))
        | Q(
            return_obj__period__financial_year=OuterRef("return_obj__period__financial_year"),
            return_obj__period__quarter__gt=OuterRef("return_obj__period__quarter"),
        )
    )
    return (
        counted.exclude(Q(district__isnull=False) & Exists(newer))
        .exclude(Q(district__isnull=True) & Exists(newer_local))
        .select_related("indicator", "return_obj__provider", "return_obj__period")
        .order_by("indicator__code", "return_obj__provider__kind", "return_obj__provider__code")
    )


# Across partnerships (the national comparison) --------------------------------------------------------------

#: The only returns a comparison across partnerships counts: signed off by their partnership's LCC officer,
#: never a draft, a return submitted or accepted but not yet signed off, or one sent back.
SIGNED_OFF = Q(status=Return.Status.SIGNED_OFF)


def signed_off_by_partnership(period: ReportingPeriod, partnerships: QuerySet) -> dict[int, dict]:
    """Per partnership (of ``partnerships``, by id) with a signed-off return in the period: ``signed_off`` (its
    signed-off returns), ``on_time`` (of those, submitted by the period's due date), and its signed-off results'
    ``red``, ``amber``, ``green``, ``not_reported`` and ``total``. Two queries, whatever the number of
    partnerships."""
    returns = Return.objects.filter(SIGNED_OFF, period=period, provider__county__in=partnerships)
    on_time = Q(submitted_at__date__lte=period.due_on) if period.due_on else Q(pk__in=[])
    figures = {
        row["partnership"]: {"signed_off": row["signed_off"], "on_time": row["on_time"]}
        for row in returns.order_by()
        .values(partnership=F("provider__county_id"))
        .annotate(signed_off=Count("pk"), on_time=Count("pk", filter=on_time))
    }
    for row in _rag_counts(Result.objects.filter(return_obj__in=returns), "return_obj__provider__county_id"):
        figures[row.pop("partnership")].update(row)
    return figures


def _rag_counts(results: QuerySet, partnership: str):
    return (
        results.order_by()
        .values(partnership=F(partnership))
        .annotate(
            red=Count("pk", filter=Q(rag=Rag.RED)),
            amber=Count("pk", filter=Q(rag=Rag.AMBER)),
            green=Count("pk", filter=Q(rag=Rag.GREEN)),
            not_reported=Count("pk", filter=~Q(rag__in=[Rag.RED, Rag.AMBER, Rag.GREEN])),
            total=Count("pk"),
        )
    )


def indicators_reported_by_partnerships(period: ReportingPeriod, partnerships: QuerySet) -> QuerySet:
    """The indicator codes (with a name) that ``partnerships`` report in the period's signed-off returns, by
    code: rows with ``code``, ``name`` and ``partnerships`` (how many of them report it: a code two or more
    share is one to compare them by)."""
    return (
        Result.objects.filter(
            return_obj__status=Return.Status.SIGNED_OFF,
            return_obj__period=period,
            return_obj__provider__county__in=partnerships,
        )
        .order_by()
        .values(code=F("indicator__code"))
        .annotate(
            name=Min("indicator__short_name"), partnerships=Count("return_obj__provider__county_id", distinct=True)
        )
        .order_by("code")
    )


def indicator_signed_off_by_partnership(period: ReportingPeriod, code: str, partnerships: QuerySet) -> dict[int, dict]:
    """Per partnership (by id) reporting the indicator ``code`` in the period's signed-off returns: its results'
    ``red``, ``amber``, ``green``, ``not_reported`` and ``total``. One query."""
    results = Result.objects.filter(
        return_obj__status=Return.Status.SIGNED_OFF,
        return_obj__period=period,
        return_obj__provider__county__in=partnerships,
        indicator__code=code,
    )
    return {row.pop("partnership"): row for row in _rag_counts(results, "return_obj__provider__county_id")}


def periods_with_signed_off_returns() -> QuerySet[ReportingPeriod]:
    """The periods holding a signed-off return of any partnership, newest first."""
    return ReportingPeriod.objects.filter(
        Exists(Return.objects.filter(SIGNED_OFF, period=OuterRef("pk")))
    ).newest_first()
