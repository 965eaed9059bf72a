"""The money as open data: a 360Giving data package (JSON) and the standard's flat CSV layout.

One grant per funded organisation per contract per financial year: the CIO contract's allocation to the
CIO and each sub-contract's allocation. The funding organisations are the funders who paid into that
year's pool (a group funder, such as the District Councils combined, is listed as one). Amounts are the
allocations as stated, so where the sources do not reconcile the package says so rather than hiding it.

Identifiers. The 360Giving guidance asks for registered organisation identifiers (org-id.guide lists,
such as ``GB-CHC-1234567``) and, where an organisation has none, an internal identifier made of the
publisher's 360Giving prefix and an internal reference. The portal holds ``org_id`` on funders and
providers; where it is blank the export never guesses a registered number: it writes the internal form
``<prefix>-ORG-<code>`` and records a warning in the grant's ``dataWarnings`` (an additional field,
which the standard allows) and in the package's ``dataWarnings``. Where no 360Giving prefix is
configured (``GIVING360_PREFIX``) the clearly marked placeholder ``360G-UNREGISTERED`` is used and the
package says so.
"""

import datetime
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from contracts.models import Contract, Organisation, Strand
from contracts.selectors import year_reconciliation
from contracts.selectors_360giving import grant_allocations, pooled_contributions_by_funder
from core.exports import csv_writer
from core.periods import format_financial_year

SCHEMA_VERSION = "1.4"
PLACEHOLDER_PREFIX = "360G-UNREGISTERED"
#: The 360Giving locationScope code for a second-level administrative area (a county or a district).
LOCATION_SCOPE_LOCAL_AUTHORITY = "GLS050"
#: ONS entity codes (the first three characters of a GSS code) to 360Giving geoCodeType codes.
GEO_CODE_TYPES = {
    "E06": "UA",
    "E07": "NMD",
    "E08": "MD",
    "E09": "LONB",
    "E10": "CTY",
    "W06": "UA",
    "S12": "CA",
}


class NothingToPublish(Exception):
    """The financial year has no allocations, and a 360Giving package must hold at least one grant."""


@dataclass
class Package:
    """A built package: the JSON-ready dict (amounts still Decimal) and the warnings found on the way."""

    data: dict
    warnings: list[str]

    @property
    def grants(self) -> list[dict]:
        return self.data["grants"]


def publisher_prefix() -> str:
    return getattr(settings, "GIVING360_PREFIX", "") or PLACEHOLDER_PREFIX


def _identifier_part(text: str) -> str:
    """An internal reference made safe for an identifier: spaces and slashes become underscores."""
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in text)


def _year_part(financial_year: int) -> str:
    return format_financial_year(financial_year).replace("/", "-")


def _organisation(*, org_id: str, code: str, name: str, role: str, warnings: list[str]) -> dict:
    if org_id:
        return {"id": org_id, "name": name}
    placeholder = f"{publisher_prefix()}-ORG-{_identifier_part(code)}"
    warnings.append(
        f"{role} {code} ({name}) has no organisation identifier: {placeholder} is an internal placeholder "
        "built from the portal's code, not a registered identifier. Record its org-id to replace it."
    )
    return {"id": placeholder, "name": name}


def _location(*, name: str, ons_code: str, warnings: list[str]) -> dict:
    location = {"name": name, "countryCode": "GB"}
    geo_code_type = GEO_CODE_TYPES.get(ons_code[:3]) if ons_code else None
    if geo_code_type:
        location.update(geoCode=ons_code, geoCodeType=geo_code_type)
    else:
        warnings.append(f"Beneficiary location {name} has no recognised ONS code ({ons_code or 'none recorded'}).")
    return location


def _subcontract_for(allocation):
    for subcontract in allocation.organisation.subcontracts.all():
        if subcontract.contract_id == allocation.contract_id:
            return subcontract
    return None


def data_source() -> str:
    """Where the data comes from: the open-data page's absolute address (``PORTAL_BASE_URL``), written into
    every grant's ``dataSource``."""
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse("opendata:giving360")


