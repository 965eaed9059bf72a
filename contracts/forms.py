"""Forms for contracts and money: they collect and check input; the services make the change."""

from decimal import Decimal

from django import forms

from contracts.models import BudgetLine, BudgetScenario, Contract, Organisation, Strand, SubContract
from core.forms import FinancialYearField, PortalForm
from districts.models import District

MONEY_FIELD = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal("0")}


class ContractExtendForm(PortalForm):
    years = forms.IntegerField(label="Years of extension", min_value=1, max_value=10)
    reason = forms.CharField(label="Why the extension is exercised", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, contract: Contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["years"] = forms.IntegerField(
            label="Years of extension",
            min_value=1,
            max_value=contract.extension_years,
            initial=contract.extension_years,
            help_text=f"From 1 to {contract.extension_years} (the contract's option)",
            widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-3"}),
        )


def _district_choices(contract: Contract):
    return District.objects.filter(county_id=contract.county_id).order_by("name")


class SubContractCreateForm(PortalForm):
    provider = forms.ModelChoiceField(
        label="Hub or LRC", queryset=Organisation.objects.none(), empty_label="Choose a provider"
    )
    start_year = FinancialYearField(label="First financial year")
    end_year = FinancialYearField(label="Last financial year")
    strands = forms.MultipleChoiceField(
        label="Strands covered", choices=Strand.choices, widget=forms.CheckboxSelectMultiple
    )
    districts = forms.ModelMultipleChoiceField(
        label="Districts covered", queryset=District.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    amount = forms.DecimalField(label="Value for each year of the term (£)", **MONEY_FIELD)
    reason = forms.CharField(label="Why the sub-contract is let", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, contract: Contract, **kwargs):
        super().__init__(*args, **kwargs)
        taken = SubContract.objects.filter(contract=contract).values("provider")
        self.fields["provider"].queryset = Organisation.objects.filter(
            county_id=contract.county_id, kind__in=[Organisation.Kind.HUB, Organisation.Kind.LRC]
        ).exclude(pk__in=taken)
        self.fields["districts"].queryset = _district_choices(contract)


class SubContractVaryForm(PortalForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    varied_on = forms.DateField(label="Date the variation takes effect", help_text="For example, 2011-04-01")
    financial_year = FinancialYearField(label="Financial year of the new value", required=False)
    amount = forms.DecimalField(label="New value for that year (£)", required=False, **MONEY_FIELD)
    start_year = FinancialYearField(label="First financial year", required=False)
    end_year = FinancialYearField(label="Last financial year", required=False)
    strands = forms.MultipleChoiceField(
        label="Strands covered", choices=Strand.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    districts = forms.ModelMultipleChoiceField(
        label="Districts covered",
        queryset=District.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reason = forms.CharField(label="Reason for the variation", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, subcontract: SubContract, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "version": subcontract.version,
                "start_year": subcontract.start_year,
                "end_year": subcontract.end_year,
                "strands": subcontract.strands,
                "districts": list(subcontract.districts.all()),
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["districts"].queryset = _district_choices(subcontract.contract)

    def clean(self):
        data = super().clean()
        if (data.get("amount") is None) != (data.get("financial_year") is None):
            self.add_error("amount", "To change the value, enter both the financial year and the new value.")
        if not data.get("strands"):
            data["strands"] = None
        return data


class SubContractEndForm(PortalForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    ended_on = forms.DateField(label="Date the sub-contract ends", help_text="For example, 2012-03-31")
    reason = forms.CharField(label="Why it ends", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        # Its own ids: the vary form on the same page has a version and a reason too.
        kwargs.setdefault("auto_id", "id_end_%s")
        super().__init__(*args, **kwargs)


class BudgetLineForm(PortalForm):
    financial_year = FinancialYearField(label="Financial year")
    category = forms.ChoiceField(label="Kind of budget line", choices=BudgetLine.Category.choices)
    district = forms.ModelChoiceField(
        label="District (for front-line staff)", queryset=District.objects.none(), required=False
    )
    amount = forms.DecimalField(label="Amount (£)", **MONEY_FIELD)
    note = forms.CharField(label="Note", required=False, max_length=200)

    def __init__(self, *args, contract: Contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = _district_choices(contract)


class BudgetLineUpdateForm(PortalForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    amount = forms.DecimalField(label="Amount (£)", **MONEY_FIELD)
    note = forms.CharField(label="Note", required=False, max_length=200)


class BudgetLineDeleteForm(PortalForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


TRANSITION_LINES = 3


class ScenarioForm(PortalForm):
    """A scenario's inputs; custom percentages and transition lines get one field per organisation or line."""

    name = forms.CharField(label="Name of the scenario", max_length=200)
    financial_year = FinancialYearField(label="Financial year")
    total = forms.DecimalField(label="Total available (£)", help_text="For example, 1254878.00", **MONEY_FIELD)
    rule = forms.ChoiceField(label="Rule", choices=BudgetScenario.Rule.choices, widget=forms.RadioSelect)

    def __init__(self, *args, organisations: list[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = organisations
        for org in organisations:
            self.fields[f"pct_{org.code}"] = forms.DecimalField(
                label=f"Custom rule: % of the total for {org.name} ({org.code})",
                required=False,
                min_value=Decimal("0"),
                max_value=Decimal("100"),
                decimal_places=2,
            )
        for n in range(1, TRANSITION_LINES + 1):
            self.fields[f"transition_{n}_organisation"] = forms.ModelChoiceField(
                label=f"Transition funding line {n}: organisation",
                queryset=Organisation.objects.filter(pk__in=[org.pk for org in organisations]),
                required=False,
            )
            self.fields[f"transition_{n}_amount"] = forms.DecimalField(
                label=f"Transition funding line {n}: amount (£)", required=False, **MONEY_FIELD
            )
            self.fields[f"transition_{n}_note"] = forms.CharField(
                label=f"Transition funding line {n}: note", required=False, max_length=200
            )
        self.style_inputs()

    def clean(self):
        data = super().clean()
        data["custom_percentages"] = {}
        if data.get("rule") == BudgetScenario.Rule.CUSTOM:
            for org in self.organisations:
                value = data.get(f"pct_{org.code}")
                if value is not None:
                    data["custom_percentages"][org.code] = value
        transitions = []
        for n in range(1, TRANSITION_LINES + 1):
            org, amount = data.get(f"transition_{n}_organisation"), data.get(f"transition_{n}_amount")
            if (org is None) != (amount is None):
                self.add_error(f"transition_{n}_amount", f"Line {n}: enter both the organisation and the amount.")
            elif org is not None:
                transitions.append((org, amount, data.get(f"transition_{n}_note", "")))
        data["transitions"] = transitions
        return data


class ScenarioAdoptForm(PortalForm):
    reason = forms.CharField(label="Why this scenario is adopted", widget=forms.Textarea(attrs={"rows": 3}))


class ScenarioCompareForm(PortalForm):
    a = forms.ModelChoiceField(label="First scenario", queryset=BudgetScenario.objects.none())
    b = forms.ModelChoiceField(label="Second scenario", queryset=BudgetScenario.objects.none())

    def __init__(self, *args, scenarios, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["a"].queryset = scenarios
        self.fields["b"].queryset = scenarios
