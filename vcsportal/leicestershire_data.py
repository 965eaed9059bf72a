"""Real Leicestershire data, 2010/11, as plain Python (no Django imports).

Sources (in ``/work/shared``):

* ``DOMAIN.md``: the authoritative summary; every code, priority, kind of target, RAG rating, Table
  Three count and negotiation status below follows it exactly. Where it disagrees with the review, it wins
  and a comment says so.
* ``seeds/000_4c6264ef679baf11.txt``: *Review of Locality Based VCS Infrastructure Services in
  Leicestershire*, January 2011 ("the review"):

  - ``STRANDS`` and ``OUTCOMES``: Appendix Two (Appendix A of the 2009/10-2011/12 CIO contract), the 24
    outcomes, their strand headings, full wording and priority (priorities as listed in DOMAIN.md).
  - ``VAL_INDICATORS``: Appendix Eight. Wording from Table Two (Table One for #6), kind of target from
    Table Two's key (Q / NAR / X / ONE OFF), RAG trend Oct-Dec 2009 -> Jul-Sep 2010 from Table One
    (garbled for #18-#30 in the text; DOMAIN.md's table used), figures from Table Two's "Measurement
    quality" column, the only decline (#28) and the under-target note (#15) from section 8.2.
    Strands and outcome links are our reading, see the comment above ``VAL_INDICATORS``.
  - ``LOCAL_INDICATORS``: the review gives no names for the five hub / two LRC indicators (Table Three,
    section 8.4); names follow DOMAIN.md's "Codes" section. Only "number of volunteers referred to VAL
    for support" (LOC-3) is quoted in the review (section 8.5); the rest are marked illustrative.
  - ``HUB_Q2_2010`` / ``TABLE_THREE_COUNTS``: Appendix Eight, Table Three (2010/11 Q2 temperature check
    of the CHs and LRCs). Counts per organisation are exact; which indicator got which rating is
    illustrative. ``HUB_Q2_2010_NOT_REPORTED_REASON`` from section 8.2.
  - ``NEGOTIATION_STATUS_DEC_2010``: Appendix Five, progress report on locality negotiations,
    6 December 2010 (status per DOMAIN.md; note condensed from the Comment column). What the negotiations
    were expected to produce is Appendix Seven (funders' guidance, 16 November 2010), summarised in
    DOMAIN.md item 4; it holds no figures and is not transcribed here.

Periods are financial-year quarters written "2009/10 Q3" (Oct-Dec 2009) and "2010/11 Q2" (Jul-Sep 2010).
"""

from decimal import Decimal

STRANDS = {
    "coordination": "Co-ordination, Engagement and Representation",
    "capacity": "Capacity Building and Support to VCS",
    "volunteering": "Volunteering",
}

# Appendix Two. Wording is the outcome text without the trailing "(Priority)" marker. Outcomes 10 and 19
# run over two paragraphs in the source; they are joined with a full stop. Outcome 11 keeps its NOTE.
OUTCOMES = [
    # Co-ordination, Engagement and Representation
    {
        "number": 1,
        "strand": "coordination",
        "priority": "medium",
        "wording": "There are effective (two way) communication channels that enable a dialogue between the "
        "VCS and LTp.",
    },
    {
        "number": 2,
        "strand": "coordination",
        "priority": "medium",
        "wording": "The CIO enables diverse voluntary and community groups across Leicestershire to be "
        "involved in consultation on planning and developing policy as required by funding partners and "
        "partnerships.",
    },
    {
        "number": 3,
        "strand": "coordination",
        "priority": "high",
        "wording": "A fair, agreed and transparent system of supported, trained and effective VCS "
        "representation is established and co-ordinated in order to communicate the diverse 'voices' of "
        "VCS in multi-agency partnerships and provide an agreed (by VCS) representational mandate for the "
        "CIO.",
    },
    {
        "number": 4,
        "strand": "coordination",
        "priority": "high",
        "wording": "VCS representatives are facilitated and supported through training and development to "
        "effectively participate in a range of partnerships including Leicestershire Together, LAA theme "
        "partnerships and cross cutting partnerships.",
    },
    {
        "number": 5,
        "strand": "coordination",
        "priority": "medium",
        "wording": "An integrated database of frontline VCS groups by type of interest and service provided "
        "in the sub-region is established and maintained from which information will be available on "
        "request.",
    },
    {
        "number": 6,
        "strand": "coordination",
        "priority": "medium",
        "wording": "The value and work of the VCS and its potential positive impact on sustainable service "
        "delivery is effectively promoted with key stakeholders.",
    },
    {
        "number": 7,
        "strand": "coordination",
        "priority": "low",
        "wording": "Provide support for groups to develop and promote stronger communities and good "
        "relations across and between communities, particularly in relation to new communities.",
    },
    {
        "number": 8,
        "strand": "coordination",
        "priority": "medium",
        "wording": "The Leicestershire Compact and associated local compacts and their codes of good "
        "practice are implemented.",
    },
    {
        "number": 9,
        "strand": "coordination",
        "priority": "low",
        "wording": "There is flexibility in meeting the changing requirements from funding partners and "
        "emerging needs of the voluntary and community sector.",
    },
    # Capacity Building and Support to VCS
    {
        "number": 10,
        "strand": "capacity",
        "priority": "high",
        "wording": "Gaps in existing VCS service coverage in terms of areas of interest, community needs and "
        "locality are identified through work with local community hubs and communities. New services are "
        "developed to meet identified needs in partnership with local partners and Leicestershire Together.",
    },
    {
        "number": 11,
        "strand": "capacity",
        "priority": "high",
        "wording": "A wide range of support services including training are provided to new and existing "
        "groups to allow the voluntary and community sector to work more efficiently and effectively. "
        "(NOTE: Support services are such as: Human Resource advice; ICT support; governance advice; "
        "funding advice including income generation; business planning; commissioning and procurement "
        "including developing outcome focused approaches; leadership and management development; equality "
        "and diversity; changes in legislation, policy and practice; communications and marketing)",
    },
    {
        "number": 12,
        "strand": "capacity",
        "priority": "medium",
        "wording": "Voluntary and Community organisations receive support to help them to strengthen their "
        "internal policies and procedures.",
    },
    {
        "number": 13,
        "strand": "capacity",
        "priority": "high",
        "wording": "Support, professional advice and good practice guidance is provided on a range of "
        "specialist services to the diverse frontline VCS as required by funding partners.",
    },
    {
        "number": 14,
        "strand": "capacity",
        "priority": "low",
        "wording": "Diverse frontline VCS groups have access to consistent, quality and integrated services "
        "at times and in ways that suit them.",
    },
    {
        "number": 15,
        "strand": "capacity",
        "priority": "medium",
        "wording": "VCS groups that are delivering public services are supported to implement performance "
        "management systems, including the single performance system for the county where required.",
    },
    {
        "number": 16,
        "strand": "capacity",
        "priority": "medium",
        "wording": "VCS groups are informed about changes in legislation and policy that affect them, their "
        "volunteers and their service users.",
    },
    {
        "number": 17,
        "strand": "capacity",
        "priority": "medium",
        "wording": "VCS groups are supported to deliver their services effectively and efficiently to "
        "provide maximum impact.",
    },
    {
        "number": 18,
        "strand": "capacity",
        "priority": "high",
        "wording": "Where appropriate and cost effective, CIO services are delivered locally in partnership "
        "with community hubs and community groups.",
    },
    # Volunteering
    {
        "number": 19,
        "strand": "volunteering",
        "priority": "high",
        "wording": "People wanting to find out about volunteering and volunteer opportunities are able to "
        "access information and support in a variety of ways, including local face-to-face support and the "
        "use of new technologies. Detailed information about a diverse range of local volunteer "
        "opportunities is held, kept up to date and made widely available.",
    },
    {
        "number": 20,
        "strand": "volunteering",
        "priority": "medium",
        "wording": "Potential volunteers across all sectors including specialist sectors are provided with "
        "support, advice, guidance and learning to match their motivations to volunteer with appropriate "
        "volunteering opportunities.",
    },
    {
        "number": 21,
        "strand": "volunteering",
        "priority": "medium",
        "wording": "Interest in volunteering is stimulated through promoting positive messages to all "
        "sectors of the community about the diverse nature and benefits of volunteering.",
    },
    {
        "number": 22,
        "strand": "volunteering",
        "priority": "high",
        "wording": "Good practice in volunteer management is actively promoted to all organisations that "
        "involve volunteers through the provision of information, advice and support appropriate to the "
        "relevant work.",
    },
    {
        "number": 23,
        "strand": "volunteering",
        "priority": "medium",
        "wording": "The development of new volunteering opportunities will be stimulated and supported in "
        "response to community needs and the motivations and needs of volunteers themselves.",
    },
    {
        "number": 24,
        "strand": "volunteering",
        "priority": "medium",
        "wording": "Maintain awareness of local, regional and national government proposals and policies "
        "which may impact on volunteers. To provide appropriate information and training that impacts on "
        "volunteering organisations and volunteers.",
    },
]