def _grant(allocation, funders: list[dict], funder_warnings: list[str]) -> dict:
    organisation = allocation.organisation
    contract = allocation.contract
    year = allocation.financial_year
    year_label = format_financial_year(year)
    warnings: list[str] = list(funder_warnings)
    subcontract = _subcontract_for(allocation)

    if contract.paid_from_pool_of_id:
        # 2010/11: the hub or LRC was paid under its own contract, not a sub-contract (review 2.5-2.6).
        what = f"{organisation.get_kind_display().lower()} contract"
        districts = [organisation.district] if organisation.district else []
        purpose = (
            f"its own contract, paid from the funding pooled under {contract.paid_from_pool_of.reference}, for "
            "local infrastructure services in " + ", ".join(district.name for district in districts)
        )
        places = [_location(name=d.name, ons_code=d.ons_code, warnings=warnings) for d in districts]
    elif organisation.kind == Organisation.Kind.CIO:
        what = "countywide infrastructure contract"
        purpose = "the countywide infrastructure organisation's share of the pooled funds"
        places = [_location(name=contract.county.name, ons_code=contract.county.ons_code, warnings=warnings)]
    else:
        what = f"{organisation.get_kind_display().lower()} sub-contract"
        districts = list(subcontract.districts.all()) if subcontract else []
        if not districts and organisation.district:
            districts = [organisation.district]
        covered = subcontract.strands if subcontract else []
        strands = [Strand(value).label for value in covered if value in Strand.values]
        purpose = (
            f"sub-contracted by {contract.provider.name} for local infrastructure services in "
            + ", ".join(district.name for district in districts)
            + (f" ({'; '.join(strands)})" if strands else "")
        )
        places = [_location(name=d.name, ons_code=d.ons_code, warnings=warnings) for d in districts]
    if subcontract is None and organisation.kind != Organisation.Kind.CIO and not contract.paid_from_pool_of_id:
        warnings.append(f"{organisation.code} has an allocation for {year_label} but no sub-contract on record.")

    start = datetime.date(year, 4, 1)
    end = datetime.date(year + 1, 3, 31)
    grant = {
        "id": "-".join(
            [
                publisher_prefix(),
                _identifier_part(contract.reference),
                _year_part(year),
                _identifier_part(organisation.code),
            ]
        ),
        "title": f"{organisation.name}: {what} {year_label}",
        "description": (
            f"Allocation for {year_label} under {contract.title} ({contract.reference}): {purpose}. "
            f"Paid from the pooled contributions of {', '.join(funder['name'] for funder in funders)}."
        ),
        "currency": "GBP",
        "amountAwarded": allocation.amount,
        # The portal holds the year an allocation is for, not the date the award was decided.
        "awardDate": start.isoformat(),
        "plannedDates": [{"startDate": start.isoformat(), "endDate": end.isoformat(), "duration": 12}],
        "recipientOrganization": [
            {
                **_organisation(
                    org_id=organisation.org_id,
                    code=organisation.code,
                    name=organisation.name,
                    role="Recipient",
                    warnings=warnings,
                ),
                "addressRegion": organisation.county.name,
                **({"postalCode": organisation.postcode} if organisation.postcode else {}),
            }
        ],
        "fundingOrganization": funders,
        "beneficiaryLocation": places,
        "locationScope": LOCATION_SCOPE_LOCAL_AUTHORITY,
        "grantProgramme": [{"code": contract.reference, "title": contract.title}],
        "dataSource": data_source(),
    }
    if allocation.last_modified:
        grant["dateModified"] = allocation.last_modified.isoformat()
    if warnings:
        grant["dataWarnings"] = warnings
    return grant


def _reconciliation_warnings(contracts: list[Contract], year: int) -> list[str]:
    """Say where the year's money does not add up (contributions, stated total, allocations): each pool's year
    reconciled at once (``year_reconciliation``), so three queries whatever the number of contracts."""
    warnings = []
    for contract, row in year_reconciliation(contracts, year):
        contributed, stated, allocated = row.contributions, row.stated_total, row.allocated
        figures = {contributed, allocated} | ({stated} if stated is not None else set())
        if len(figures) > 1:
            warnings.append(
                f"{contract.reference} {format_financial_year(year)}: the listed contributions sum to "
                f"£{contributed:,.2f}, the stated pooled total is "
                + (f"£{stated:,.2f}" if stated is not None else "not recorded")
                + f", and the allocations sum to £{allocated:,.2f}. The sources do not reconcile; the grants "
                "are the allocations as stated."
            )
    return warnings


