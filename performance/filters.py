"""The one way into the dashboard: a form (django-filter) that turns parameters into ``DashboardFilters``.

The dashboard's pages, their exports, ``manage.py pmf_summary`` and ``/api/summary/`` all read their
parameters through ``DashboardFilterSet``, so the four can never read a period, a kind of provider or the
drafts a user may count differently. Periods are accepted as labels (``2010/11 Q2``, as the command and the
API write them) or slugs (``2010-11-q2``, as the page's select sends them); kinds of provider as repeated
values (the page's checkboxes) or comma-separated (``hub,lrc``).

The page is lenient: a bad value is shown as an error beside its field and the default is used. The command
and the API are ``strict``: the period is required and any bad value raises a ValidationError keyed by the
parameter's name (period, compare_to, provider_kind, include_drafts), or PermissionDenied when drafts are
asked for by someone who may not count them. Which drafts a user may count is the return policy's
``include_drafts`` action; ``user`` None is a trusted operator at the command line, who counts every draft.
"""

from html import escape

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.safestring import SafeString, mark_safe

from contracts.models import Organisation, Priority, Strand
from core.periods import PERIOD_EXAMPLE, Period
from districts.models import District
from performance import dashboard
from performance.models import Rag, ReportingPeriod, Result, Validation
from performance.policies import figures_partnership
from performance.policies import returns as return_policy


class PeriodField(forms.CharField):
    """A reporting period written as a label or a slug, cleaned to the period itself (from ``periods``, the
    periods the form read once)."""

    periods: list[ReportingPeriod] = []

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        wanted = Period.parse_or_none(value)
        if wanted is None:
            raise ValidationError(f"“{value}” is not a reporting period: write it like {PERIOD_EXAMPLE}")
        found = next((period for period in self.periods if period.value == wanted), None)
        if found is None:
            known = ", ".join(period.label for period in sorted(self.periods, key=lambda p: p.value))
            raise ValidationError(f"There is no reporting period {wanted.label}; the periods are: {known}")
        return found


class ProviderKindField(forms.MultipleChoiceField):
    """Kinds of provider, as repeated values or comma-separated in one."""

    def to_python(self, value):
        values = super().to_python([value] if isinstance(value, str) else value)
        return [kind.strip() for item in values for kind in item.split(",") if kind.strip()]

    def validate(self, value):
        unknown = sorted(set(value) - set(Organisation.Kind.values))
        if unknown:
            raise ValidationError(
                f"{', '.join(unknown)} is not a kind of provider; use cio, hub or lrc, comma-separated"
            )


class StrictBooleanField(forms.Field):
    """Yes or no, refusing anything else (``perhaps`` is not a yes)."""

    TRUE, FALSE = {"true", "1", "on", "yes"}, {"false", "0", "off", "no", ""}

    def to_python(self, value):
        text = str(value if value is not None else "").strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValidationError("Must be a valid boolean: true or false.")


class PeriodFilter(django_filters.Filter):
    field_class = PeriodField


class ProviderKindFilter(django_filters.MultipleChoiceFilter):
    field_class = ProviderKindField


class StrictBooleanFilter(django_filters.Filter):
    field_class = StrictBooleanField


def _choice(label, *, choices, empty):
    return django_filters.ChoiceFilter(label=label, choices=choices, empty_label=empty, method="filter_nothing")