# VAL's 30 indicators (Appendix Eight).
#
# Strand: Tables One and Two list the indicators without strand headings. The list follows the contract
# outcomes in order, so each indicator takes the strand of the outcome(s) it serves: #1-#13 serve
# outcomes 1-9 (communication, database, representation, Compact, promoting the VCS, cohesion) ->
# coordination; #14 ("gaps in VCS coverage ... identified") is outcome 10 almost word for word, so the
# capacity block starts there: #14-#23 -> capacity; #24-#30 concern volunteers -> volunteering.
# Outcomes: our best reading of the wording against Appendix Two; the review itself gives no mapping.
#
# Figures: Table Two quotes the latest (Jul-Sep 2010, 2010/11 Q2) temperature check; #10 also gives the
# Oct-Dec 2009 actual ("Target 50%, actual up from 27% to 42%"), the 50% target taken to apply to both.
# Each period holds "target" and "actual"; None where the source gives only one of them.
# "Target = majority" in the wording is not turned into a figure. RAG: County rating where Table One
# splits City and County (#13, #15, #23, #25).
#
# Kinds: Table Two's letters, as in DOMAIN.md (17 Q, 5 NAR, 5 X, 3 ONE_OFF). Section 8.4 of the review
# says 18 Q and 4 NAR; the review's own table disagrees by one, DOMAIN.md follows the table.
VAL_INDICATORS = [
    {
        "code": "VAL-01",
        "number": 1,
        "short_name": "single communication plan implemented",
        "wording": "Single communication plan implemented together with action plans that include support "
        "for specific communications needs identified by key partners.",
        "strand": "coordination",
        "outcomes": [1],
        "kind": "ONE_OFF",
        "unit": "count",
        "higher_is_better": True,
        "rag": {"2009/10 Q3": "amber", "2010/11 Q2": "green"},
        "figures": {},
        "annual_target": None,
        "note": "one-off event; could be dropped as now achieved (Table Two)",
    },
    {
        "code": "VAL-02",
        "number": 2,
        "short_name": "% groups well informed about strategies and partnerships",
        "wording": 'Percentage of VCS groups that say they are "well informed" or "very well informed about '
        "strategies, policies and partnerships. (Target = Majority)",
        "strand": "coordination",
        "outcomes": [1, 2],
        "kind": "Q",
        "unit": "percentage",
        "higher_is_better": True,
        "rag": {"2009/10 Q3": "amber", "2010/11 Q2": "green"},
        "figures": {"2010/11 Q2": {"target": Decimal("50"), "actual": Decimal("75")}},
        "annual_target": None,
        "note": "",
    },
    {
        "code": "VAL-03",
        "number": 3,
        "short_name": "integrated database of VCS organisations",
        "wording": "An integrated database of VCS organisations by area of interest and the service/s "
        "provided is established and maintained from which information will be available on line and on "
        "request.",
        "strand": "coordination",
        "outcomes": [5],
        "kind": "ONE_OFF",
        "unit": "count",
        "higher_is_better": True,
        "rag": {"2009/10 Q3": "green", "2010/11 Q2": "green"},
        "figures": {"2010/11 Q2": {"target": None, "actual": Decimal("3085")}},
        "annual_target": None,
        "note": "database of 3,085 organisations, analysed by area and key interest",
    },
    {
        "code": "VAL-04",
        "number": 4,
        "short_name": "database reflects diversity of population",
        "wording": "VAL database shows a diverse range of groups reflecting the population",
        "strand": "coordination",
        "outcomes": [5],
        "kind": "NAR",
        "unit": "count",
        "higher_is_better": True,
        "rag": {"2009/10 Q3": "amber", "2010/11 Q2": "green"},
        "figures": {},
        "annual_target": None,
        "note": "database does not classify by BME; cannot be measured by database",
    },
    {
        "code": "VAL-05",
        "number": 5,
        "short_name": "diverse VCS reps active in partnerships",
        "wording": "Diverse VCS representatives are actively involved in Partnership activities particularly "
        "in delivering LAA, MAA, Sustainable Community Strategy outcomes and priorities. (Membership of "
        "theme partnerships / working groups)",
        "strand": "coordination",
        "outcomes": [3, 4],
        "kind": "X",
        "unit": "count",
        "higher_is_better": True,
        "rag": {"2009/10 Q3": "amber", "2010/11 Q2": "green"},
        "figures": {},
        "annual_target": None,
        "note": "",
    },
    {
        "code": "VAL-06",
        "number": 6,
        "short_name": "increase in groups signed up to the Compacts",
        "wording": "Increase in VCS groups signed up to the Compacts",
        "strand": "coordination",
        "outcomes": [8],
        "kind": "X",
        "unit": "count",
        "higher_is_better": True,
        "rag": {"2009/10 Q3": "red", "2010/11 Q2": "green"},
        "figures": {},
        "annual_target": None,
        "note": "new Compact being signed off; not measured",
    },
    {
        "code": "VAL-07",
        "number": 7,
        "short_name": "% groups and agencies saying Compact improved relations",
        "wording": "Percentage of VCS groups and public agencies that think the Compact has improved "
        "relations between them. (Target = majority)",
        "strand": "coordination",
        "outcomes": [8],
        "kind": "Q",
        "unit": "percentage",
        "higher_is_better": True,
        "rag": {"2009/10 Q3": "red", "2010/11 Q2": "amber"},
        "figures": {},
        "annual_target": None,
        "note": "no target set; not measured (Table Two)",
    },
    {
        "code": "VAL-08",
        "number": 8,
        "short_name": "open methods used to select VCS representatives",
        "wording": "There is evidence of open methods used to select / elect VCS representatives",
        "strand": "coordination",
        "outcomes": [3],
        "kind": "NAR",
        "unit": "count",
        "higher_is_better": True,
        "rag": {"2009/10 Q3": "amber", "2010/11 Q2": "green"},
        "figures": {},
        "annual_target": None,
        "note": "",
    },
    {
        "code": "VAL-09",
        "number": 9,
        "short_name": "% reps who feel able to represent the sector",
        "wording": "Percentage of VCS representatives that feel they are able to effectively represent the sector.",
        "strand": "coordination",
        "outcomes": [3, 4],
        "kind": "Q",
        "unit": "percentage",
        "higher_is_better": True,
        "rag": {"2009/10 Q3": "amber", "2010/11 Q2": "green"},
        "figures": {"2010/11 Q2": {"target": Decimal("50"), "actual": Decimal("84")}},
        "annual_target": None,
        "note": "",
    },
    {
        "code": "VAL-10",
        "number": 10,
        "short_name": "% partners who feel reps represented the sector",
        "wording": "Percentage of partners and VCS groups that feel VCS representatives have effectively "
        "represented the sector.",
        "strand": "coordination",
        "outcomes": [3],
        "kind": "Q",
        "unit": "percentage",
        "higher_is_better": True,
        "rag": {"2009/10 Q3": "red", "2010/11 Q2": "amber"},
        "figures": {
            "2009/10 Q3": {"target": Decimal("50"), "actual": Decimal("27")},
            "2010/11 Q2": {"target": Decimal("50"), "actual": Decimal("42")},
        },
        "annual_target": None,
        "note": "solid improvement, still under target",
    },
    {
        "code": "VAL-11",
        "number": 11,
        "short_name": "NHS social marketing strategy implemented",
        "wording": "NHS Leicestershire County and Rutland social marketing strategy is successfully "
        "implemented within the relevant VCS day to day activities",
        "strand": "coordination",
        "outcomes": [9],
        "kind": "X",
        "unit": "count",
        "higher_is_better": True,
        "rag": {"2009/10 Q3": "red", "2010/11 Q2": "green"},
        "figures": {},
        "annual_target": None,
        "note": "no indicator defined; not measured",
    },
    {
        "code": "VAL-12",
        "number": 12,
        "short_name": "% commissioners understanding VCS potential",
        "wording": "Percentage of public sector commissioners and other relevant staff that have an "
        "excellent or good understanding of the potential of VCS to deliver services",
        "strand": "coordination",
        "outcomes": [6],
        "kind": "Q",
        "unit": "percentage",
        "higher_is_better": True,
        "rag": {"2009/10 Q3": "amber", "2010/11 Q2": "green"},
        "figures": {"2010/11 Q2": {"target": Decimal("90"), "actual": Decimal("100")}},
        "annual_target": None,
        "note": "",
    },
    {
        "code": "VAL-13",
        "number": 13,
        "short_name": "contribution to cohesive, stronger communities",
        "wording": "Evidence of contribution to creating more cohesive and stronger communities.",
        "strand": "coordination",
        "outcomes": [7],
        "kind": "X",
        "unit": "count",
        "higher_is_better": True,
        "rag": {"2009/10 Q3": "green", "2010/11 Q2": "green"},
        "figures": {},
        "annual_target": None,
        "note": "2009/10 Q3 rating is the County one (Table One)",
    },
    {
        "code": "VAL-14",
        "number": 14,
        "short_name": "gaps in VCS coverage identified annually",
        "wording": "Gaps in VCS coverage by area of interest and community of interest are identified "
        "annually and prioritised for action. An analysis of gaps and plan for development included in "
        "annual plan.",
        "strand": "capacity",
        "outcomes": [10],
        "kind": "X",
        "unit": "count",
        "higher_is_better": True,
        "rag": {"2009/10 Q3": "green", "2010/11 Q2": "green"},
        "figures": {},
        "annual_target": None,
        "note": "gaps being identified; no evidence of work to close them as yet",
    },
    {
        "code": "VAL-15",
        "number": 15,
        "short_name": "funding diverse groups were supported to raise (£)",
        "wording": "Amount of funding that diverse groups across Leicester and Leicestershire have been "
        "supported to raise",
        "strand": "capacity",
        "outcomes": [11],
        "kind": "Q",
        "unit": "money",
        "higher_is_better": True,
        # Table One: "Green (city) Amber (county) to green".
        "rag": {"2009/10 Q3": "amber", "2010/11 Q2": "green"},
        "figures": {},
        "annual_target": None,
        "note": "appears under target (Table Two); target for period not clear",
    },
    {
        "code": "VAL-16",
        "number": 16,
        "short_name": "work to increase value of VCS delivery contracts",
        "wording": "Evidence of work to increase the value of service delivery contracts through the local VCS",
        "strand": "capacity",
        "outcomes": [11],
        "kind": "NAR",
        "unit": "count",
        "higher_is_better": True,
        "rag": {"2009/10 Q3": "amber", "2010/11 Q2": "green"},
        "figures": {},
        "annual_target": None,
        "note": "changed for 2010/11 from a measurable target to process",
    },
    {
        "code": "VAL-17",
        "number": 17,
        "short_name": "take-up of VAL support by diverse groups",
        "wording": "Evidence of take up of types of VAL support, including one-to-one consultancy, training "
        "and workshops accessed by diverse groups.",
        "strand": "capacity",
        "outcomes": [11, 14],
        "kind": "Q",
        "unit": "count",
        "higher_is_better": True,
        "rag": {"2009/10 Q3": "green", "2010/11 Q2": "green"},
        "figures": {},
        "annual_target": None,
        "note": "not clear what performance target set",
    },
    {
        "code": "VAL-18",
        "number": 18,
        "short_name": "work to increase groups with plans",
        "wording": "Evidence of work with the VCS and public agencies to increase the number of groups that "
        "have plans (project, business or strategic)",
        "strand": "capacity",
        "outcomes": [11, 12],
        "kind": "NAR",
        "unit": "count",
        "higher_is_better": True,
        "rag": {"2009/10 Q3": "amber", "2010/11 Q2": "green"},
        "figures": {},
        "annual_target": None,
        "note": "changed for 2010/11 from a measurable target to process",
    },
    {
        "code": "VAL-19",
        "number": 19,
        "short_name": "% groups advised/trained reporting more capacity",
        "wording": "Percentage of VCS groups receiving advice or training report that they have increased "
        "their capacity to run their groups or services more effectively. (Contract Target = majority)",
        "strand": "capacity",
        "outcomes": [11, 17],
        "kind": "Q",
        "unit": "percentage",
        "higher_is_better": True,
        "rag": {"2009/10 Q3": "amber", "2010/11 Q2": "green"},
        "figures": {},
        "annual_target": None,
        "note": "",
    },
    {
        "code": "VAL-20",
        "number": 20,
        "short_name": "% groups finding services easy to access",
        "wording": "Percentage of groups found services easy / very easy to access services (broken down by "
        "type of group).",
        "strand": "capacity",
        "outcomes": [14],
        "kind": "Q",
        "unit": "percentage",
        "higher_is_better": True,
        "rag": {"2009/10 Q3": "green", "2010/11 Q2": "green"},
        "figures": {},
        "annual_target": None,
        "note": "",
    },
    {
        "code": "VAL-21",
        "number": 21,
        "short_name": "work to increase groups with performance systems",
        "wording": "Evidence of work with the VCS and public agencies to increase the number of groups that "
        "have performance management systems",
        "strand": "capacity",
        "outcomes": [15],
        "kind": "NAR",
        "unit": "count",
        "higher_is_better": True,
        "rag": {"2009/10 Q3": "amber", "2010/11 Q2": "green"},
        "figures": {},
        "annual_target": None,
        "note": "changed for 2010/11 from a measurable target to process",
    },
    {
        "code": "VAL-22",
        "number": 22,
        "short_name": "% commissioners/funders satisfied with capacity building",
        "wording": "Percentage of key local commissioners and funders of VCS groups are satisfied with "
        "capacity building services provided .(Contract Target = majority",
        "strand": "capacity",
        "outcomes": [13],
        "kind": "Q",
        "unit": "percentage",
        "higher_is_better": True,
        "rag": {"2009/10 Q3": "green", "2010/11 Q2": "green"},
        "figures": {},
        "annual_target": None,
        "note": "",
    },
    {
        "code": "VAL-23",
        "number": 23,
        "short_name": "% local groups well informed of district developments",
        "wording": "Percentage of local groups that are well informed or very well informed about District "
        "developments (Contract Target = majority)",
        "strand": "capacity",
        "outcomes": [16, 18],
        "kind": "Q",
        "unit": "percentage",
        "higher_is_better": True,
        "rag": {"2009/10 Q3": "amber", "2010/11 Q2": "green"},
        "figures": {},
        "annual_target": None,
        "note": "2009/10 Q3 rating is the County one (Table One)",
    },
    {
        "code": "VAL-24",
        "number": 24,
        "short_name": "% volunteers finding services easy to access",
        "wording": "Percentage of volunteers that find it easy or very easy to access services (broken down "
        "by location). (Contract Target = majority)",
        "strand": "volunteering",
        "outcomes": [19],
        "kind": "Q",
        "unit": "percentage",
        "higher_is_better": True,
        "rag": {"2009/10 Q3": "green", "2010/11 Q2": "green"},
        "figures": {},
        "annual_target": None,
        "note": "",
    },
    {
        "code": "VAL-25",
        "number": 25,
        "short_name": "number of volunteer enquiries",
        "wording": "Number of volunteer enquiries (Annual Target -3,327)",
        "strand": "volunteering",
        "outcomes": [19],
        "kind": "Q",
        "unit": "count",
        "higher_is_better": True,
        # Table One: "Green (City) Amber (County) to Green".
        "rag": {"2009/10 Q3": "amber", "2010/11 Q2": "green"},
        "figures": {},
        "annual_target": Decimal("3327"),
        "note": "clarify split between City and County (Table Two)",
    },
    {
        "code": "VAL-26",
        "number": 26,
        "short_name": "% volunteers taking up opportunities",
        "wording": "Percentage of volunteers that take up volunteering opportunities.",
        "strand": "volunteering",
        "outcomes": [20],
        "kind": "Q",
        "unit": "percentage",
        "higher_is_better": True,
        "rag": {"2009/10 Q3": "red", "2010/11 Q2": "green"},
        "figures": {},
        "annual_target": None,
        "note": "",
    },
    {
        "code": "VAL-27",
        "number": 27,
        "short_name": "% volunteers happy with placement",
        "wording": "Percentage of volunteers that are happy or very happy with their placement.",
        "strand": "volunteering",
        "outcomes": [20],
        "kind": "Q",
        "unit": "percentage",
        "higher_is_better": True,
        "rag": {"2009/10 Q3": "amber", "2010/11 Q2": "green"},
        "figures": {},
        "annual_target": None,
        "note": "",
    },
    {
        "code": "VAL-28",
        "number": 28,
        "short_name": "% volunteer-involving groups confident to recruit",
        "wording": "Percentage of volunteer involving groups that are confident or very confident in their "
        "ability to recruit and manage volunteers. (Contract Target = majority)",
        "strand": "volunteering",
        "outcomes": [22],
        "kind": "Q",
        "unit": "percentage",
        "higher_is_better": True,
        "rag": {"2009/10 Q3": "green", "2010/11 Q2": "amber"},
        "figures": {},
        "annual_target": None,
        "note": "the only decline, probably because VAL's annual survey results are awaited (section 8.2)",
    },
    {
        "code": "VAL-29",
        "number": 29,
        "short_name": "Leicester and Leicestershire volunteering strategy by March 2011",
        "wording": "Development of a Leicester and Leicestershire volunteering strategy by March 2011.",
        "strand": "volunteering",
        "outcomes": [21, 23],
        "kind": "ONE_OFF",
        "unit": "count",
        "higher_is_better": True,
        "rag": {"2009/10 Q3": "green", "2010/11 Q2": "green"},
        "figures": {},
        "annual_target": None,
        "note": "achieved",
    },
    {
        "code": "VAL-30",
        "number": 30,
        "short_name": "volunteer opportunities developed annually",
        "wording": "Volunteer opportunities developed annually.",
        "strand": "volunteering",
        "outcomes": [23],
        "kind": "Q",
        "unit": "count",
        "higher_is_better": True,
        "rag": {"2009/10 Q3": "green", "2010/11 Q2": "green"},
        "figures": {},
        "annual_target": None,
        "note": "",
    },
]