def build_package(*, financial_year: int, partnership) -> Package:
    """Build the 360Giving package of one partnership (a ``districts.County`` or its id) for a financial year:
    its own contracts' grants and pooled contributions only, so another partnership's data never changes it.
    Raises NothingToPublish when the partnership has no allocations that year."""
    allocations = list(grant_allocations(financial_year=financial_year, partnership=partnership))
    if not allocations:
        raise NothingToPublish(f"No allocations are recorded for {format_financial_year(financial_year)}.")

    package_warnings: list[str] = []
    if not getattr(settings, "GIVING360_PREFIX", ""):
        package_warnings.append(
            f"No 360Giving publisher prefix is configured (GIVING360_PREFIX): identifiers use the placeholder "
            f"{PLACEHOLDER_PREFIX} and must be reissued with the prefix 360Giving assigns."
        )

    funders_by_contract: dict[int, list[dict]] = {}
    funder_warnings_by_contract: dict[int, list[str]] = {}
    for row in pooled_contributions_by_funder(financial_year=financial_year, partnership=partnership):
        warnings = funder_warnings_by_contract.setdefault(row["contract_id"], [])
        funders_by_contract.setdefault(row["contract_id"], []).append(
            _organisation(
                org_id=row["funder__org_id"],
                code=row["funder__code"],
                name=row["funder__name"],
                role="Funder (a group of bodies)" if row["funder__is_group"] else "Funder",
                warnings=warnings,
            )
        )

    contracts = {allocation.contract_id: allocation.contract for allocation in allocations}
    # The reconciliation is per pool: a contract paid from another's pool is counted in that pool's figures.
    pools = [contract for contract in contracts.values() if not contract.paid_from_pool_of_id]
    grants = []
    for allocation in allocations:
        # A contract paid from another's pool (2010/11's separate contracts) names that pool's funders.
        pool_id = allocation.contract.paid_from_pool_of_id or allocation.contract_id
        funders = funders_by_contract.get(pool_id)
        funder_warnings = funder_warnings_by_contract.get(pool_id, [])
        if not funders:
            # Without a contribution on record the commissioner is the only funder we can name.
            commissioner = allocation.contract.commissioner
            funder_warnings = [
                f"No pooled contributions are recorded for {allocation.contract.reference} in "
                f"{format_financial_year(financial_year)}: the commissioner is listed as the funder."
            ]
            funders = [
                _organisation(
                    org_id=commissioner.org_id,
                    code=commissioner.code,
                    name=commissioner.name,
                    role="Funder",
                    warnings=funder_warnings,
                )
            ]
        grants.append(_grant(allocation, funders, funder_warnings))

    package_warnings.extend(_reconciliation_warnings(pools, financial_year))
    for grant in grants:
        for warning in grant.get("dataWarnings", []):
            if warning not in package_warnings:
                package_warnings.append(warning)

    commissioners = {contract.commissioner for contract in contracts.values()}
    publisher = {"name": settings.PORTAL_PARTNERSHIP}
    if len(commissioners) == 1:
        commissioner = commissioners.pop()
        publisher = {"name": commissioner.name}
        if commissioner.org_id:
            publisher["identifier"] = commissioner.org_id
    year_label = format_financial_year(financial_year)
    data = {
        "version": SCHEMA_VERSION,
        "title": f"{settings.PORTAL_PARTNERSHIP}: grants {year_label}",
        "description": (
            f"Money allocated in {year_label} under the VCS infrastructure contracts held in "
            f"{settings.PORTAL_NAME}: one grant per funded organisation (the countywide infrastructure "
            "organisation and each sub-contracted community hub and local resource centre). Award dates are "
            "the first day of the financial year the allocation is for. See dataWarnings for identifiers "
            "that are placeholders and for figures that do not reconcile."
        ),
        "identifier": f"{publisher_prefix()}-grants-{_year_part(financial_year)}",
        "issued": timezone.localdate().isoformat(),
        "publisher": publisher,
        "grants": grants,
        "dataWarnings": package_warnings,
    }
    licence = getattr(settings, "GIVING360_LICENSE", "")
    if licence:
        data["license"] = licence
    return Package(data=data, warnings=package_warnings)


