"""What each API resource looks like. Related things are named by their codes (provider ``VASL``,
indicator ``LOC-1``, district ``harborough``, period ``2010/11 Q2``), the same codes the CSV import and the
commands use; money is a string of pounds and pence."""

from rest_framework import serializers

from contracts.models import Allocation, Contract, ContractYear, Contribution, Funder, Organisation, SubContract
from districts.models import District
from performance.models import Indicator, ReportingPeriod, Result, Return
from vcsportal.api.fields import FinancialYearField, PeriodLabelField


class DistrictSerializer(serializers.ModelSerializer):
    county = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = District
        fields = ["slug", "name", "county", "ons_code", "population", "population_source", "negotiation_status"]


class FunderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Funder
        fields = ["code", "name", "kind", "is_group", "org_id"]


class ProviderSerializer(serializers.ModelSerializer):
    county = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    district = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Organisation
        fields = ["code", "name", "kind", "county", "district", "org_id"]


class ContractYearSerializer(serializers.ModelSerializer):
    financial_year = FinancialYearField()

    class Meta:
        model = ContractYear
        fields = ["financial_year", "stated_total", "is_estimate", "source"]


class ContractSerializer(serializers.ModelSerializer):
    county = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    commissioner = serializers.SlugRelatedField(slug_field="code", read_only=True)
    provider = serializers.SlugRelatedField(slug_field="code", read_only=True)
    start_year = FinancialYearField()
    end_year = FinancialYearField()
    years = ContractYearSerializer(many=True, read_only=True)

    class Meta:
        model = Contract
        fields = [
            "reference",
            "title",
            "county",
            "commissioner",
            "provider",
            "start_year",
            "end_year",
            "extension_years",
            "extension_exercised",
            "years",
        ]


class SubContractSerializer(serializers.ModelSerializer):
    contract = serializers.SlugRelatedField(slug_field="reference", read_only=True)
    provider = serializers.SlugRelatedField(slug_field="code", read_only=True)
    start_year = FinancialYearField()
    end_year = FinancialYearField()
    strands = serializers.ListField(child=serializers.CharField(), read_only=True)
    districts = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = SubContract
        fields = ["id", "contract", "provider", "start_year", "end_year", "strands", "districts", "status", "ended_on"]


class AllocationSerializer(serializers.ModelSerializer):
    contract = serializers.SlugRelatedField(slug_field="reference", read_only=True)
    provider = serializers.SlugRelatedField(source="organisation", slug_field="code", read_only=True)
    financial_year = FinancialYearField()

    class Meta:
        model = Allocation
        fields = ["id", "contract", "provider", "financial_year", "amount"]


class ContributionSerializer(serializers.ModelSerializer):
    contract = serializers.SlugRelatedField(slug_field="reference", read_only=True)
    funder = serializers.SlugRelatedField(slug_field="code", read_only=True)
    financial_year = FinancialYearField()

    class Meta:
        model = Contribution
        fields = ["id", "contract", "funder", "financial_year", "description", "amount"]


class PeriodSerializer(serializers.ModelSerializer):
    financial_year = FinancialYearField()

    class Meta:
        model = ReportingPeriod
        fields = ["id", "label", "slug", "financial_year", "quarter", "opens_on", "due_on", "locked_on", "status"]


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = [
            "code",
            "number",
            "short_name",
            "wording",
            "strand",
            "kind",
            "unit",
            "higher_is_better",
            "tolerance_pct",
            "for_cio",
            "for_hub",
            "for_lrc",
            "by_district",
            "is_illustrative",
        ]


class ResultSerializer(serializers.ModelSerializer):
    return_id = serializers.IntegerField(source="return_obj_id", read_only=True)
    period = PeriodLabelField(source="return_obj.period")
    provider = serializers.CharField(source="return_obj.provider.code", read_only=True)
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    district = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Result
        fields = [
            "id",
            "return_id",
            "period",
            "provider",
            "indicator",
            "district",
            "rag",
            "computed_rag",
            "rag_override_reason",
            "not_reported_reason",
            "not_reported_other",
            "actual",
            "target",
            "narrative",
            "evidence_url",
            "validation",
            "validation_comment",
        ]


class ReturnSerializer(serializers.ModelSerializer):
    provider = serializers.SlugRelatedField(slug_field="code", read_only=True)
    period = PeriodLabelField()

    class Meta:
        model = Return
        fields = [
            "id",
            "provider",
            "period",
            "status",
            "version",
            "submitted_at",
            "accepted_at",
            "signed_off_at",
            "review_comment",
            "updated_at",
        ]


class ReturnDetailSerializer(ReturnSerializer):
    results = ResultSerializer(many=True, read_only=True)

    class Meta(ReturnSerializer.Meta):
        fields = [*ReturnSerializer.Meta.fields, "results"]


# The dashboard summary: the shape ``pmf_summary --format json`` prints ------------------------------------