# Local indicators reported by the Community Hubs (all five) and LRCs (LOC-1, LOC-2). The review says
# only that CHs rate five and LRCs two, all using the same indicators (Table Three, section 8.4); the hub
# reporting format (May 2010) covers "Volunteering and Group Support". Names per DOMAIN.md. LOC-3 is the
# one name the review quotes from the hubs' reports (section 8.5), so it is not marked illustrative.
#: The survey-based indicators whose results record a sample size and breakdowns (Appendix Eight, Table Two:
#: #20 "broken down by type of group", #24 "broken down by location").
SURVEY_INDICATORS = {"VAL-20": "broken down by type of group", "VAL-24": "broken down by location"}

LOCAL_INDICATORS = [
    {
        "code": "LOC-1",
        "short_name": "volunteer enquiries",
        "wording": "Number of volunteer enquiries received in the locality",
        "strand": "volunteering",
        "kind": "Q",
        "unit": "count",
        "applies_to": ["hub", "lrc"],
        "illustrative": True,
        "outcomes": [19],
    },
    {
        "code": "LOC-2",
        "short_name": "volunteers placed",
        "wording": "Number of volunteers placed in volunteering opportunities",
        "strand": "volunteering",
        "kind": "Q",
        "unit": "count",
        "applies_to": ["hub", "lrc"],
        "illustrative": True,
        "outcomes": [20],
    },
    {
        "code": "LOC-3",
        "short_name": "volunteers referred to VAL for support",
        "wording": "Number of volunteers referred to VAL for support",
        "strand": "volunteering",
        "kind": "Q",
        "unit": "count",
        "applies_to": ["hub"],
        "illustrative": False,
        "outcomes": [19, 20],
    },
    {
        "code": "LOC-4",
        "short_name": "groups given one-to-one support",
        "wording": "Number of groups given one-to-one support",
        "strand": "capacity",
        "kind": "Q",
        "unit": "count",
        "applies_to": ["hub"],
        "illustrative": True,
        "outcomes": [11, 17],
    },
    {
        "code": "LOC-5",
        "short_name": "new groups supported to start up",
        "wording": "Number of new groups supported to start up",
        "strand": "capacity",
        "kind": "Q",
        "unit": "count",
        "applies_to": ["hub"],
        "illustrative": True,
        "outcomes": [10, 11],
    },
]

