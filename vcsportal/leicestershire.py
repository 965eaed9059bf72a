"""Load the real Leicestershire 2010/11 picture (see DOMAIN.md) into the database, idempotently.

Every row is found by its natural key and written only when a field differs, so a second run changes
nothing and records no history. Historical returns are loaded as signed off; 2010/11 Q3 is left open with
a draft return for every provider, so the quarterly journeys can be walked on demo data.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models, transaction

from contracts.models import (
    Allocation,
    Arrangement,
    Contract,
    ContractYear,
    Contribution,
    Funder,
    FundingPrinciple,
    Organisation,
    Outcome,
    PlanFigure,
    PlanObjective,
    PlanOutcome,
    SubContract,
)
from core.periods import Period
from core.services import save_with_history
from districts.models import (
    County,
    District,
    DistrictNegotiation,
    LocalityAgreement,
    LocalityAgreementService,
    LocalityService,
    NegotiationNote,
    NegotiationPosition,
)
from performance.models import (
    Indicator,
    IndicatorAmendment,
    RatingSplit,
    ReportingPeriod,
    Result,
    Return,
    SourceContradiction,
    Target,
)
from performance.services import period_open
from vcsportal import leicestershire_data as data

CHANGE_REASON = "Leicestershire 2010/11 data load"
POPULATION_SOURCE = "2011 Census, usual residents"

COUNTY = {"name": "Leicestershire", "slug": "leicestershire", "ons_code": "E10000018"}

DISTRICTS = [
    # name, slug, ONS code, population (2011 Census usual residents)
    ("Blaby", "blaby", "E07000129", 93_915),
    ("Charnwood", "charnwood", "E07000130", 166_100),
    ("Harborough", "harborough", "E07000131", 85_382),
    ("Hinckley and Bosworth", "hinckley-and-bosworth", "E07000132", 105_078),
    ("Melton", "melton", "E07000133", 50_376),
    ("North West Leicestershire", "north-west-leicestershire", "E07000134", 93_468),
    ("Oadby and Wigston", "oadby-and-wigston", "E07000135", 56_170),
]

FUNDERS = [
    # code, name, kind, is_group
    ("LCC", "Leicestershire County Council", Funder.Kind.COUNTY_COUNCIL, False),
    ("PCT", "NHS Leicestershire County and Rutland (PCT)", Funder.Kind.HEALTH, False),
    ("POLICE", "Leicestershire Police", Funder.Kind.POLICE, False),
    ("CONNEXIONS", "Connexions Leicestershire", Funder.Kind.OTHER, False),
    ("BLABY-DC", "Blaby District Council", Funder.Kind.DISTRICT_COUNCIL, False),
    ("CHARNWOOD-BC", "Charnwood Borough Council", Funder.Kind.DISTRICT_COUNCIL, False),
    ("HARBOROUGH-DC", "Harborough District Council", Funder.Kind.DISTRICT_COUNCIL, False),
    ("HINCKLEY-BOSWORTH-BC", "Hinckley and Bosworth Borough Council", Funder.Kind.DISTRICT_COUNCIL, False),
    ("MELTON-BC", "Melton Borough Council", Funder.Kind.DISTRICT_COUNCIL, False),
    ("NWL-DC", "North West Leicestershire District Council", Funder.Kind.DISTRICT_COUNCIL, False),
    ("OADBY-WIGSTON-BC", "Oadby and Wigston Borough Council", Funder.Kind.DISTRICT_COUNCIL, False),
    ("DISTRICT-COUNCILS", "The seven District Councils, combined", Funder.Kind.DISTRICT_COUNCIL, True),
]

ORGANISATIONS = [
    # code, name, kind, district slug (None: countywide)
    ("VAL", "Voluntary Action LeicesterShire", Organisation.Kind.CIO, None),
    ("CABD", "CABD", Organisation.Kind.HUB, "blaby"),
    ("VAC", "Voluntary Action Charnwood", Organisation.Kind.HUB, "charnwood"),
    ("VASL", "Voluntary Action South Leicestershire", Organisation.Kind.HUB, "harborough"),
    ("VAHB", "Voluntary Action Hinckley and Bosworth", Organisation.Kind.HUB, "hinckley-and-bosworth"),
    ("VAM", "Voluntary Action Melton", Organisation.Kind.HUB, "melton"),
    ("MRCCA", "MRC CA", Organisation.Kind.HUB, "north-west-leicestershire"),
    ("OWCA", "O and W CA", Organisation.Kind.HUB, "oadby-and-wigston"),
    ("CDLRC", "Castle Donington VC/LRC", Organisation.Kind.LRC, "north-west-leicestershire"),
    ("LUTLRC", "Lutterworth LRC", Organisation.Kind.LRC, "harborough"),
    ("SYSLRC", "Syston LRC", Organisation.Kind.LRC, "charnwood"),
]

CONTRACT_REFERENCE = "LCC-CIO-2009"
CONTRACT_TITLE = (
    "Provision of a Countywide Infrastructure Organisation for the Voluntary and Community Sector in Leicestershire"
)
YEAR_2010 = 2010
YEAR_2011 = 2011
# Contract lineage (review 2.5-2.6, Recommendation 5): in 2010/11 VAL was paid under its own contract and each hub
# and LRC "under different contracts", so "one CIO was not implemented"; from 2011/12, the transition year, the single
# CIO contract with sub-contracts to the hubs and LRCs applies.
ARRANGEMENT_SOURCE_2010 = "Review, sections 2.5-2.6 (paid under different contracts; one CIO not implemented)"
ARRANGEMENT_SOURCE_2011 = "Review, Recommendation 5 (2011 a transition year) and Recommendation 3 (one contract)"
SEPARATE_CONTRACT_REFERENCE = "LCC-2010-{code}"
SEPARATE_CONTRACT_TITLE = (
    "{name}: its own 2010/11 contract, paid from the pooled funding (review 2.5; the review does not say which"
    " funder signed it, so the County Council, the lead funder, is recorded as its commissioner)"
)

# Section 2.5: pooled funding 2010/11 as listed (these sum to £1,471,000, not the stated £1,462,398).
CONTRIBUTIONS_2010 = [
    ("LCC", "Original grant", Decimal("920000.00")),
    ("LCC", "Other LCC funding", Decimal("122000.00")),
    ("POLICE", "Police contribution", Decimal("20000.00")),
    ("PCT", "PCT contribution", Decimal("210000.00")),
    ("CONNEXIONS", "Connexions contribution", Decimal("10000.00")),
    ("DISTRICT-COUNCILS", "District Councils' combined contribution", Decimal("189000.00")),
]
STATED_TOTAL_2010 = Decimal("1462398.00")
ESTIMATE_2011 = Decimal("1254878.00")
ALLOCATION_BY_KIND = {
    Organisation.Kind.CIO: Decimal("979000.00"),
    Organisation.Kind.HUB: Decimal("68000.00"),
    Organisation.Kind.LRC: Decimal("10000.00"),
}
SUBCONTRACT_STRANDS = {
    Organisation.Kind.HUB: ["volunteering", "capacity"],
    Organisation.Kind.LRC: ["volunteering"],
}

HISTORIC_NARRATIVE = "Rating as reported in the 2011 review, Appendix Eight (temperature check)."

PERIODS = {
    # label: (opens_on, due_on, locked_on, status)
    "2009/10 Q3": (
        datetime.date(2010, 1, 1),
        datetime.date(2010, 1, 31),
        datetime.date(2010, 3, 31),
        "locked",
    ),
    "2010/11 Q2": (
        datetime.date(2010, 10, 1),
        datetime.date(2010, 10, 31),
        datetime.date(2010, 12, 31),
        "locked",
    ),
    "2010/11 Q3": (datetime.date(2011, 1, 1), datetime.date(2011, 1, 31), None, "open"),
}


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, model, created: bool, changed: bool):
        name = model._meta.verbose_name_plural
        if created:
            self.created[name] = self.created.get(name, 0) + 1
        elif changed:
            self.updated[name] = self.updated.get(name, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _upsert(report: LoadReport, model: type[models.Model], lookup: dict, values: dict):
    """Find a row by its natural key; create it, or save it only where a field differs."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = save_with_history(model(**lookup, **values), user=None, reason=CHANGE_REASON)
        report.count(model, created=True, changed=True)
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        save_with_history(obj, user=None, reason=CHANGE_REASON)
    report.count(model, created=False, changed=bool(changed))
    return obj


