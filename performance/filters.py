"""The dashboard's filters (django-filter): the form people fill in, turned into ``DashboardFilters``.

The FilterSet validates the query string and names the field at fault; the figures themselves come from
``performance.dashboard``, which the export views and the ``pmf_summary`` command call the same way.
"""

from html import escape

import django_filters
from django import forms
from django.utils.safestring import SafeString, mark_safe

from contracts.models import Organisation, Priority, Strand
from districts.models import District
from performance import dashboard
from performance.models import Rag, ReportingPeriod, Result, Validation
from vcsportal.permissions import draft_providers_visible


class DashboardFilterSet(django_filters.FilterSet):
    period = django_filters.ChoiceFilter(label="Period", method="filter_nothing", empty_label=None)
    compare_to = django_filters.ChoiceFilter(
        label="Compare with", method="filter_nothing", empty_label="The previous period with returns"
    )
    provider_kind = django_filters.MultipleChoiceFilter(
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
    strand = django_filters.ChoiceFilter(
        label="Strand", choices=Strand.choices, empty_label="Every strand", method="filter_nothing"
    )
    priority = django_filters.ChoiceFilter(
        label="Outcome priority", choices=Priority.choices, empty_label="Every priority", method="filter_nothing"
    )
    rag = django_filters.ChoiceFilter(
        label="RAG rating", choices=Rag.choices, empty_label="Any", method="filter_nothing"
    )
    validation = django_filters.ChoiceFilter(
        label="Validated or self-rated", choices=Validation.choices, empty_label="Either", method="filter_nothing"
    )
    include_drafts = django_filters.BooleanFilter(
        label="Include draft returns you may see",
        widget=forms.CheckboxInput,
        method="filter_nothing",
    )

    class Meta:
        model = Result
        fields = []

    def __init__(self, data=None, *args, user, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.user = user
        self.periods = list(ReportingPeriod.objects.order_by("-financial_year", "-quarter"))
        choices = [(p.slug, p.label) for p in self.periods]
        self.filters["period"].extra["choices"] = choices
        self.filters["compare_to"].extra["choices"] = choices
        self.may_include_drafts = user.has_perm("performance.include_drafts")
        if not self.may_include_drafts:
            # The field is not offered, and a hand-made ?include_drafts=on is ignored.
            del self.filters["include_drafts"]

    def filter_nothing(self, queryset, name, value):
        """Each field narrows the figures through ``dashboard_filters``; nothing is filtered here."""
        return queryset

    def filter_queryset(self, queryset):
        return dashboard.results_in_view(self.dashboard_filters())

    def _period(self, slug):
        return next((p for p in self.periods if p.slug == slug), None)

    def dashboard_filters(self) -> dashboard.DashboardFilters | None:
        """What the form asks for, with the defaults filled in; None when there is no period at all. Worked
        out once per request (the page, its selects and its sections all ask)."""
        if not hasattr(self, "_dashboard_filters"):
            self._dashboard_filters = self._dashboard_filters_read()
        return self._dashboard_filters

    def select_options(self, name: str) -> SafeString:
        """The ``<option>`` elements of one of the form's selects, the current choice selected (the period
        defaults to the one shown). Written here rather than in the template: at national scale the provider
        and district selects list some 1,400 providers and 1,000 districts, which took the template language
        about half a second; here they are read as plain values, without a model instance each."""
        field = self.form[name]
        current = field.value()
        current = "" if current is None else str(current)
        if name == "period" and not current and self.dashboard_filters() is not None:
            current = self.dashboard_filters().period.slug
        if name == "provider":
            choices = [("", field.field.empty_label), *self.filters["provider"].queryset.values_list("code", "name")]
        elif name == "district":
            choices = [("", field.field.empty_label), *self.filters["district"].queryset.values_list("slug", "name")]
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

    def _dashboard_filters_read(self) -> dashboard.DashboardFilters | None:
        data = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        period = self._period(data.get("period")) or dashboard.latest_period_with_returns()
        if period is None:
            return None
        compare_to = self._period(data.get("compare_to"))
        if compare_to is not None and not dashboard.is_before(compare_to, period):
            self.form.add_error("compare_to", f"Choose a period before {period.label} to compare with")
            compare_to = None
        compare_to = compare_to or dashboard.previous_period_with_returns(period)
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
            draft_providers=draft_providers_visible(self.user) if data.get("include_drafts") else None,
        )
