"""The dashboard's tables. The page renders them; the exports write the same tables' values to CSV/XLSX.

Every table declares ``value_<column>`` where its page cell carries HTML, so an export holds the plain
figure (a number stays a number) and the words the page shows.
"""

import functools

import django_tables2 as tables
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from contracts.models import Organisation
from core.numbers import figure
from core.tables import PortalTable
from performance.dashboard import MOVE_LABELS, RETURN_STATUS_LABELS, TIMELINESS_LABELS
from performance.exports import ExportField
from performance.models import Rag, ReportingPeriod, Return, Validation
from performance.policies import returns as return_policy

RAG_LABELS = dict(Rag.choices)
VALIDATION_LABELS = dict(Validation.choices)
NUMERIC = {"th": {"class": "numeric"}, "td": {"class": "numeric"}}


def rag_word(rag: str):
    """A RAG rating written as a word, coloured only in support; an empty rating reads "Not rated"."""
    if not rag:
        return format_html('<span class="rag {}">{}</span>', Rag.css_class(rag), "Not rated")
    return format_html('<span class="rag {}">{}</span>', Rag.css_class(rag), RAG_LABELS.get(rag, rag))


def rag_text(rag: str) -> str:
    return RAG_LABELS.get(rag, rag) if rag else "Not rated"


@functools.cache
def period_label(financial_year: int, quarter: int) -> str:
    """A period's label ("2010/11 Q2") from its year and quarter, written by ``ReportingPeriod.label``."""
    return ReportingPeriod(financial_year=financial_year, quarter=quarter).label


def validation_text(validation: str) -> str:
    """A result's validation in words, as ``get_validation_display`` writes it."""
    return VALIDATION_LABELS.get(validation, validation)


def indicator_link(code: str, text: str | None = None):
    """An indicator's code (or ``text``) linked to its history page."""
    url = reverse("performance:indicator", kwargs={"code": code})
    return format_html('<a class="govuk-link" href="{}">{}</a>', url, text or code)


def percentage(value):
    return "–" if value is None else f"{value}%"


class RagCountsTable(PortalTable):
    """RAG counts and whole per cents for rows of a breakdown (by kind, strand, priority or period)."""

    label = tables.Column(verbose_name="Group", orderable=False)
    red = tables.Column(verbose_name="Red", attrs=NUMERIC, orderable=False)
    red_pct = tables.Column(verbose_name="Red %", attrs=NUMERIC, orderable=False, default="–")
    amber = tables.Column(verbose_name="Amber", attrs=NUMERIC, orderable=False)
    amber_pct = tables.Column(verbose_name="Amber %", attrs=NUMERIC, orderable=False, default="–")
    green = tables.Column(verbose_name="Green", attrs=NUMERIC, orderable=False)
    green_pct = tables.Column(verbose_name="Green %", attrs=NUMERIC, orderable=False, default="–")
    not_reported = tables.Column(verbose_name="Not reported", attrs=NUMERIC, orderable=False)
    not_reported_pct = tables.Column(verbose_name="Not reported %", attrs=NUMERIC, orderable=False, default="–")
    total = tables.Column(verbose_name="Indicators", attrs=NUMERIC, orderable=False)

    def __init__(self, data, *, label: str, caption: str = "", **kwargs):
        super().__init__(data, **kwargs)
        self.columns["label"].column.verbose_name = label
        self.caption = caption

    def render_red_pct(self, value):
        return percentage(value)

    render_amber_pct = render_green_pct = render_not_reported_pct = render_red_pct

    def value_red_pct(self, value):
        return value

    value_amber_pct = value_green_pct = value_not_reported_pct = value_red_pct