# Appendix Eight, Table Three: 2010/11 Q2 temperature check, counts per organisation (exact).
TABLE_THREE_COUNTS = {
    "CDLRC": {"red": 0, "amber": 0, "green": 0, "not_reported": 2},
    "LUTLRC": {"red": 0, "amber": 0, "green": 2, "not_reported": 0},
    "SYSLRC": {"red": 0, "amber": 0, "green": 2, "not_reported": 0},
    "VASL": {"red": 0, "amber": 0, "green": 5, "not_reported": 0},
    "CABD": {"red": 0, "amber": 0, "green": 5, "not_reported": 0},
    "MRCCA": {"red": 0, "amber": 1, "green": 4, "not_reported": 0},
    "OWCA": {"red": 0, "amber": 0, "green": 2, "not_reported": 3},
    "VAC": {"red": 0, "amber": 0, "green": 2, "not_reported": 3},
    "VAHB": {"red": 0, "amber": 0, "green": 2, "not_reported": 3},
    "VAM": {"red": 0, "amber": 1, "green": 2, "not_reported": 2},
}

# The per-organisation counts are exactly Table Three; the per-INDICATOR assignment is ILLUSTRATIVE (the
# review gives no indicator names). Rule, applied deterministically: walk LOC-1..LOC-n and hand out the
# organisation's ratings in the order red, amber, green, not reported. So an amber lands on LOC-1 (MRCCA,
# VAM) and the not-reported ones on the last indicators (LOC-3..LOC-5 for a hub with three).
HUB_Q2_2010 = {
    "CDLRC": {"LOC-1": "not_reported", "LOC-2": "not_reported"},
    "LUTLRC": {"LOC-1": "green", "LOC-2": "green"},
    "SYSLRC": {"LOC-1": "green", "LOC-2": "green"},
    "VASL": {"LOC-1": "green", "LOC-2": "green", "LOC-3": "green", "LOC-4": "green", "LOC-5": "green"},
    "CABD": {"LOC-1": "green", "LOC-2": "green", "LOC-3": "green", "LOC-4": "green", "LOC-5": "green"},
    "MRCCA": {"LOC-1": "amber", "LOC-2": "green", "LOC-3": "green", "LOC-4": "green", "LOC-5": "green"},
    "OWCA": {
        "LOC-1": "green",
        "LOC-2": "green",
        "LOC-3": "not_reported",
        "LOC-4": "not_reported",
        "LOC-5": "not_reported",
    },
    "VAC": {
        "LOC-1": "green",
        "LOC-2": "green",
        "LOC-3": "not_reported",
        "LOC-4": "not_reported",
        "LOC-5": "not_reported",
    },
    "VAHB": {
        "LOC-1": "green",
        "LOC-2": "green",
        "LOC-3": "not_reported",
        "LOC-4": "not_reported",
        "LOC-5": "not_reported",
    },
    "VAM": {
        "LOC-1": "amber",
        "LOC-2": "green",
        "LOC-3": "green",
        "LOC-4": "not_reported",
        "LOC-5": "not_reported",
    },
}