def _json_number(amount: Decimal) -> int | float:
    """Money as a JSON number without losing a penny: whole pounds as integers; otherwise a float whose
    shortest representation is exactly the pounds and pence (checked, so a surprise fails loudly)."""
    if amount == amount.to_integral_value():
        return int(amount)
    number = float(amount)
    if Decimal(repr(number)) != amount:
        raise ValueError(f"{amount} cannot be written exactly as a JSON number")
    return number


def _jsonable(value):
    if isinstance(value, Decimal):
        return _json_number(value)
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    return value


def package_json(package: Package) -> str:
    """The package as JSON text, amounts as numbers."""
    return json.dumps(_jsonable(package.data), indent=2, ensure_ascii=False) + "\n"


# The standard's flat layout: column titles from the 360Giving grants.csv template. Single-item lists
# are rolled up ("Recipient Org:Name"); lists that hold several items in this package are numbered
# ("Funding Org:0:Name", "Funding Org:1:Name"), as the standard's spreadsheet guidance does.
_FLAT_FIELDS = [
    ("Identifier", "id"),
    ("Title", "title"),
    ("Description", "description"),
    ("Currency", "currency"),
    ("Amount Awarded", "amountAwarded"),
    ("Award Date", "awardDate"),
]
_FLAT_LISTS = [
    (
        "Planned Dates",
        "plannedDates",
        [("Start Date", "startDate"), ("End Date", "endDate"), ("Duration (months)", "duration")],
    ),
    (
        "Recipient Org",
        "recipientOrganization",
        [("Identifier", "id"), ("Name", "name"), ("County", "addressRegion"), ("Postal Code", "postalCode")],
    ),
    (
        "Beneficiary Location",
        "beneficiaryLocation",
        [
            ("Name", "name"),
            ("Country Code", "countryCode"),
            ("Geographic Code", "geoCode"),
            ("Geographic Code Type", "geoCodeType"),
        ],
    ),
    ("Funding Org", "fundingOrganization", [("Identifier", "id"), ("Name", "name")]),
    ("Grant Programme", "grantProgramme", [("Code", "code"), ("Title", "title")]),
]
_FLAT_TAIL = [("Location Scope", "locationScope"), ("Last modified", "dateModified"), ("Data Source", "dataSource")]


def _cell(value):
    """A grant's value for the flat CSV: pounds and pence as a number; text made formula-safe by the writer."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return value.quantize(Decimal("0.01"))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return str(value)


def package_csv(package: Package) -> str:
    """The package in the standard's flat CSV layout: one row per grant, titles as column headings."""
    grants = package.grants
    columns: list[tuple[str, Callable[[dict], object]]] = [
        (title, lambda g, k=key: g.get(k)) for title, key in _FLAT_FIELDS
    ]
    for title, key, fields in _FLAT_LISTS:
        most = max(len(grant.get(key, [])) for grant in grants)
        for index in range(max(most, 1)):
            prefix = f"{title}:{index}:" if most > 1 else f"{title}:"
            for field_title, field_key in fields:
                columns.append(
                    (
                        prefix + field_title,
                        lambda g, k=key, i=index, f=field_key: g[k][i].get(f) if len(g.get(k, [])) > i else None,
                    )
                )
    columns += [(title, lambda g, k=key: g.get(k)) for title, key in _FLAT_TAIL]
    columns.append(("Data Warnings", lambda g: " | ".join(g.get("dataWarnings", []))))

    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\n")
    writer.writerow([title for title, _ in columns])
    for grant in grants:
        writer.writerow([_cell(read(grant)) for _, read in columns])
    return out.getvalue()
