"""Property-based tests: random and hostile input to the CSV import and the return form.

Whatever arrives (huge, negative or non-finite numbers, Unicode with right-to-left marks and emoji, NUL and
other control characters, text a spreadsheet would run as a formula, very long text, other encodings,
missing or extra columns), each attempt either saves valid data, and then what is stored equals what was
sent once normalised, or is refused with a message; never a server error, never a partial save.

Each example runs inside a savepoint that is rolled back afterwards, so every example starts from the same
Leicestershire data; that is why sharing the function-scoped fixtures (the database, a signed-in client)
between examples is safe and hypothesis's health check about them is suppressed.
"""

import re
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from performance.imports import HEADER, returns_import
from performance.models import Rag, Result, Return
from tests.performance.conftest import page_data, row_prefix
from vcsportal.models import User

pytestmark = pytest.mark.django_db

PROPERTY_SETTINGS = settings(
    max_examples=50,
    deadline=None,
    derandomize=True,  # the same examples on every run and both databases: a failure can be replayed
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

LOCAL_INDICATORS = ["LOC-1", "LOC-2", "LOC-3", "LOC-4", "LOC-5"]

HOSTILE_TEXT = [
    "",
    "A steady quarter.",
    "=SUM(A1:A9)",
    "+44 116 000 0000",
    "-1",
    "@cmd|' /C calc'!A0",
    "\u202eevil.exe\u202c",  # right-to-left override
    "مرحبا بالعالم",  # Arabic, right to left
    "שלום",
    "volunteers 😀👍🏽 ✓",
    "a\x00b",  # NUL: PostgreSQL cannot store it
    "\x00",
    "bell\x07 escape\x1b[31m",
    "tab\tand\nnew line\r\n",
    "x" * 100_000,
    "'quoted' \"double\" ,comma",
    "\ufeffbom",
    "\ud7ff\ue000\uffff",
]
HOSTILE_NUMBERS = [
    "",
    "42",
    "12.5",
    "-5",
    "-0",
    "0.001",
    "1e5",
    "1E-5",
    "1e30",
    "10**20",
    "100000000000000000000",
    "999999999999.99",
    "99999999999.99",
    "NaN",
    "nan",
    "Infinity",
    "-Infinity",
    "sNaN",
    "1,000",
    " 42 ",
    "٤٢",  # Arabic-Indic digits
    "42\x00",
    "£5",
    "0x1F",
]

text = st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(max_size=40))
number = st.one_of(
    st.sampled_from(HOSTILE_NUMBERS),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.decimals(allow_nan=True, allow_infinity=True, places=None).map(str),
    st.floats().map(repr),
)
rag = st.one_of(
    st.sampled_from(["", *Rag.values]), st.sampled_from(["RED", "purple", "green\x00"]), st.text(max_size=8)
)
reason = st.one_of(st.sampled_from(["", "no_target", "not_applicable", "not_yet_available", "other"]), text)


def vasl_q3() -> Return:
    return Return.objects.get(provider__code="VASL", period__financial_year=2010, period__quarter=3)


def rows_state(return_obj: Return) -> tuple:
    """The return's own row and every result of it, with how much history each has."""
    results = return_obj.results.order_by("pk")
    return (
        list(Return.objects.filter(pk=return_obj.pk).values_list()),
        list(results.values_list()),
        Result.history.filter(return_obj_id=return_obj.pk).count(),
        Return.history.filter(id=return_obj.pk).count(),
    )


def as_decimal(sent: str, *, commas: bool) -> Decimal | None:
    cleaned = sent.strip().replace(",", "") if commas else sent.strip()
    return Decimal(cleaned) if cleaned else None


class RolledBack(Exception):
    """Raised at the end of each example to undo it."""


def in_savepoint(check):
    try:
        with transaction.atomic():
            check()
            raise RolledBack
    except RolledBack:
        pass


# --- the CSV import -----------------------------------------------------------------------------------------

csv_row = st.fixed_dictionaries(
    {
        "indicator": st.sampled_from(LOCAL_INDICATORS),
        "rag": rag,
        "actual": number,
        "target": number,
        "reason": reason,
        "narrative": text,
    }
)