@transaction.atomic
def load_leicestershire() -> LoadReport:
    """Load (or bring up to date) every fact in DOMAIN.md. Safe to run any number of times."""
    report = LoadReport()
    county = _upsert(report, County, {"slug": COUNTY["slug"]}, {"name": COUNTY["name"], "ons_code": COUNTY["ons_code"]})

    districts = {}
    for name, slug, ons_code, population in DISTRICTS:
        status, _note = data.NEGOTIATION_STATUS_DEC_2010[slug]
        districts[slug] = _upsert(
            report,
            District,
            {"slug": slug},
            {
                "county": county,
                "name": name,
                "ons_code": ons_code,
                "population": population,
                "population_source": POPULATION_SOURCE,
                "negotiation_status": status,
            },
        )
    for slug, (status, note) in data.NEGOTIATION_STATUS_DEC_2010.items():
        _upsert(
            report,
            NegotiationNote,
            {"district": districts[slug], "noted_on": datetime.date(2010, 12, 6)},
            {"status": status, "note": f"Progress report on locality negotiations, 6 December 2010: {note}"},
        )

    funders = {
        code: _upsert(
            report, Funder, {"code": code, "county": county}, {"name": name, "kind": kind, "is_group": is_group}
        )
        for code, name, kind, is_group in FUNDERS
    }
    organisations = {
        code: _upsert(
            report,
            Organisation,
            {"code": code, "county": county},
            {"name": name, "kind": kind, "district": districts[slug] if slug else None},
        )
        for code, name, kind, slug in ORGANISATIONS
    }

    contract = _upsert(
        report,
        Contract,
        {"reference": CONTRACT_REFERENCE},
        {
            "title": CONTRACT_TITLE,
            "county": county,
            "commissioner": funders["LCC"],
            "provider": organisations["VAL"],
            "start_year": 2009,
            "end_year": 2011,
            "extension_years": 2,
        },
    )
    _upsert(
        report,
        ContractYear,
        {"contract": contract, "financial_year": YEAR_2010},
        {
            "stated_total": STATED_TOTAL_2010,
            "is_estimate": False,
            "source": "Review, section 2.5",
            "arrangement": Arrangement.SEPARATE,
            "arrangement_source": ARRANGEMENT_SOURCE_2010,
        },
    )
    _upsert(
        report,
        ContractYear,
        {"contract": contract, "financial_year": YEAR_2011},
        {
            "stated_total": ESTIMATE_2011,
            "is_estimate": True,
            "source": "Review, section 2.10 (a 14% decrease)",
            "arrangement": Arrangement.SINGLE_CIO,
            "arrangement_source": ARRANGEMENT_SOURCE_2011,
        },
    )
    for code, description, amount in CONTRIBUTIONS_2010:
        _upsert(
            report,
            Contribution,
            {
                "contract": contract,
                "funder": funders[code],
                "financial_year": YEAR_2010,
                "description": description,
            },
            {"amount": amount},
        )
    for organisation in organisations.values():
        if organisation.kind == Organisation.Kind.CIO:
            _upsert(
                report,
                Allocation,
                {"contract": contract, "organisation": organisation, "financial_year": YEAR_2010},
                {"amount": ALLOCATION_BY_KIND[organisation.kind]},
            )
            continue
        _load_separate_contract_2010(report, contract, organisation)
        subcontract = _upsert(
            report,
            SubContract,
            {"contract": contract, "provider": organisation},
            {"start_year": YEAR_2011, "end_year": 2011, "strands": SUBCONTRACT_STRANDS[organisation.kind]},
        )
        if not subcontract.districts.filter(pk=organisation.district_id).exists():
            subcontract.districts.add(organisation.district)
            report.count(SubContract, created=False, changed=True)

    outcomes = {
        item["number"]: _upsert(
            report,
            Outcome,
            {"number": item["number"]},
            {"strand": item["strand"], "priority": item["priority"], "wording": item["wording"]},
        )
        for item in data.OUTCOMES
    }

    indicators = {}
    for item in data.VAL_INDICATORS:
        indicators[item["code"]] = _upsert(
            report,
            Indicator,
            {"code": item["code"]},
            {
                "number": item["number"],
                "short_name": item["short_name"],
                "wording": item["wording"],
                "strand": item["strand"],
                "kind": item["kind"],
                "unit": item["unit"],
                "higher_is_better": item["higher_is_better"],
                "for_cio": True,
                "for_hub": False,
                "for_lrc": False,
                "by_district": False,
                "is_illustrative": False,
                "survey_based": item["code"] in data.SURVEY_INDICATORS,
                "note": item["note"],
            },
        )
    for number, item in enumerate(data.LOCAL_INDICATORS, start=1):
        indicators[item["code"]] = _upsert(
            report,
            Indicator,
            {"code": item["code"]},
            {
                "number": number,
                "short_name": item["short_name"],
                "wording": item["wording"],
                "strand": item["strand"],
                "kind": item["kind"],
                "unit": item["unit"],
                "higher_is_better": True,
                "for_cio": True,
                "for_hub": "hub" in item["applies_to"],
                "for_lrc": "lrc" in item["applies_to"],
                "by_district": True,
                "is_illustrative": item["illustrative"],
                "note": "Name illustrative: the review gives counts, not indicator names."
                if item["illustrative"]
                else "Named in the review, section 8.5.",
            },
        )
    for item in [*data.VAL_INDICATORS, *data.LOCAL_INDICATORS]:
        indicator = indicators[item["code"]]
        wanted = {outcomes[number].pk for number in item["outcomes"]}
        if set(indicator.outcomes.values_list("pk", flat=True)) != wanted:
            indicator.outcomes.set(wanted)
            report.count(Indicator, created=False, changed=True)

    # Targets: the figures the review gives, for the financial year they were set in.
    for item in data.VAL_INDICATORS:
        for label, figures in item["figures"].items():
            if figures.get("target") is None:
                continue
            year = Period.parse(label).financial_year
            _upsert(
                report,
                Target,
                {
                    "indicator": indicators[item["code"]],
                    "financial_year": year,
                    "quarter": None,
                    "provider": None,
                    "district": None,
                },
                {"value": figures["target"]},
            )
        if item["annual_target"] is not None:
            _upsert(
                report,
                Target,
                {
                    "indicator": indicators[item["code"]],
                    "financial_year": YEAR_2010,
                    "quarter": None,
                    "provider": None,
                    "district": None,
                },
                {"value": item["annual_target"]},
            )

    periods = {}
    for label, (opens_on, due_on, locked_on, status) in PERIODS.items():
        period = Period.parse(label)
        year, quarter = period.financial_year, period.quarter
        periods[label] = _upsert(
            report,
            ReportingPeriod,
            {"financial_year": year, "quarter": quarter},
            {"opens_on": opens_on, "due_on": due_on, "locked_on": locked_on, "status": status},
        )

    val = organisations["VAL"]
    for label in ("2009/10 Q3", "2010/11 Q2"):
        period = periods[label]
        return_obj = _signed_off_return(report, val, period)
        for item in data.VAL_INDICATORS:
            figures = item["figures"].get(label, {})
            _upsert(
                report,
                Result,
                {"return_obj": return_obj, "indicator": indicators[item["code"]], "district": None},
                {
                    "rag": item["rag"][label],
                    "actual": figures.get("actual"),
                    "target": figures.get("target"),
                    "narrative": HISTORIC_NARRATIVE,
                },
            )

    q2 = periods["2010/11 Q2"]
    for code, ratings in data.HUB_Q2_2010.items():
        return_obj = _signed_off_return(report, organisations[code], q2)
        for indicator_code, rag in ratings.items():
            not_reported = rag == "not_reported"
            _upsert(
                report,
                Result,
                {"return_obj": return_obj, "indicator": indicators[indicator_code], "district": None},
                {
                    "rag": rag,
                    "not_reported_reason": data.HUB_Q2_2010_NOT_REPORTED_REASON if not_reported else "",
                    "narrative": HISTORIC_NARRATIVE,
                },
            )

    # 2010/11 Q3 is open: a draft for every provider, one empty row per indicator it reports. The same
    # service LCC's "open period" uses creates them (idempotent: a second run creates nothing).
    q3 = periods["2010/11 Q3"]
    opened = period_open(financial_year=q3.financial_year, quarter=q3.quarter, due_on=q3.due_on, reason=CHANGE_REASON)
    if opened.returns_created:
        name = Return._meta.verbose_name_plural
        report.created[name] = report.created.get(name, 0) + len(opened.returns_created)
    if opened.results_created:
        name = Result._meta.verbose_name_plural
        report.created[name] = report.created.get(name, 0) + opened.results_created
    load_review_findings(report)
    load_plan_2007(report)
    load_working_agreements(report, districts)
    return report


