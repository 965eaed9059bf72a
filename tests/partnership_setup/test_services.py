"""partnership_setup (issue 15, item 3): the Leicestershire workbook builds on an empty database the same set-up
as load_leicestershire, table by table; it is idempotent; a workbook with errors changes nothing and names the
sheet, row and column of each."""

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from openpyxl import load_workbook

from contracts.models import Allocation, Contract, ContractYear, Contribution, Funder, SubContract
from districts.models import County, District
from performance.models import Target
from vcsportal.leicestershire import load_leicestershire
from vcsportal.partnership_setup.services import SETUP_MODELS, partnership_setup
from vcsportal.partnership_setup.workbook import read_money

pytestmark = pytest.mark.django_db

WORKBOOK = Path(__file__).resolve().parents[2] / "data" / "partnerships" / "leicestershire.xlsx"

#: The apps whose tables a partnership's data lives in.
DATA_APPS = ("districts", "contracts", "performance", "disputes", "notifications")

#: What load_leicestershire loads beyond the set-up, and why the set-up workbook leaves it out: none of it is
#: how a partnership starts; it is what happens (or was found) once it runs.
OUTSIDE_THE_WORKBOOK = {
    "districts.NegotiationNote": "a dated record of how negotiations went (Appendix Five), not set-up",
    "districts.DistrictNegotiation": "a year's negotiation, carried out on the negotiation pages",
    "districts.NegotiationPosition": "a party's position in a negotiation, recorded as it happens",
    "districts.LocalityAgreement": "drafted and signed on the locality agreement pages",
    "districts.LocalityAgreementService": "part of a locality agreement (above)",
    "performance.Return": "providers' quarterly returns: reported, not set up",
    "performance.Result": "the figures and ratings inside returns",
    "performance.ReturnSummary": "each return's RAG counts, kept by triggers from its results",
    "performance.IndicatorAmendment": "the review's record of how indicators changed in 2010/11 (a finding)",
    "performance.RatingSplit": "the review's City and County ratings of a return (a finding)",
    "performance.SourceContradiction": "where the review contradicts itself (a finding about the source)",
    "contracts.FundingPrinciple": "Appendix One's funding commitments, compared with allocations (a finding)",
    "contracts.PlanFigure": "the 2007 plan's figures, a historical baseline, not this partnership's contract",
    "contracts.PlanOutcome": "the 2007 plan's outcomes (historical baseline)",
    "contracts.PlanObjective": "the 2007 plan's objectives (historical baseline)",
}

#: How each set-up row is known, without its id.
NATURAL_KEYS = {
    County: ("slug",),
    District: ("slug",),
    "contracts.Funder": ("code",),
    "contracts.Organisation": ("code",),
    Contract: ("reference",),
    ContractYear: ("contract", "financial_year"),
    Contribution: ("contract", "funder", "financial_year", "description"),
    SubContract: ("contract", "provider"),
    Allocation: ("contract", "organisation", "financial_year"),
    "contracts.Outcome": ("number",),
    "performance.Indicator": ("code",),
    Target: ("indicator", "financial_year", "quarter", "provider", "district"),
    "performance.ReportingPeriod": ("financial_year", "quarter"),
}
NATURAL_KEYS = {apps.get_model(key) if isinstance(key, str) else key: fields for key, fields in NATURAL_KEYS.items()}


def _natural(obj):
    """An object as its natural key, foreign keys followed to theirs."""
    return tuple(_value(obj, name) for name in NATURAL_KEYS[type(obj)])


def _value(obj, name):
    field = obj._meta.get_field(name)
    if field.is_relation:
        related = getattr(obj, name)
        return None if related is None else _natural(related)
    return getattr(obj, field.attname)


def setup_tables() -> dict[str, dict]:
    """Every set-up table: its rows by natural key, each with every field (ids aside) and many-to-many."""
    tables = {}
    for model in SETUP_MODELS:
        rows = {}
        for obj in model.objects.all():
            row = {
                field.name: _value(obj, field.name) for field in model._meta.concrete_fields if not field.primary_key
            }
            for field in model._meta.many_to_many:
                row[field.name] = sorted(_natural(related) for related in getattr(obj, field.name).all())
            rows[_natural(obj)] = row
        tables[model._meta.label] = rows
    return tables


def _data_models():
    for app in DATA_APPS:
        yield from apps.get_app_config(app).get_models(include_auto_created=True)


