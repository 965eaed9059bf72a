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