# Section 8.2: "For most of those not reported, either targets had not been set or they were marked not
# applicable. Not reported does not imply poor performance."
HUB_Q2_2010_NOT_REPORTED_REASON = "no_target"

# Appendix Five, progress report on locality negotiations, 6 December 2010. Status as in DOMAIN.md (the
# source's Status column agrees); the note condenses the source's Comment column.
NEGOTIATION_STATUS_DEC_2010 = {
    "blaby": (
        "not_agreed",
        "It was not possible to meet Blaby District Council in the time allowed (bad weather); CABD wants "
        "VAL's staff based at the Hub, while VAL wants all support funding in a single CIO contract.",
    ),
    "charnwood": (
        "not_agreed",
        "The Hub proposes a population-based formula raising its funding to £120,000 p.a. with all cuts "
        "taken from VAL central support, while VAL considers the entire savings should come from the Hub.",
    ),
    "harborough": (
        "part_agreed",
        "VAL and the Hub differed on where the cuts should fall; the Hub finally suggested 3 years' "
        "transition funding at £57,000 p.a. with VAL then taking on support services directly.",
    ),
    "hinckley-and-bosworth": (
        "part_agreed",
        "Subject to confirmation by the District and other funders, VAL will deliver support services and "
        "the entire cut comes from the Hub element, the rest funding the Hub's transition in 2011-12.",
    ),
    "melton": (
        "part_agreed",
        "The Hub would become a social enterprise working alongside VAL staff and needs transition funding; "
        "further discussion is required on the distribution of any cuts and transition periods.",
    ),
    "north-west-leicestershire": (
        "not_agreed",
        "The Hub proposes an equal 14% cut for all parties, VAL wants the entire savings from the Hub "
        "funding, and the District felt VAL's proposal would not be acceptable politically.",
    ),
    "oadby-and-wigston": (
        "not_agreed",
        "The Hub is open to working with VAL and suggests VAL staff be seconded to it; the District Council "
        "was unable to attend the meeting.",
    ),
}


# --- what the review says about its own figures (issue 16, items 3 and 4) ----------------------------------

# Table One, column "Amendments for 2010/2011": the indicators marked "Not under VAL complete control".
NOT_UNDER_VAL_COMPLETE_CONTROL = [1, 7, 8, 11, 12, 16]