class ProviderTable(PortalTable):
    """One row per provider: its RAG counts and its return for the period."""

    name = tables.Column(verbose_name="Provider")
    code = tables.Column(verbose_name="Code")
    kind = tables.Column(verbose_name="Kind")
    red = tables.Column(verbose_name="Red", attrs=NUMERIC)
    amber = tables.Column(verbose_name="Amber", attrs=NUMERIC)
    green = tables.Column(verbose_name="Green", attrs=NUMERIC)
    not_reported = tables.Column(verbose_name="Not reported", attrs=NUMERIC)
    total = tables.Column(verbose_name="Indicators", attrs=NUMERIC)
    return_status = tables.Column(verbose_name="Return")
    submitted_on = tables.DateColumn(verbose_name="Submitted", format="j M Y", default="Not submitted")
    timeliness = tables.Column(verbose_name="Late or on time")

    class Meta(PortalTable.Meta):
        order_by = ("kind", "code")

    def __init__(self, *args, caption: str = "", user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.caption = caption
        self.user = user

    def render_code(self, value, record):
        """The provider's code, linked to the return it counts for the period where the viewer may open it
        (the return policy asked of the row's own figures: no query per row)."""
        return_id = getattr(record, "period_return_id", None)
        if self.user is None or return_id is None:
            return value
        return_obj = Return(pk=return_id, provider=record, status=record.period_return_status)
        if not return_policy.user_can(self.user, "view", return_obj):
            return value
        url = reverse("performance:return", kwargs={"pk": return_id})
        return format_html(
            '<a class="govuk-link" href="{}">{}<span class="govuk-visually-hidden"> return</span></a>', url, value
        )

    def value_code(self, value):
        return value

    def render_kind(self, value):
        return dict(Organisation.Kind.choices).get(value, value)

    def render_return_status(self, value):
        return RETURN_STATUS_LABELS.get(value, value)

    def render_timeliness(self, value):
        return TIMELINESS_LABELS.get(value, value)

    def value_submitted_on(self, value):
        return value


class CompletenessTable(PortalTable):
    """How many providers are where with their return."""

    measure = tables.Column(verbose_name="Return", orderable=False)
    providers = tables.Column(verbose_name="Providers", attrs=NUMERIC, orderable=False)

    def __init__(self, summary: dict, **kwargs):
        rows = [
            {"measure": label, "providers": summary[key]}
            for key, label in (
                ("signed_off", "Signed off"),
                ("accepted", "Accepted"),
                ("submitted", "Submitted, waiting for review"),
                ("not_submitted", "Not submitted (draft or sent back)"),
                ("missing", "Missing (no return)"),
                ("on_time", "Submitted on time"),
                ("late", "Submitted late"),
                ("overdue", "Overdue (not submitted, past the due date)"),
                ("providers", "Providers in view"),
            )
        ]
        super().__init__(rows, **kwargs)
        self.caption = "Completeness"


class ChangeTable(PortalTable):
    """Per provider, indicator and district: the earlier rating, the current one and the move between."""

    provider = tables.Column(verbose_name="Provider")
    indicator_code = tables.Column(verbose_name="Indicator")
    district_name = tables.Column(verbose_name="District", default="")
    earlier_rag = tables.Column(verbose_name="Before", empty_values=())
    current_rag = tables.Column(verbose_name="Now", empty_values=())
    movement = tables.Column(verbose_name="Move", accessor="move", empty_values=(), orderable=False)
    move = tables.Column(verbose_name="Change")

    def __init__(self, *args, caption: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.caption = caption

    def render_earlier_rag(self, value):
        return rag_word(value)

    def render_current_rag(self, value):
        return rag_word(value)

    def render_indicator_code(self, value):
        return indicator_link(value)

    def value_indicator_code(self, value):
        return value

    def value_earlier_rag(self, value):
        return rag_text(value)

    def value_current_rag(self, value):
        return rag_text(value)

    def render_movement(self, record):
        earlier = rag_text(record["earlier_rag"]) if record["earlier_rag"] else "Absent"
        now = rag_text(record["current_rag"]) if record["current_rag"] else "absent"
        return f"{earlier} to {now.lower()}"

    def render_move(self, value):
        return MOVE_LABELS.get(value, value)


class ResultTable(PortalTable):
    """Results one by one, with figures and narrative (the indicator history and the results export)."""

    period = tables.Column(verbose_name="Period", accessor="return_obj__period__label", orderable=False)
    provider = tables.Column(verbose_name="Provider", accessor="return_obj__provider__code", orderable=False)
    indicator = tables.Column(verbose_name="Indicator", accessor="indicator__code", orderable=False)
    district = tables.Column(verbose_name="District", accessor="district__name", default="", orderable=False)
    rag = tables.Column(verbose_name="RAG", empty_values=(), orderable=False)
    actual = tables.Column(verbose_name="Actual", attrs=NUMERIC, default="–", orderable=False)
    target = tables.Column(verbose_name="Target", attrs=NUMERIC, default="–", orderable=False)
    validation = tables.Column(verbose_name="Validation", orderable=False)
    narrative = tables.Column(verbose_name="Narrative", default="", orderable=False)

    #: What the exports read straight from a queryset, the same values as the columns give (performance.exports).
    export_fields = {
        "period": ExportField(
            "return_obj__period__financial_year", "return_obj__period__quarter", convert=period_label
        ),
        "provider": ExportField("return_obj__provider__code"),
        "indicator": ExportField("indicator__code"),
        "district": ExportField("district__name"),
        "rag": ExportField("rag", convert=rag_text),
        "actual": ExportField("actual"),
        "target": ExportField("target"),
        "validation": ExportField("validation", convert=validation_text),
        "narrative": ExportField("narrative"),
    }

    def __init__(self, *args, caption: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.caption = caption

    def render_rag(self, record):
        # The stored code, not the label django-tables2 hands a choices field's column.
        return rag_word(record.rag)

    def render_indicator(self, value):
        return indicator_link(value)

    def render_actual(self, value):
        return figure(value)

    def render_target(self, value):
        return figure(value)

    def value_indicator(self, value):
        return value

    def value_rag(self, value):
        return rag_text(value)

    def value_actual(self, value):
        return value

    def value_target(self, value):
        return value


class SeriesTable(PortalTable):
    """One provider's figure and target for an indicator, period by period (beside the line chart)."""

    label = tables.Column(verbose_name="Period", orderable=False)
    actual = tables.Column(verbose_name="Actual", attrs=NUMERIC, default="–", orderable=False)
    target = tables.Column(verbose_name="Target", attrs=NUMERIC, default="–", orderable=False)

    def render_actual(self, value):
        return figure(value)

    def render_target(self, value):
        return figure(value)

    def value_actual(self, value):
        return value

    def value_target(self, value):
        return value


class PerThousandColumn(tables.Column):
    """A rate per 1,000 residents, to two decimal places."""

    def render(self, value):
        return f"{value:.2f}"

    def value(self, value):
        return round(value, 2)


class MoneyColumn(tables.Column):
    """Pounds and pence with thousands separators on the page; the Decimal itself in an export."""

    def render(self, value):
        return f"£{value:,.2f}"

    def value(self, value):
        return value


class ThousandsColumn(tables.Column):
    """A figure with thousands separators on the page (core.numbers.figure); the number itself in an export."""

    def render(self, value):
        return figure(value)

    def value(self, value):
        return value


class LocalityTable(PortalTable):
    """One row per district: population, money in, and each local indicator's figures split by who
    reported them (the CIO, the hub, the LRC), their total and the total per 1,000 residents."""

    name = tables.Column(verbose_name="District", orderable=False)
    population = ThousandsColumn(verbose_name="Population", attrs=NUMERIC, orderable=False)

    def render_name(self, value, record):
        # The district page belongs to the districts app; until it exists the name is plain text.
        try:
            url = reverse("districts:detail", kwargs={"slug": record["slug"]})
        except NoReverseMatch:
            return value
        return format_html('<a class="govuk-link" href="{}">{}</a>', url, value)

    def value_name(self, value):
        return value

    def __init__(self, data, *, indicators, show_money: bool, only: int | None = None, caption: str = "", **kwargs):
        extra = []
        if show_money and only is None:
            extra += [
                (
                    "subcontract_money",
                    MoneyColumn(verbose_name="Hub and LRC sub-contracts", attrs=NUMERIC, orderable=False, default="–"),
                ),
                (
                    "cio_district_staff",
                    MoneyColumn(verbose_name="CIO district staff", attrs=NUMERIC, orderable=False, default="Not known"),
                ),
                ("money", MoneyColumn(verbose_name="Money into the district", attrs=NUMERIC, orderable=False)),
            ]
        for n, indicator in enumerate(indicators):
            if only is not None and n != only:
                continue
            prefix = "" if only is not None else f"{indicator.code} "
            extra += [
                (
                    f"loc_{n}_cio",
                    ThousandsColumn(verbose_name=f"{prefix}CIO (VAL)", attrs=NUMERIC, orderable=False, default="–"),
                ),
                (
                    f"loc_{n}_hub",
                    ThousandsColumn(verbose_name=f"{prefix}Hub", attrs=NUMERIC, orderable=False, default="–"),
                ),
                (
                    f"loc_{n}_lrc",
                    ThousandsColumn(verbose_name=f"{prefix}LRC", attrs=NUMERIC, orderable=False, default="–"),
                ),
                (
                    f"loc_{n}_total",
                    ThousandsColumn(verbose_name=f"{prefix}Total", attrs=NUMERIC, orderable=False, default="–"),
                ),
                (
                    f"loc_{n}_per_1000",
                    PerThousandColumn(
                        verbose_name=f"{prefix}Per 1,000 residents", attrs=NUMERIC, orderable=False, default="–"
                    ),
                ),
            ]
        super().__init__(data, extra_columns=extra, **kwargs)
        self.caption = caption