def _load_separate_contract_2010(report: LoadReport, cio_contract: Contract, organisation: Organisation) -> None:
    """A hub's or LRC's own 2010/11 contract, paid from the funding pooled under VAL's contract, with its 2010/11
    allocation under it. An allocation an earlier load put under the CIO contract for 2010/11 is removed (with
    history): that money was paid under this contract, not the CIO's."""
    own = _upsert(
        report,
        Contract,
        {"reference": SEPARATE_CONTRACT_REFERENCE.format(code=organisation.code)},
        {
            "title": SEPARATE_CONTRACT_TITLE.format(name=organisation.name),
            "county": cio_contract.county,
            "commissioner": cio_contract.commissioner,
            "provider": organisation,
            "start_year": YEAR_2010,
            "end_year": YEAR_2010,
            "extension_years": 0,
            "paid_from_pool_of": cio_contract,
        },
    )
    _upsert(
        report,
        ContractYear,
        {"contract": own, "financial_year": YEAR_2010},
        {
            "stated_total": None,
            "is_estimate": False,
            "source": "Review, section 2.5",
            "arrangement": Arrangement.SEPARATE,
            "arrangement_source": ARRANGEMENT_SOURCE_2010,
        },
    )
    _upsert(
        report,
        Allocation,
        {"contract": own, "organisation": organisation, "financial_year": YEAR_2010},
        {"amount": ALLOCATION_BY_KIND[organisation.kind]},
    )
    for stale in Allocation.objects.filter(contract=cio_contract, organisation=organisation, financial_year=YEAR_2010):
        stale._change_reason = CHANGE_REASON
        stale.delete()
        report.count(Allocation, created=False, changed=True)