# Section 8.4: "There were 8 changes to the 30 indicators. Of these, three changes (16, 18 and 21) moved away from
# measurable targets to being more process focused. Another three (1, 4 and 14) were simplifications in wording.
# The final two (12 and 29) updated or made targets sharper." What changed is Table One's wording for each.
AMENDMENTS_SOURCE = "Review, section 8.4 and Appendix Eight, Table One"
INDICATOR_AMENDMENTS_2010 = [
    # number, kind (8.4), what changed (Table One)
    (1, "wording", "Wording change (simplification)"),
    (4, "wording", "Possible change / not implemented"),
    (12, "target", 'Change from "agencies" to "commissioners and other relevant staff"'),
    (14, "wording", "Wording change (simplification)"),
    (16, "process", 'Indicator change (from "increase in the value of" to "evidence of work to")'),
    (18, "process", 'Indicator change (from "percentage of" to "evidence of work with")'),
    (21, "process", 'Indicator change (from "percentage of" to "evidence of work with")'),
    (29, "target", 'Wording to be changed (from "development of" to "implementation of")'),
]

# Table One splits some Oct-Dec 2009 ratings between the City and the County (the returns hold the County one).
RATING_SPLITS_SOURCE = "Review, Appendix Eight, Table One"
RATING_SPLITS = [
    # indicator, period, area, rating
    ("VAL-13", "2009/10 Q3", "County", "green"),
    ("VAL-15", "2009/10 Q3", "City", "green"),
    ("VAL-15", "2009/10 Q3", "County", "amber"),
    ("VAL-23", "2009/10 Q3", "County", "amber"),
    ("VAL-25", "2009/10 Q3", "City", "green"),
    ("VAL-25", "2009/10 Q3", "County", "amber"),
]

# Where the review disagrees with itself: flagged, both sides kept.
CONTRADICTIONS = [
    {
        "code": "val-15-green-but-short-of-target",
        "title": "VAL-15 is rated green, but the review says it appears short of target",
        "indicator": "VAL-15",
        "period": "2010/11 Q2",
        "district": None,
        "first_claim": 'Rated green in the July-September 2010 temperature check (Table One: "Green (city) Amber '
        '(county) to green").',
        "first_source": "Review, Appendix Eight, Table One",
        "first_amount": None,
        "second_claim": '"Performance against one indicator (number 15, amount of funding that diverse groups have '
        'been supported to raise) appears to be short of target." Table Two: "Target for period not clear. '
        'Appears underachieved."',
        "second_source": "Review, section 8.2 and Appendix Eight, Table Two",
        "second_amount": None,
        "stated_figures": {},
    },
    {
        "code": "indicator-kinds-table-two-against-the-text",
        "title": "The kinds of target: Table Two's letters against the text's count",
        "indicator": None,
        "period": None,
        "district": None,
        "first_claim": "Table Two marks each of the 30 indicators Q, NAR, X or ONE OFF; the portal counts them from "
        "the indicators as loaded.",
        "first_source": "Review, Appendix Eight, Table Two",
        "first_amount": None,
        "second_claim": '"Of the 30 indicators in the VAL PMF, 18 have a quantitative target, in three the target is '
        'to achieve a one-off event, four have narrative type targets and five have no targets."',
        "second_source": "Review, section 8.4",
        "second_amount": None,
        "stated_figures": {"Q": 18, "ONE_OFF": 3, "NAR": 4, "X": 5},
    },
    {
        "code": "harborough-hub-offer",
        "title": "Harborough's offer: £68k for three years, or £57,000 a year of transition funding",
        "indicator": None,
        "period": None,
        "district": "harborough",
        "first_claim": '"The CH did suggest that if the payment to the CH at the existing rate of £68k was made for '
        "three years in line with the possible extension of VAL contract, it would be followed by a new model of "
        'infrastructure delivery that would be tendered."',
        "first_source": "Review, section 6.3",
        "first_amount": Decimal("68000.00"),
        "second_claim": '"At the very end of the meeting the Hub suggested they would be happy with 3 years '
        'transition funding at £57,000 pa - with VAL then taking on support services directly."',
        "second_source": "Review, Appendix Five (progress report on locality negotiations, 6 December 2010)",
        "second_amount": Decimal("57000.00"),
        "stated_figures": {},
    },
]

# Appendix One (Appendix A of the review's terms of reference): the principles agreed for the Community Hubs.
FUNDING_PRINCIPLES = [
    {
        "code": "core-funding-per-voluntary-action",
        "organisation_kind": "hub",
        "amount_per_year": Decimal("70000.00"),
        "wording": "The Leader of the County Council has extended this funding to an additional £70,000 core "
        "funding p.a. for the Community Voluntary Actions.",
        "source": "Review, Appendix One (principles for Community Hubs)",
    },
    {
        "code": "core-funding-per-volunteer-centre",
        "organisation_kind": "lrc",
        "amount_per_year": Decimal("10000.00"),
        "wording": "... with £10,000 core funding p.a. for the independent Volunteer Centres on an ongoing basis.",
        "source": "Review, Appendix One (principles for Community Hubs)",
    },
]


# --- the 2007 plan as the baseline (issue 16, item 5) ----------------------------------------------------------
# seeds/001_1e1b197ef05db538.txt: "VCS Infrastructure Support Draft Strategic and Delivery Plan 2008-2014".

PLAN_2007 = "2007 draft strategic and delivery plan, 2008-2014"
PLAN_2007_FIGURES = [
    # code, label, amount, unit, approximate, compares with, source
    (
        "sustainable-funding",
        "Ongoing sustainable funding each delivery model is based on (County Council, PCT, some District Council)",
        Decimal("1100000.00"),
        "money",
        True,
        "pooled_total",
        "2007 plan, Analysis of the models: Assumptions",
    ),
    (
        "district-councils-funding",
        "Total District Council funding (some of it for direct services rather than infrastructure)",
        Decimal("173000.00"),
        "money",
        True,
        "district_councils",
        "2007 plan, Assumptions, footnote 6",
    ),
    (
        "hub-and-spoke-per-district",
        "Hub and spoke model: local provision per district (a third of a Chief Officer's salary and costs)",
        Decimal("82000.00"),
        "money",
        True,
        "per_district_local",
        "2007 plan, Hub and spoke model",
    ),
    (
        "on-cost-equipment",
        "Equipment costs added to salaries",
        Decimal("1"),
        "percentage",
        False,
        "",
        "2007 plan, Assumptions",
    ),
    (
        "on-cost-direct",
        "Direct costs added to salaries",
        Decimal("15"),
        "percentage",
        False,
        "",
        "2007 plan, Assumptions",
    ),
    (
        "on-cost-accommodation",
        "Accommodation added to salaries",
        Decimal("5"),
        "percentage",
        False,
        "",
        "2007 plan, Assumptions",
    ),
]