class DashboardFilterSet(django_filters.FilterSet):
    period = PeriodFilter(label="Period", method="filter_nothing")
    compare_to = PeriodFilter(label="Compare with", method="filter_nothing")
    provider_kind = ProviderKindFilter(
        label="Kind of provider",
        choices=Organisation.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        method="filter_nothing",
    )
    provider = django_filters.ModelChoiceFilter(
        label="Provider",
        queryset=Organisation.objects.order_by("kind", "code"),
        to_field_name="code",
        empty_label="Every provider",
        method="filter_nothing",
    )
    district = django_filters.ModelChoiceFilter(
        label="District",
        queryset=District.objects.order_by("name"),
        to_field_name="slug",
        empty_label="Every district",
        method="filter_nothing",
    )
    strand = _choice("Strand", choices=Strand.choices, empty="Every strand")
    priority = _choice("Outcome priority", choices=Priority.choices, empty="Every priority")
    rag = _choice("RAG rating", choices=Rag.choices, empty="Any")
    validation = _choice("Validated or self-rated", choices=Validation.choices, empty="Either")
    provider_control = _choice(
        "Under the provider's control", choices=dashboard.PROVIDER_CONTROL_CHOICES, empty="Every indicator"
    )
    include_drafts = StrictBooleanFilter(label="Include draft returns you may see", method="filter_nothing")

    #: The empty choice of each period select (the period itself has none: it defaults to the latest).
    PERIOD_EMPTY = {"compare_to": "The previous period with returns"}
    #: The selects of many rows, read as plain values: the field each option's value is.
    MODEL_SELECTS = {"provider": "code", "district": "slug"}
    #: The order the command and the API name a bad parameter in.
    STRICT_ORDER = ("period", "compare_to", "provider_kind", "include_drafts", "provider_control")

    class Meta:
        model = Result
        fields = []

    def __init__(self, data=None, *args, user, strict: bool = False, partnership: int | None = None, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.user = user
        self.strict = strict
        # Which drafts this user may count (a filter on returns), None when they may not ask: the page does not
        # offer the field then, and a hand-made ?include_drafts=on is ignored (before the form is built).
        self.drafts_allowed = Q() if user is None else return_policy.rule(user, "include_drafts")
        if self.drafts_allowed is None and not strict:
            del self.filters["include_drafts"]
        # The user's own partnership's figures; the command's operator (no user) names one (None: every one).
        self.partnership = partnership if user is None else figures_partnership(user)
        if self.partnership is not None:
            for name in ("provider", "district"):
                self.filters[name].queryset = self.filters[name].queryset.filter(county_id=self.partnership)
        self.periods = list(ReportingPeriod.objects.newest_first())
        for name in ("period", "compare_to"):
            self.form.fields[name].periods = self.periods

    def filter_nothing(self, queryset, name, value):
        """Each field narrows the figures through ``dashboard_filters``; nothing is filtered here."""
        return queryset

    def filter_queryset(self, queryset):
        return dashboard.results_in_view(self.dashboard_filters())

    def dashboard_filters(self) -> dashboard.DashboardFilters | None:
        """What the parameters ask for, with the defaults filled in; None when there is no period at all (the
        page then says so). Strict: raises instead (see the module's docstring). Worked out once."""
        if not hasattr(self, "_dashboard_filters"):
            self._dashboard_filters = self._dashboard_filters_read()
        return self._dashboard_filters

    def _errors_in_order(self) -> dict[str, list[str]]:
        errors = {name: list(self.form.errors[name]) for name in self.STRICT_ORDER if name in self.form.errors}
        if self.strict and "period" not in errors and not self.form.cleaned_data.get("period"):
            errors = {"period": [f"“” is not a reporting period: write it like {PERIOD_EXAMPLE}"], **errors}
        return errors

    def _dashboard_filters_read(self) -> dashboard.DashboardFilters | None:
        valid = self.is_bound and self.form.is_valid()
        if self.strict:
            errors = self._errors_in_order()
            if errors:
                raise ValidationError(errors)
        # The page shows a bad value's error and the default figures (every filter as if none were given).
        data = self.form.cleaned_data if valid else {}
        period = data.get("period") or dashboard.latest_period_with_returns(self.partnership)
        if period is None:
            return None
        compare_to = data.get("compare_to")
        if compare_to is not None and not compare_to.is_before(period):
            message = f"Choose a period before {period.label} to compare with"
            if self.strict:
                raise ValidationError({"compare_to": [message]})
            self.form.add_error("compare_to", message)
            compare_to = None
        if compare_to is None and not self.strict:
            compare_to = dashboard.previous_period_with_returns(period, self.partnership)
        drafts = None
        if data.get("include_drafts"):
            if self.drafts_allowed is None:
                raise PermissionDenied("include_drafts: your role may not include draft returns in the summary.")
            drafts = self.drafts_allowed
        provider = data.get("provider")
        return dashboard.DashboardFilters(
            period=period,
            compare_to=compare_to,
            provider_kinds=tuple(data.get("provider_kind") or ()),
            providers=(provider.pk,) if provider else (),
            district=data.get("district"),
            strand=data.get("strand") or "",
            priority=data.get("priority") or "",
            rag=data.get("rag") or "",
            validation=data.get("validation") or "",
            provider_control=data.get("provider_control") or "",
            drafts=drafts,
            partnership=self.partnership,
        )

    def select_options(self, name: str) -> SafeString:
        """The ``<option>`` elements of one of the form's selects, the current choice selected (the periods
        as the figures shown: the period defaults to the latest). Written here rather than in the template: at
        national scale the provider and district selects list some 1,400 providers and 1,000 districts, which
        took the template language about half a second; here they are read as plain values."""
        field = self.form[name]
        filters = self.dashboard_filters()
        if name in ("period", "compare_to"):
            shown = getattr(filters, name, None) if filters is not None else None
            current = shown.slug if shown is not None and not (name == "compare_to" and not field.value()) else ""
            choices = [(p.slug, p.label) for p in self.periods]
            if name in self.PERIOD_EMPTY:
                choices = [("", self.PERIOD_EMPTY[name]), *choices]
        else:
            current = field.value()
            current = "" if current is None else str(current)
            if name in self.MODEL_SELECTS:
                values = self.filters[name].queryset.values_list(self.MODEL_SELECTS[name], "name")
                choices = [("", field.field.empty_label), *values]
            else:
                choices = field.field.choices
        # Python's own html.escape (quotes too): Django's format_html per option took 35 µs each.
        return mark_safe(  # noqa: S308 (every value and label is escaped)
            "".join(
                f'<option value="{escape(str(value))}"{" selected" if current and str(value) == current else ""}>'
                f"{escape(str(label))}</option>"
                for value, label in choices
            )
        )


def summary_filters(parameters: dict, *, user, partnership: int | None = None) -> dashboard.DashboardFilters:
    """The filters of ``pmf_summary`` and ``/api/summary/``: the parameters read strictly by the dashboard's
    own form (``user`` None for the command's operator, who names the ``partnership``)."""
    return DashboardFilterSet(parameters, user=user, strict=True, partnership=partnership).dashboard_filters()