def empty_the_database():
    """Every row of the partnership data tables gone (history and many-to-many tables too), inside the test's
    transaction, which rolls it all back. Foreign keys are checked at commit (Django creates them deferred on
    SQLite and PostgreSQL), and the test never commits."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for model in _data_models():
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
    for model in _data_models():
        assert not model.objects.exists(), model


@pytest.fixture
def emptied(db):
    """``emptied()`` empties the database; everything is rolled back (to the loaded test database) after the
    test, before Django's end-of-test check of foreign keys."""
    with transaction.atomic():
        yield empty_the_database
        transaction.set_rollback(True)


def _tables_with_rows() -> set[str]:
    return {
        model._meta.label
        for model in _data_models()
        if not model._meta.auto_created and not model.__name__.startswith("Historical") and model.objects.exists()
    }


def test_the_leicestershire_workbook_builds_what_load_leicestershire_builds_table_by_table(emptied):
    emptied()
    load_leicestershire()
    loaded = setup_tables()
    loaded_tables = _tables_with_rows()

    emptied()
    with WORKBOOK.open("rb") as file:
        report = partnership_setup(file=file)
    assert report.problems == []
    built = setup_tables()

    for model in SETUP_MODELS:
        label = model._meta.label
        assert loaded[label], f"load_leicestershire loads no {label}: the comparison would prove nothing"
        assert set(built[label]) == set(loaded[label]), label
        for key, row in loaded[label].items():
            assert built[label][key] == row, f"{label} {key}"
    # Everything else load_leicestershire loads is named, with the reason it is not set-up.
    setup_labels = {model._meta.label for model in SETUP_MODELS}
    assert loaded_tables - setup_labels == set(OUTSIDE_THE_WORKBOOK)
    assert _tables_with_rows() == setup_labels


def test_a_second_run_changes_nothing(unchanged):
    """The test database holds load_leicestershire's data: the workbook finds every row as it is."""
    with unchanged(), WORKBOOK.open("rb") as file:
        report = partnership_setup(file=file)
    assert report.problems == []
    assert not report.changed
    assert sum(report.unchanged.values()) == sum(len(rows) for rows in setup_tables().values())


def test_a_dry_run_says_what_would_be_created_and_writes_nothing(emptied):
    emptied()
    with WORKBOOK.open("rb") as file:
        report = partnership_setup(file=file, dry_run=True)
    assert report.problems == []
    assert report.created["districts"] == 7
    assert report.created["allocations"] == 11
    assert not County.objects.exists()


def _broken_workbook() -> io.BytesIO:
    book = load_workbook(WORKBOOK)
    book["Districts"]["C2"] = "E0712"  # a bad ONS code
    contributions = book["Contributions"]
    contributions["E2"] = 920000.125  # a float with 3 decimals
    allocations = book["Allocations"]
    allocations["B3"] = "NOBODY"  # an allocation to an unknown organisation
    book["Indicators"]["E2"] = "sport"  # an unknown strand
    book["Contract years"]["H2"] = "yes"  # LCC-CIO-2009's 2010/11 allocations must add up (they do not)
    book["Funders"]["B2"] = "Leicestershire County Council, renamed"  # a good change, which must not be saved
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def test_a_workbook_with_errors_changes_nothing_and_names_sheet_row_and_column(unchanged):
    with unchanged():
        report = partnership_setup(file=_broken_workbook())
    messages = [str(problem) for problem in report.problems]
    assert any(
        m.startswith("sheet Districts, row 2, column C (ONS code): “E0712” is not an ONS code") for m in messages
    )
    assert any(
        m.startswith("sheet Contributions, row 2, column E (Amount): “920000.125” has more than 2 decimals")
        for m in messages
    )
    assert any(
        m.startswith("sheet Allocations, row 3, column B (Organisation): there is no organisation “NOBODY”")
        for m in messages
    )
    assert any(
        m.startswith("sheet Indicators, row 2, column E (Strand): “sport” is not one of the choices") for m in messages
    )
    assert any(
        m.startswith("sheet Contract years, row 2, column H (Allocations must add up): the LCC-CIO-2009 allocations")
        for m in messages
    ), messages
    assert len(messages) == 5, messages  # every problem once, nothing cascading from them
    assert not report.applied