# The three outcomes and their objectives ("We will do this by"), wording as in the plan (1.5's list of areas
# left out). Strand: the 2011 framework's strand each objective serves, our reading; "" where it serves none of
# the three (the infrastructure's own leadership, planning and value for money, outcome 3).
PLAN_2007_OUTCOMES_SOURCE = "2007 plan, Outcomes and objectives for 2008-14"
PLAN_2007_OUTCOMES = [
    (
        1,
        "Frontline voluntary and community sector organisations will be operating more efficiently and effectively, "
        "improving their capacity, quality and reach to improve their impact on individuals and communities.",
        [
            (
                "1.1",
                "Creating a seamless service for the city and the county so that all groups are able to access "
                "information, signposting and support simply and at a time and in a way that suits them "
                "following their first contact.",
                "capacity",
            ),
            (
                "1.2",
                "Establishing a seamless service for potential volunteers for the city and county so that they can "
                "access information about opportunities.",
                "volunteering",
            ),
            (
                "1.3",
                "Providing access to facilities and start up and capacity building advice to small groups, for "
                "example around governance, business planning, small grants, volunteer management and developing "
                "volunteering opportunities through a range of mechanisms.",
                "capacity",
            ),
            (
                "1.4",
                "Where face-to-face support is needed for groups or for volunteers, including individual "
                "consultancy or interviews, training or workshops, or access to written information, we will develop a "
                "network of outreach locations.",
                "capacity",
            ),
            (
                "1.5",
                "Providing more in-depth support coordinated sub-regionally for larger and developing "
                "organisations including consultancy and training support to local infrastructure support workers.",
                "capacity",
            ),
        ],
    ),
    (
        2,
        "By 2014 frontline voluntary and community sector organisations' and groups' voices will be heard by all "
        "appropriate strategic bodies and partnerships and will be actively influencing and shaping future "
        "strategies, policies and practices.",
        [
            (
                "2.1",
                "Coordinating voluntary and community sector networks and forums to inform research, "
                "policymaking and representation.",
                "coordination",
            ),
            (
                "2.2",
                "Ensuring that the voluntary and community sector is able to directly influence policy "
                "development at all local authority and public agency levels.",
                "coordination",
            ),
            (
                "2.3",
                "Coordinating consortia where there is a need for joint planning or delivery of services.",
                "coordination",
            ),
            ("2.4", "Undertaking and commissioning research and policy analysis.", "coordination"),
            (
                "2.5",
                "Supporting voluntary and community sector representatives at multi-agency partnerships.",
                "coordination",
            ),
            (
                "2.6",
                "Analysing intelligence gained from monitoring, user needs, forums and networks to take a "
                "pro-active approach to policy development and representation.",
                "coordination",
            ),
            ("2.7", "Providing technical support in specialist areas to meet identified needs.", "capacity"),
        ],
    ),
    (
        3,
        "By 2014 voluntary and community sector infrastructure support services will be planning and delivering "
        "effective and value for money services based on information about performance and users' needs.",
        [
            (
                "3.1",
                "Ensuring that there is clear leadership, accountability and strategic planning of "
                "infrastructure services.",
                "",
            ),
            (
                "3.2",
                "Undertaking targeted pieces of work with groups that are disadvantaged and/or under-represented "
                "amongst infrastructure service users.",
                "capacity",
            ),
            ("3.3", "Targeting support to where it is most needed.", ""),
            (
                "3.4",
                "Ensuring that groups can access consistent services from a range of locations that cross city, "
                "county and district boundaries.",
                "capacity",
            ),
            ("3.5", "Ensuring that there is no unnecessary duplication of work.", ""),
            (
                "3.6",
                "Collecting monitoring and user needs information to allow more sophisticated planning and "
                "targeting of services.",
                "",
            ),
            (
                "3.7",
                "Developing and implementing performance management systems to assure the quality of our work.",
                "",
            ),
            (
                "3.8",
                "Implementing a workforce development strategy to improve the knowledge and skills of our "
                "workers, including paid staff and volunteers.",
                "",
            ),
            ("3.9", "Prioritising work and refocusing resources if necessary to meet changing demands.", ""),
            (
                "3.10",
                "Developing a marketing strategy to promote the impact of the voluntary and community sector and "
                "infrastructure support services.",
                "coordination",
            ),
            ("3.11", "Generating income for infrastructure services by offering training and consultancy.", ""),
            ("3.12", "Ensuring value for money.", ""),
        ],
    ),
]


# --- consistency checks (run on import) --------------------------------------------------------------

assert [o["number"] for o in OUTCOMES] == list(range(1, 25))
assert all(o["strand"] in STRANDS and o["priority"] in ("high", "medium", "low") for o in OUTCOMES)
assert [i["code"] for i in VAL_INDICATORS] == [f"VAL-{n:02d}" for n in range(1, 31)]
assert all(i["number"] == n for n, i in enumerate(VAL_INDICATORS, start=1))
assert all(i["strand"] in STRANDS for i in VAL_INDICATORS + LOCAL_INDICATORS)
assert all(1 <= n <= 24 for i in VAL_INDICATORS + LOCAL_INDICATORS for n in i["outcomes"])

_kinds = [i["kind"] for i in VAL_INDICATORS]
assert {k: _kinds.count(k) for k in set(_kinds)} == {"Q": 17, "NAR": 5, "X": 5, "ONE_OFF": 3}

_RAG_RANK = {"red": 0, "amber": 1, "green": 2}
_declines = [i["code"] for i in VAL_INDICATORS if _RAG_RANK[i["rag"]["2010/11 Q2"]] < _RAG_RANK[i["rag"]["2009/10 Q3"]]]
assert _declines == ["VAL-28"], _declines
assert VAL_INDICATORS[27]["rag"] == {"2009/10 Q3": "green", "2010/11 Q2": "amber"}

assert set(HUB_Q2_2010) == set(TABLE_THREE_COUNTS)
for _org, _ratings in HUB_Q2_2010.items():
    _expected = ["LOC-1", "LOC-2"] if _org.endswith("LRC") else [f"LOC-{n}" for n in range(1, 6)]
    assert list(_ratings) == _expected, _org
    _counts = {v: list(_ratings.values()).count(v) for v in ("red", "amber", "green", "not_reported")}
    assert _counts == TABLE_THREE_COUNTS[_org], _org
_totals = {v: sum(c[v] for c in TABLE_THREE_COUNTS.values()) for v in ("red", "amber", "green", "not_reported")}
assert _totals == {"red": 0, "amber": 2, "green": 26, "not_reported": 13}
assert sum(_totals.values()) == 41

assert set(NEGOTIATION_STATUS_DEC_2010) == {
    "blaby",
    "charnwood",
    "harborough",
    "hinckley-and-bosworth",
    "melton",
    "north-west-leicestershire",
    "oadby-and-wigston",
}
assert all(s in ("not_agreed", "part_agreed", "agreed") for s, _ in NEGOTIATION_STATUS_DEC_2010.values())

assert len(INDICATOR_AMENDMENTS_2010) == 8 and {n for n, _k, _w in INDICATOR_AMENDMENTS_2010} == {
    1,
    4,
    12,
    14,
    16,
    18,
    21,
    29,
}
assert sum(CONTRADICTIONS[1]["stated_figures"].values()) == 30