def csv_bytes(rows: list[dict], header: list[str], encoding: str) -> bytes:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        cells = {"period": "2010/11 Q3", "provider": "VASL", "district": "", **row}
        writer.writerow([cells.get(name, "") for name in header])
    return buffer.getvalue().encode(encoding, errors="replace")


headers = st.one_of(
    st.just(HEADER),
    st.just(HEADER),
    st.just(HEADER[:-1]),  # a missing column
    st.just([*HEADER, "extra"]),  # an extra one
    st.permutations(HEADER).map(list),
)
encodings = st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "latin-1", "utf-16", "cp1252"])


@PROPERTY_SETTINGS
@given(
    rows=st.lists(csv_row, min_size=1, max_size=4, unique_by=lambda row: row["indicator"]),
    header=headers,
    encoding=encodings,
)
def test_the_csv_import_saves_exactly_what_was_sent_or_refuses_with_line_and_column(rows, header, encoding):
    lcc = User.objects.get(username="lcc.officer")

    def check():
        return_obj = vasl_q3()
        before = rows_state(return_obj)
        data = csv_bytes(rows, header, encoding)
        report = returns_import(data=data, user=lcc)
        if not report.ok:
            assert rows_state(return_obj) == before, "a refused file changed the database"
            assert report.created == report.updated == 0
            for problem in report.problems:
                assert re.fullmatch(r"line \d+, column [\w-]+: .+", str(problem), re.DOTALL), str(problem)
            return
        # Saved: the file was the header exactly, in UTF-8, and every row is stored as sent.
        assert header == HEADER
        for row in rows:
            result = return_obj.results.get(indicator__code=row["indicator"], district=None)
            assert result.actual == as_decimal(row["actual"], commas=True)
            sent_target = as_decimal(row["target"], commas=True)
            if sent_target is not None:
                assert result.target == sent_target
            assert result.narrative == row["narrative"].strip()
            assert result.rag == (row["rag"].strip() or result.computed_rag)
            if result.rag == Rag.NOT_REPORTED and row["reason"].strip() not in ("", "other"):
                assert row["reason"].strip() in (result.not_reported_reason, result.not_reported_other)

    in_savepoint(check)


# --- the return form ----------------------------------------------------------------------------------------

form_row = st.fixed_dictionaries(
    {
        "actual": number,
        "rag": rag,
        "rag_override_reason": text,
        "not_reported_reason": reason,
        "not_reported_other": text,
        "narrative": text,
        "evidence_url": st.one_of(
            st.sampled_from(["", "https://example.org/evidence", "javascript:alert(1)", "https://x.org/\x00"]), text
        ),
    }
)


@PROPERTY_SETTINGS
@given(
    rows=st.dictionaries(st.sampled_from(LOCAL_INDICATORS), form_row, min_size=1, max_size=3),
    submit=st.booleans(),
)
def test_the_return_form_saves_exactly_what_was_typed_or_refuses_with_a_message(hub_client, rows, submit):
    def check():
        return_obj = vasl_q3()
        before = rows_state(return_obj)
        page = hub_client.get(reverse("performance:return", args=[return_obj.pk]))
        data = page_data(page)
        for code, values in rows.items():
            prefix = row_prefix(page, code)
            for name, value in values.items():
                data[f"{prefix}-{name}"] = value
        if submit:
            data["submit"] = "Submit"
            data["confirmed"] = "yes"  # the confirmation page's button
        response = hub_client.post(reverse("performance:return", args=[return_obj.pk]), data)
        assert response.status_code in (302, 400), response.status_code
        if response.status_code == 400:
            assert rows_state(return_obj) == before, "a refused form changed the database"
            summary = response.context["error_summary"]
            assert summary, "refused without a message"
            assert all(message for _, message in summary)
            return
        for code, values in rows.items():
            result = return_obj.results.get(indicator__code=code, district=None)
            sent = values["actual"].strip()
            assert result.actual == (Decimal(sent) if sent else None)
            assert result.rag == values["rag"]
            assert result.narrative == values["narrative"].strip()
            assert result.evidence_url == values["evidence_url"].strip()
            if result.rag == Rag.NOT_REPORTED:
                assert result.not_reported_reason == values["not_reported_reason"]
        return_obj.refresh_from_db()
        assert return_obj.status == (Return.Status.SUBMITTED if submit else Return.Status.DRAFT)

    in_savepoint(check)