def test_a_different_definition_under_a_shared_indicator_code_is_refused(unchanged):
    book = load_workbook(WORKBOOK)
    book["Indicators"]["C2"] = "A different short name"
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    with unchanged():
        report = partnership_setup(file=out)
    [problem] = report.problems
    assert str(problem).startswith("sheet Indicators, row 2, column C (Short name): indicator VAL-01")
    assert "shared by every partnership" in problem.message


def test_a_code_of_another_partnership_is_refused(unchanged):
    book = load_workbook(WORKBOOK)
    partnership = book["Partnership"]
    partnership["A2"], partnership["B2"], partnership["C2"] = "Rutland", "rutland", "E06000017"
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    with unchanged():
        report = partnership_setup(file=out)
    assert any(
        str(problem).startswith("sheet Districts, row 2, column B (Slug): “blaby” is already used by the partnership")
        for problem in report.problems
    )
    # Provider and funder codes are unique within a partnership only: Rutland may have its own VAL and LCC.
    assert not [problem for problem in report.problems if problem.sheet in ("Funders", "Organisations")]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (920000.0, Decimal("920000.00")),
        (0.1, Decimal("0.10")),
        ("£1,462,398.5", Decimal("1462398.50")),
        (7, Decimal("7.00")),
    ],
)
def test_money_is_read_exactly(cell, expected):
    assert read_money(cell) == expected


@pytest.mark.parametrize("cell", [1.005, "12.345", "lots", float("nan")])
def test_money_beyond_pence_or_not_a_number_is_refused(cell):
    with pytest.raises(ValueError):
        read_money(cell)


def test_the_command_reports_problems_and_fails(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(_broken_workbook().getvalue())
    err = io.StringIO()
    with pytest.raises(CommandError, match="5 problem"):
        call_command("partnership_setup", str(path), stderr=err)
    assert "sheet Districts, row 2, column C (ONS code)" in err.getvalue()


def test_the_command_dry_run_and_template(tmp_path):
    out = io.StringIO()
    call_command("partnership_setup", str(WORKBOOK), "--dry-run", stdout=out)
    assert "nothing written" in out.getvalue()
    template = tmp_path / "template.xlsx"
    call_command("partnership_workbook", str(template), "--template", stdout=io.StringIO())
    book = load_workbook(template)
    assert book.sheetnames[0] == "Instructions"
    instructions = "\n".join(
        str(cell) for row in book["Instructions"].iter_rows(values_only=True) for cell in row if cell
    )
    assert "shared by every partnership" in instructions
    # A blank template is refused for its empty Partnership sheet only, named.
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("partnership_setup", str(template), stderr=err)
    assert "sheet Partnership, row 2: give exactly one row (found 0)" in err.getvalue()


def test_the_committed_workbook_is_what_the_generator_writes_now(tmp_path):
    """data/partnerships/leicestershire.xlsx is regenerated (make leicestershire-workbook) when the data changes."""
    path = tmp_path / "now.xlsx"
    call_command("partnership_workbook", str(path), "--partnership", "leicestershire", stdout=io.StringIO())

    def cells(file):
        book = load_workbook(file)
        return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}

    assert cells(path) == cells(WORKBOOK)


def _saved(book) -> io.BytesIO:
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def test_a_changed_name_is_updated_once_with_its_history():
    book = load_workbook(WORKBOOK)
    book["Funders"]["B2"] = "Leicestershire County Council (lead funder)"
    report = partnership_setup(file=_saved(book))
    assert report.problems == []
    assert report.updated == {"funders": 1}
    lcc = Funder.objects.get(code="LCC")
    assert lcc.name == "Leicestershire County Council (lead funder)"
    assert lcc.history.first().history_change_reason == "Partnership set-up workbook"
    again = partnership_setup(file=_saved(book))
    assert not again.changed


def test_allocations_that_must_add_up_and_do_are_accepted():
    book = load_workbook(WORKBOOK)
    years = book["Contract years"]
    years["C2"] = "1485000"  # what the 2010/11 allocations under VAL's pool add up to
    years["H2"] = "yes"
    report = partnership_setup(file=_saved(book), dry_run=True)
    assert report.problems == []
    assert report.updated == {"contract years": 1}


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    Funder.objects.filter(code="POLICE").update(name='=HYPERLINK("http://example.org")')
    path = tmp_path / "out.xlsx"
    call_command("partnership_workbook", str(path), "--partnership", "leicestershire", stdout=io.StringIO())
    funders = load_workbook(path)["Funders"]
    cell = next(row[1] for row in funders.iter_rows(min_row=2) if row[0].value == "POLICE")
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://example.org")'