assert [n for n, _w, _o in PLAN_2007_OUTCOMES] == [1, 2, 3]
assert all(strand in ("", *STRANDS) for _n, _w, objectives in PLAN_2007_OUTCOMES for _o, _t, strand in objectives)

del _kinds, _RAG_RANK, _declines, _org, _ratings, _expected, _counts, _totals


# --- working agreements the review asks for (issue 16, items 6 and 7) --------------------------------------

# Recommendation Six and Appendix Six: "by the end of January 2011" the arrangements for the unified service
# are agreed; the negotiations are about 2011/12 ("in time to inform the distribution of the funding available
# under the Infrastructure Contract for 2011/2012", 7.4).
NEGOTIATION_YEAR = 2011
NEGOTIATION_DEADLINE = (2011, 1, 31)
NEGOTIATION_POSITION_SOURCE = (
    "Review, Appendix Five (progress report on locality negotiations, 6 December 2010, as recorded by VAL)"
)

# Appendix Five, each party's position as VAL recorded it (quoted; "..." marks words left out). Where the
# report gives a party no position, none is loaded: Hinckley and Bosworth's comment is the agreement itself,
# and Oadby and Wigston's District Council "were unable to attend the meeting". None of the outputs the funders
# asked for (Appendix Seven: the percentages and the two summaries) is recorded anywhere in the review, so
# none is loaded.
NEGOTIATION_POSITIONS = {
    "blaby": {
        "hub": "CABD ... would like the VAL staff to be based at CABD to encourage more joint working and remove "
        "public confusion. The Hub believe VAL is too centralist ... they believe the group support and "
        "volunteering roles should be at the Hub, and policy centrally at VAL.",
        "district_council": "Seek a joined up VCS service, whilst ensuring local delivery/identity and "
        "accountability. ... A sharing of funding cuts with a focus on protecting local delivery/local outcomes.",
        "val": "VAL considers there is value in basing staff at CABD, though it is a poor location for volunteer "
        "recruitment. ... VAL feels that local groups would be best served by investing all of the support "
        "services funding into a single CIO contract that delivers through locally based staff, supported by "
        "central teams.",
    },
    "charnwood": {
        "hub": "The Hub proposes a change to the District funding formula to make the distribution of funding "
        "reflect the District Population. ... The Hub proposes that all of the funding cuts be found from the "
        "VAL central support ... and that the change in formula increases the Hub funding to £120,000 p.a.",
        "lrc": "The LRC feel they are an essential element of support service to their local community and "
        "should continue to be funded.",
        "district_council": "The District Council would like to see an increase in funding to Charnwood using "
        "the population formula, and would like to see an effective blend of support service provision.",
        "val": "VAL has based two full time staff in the District ... VAL considers the entire savings should "
        "come from the Hub funding as there remains no clear explanation of what the Hub funding is spent on.",
    },
    "harborough": {
        "hub": "The Hub feel they currently offer value for money for the £68,000 they get (it pays for the Chief "
        "Officer and building costs) and they feel VAL should absorb the cuts. ... At the very end of the "
        "meeting the Hub suggested they would be happy with 3 years transition funding at £57,000 pa – with "
        "VAL then taking on support services directly.",
        "lrc": "The LRC feel they are an essential element of volunteering for their local community in "
        "Lutterworth and should continue to be funded.",
        "district_council": "The District Council want to have clear locally based support service delivery for "
        "volunteering, communities and groups in Harborough. ... The District Council do not feel an across "
        "the board 14% cut is valid – there needs to be prioritisation on a needs basis.",
        "val": "VAL has based two part time staff in the District delivering clear benefits to the District "
        "under the CIO contract. ... VAL considers the entire savings should come from the Hub funding.",
    },
    "hinckley-and-bosworth": {
        "hub": "The Hub see their future as a Service Delivery/Regeneration social enterprise and do not see "
        "themselves having a continuing role in support services.",
    },
    "melton": {
        "hub": "The long term ambition in Melton is to have the Community Hub still in place operating as a "
        "social enterprise specialising in community development and delivery of direct service. ... VAL "
        "staff would deliver universal volunteer brokerage and group support.",
        "district_council": "The District Council are keen that whatever support delivered in Melton it is able "
        "to focus on key priorities as well as delivering a District-wide baseline service.",
        "val": "VAL has two part time staff covering the District ... VAL would like to use the remaining Hub "
        "resources to increase this staff level once the transition period is over.",
    },
    "north-west-leicestershire": {
        "hub": "The Hub proposes the cuts should be found by an equal 14% reduction to all parties.",
        "lrc": "The LRC feel they are an essential element of support service to their local community and "
        "should continue to be funded.",
        "district_council": "District wished to see all parties working together and felt the VAL proposal "
        "would not be acceptable politically.",
        "val": "VAL have two part-time staff members based at the Hub who are delivering effective support "
        "services. VAL considers the entire savings should come from the Hub funding.",
    },
    "oadby-and-wigston": {
        "hub": "The Hub feel it would be a good idea for VAL staff to be seconded to the Hub – to increase the "
        "'attachment' of VAL staff. The Hub is open to working together with VAL.",
        "val": "VAL's two part-time staff cover the District from a City Centre base as there was no room "
        "available at the Hub. VAL feels that local groups would be best served by investing all of the "
        "support services funding into a single CIO contract.",
    },
}

# Appendix Six is the agreement to agree ("Separate discussions will take place between VAL and each Hub and
# LRC about what is done by VAL and what is done by the Hub and LRC in each locality"); it assigns no service.
# The review records who would do what only in the two part agreements of Appendix Five, so only those two are
# loaded, as 2011/12 drafts with no sign-off (none is recorded). Services not named stay "not yet agreed".
LOCALITY_AGREEMENT_SOURCE = "Review, Appendix Five (part agreement, 6 December 2010) under Appendix Six's agreement"
LOCALITY_AGREEMENT_DRAFTS = {
    "hinckley-and-bosworth": {
        "note": 'Part agreed, subject to confirmation by the District and other Funders: "VAL will deliver '
        "support services in the Borough\"; the Hub's remaining funding supports its transition in 2011-12.",
        "services": {
            service: ("val", False)
            for service in (
                "funding_advice",
                "volunteer_brokerage",
                "training",
                "one_to_one_support",
                "representation",
                "policy",
            )
        },
    },
    "melton": {
        "note": "The Hub's proposal in a part agreement: \"VAL staff would deliver universal volunteer brokerage "
        'and group support"; the Hub specialises in community development. Transition funding not yet agreed.',
        "services": {
            "volunteer_brokerage": ("val", False),
            "one_to_one_support": ("val", False),
            "community_development": ("hub", False),
        },
    },
}

assert set(NEGOTIATION_POSITIONS) == set(NEGOTIATION_STATUS_DEC_2010)
assert all(set(p) <= {"val", "hub", "lrc", "district_council"} for p in NEGOTIATION_POSITIONS.values())
assert set(LOCALITY_AGREEMENT_DRAFTS) <= set(NEGOTIATION_STATUS_DEC_2010)