# --- the answers fixed for the plainly hostile cases, on both databases -------------------------------------


def import_one(lcc, **cells) -> tuple:
    row = {"indicator": "LOC-1", "rag": "green", "actual": "5", "target": "", "reason": "", "narrative": "", **cells}
    before = rows_state(vasl_q3())
    report = returns_import(data=csv_bytes([row], HEADER, "utf-8"), user=lcc)
    return report, before == rows_state(vasl_q3())


@pytest.mark.parametrize(
    "cells, column, words",
    [
        ({"narrative": "a\x00b"}, "narrative", "control character (code 0x00)"),
        ({"narrative": "bell\x07"}, "narrative", "control character (code 0x07)"),
        ({"rag": "not_reported", "reason": "r" * 501}, "reason", "at most 500 characters (it has 501)"),
        ({"rag": "green", "target": "10", "actual": "1", "reason": "x\x00"}, "reason", "control character"),
        ({"actual": "1e30"}, "actual", "not a usable number"),
        ({"actual": "NaN"}, "actual", "not a usable number"),
        ({"actual": "Infinity"}, "actual", "not a usable number"),
        ({"actual": "10**20"}, "actual", "is not a number"),
        ({"actual": "0.001"}, "actual", "2 decimal places"),
        # LOC-1 counts volunteer enquiries: a count is whole and not negative (the indicator's unit).
        ({"actual": "-5"}, "actual", "enter the actual figure as a whole number, 0 or more"),
        ({"actual": "12.5"}, "actual", "enter the actual figure as a whole number, 0 or more"),
        ({"narrative": "x" * 200_000}, "narrative", "the field is too long: at most 131,072 characters"),
    ],
)
def test_hostile_import_values_are_refused_naming_line_column_and_what_is_accepted(cells, column, words):
    report, unchanged = import_one(User.objects.get(username="lcc.officer"), **cells)
    assert not report.ok and unchanged
    assert any(problem.column == column and words in problem.message for problem in report.problems), [
        str(problem)[:200] for problem in report.problems
    ]


@pytest.mark.parametrize(
    "sent, stored",
    [("1e5", Decimal("100000")), ("1,000", Decimal("1000")), ("+5", Decimal("5")), ("٤٢", Decimal("42"))],
)
def test_numbers_written_other_ways_are_stored_as_their_value(sent, stored):
    report, _ = import_one(User.objects.get(username="lcc.officer"), actual=sent)
    assert report.ok, report.problems
    assert vasl_q3().results.get(indicator__code="LOC-1").actual == stored


@pytest.mark.parametrize(
    "field, value, words",
    [
        ("narrative", "a\x00b", "the narrative holds a control character (code 0x00)"),
        ("narrative", "escape\x1b[31m", "the narrative holds a control character (code 0x1b)"),
        ("not_reported_other", "x\x00", "the other reason it is not reported holds a control character"),
        ("not_reported_other", "r" * 501, "the other reason it is not reported must be at most 500 characters"),
        ("rag", "purple", "choose red, amber, green or not reported"),
        ("actual", "NaN", "enter the actual figure as a number"),
        ("actual", "1e30", "the actual figure is too large: at most 12 digits before the decimal point"),
    ],
)
def test_hostile_form_values_are_refused_beside_the_field_naming_the_row(hub_client, field, value, words):
    return_obj = vasl_q3()
    before = rows_state(return_obj)
    page = hub_client.get(reverse("performance:return", args=[return_obj.pk]))
    data = page_data(page)
    prefix = row_prefix(page, "LOC-1")
    data.update({f"{prefix}-rag": "not_reported", f"{prefix}-not_reported_reason": "other"})
    data[f"{prefix}-not_reported_other"] = "Data arrives late"
    data[f"{prefix}-{field}"] = value
    response = hub_client.post(reverse("performance:return", args=[return_obj.pk]), data)
    assert response.status_code == 400
    messages = [message for _, message in response.context["error_summary"]]
    assert any(words in message and message.startswith("LOC-1") for message in messages), messages
    assert rows_state(return_obj) == before
