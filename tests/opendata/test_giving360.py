"""The 360Giving publication: the 2010/11 package validates against the official schema (offline) and
holds one grant per funded organisation with the amounts in DOMAIN.md; missing identifiers are declared,
never invented; the flat CSV and the download carry the same figures."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from contracts.models import Funder, Organisation
from districts.models import County

HUBS = ["CABD", "VAC", "VASL", "VAHB", "VAM", "MRCCA", "OWCA"]
LRCS = ["CDLRC", "LUTLRC", "SYSLRC"]
DISTRICT_ONS = {
    "CABD": "E07000129",
    "VAC": "E07000130",
    "VASL": "E07000131",
    "VAHB": "E07000132",
    "VAM": "E07000133",
    "MRCCA": "E07000134",
    "OWCA": "E07000135",
    "CDLRC": "E07000134",
    "LUTLRC": "E07000131",
    "SYSLRC": "E07000130",
}


def export(tmp_path, *args):
    out = io.StringIO()
    err = io.StringIO()
    target = tmp_path / "grants.out"
    call_command("export_360giving", "--year", "2010/11", "--output", str(target), *args, stdout=out, stderr=err)
    return target.read_text(encoding="utf-8"), err.getvalue()


def grants_by_code(package):
    codes = dict(Organisation.objects.values_list("name", "code"))
    return {codes[grant["recipientOrganization"][0]["name"]]: grant for grant in package["grants"]}


@pytest.mark.django_db
def test_2010_11_package_validates_against_the_official_schema(tmp_path, package_validator):
    text, _ = export(tmp_path)
    package = json.loads(text)
    errors = sorted(package_validator.iter_errors(package), key=str)
    assert errors == []


@pytest.mark.django_db
def test_one_grant_per_funded_organisation_with_the_2010_11_amounts(tmp_path):
    text, _ = export(tmp_path)
    # Read numbers as Decimal: the amounts must be exact pounds and pence.
    package = json.loads(text, parse_float=Decimal)
    grants = grants_by_code(package)

    assert sorted(grants) == sorted(["VAL", *HUBS, *LRCS])
    assert len(package["grants"]) == 11
    assert grants["VAL"]["amountAwarded"] == 979000
    for code in HUBS:
        assert grants[code]["amountAwarded"] == 68000, code
    for code in LRCS:
        assert grants[code]["amountAwarded"] == 10000, code
    assert sum(Decimal(grant["amountAwarded"]) for grant in package["grants"]) == Decimal("1485000")
    assert len({grant["id"] for grant in package["grants"]}) == 11


@pytest.mark.django_db
def test_grants_name_the_pooled_funders_dates_places_and_programme(tmp_path):
    package = json.loads(export(tmp_path)[0])
    grants = grants_by_code(package)
    val = grants["VAL"]

    # The year's pooled contributions, largest first; the District Councils are one group funder.
    assert [funder["name"] for funder in val["fundingOrganization"]] == [
        "Leicestershire County Council",
        "NHS Leicestershire County and Rutland (PCT)",
        "The seven District Councils, combined",
        "Leicestershire Police",
        "Connexions Leicestershire",
    ]
    assert val["currency"] == "GBP"
    assert val["awardDate"] == "2010-04-01"
    assert val["plannedDates"] == [{"startDate": "2010-04-01", "endDate": "2011-03-31", "duration": 12}]
    assert val["beneficiaryLocation"] == [
        {"name": "Leicestershire", "countryCode": "GB", "geoCode": "E10000018", "geoCodeType": "CTY"}
    ]
    assert val["grantProgramme"][0]["code"] == "LCC-CIO-2009"
    for code, ons_code in DISTRICT_ONS.items():
        [place] = grants[code]["beneficiaryLocation"]
        assert (place["geoCode"], place["geoCodeType"]) == (ons_code, "NMD"), code
        assert grants[code]["fundingOrganization"] == val["fundingOrganization"]


@pytest.mark.django_db
def test_missing_identifiers_are_declared_not_invented(tmp_path):
    text, stderr = export(tmp_path)
    package = json.loads(text)
    vasl = grants_by_code(package)["VASL"]

    # No registered identifier is guessed: the placeholder is the publisher prefix plus the portal's code,
    # as the 360Giving guidance describes for internal identifiers, and it is flagged.
    assert vasl["recipientOrganization"][0]["id"] == "360G-UNREGISTERED-ORG-VASL"
    assert not any(grant["recipientOrganization"][0]["id"].startswith("GB-") for grant in package["grants"])
    assert any("VASL" in warning and "no organisation identifier" in warning for warning in vasl["dataWarnings"])
    assert any("DISTRICT-COUNCILS" in warning for warning in vasl["dataWarnings"])
    assert "no organisation identifier" in stderr
    assert "GIVING360_PREFIX" in stderr
    # The 2010/11 money does not reconcile: the package says so.
    reconciliation = [w for w in package["dataWarnings"] if "do not reconcile" in w]
    assert len(reconciliation) == 1
    assert "£1,471,000.00" in reconciliation[0]
    assert "£1,462,398.00" in reconciliation[0]
    assert "£1,485,000.00" in reconciliation[0]


@pytest.mark.django_db
def test_recorded_identifiers_and_prefix_are_used(tmp_path, settings, package_validator):
    settings.GIVING360_PREFIX = "360G-example"
    Organisation.objects.filter(code="VASL").update(org_id="GB-CHC-1234567")
    Funder.objects.filter(code="LCC").update(org_id="GB-LAE-LEC")
    text, stderr = export(tmp_path)
    package = json.loads(text)
    vasl = grants_by_code(package)["VASL"]

    # Issue 16, item 1: in 2010/11 VASL was paid under its own contract (review 2.5), not a CIO sub-contract, so
    # its grant's identifier names that contract's reference.
    assert vasl["id"] == "360G-example-LCC-2010-VASL-2010-11-VASL"
    assert vasl["recipientOrganization"][0]["id"] == "GB-CHC-1234567"
    assert vasl["fundingOrganization"][0] == {"id": "GB-LAE-LEC", "name": "Leicestershire County Council"}
    assert package["publisher"] == {"name": "Leicestershire County Council", "identifier": "GB-LAE-LEC"}
    assert not any("VASL" in warning for warning in vasl["dataWarnings"])
    assert "GIVING360_PREFIX" not in stderr
    assert list(package_validator.iter_errors(package)) == []


@pytest.mark.django_db
def test_the_validator_refuses_a_broken_package(tmp_path, package_validator):
    """Proof that the schema test can fail: a grant without a recipient or a funder is not 360Giving."""
    package = json.loads(export(tmp_path)[0])
    del package["grants"][0]["recipientOrganization"]
    package["grants"][1]["awardDate"] = "1 April 2010"
    assert len(list(package_validator.iter_errors(package))) == 2


@pytest.mark.django_db
def test_flat_csv_has_the_standard_titles_and_the_same_amounts(tmp_path):
    text, _ = export(tmp_path, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    header = text.splitlines()[0].split(",")

    assert len(rows) == 11
    for title in [
        "Identifier",
        "Title",
        "Currency",
        "Amount Awarded",
        "Award Date",
        "Planned Dates:Start Date",
        "Planned Dates:End Date",
        "Recipient Org:Identifier",
        "Recipient Org:Name",
        "Beneficiary Location:Geographic Code",
        "Funding Org:0:Identifier",
        "Funding Org:0:Name",
        "Funding Org:4:Name",
        "Grant Programme:Code",
        "Data Warnings",
    ]:
        assert title in header, title
    amounts = {row["Recipient Org:Name"]: row["Amount Awarded"] for row in rows}
    assert amounts["Voluntary Action LeicesterShire"] == "979000.00"
    assert amounts["Voluntary Action South Leicestershire"] == "68000.00"
    assert amounts["Syston LRC"] == "10000.00"
    assert {row["Funding Org:2:Name"] for row in rows} == {"The seven District Councils, combined"}


@pytest.mark.django_db
def test_csv_cells_that_a_spreadsheet_would_run_are_made_inert(tmp_path):
    Organisation.objects.filter(code="VASL").update(name="=HYPERLINK(1)")
    text, _ = export(tmp_path, "--format", "csv")
    names = [row["Recipient Org:Name"] for row in csv.DictReader(io.StringIO(text))]
    assert "'=HYPERLINK(1)" in names


@pytest.mark.django_db
def test_command_refuses_a_bad_year_and_a_year_with_nothing_to_publish():
    with pytest.raises(CommandError, match=r"--year: .*2010-11.* write it like 2010/11"):
        call_command("export_360giving", "--year", "2010-11")
    with pytest.raises(CommandError, match=r"--year: .*2010/12.* the second part must be the next year"):
        call_command("export_360giving", "--year", "2010/12")
    with pytest.raises(CommandError, match=r"No allocations are recorded for 2012/13"):
        call_command("export_360giving", "--year", "2012/13")


@pytest.mark.django_db
def test_command_writes_to_standard_output_by_default(capsys):
    call_command("export_360giving", "--year", "2010/11")
    package = json.loads(capsys.readouterr().out)
    assert len(package["grants"]) == 11


def test_download_for_those_who_read_contract_figures(funder_client, lcc_client, val_client, package_validator):
    for client in (funder_client, lcc_client, val_client):
        response = client.get("/open-data/360giving/2010-11.json")
        assert response.status_code == 200
        assert response["Content-Disposition"] == 'attachment; filename="360giving-2010-11.json"'
        package = json.loads(response.content)
        assert len(package["grants"]) == 11
        assert list(package_validator.iter_errors(package)) == []
    csv_response = funder_client.get("/open-data/360giving/2010-11.csv")
    assert csv_response.status_code == 200
    assert csv_response["Content-Type"].startswith("text/csv")
    assert len(list(csv.DictReader(io.StringIO(csv_response.content.decode())))) == 11


def test_open_data_page_lists_the_years(funder_client):
    response = funder_client.get("/open-data/360giving/")
    assert response.status_code == 200
    assert b"/open-data/360giving/2010-11.json" in response.content
    assert b"/open-data/360giving/2010-11.csv" in response.content


def test_download_is_refused_to_those_who_may_not_read_contracts(hub_client, lrc_client, peer_client, client):
    for denied in (hub_client, lrc_client, peer_client):
        assert denied.get("/open-data/360giving/2010-11.json").status_code == 403
        assert denied.get("/open-data/360giving/").status_code == 403
    anonymous = client.get("/open-data/360giving/2010-11.json")
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")


def test_unknown_or_malformed_years_are_not_found(funder_client):
    assert funder_client.get("/open-data/360giving/2012-13.json").status_code == 404
    assert funder_client.get("/open-data/360giving/2010-12.json").status_code == 404
    assert funder_client.get("/open-data/360giving/2010-11.xml").status_code == 404


@pytest.mark.django_db
def test_building_the_package_takes_a_fixed_number_of_queries(django_assert_max_num_queries):
    from contracts.giving360 import build_package

    leicestershire = County.objects.get(slug="leicestershire")
    # Allocations, sub-contracts, their districts, contributions, and three reconciliation sums per contract.
    with django_assert_max_num_queries(8):
        package = build_package(financial_year=2010, partnership=leicestershire)
    assert len(package.grants) == 11


@pytest.mark.django_db
def test_pounds_and_pence_survive_as_exact_json_numbers(tmp_path, package_validator):
    from contracts.models import Allocation

    Allocation.objects.filter(organisation__code="VASL", financial_year=2010).update(amount=Decimal("68000.55"))
    text, _ = export(tmp_path)
    assert '"amountAwarded": 68000.55' in text
    package = json.loads(text, parse_float=Decimal)
    assert grants_by_code(package)["VASL"]["amountAwarded"] == Decimal("68000.55")
    assert list(package_validator.iter_errors(json.loads(text))) == []
    csv_text, _ = export(tmp_path, "--format", "csv")
    assert "68000.55" in csv_text


@pytest.mark.django_db
def test_every_grant_names_its_data_source_the_open_data_pages_address(tmp_path, settings, package_validator):
    settings.PORTAL_BASE_URL = "https://vcs.example.org"
    package = json.loads(export(tmp_path)[0])
    assert {grant["dataSource"] for grant in package["grants"]} == {"https://vcs.example.org/open-data/360giving/"}
    assert list(package_validator.iter_errors(package)) == []
    rows = list(csv.DictReader(io.StringIO(export(tmp_path, "--format", "csv")[0])))
    assert {row["Data Source"] for row in rows} == {"https://vcs.example.org/open-data/360giving/"}


@pytest.mark.django_db
def test_a_recipients_postcode_is_validated_and_published_when_recorded(tmp_path, package_validator):
    from django.core.exceptions import ValidationError

    vasl = Organisation.objects.get(code="VASL")
    vasl.postcode = "LE16 7AW!"
    with pytest.raises(ValidationError) as refused:
        vasl.full_clean()
    assert "postcode" in refused.value.message_dict
    assert "is not a UK postcode: write it like LE16 7AW" in refused.value.message_dict["postcode"][0]
    vasl.postcode = "le167aw"
    vasl.full_clean()
    assert vasl.postcode == "LE16 7AW"
    vasl.save()

    package = json.loads(export(tmp_path)[0])
    grants = grants_by_code(package)
    assert grants["VASL"]["recipientOrganization"][0]["postalCode"] == "LE16 7AW"
    assert "postalCode" not in grants["VAC"]["recipientOrganization"][0]  # none recorded: none written
    assert list(package_validator.iter_errors(package)) == []
    rows = {
        row["Recipient Org:Name"]: row for row in csv.DictReader(io.StringIO(export(tmp_path, "--format", "csv")[0]))
    }
    assert rows["Voluntary Action South Leicestershire"]["Recipient Org:Postal Code"] == "LE16 7AW"
    assert rows["Voluntary Action Charnwood"]["Recipient Org:Postal Code"] == ""