def _signed_off_return(report: LoadReport, organisation: Organisation, period: ReportingPeriod) -> Return:
    due = datetime.datetime.combine(period.due_on, datetime.time(12, 0), tzinfo=datetime.UTC)
    return _upsert(
        report,
        Return,
        {"provider": organisation, "period": period},
        {"status": Return.Status.SIGNED_OFF, "submitted_at": due, "accepted_at": due, "signed_off_at": due},
    )


def load_review_findings(report: LoadReport) -> None:
    """What the review says about its own figures (issue 16, items 3 and 4): which of VAL's indicators are not
    under its complete control, the eight amended for 2010/11, Table One's City and County ratings, the
    contradictions flagged (both sides kept) and Appendix One's funding principles. Runs after the indicators,
    periods and districts are loaded; idempotent like the rest."""
    indicators = {indicator.code: indicator for indicator in Indicator.objects.filter(for_cio=True, by_district=False)}
    by_number = {indicator.number: indicator for indicator in indicators.values() if indicator.code.startswith("VAL-")}
    for number, indicator in by_number.items():
        _upsert(
            report,
            Indicator,
            {"code": indicator.code},
            {"under_provider_control": number not in data.NOT_UNDER_VAL_COMPLETE_CONTROL},
        )
    for number, kind, what_changed in data.INDICATOR_AMENDMENTS_2010:
        _upsert(
            report,
            IndicatorAmendment,
            {"indicator": by_number[number], "financial_year": YEAR_2010},
            {"kind": kind, "what_changed": what_changed, "source": data.AMENDMENTS_SOURCE},
        )
    for code, label, area, rag in data.RATING_SPLITS:
        _upsert(
            report,
            RatingSplit,
            {"indicator": indicators[code], "period": ReportingPeriod.objects.by_label(label), "area": area},
            {"rag": rag, "source": data.RATING_SPLITS_SOURCE},
        )
    for item in data.CONTRADICTIONS:
        _upsert(
            report,
            SourceContradiction,
            {"code": item["code"]},
            {
                "title": item["title"],
                "indicator": indicators[item["indicator"]] if item["indicator"] else None,
                "period": ReportingPeriod.objects.by_label(item["period"]) if item["period"] else None,
                "district": District.objects.get(slug=item["district"]) if item["district"] else None,
                **{
                    name: item[name]
                    for name in (
                        "first_claim",
                        "first_source",
                        "first_amount",
                        "second_claim",
                        "second_source",
                        "second_amount",
                        "stated_figures",
                    )
                },
            },
        )
    for item in data.FUNDING_PRINCIPLES:
        _upsert(report, FundingPrinciple, {"code": item["code"]}, {k: v for k, v in item.items() if k != "code"})