class RagCountsSerializer(serializers.Serializer):
    red = serializers.IntegerField()
    amber = serializers.IntegerField()
    green = serializers.IntegerField()
    not_reported = serializers.IntegerField()


class SummaryProviderSerializer(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.CharField(help_text="cio, hub or lrc")
    red = serializers.IntegerField()
    amber = serializers.IntegerField()
    green = serializers.IntegerField()
    not_reported = serializers.IntegerField()


class SummaryChangeSerializer(serializers.Serializer):
    compare_to = serializers.CharField(help_text="The earlier period, like 2009/10 Q3.")
    improved = serializers.IntegerField()
    steady = serializers.IntegerField()
    declined = serializers.IntegerField()
    declined_indicators = serializers.ListField(child=serializers.CharField(), help_text="Codes, like VAL-28.")
    newly_reported = serializers.IntegerField()
    no_longer_reported = serializers.IntegerField()
    not_yet_submitted = serializers.IntegerField(help_text="Ratings of providers whose return is not in yet.")
    still_not_reported = serializers.IntegerField()


class SummarySerializer(serializers.Serializer):
    """Documents the summary; the body itself is ``performance.dashboard.pmf_summary``'s dict, unchanged."""

    period = serializers.CharField(help_text="Like 2010/11 Q2.")
    indicators = serializers.IntegerField(help_text="Result rows counted (every rating and not reported).")
    totals = RagCountsSerializer()
    providers = SummaryProviderSerializer(many=True)
    change = SummaryChangeSerializer(required=False, help_text="Only with compare_to.")


# Writing a return's results ------------------------------------------------------------------------------

_TEXT = {"required": False, "allow_blank": True, "allow_null": True, "trim_whitespace": False}


class ResultRowWriteSerializer(serializers.Serializer):
    """One result row, named like the CSV import's columns; the values are checked by the same reader
    (``performance.imports.result_row_read``), so only their JSON types are checked here."""

    indicator = serializers.CharField(help_text="Indicator code, like LOC-1 or VAL-02.")
    district = serializers.CharField(
        **_TEXT, help_text="District slug (like harborough) for rows reported per district; null otherwise."
    )
    rag = serializers.CharField(
        **_TEXT,
        help_text="red, amber, green or not_reported; blank on a quantitative indicator takes the rating its "
        "figures give.",
    )
    actual = serializers.CharField(**_TEXT, help_text="A number written like 42 or 12.5 (JSON numbers too).")
    target = serializers.CharField(
        **_TEXT,
        help_text="A number; blank or null takes the target from the targets table. Only an LCC officer may "
        "give one: from anyone else a target is refused (400), as is any field a row does not declare.",
    )
    reason = serializers.CharField(
        **_TEXT,
        help_text="For not_reported: no_target_set, not_applicable, data_not_yet_available or any other text; "
        "otherwise why the rating differs from the one the figures give.",
    )
    narrative = serializers.CharField(**_TEXT)
    evidence_url = serializers.CharField(**_TEXT, help_text="A web address starting https://")

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        # A name the row does not declare is kept, not dropped, so the row reader refuses it by name with
        # the rule every channel asks (performance.result_fields): a field no one may set is never ignored.
        if isinstance(data, dict):
            values.update({name: value for name, value in data.items() if name not in self.fields})
        return values


class ReturnResultsWriteSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        help_text="The return's version you read (GET /api/returns/{id}/). A newer one on the server is a 409.",
    )
    submit = serializers.BooleanField(
        default=False, help_text="Submit the return after saving (every row must then be complete)."
    )
    results = ResultRowWriteSerializer(many=True, help_text="The rows to save; rows not named are left as they are.")


class ReturnResultsWrittenSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The return.")
    status = serializers.ChoiceField(choices=Return.Status.choices)
    version = serializers.IntegerField(help_text="The return's version now: send it with the next write.")
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    submitted = serializers.BooleanField()


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(
        allow_null=True,
        help_text="Position in ``results`` (from 0); null for a row the return owes but the "
        "request did not give, or for the request as a whole.",
    )
    indicator = serializers.CharField(allow_null=True)
    district = serializers.CharField(allow_null=True)
    field = serializers.CharField(help_text="The field at fault, named as in the request.")
    message = serializers.CharField(help_text="What is wrong and what would be accepted.")


class ReturnResultsRefusedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = RowErrorSerializer(many=True)


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.CharField(allow_null=True)
    new = serializers.CharField(allow_null=True)


class HistoryEntrySerializer(serializers.Serializer):
    when = serializers.DateTimeField()
    who = serializers.CharField()
    what = serializers.CharField(help_text="Return, or the row's indicator code (and district).")
    why = serializers.CharField()
    changes = FieldChangeSerializer(many=True)


class ReturnConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current_version = serializers.IntegerField()
    changes = HistoryEntrySerializer(
        many=True, help_text="For a stale version: what changed since that version, newest first."
    )