def load_plan_2007(report: LoadReport) -> None:
    """The 2007 plan as the baseline (issue 16, item 5): its funding figures as a historical arrangement, and its
    three outcomes with their objectives against the 2011 framework's strands. Idempotent."""
    for code, label, amount, unit, approximate, compares_with, source in data.PLAN_2007_FIGURES:
        _upsert(
            report,
            PlanFigure,
            {"code": code},
            {
                "plan": data.PLAN_2007,
                "label": label,
                "amount": amount,
                "unit": unit,
                "is_approximate": approximate,
                "compares_with": compares_with,
                "source": source,
            },
        )
    for number, wording, objectives in data.PLAN_2007_OUTCOMES:
        outcome = _upsert(
            report,
            PlanOutcome,
            {"plan": data.PLAN_2007, "number": number},
            {"wording": wording, "source": data.PLAN_2007_OUTCOMES_SOURCE},
        )
        for objective_number, objective_wording, strand in objectives:
            _upsert(
                report,
                PlanObjective,
                {"outcome": outcome, "number": objective_number},
                {"wording": objective_wording, "strand": strand},
            )


def load_working_agreements(report: LoadReport, districts: dict[str, District]) -> None:
    """The structured 2011/12 negotiation of every district (deadline, each party's position as Appendix Five
    gives it, no outputs: the review records none) and the two locality agreements Appendix Five's part
    agreements describe, as unsigned drafts (issue 16, items 6 and 7)."""
    deadline = datetime.date(*data.NEGOTIATION_DEADLINE)
    for slug, positions in data.NEGOTIATION_POSITIONS.items():
        negotiation = _upsert(
            report,
            DistrictNegotiation,
            {"district": districts[slug], "financial_year": data.NEGOTIATION_YEAR},
            {"deadline": deadline},
        )
        for party, position in positions.items():
            _upsert(
                report,
                NegotiationPosition,
                {"negotiation": negotiation, "party": party},
                {"position": position, "source": data.NEGOTIATION_POSITION_SOURCE},
            )
    for slug, draft in data.LOCALITY_AGREEMENT_DRAFTS.items():
        agreement = LocalityAgreement.objects.filter(
            district=districts[slug], financial_year=data.NEGOTIATION_YEAR, number=1
        ).first()
        if agreement is not None and agreement.status != LocalityAgreement.Status.DRAFT:
            continue  # signed since: never rewrite an agreed version
        agreement = _upsert(
            report,
            LocalityAgreement,
            {"district": districts[slug], "financial_year": data.NEGOTIATION_YEAR, "number": 1},
            {"note": draft["note"], "source": data.LOCALITY_AGREEMENT_SOURCE},
        )
        for service in LocalityService.values:
            delivered_by, in_hub = draft["services"].get(service, ("", False))
            _upsert(
                report,
                LocalityAgreementService,
                {"agreement": agreement, "service": service},
                {"delivered_by": delivered_by, "val_staff_based_in_hub": in_hub},
            )
