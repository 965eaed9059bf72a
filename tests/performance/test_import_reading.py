"""The CSV reader (core.csvfiles, used by the results import): read strictly, so a quote left open never
swallows the lines after it into one narrative (and those rows are never silently dropped): the file is refused
at the line where the quote opened; a multi-line narrative that is properly quoted still imports; problems are
listed up to the first hundred, with a count of the rest, so a hostile file cannot make a huge error page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.csvfiles import MAX_PROBLEMS, CappedProblems, CsvUnreadable, csv_records
from performance.imports import returns_import
from performance.models import Result, Return
from tests.performance.test_import import HEADER, snapshot

pytestmark = pytest.mark.django_db


def _vasl_q3(code: str) -> Result:
    return Result.objects.get(
        return_obj=Return.objects.get(provider__code="VASL", period__financial_year=2010, period__quarter=3),
        indicator__code=code,
    )


@pytest.mark.parametrize(
    "body",
    [
        # The quote never closes: every line after it would be one narrative.
        '2010/11 Q3,VASL,LOC-1,,green,1,,,"Busy quarter\n2010/11 Q3,VASL,LOC-2,,green,2,,,Fine\n'
        "2010/11 Q3,VASL,LOC-3,,green,3,,,Fine\n",
        # It closes at the next row's opening quote: the rows between would vanish into a garbled narrative.
        '2010/11 Q3,VASL,LOC-1,,green,1,,,"Busy quarter\n2010/11 Q3,VASL,LOC-2,,green,2,,,Fine\n'
        '2010/11 Q3,VASL,LOC-3,,green,3,,,"Quoted, with a comma"\n',
        # It closes at a quote that happens to end a later line: the swallowed line looks like a row.
        '2010/11 Q3,VASL,LOC-1,,green,1,,,"Busy quarter\n2010/11 Q3,VASL,LOC-2,,green,2,,,Fine"\n',
    ],
    ids=["never closed", "closed by a later quote", "closed at a line end"],
)
def test_an_unterminated_quote_is_refused_at_its_line_and_nothing_is_saved(body):
    before = snapshot()
    report = returns_import(data=(HEADER + body).encode())
    assert not report.ok
    problems = [str(problem) for problem in report.problems]
    assert len(problems) == 1, problems
    assert problems[0].startswith("line 2, column narrative: a quote opened on line 2"), problems
    assert snapshot() == before


def test_a_properly_quoted_narrative_over_several_lines_still_imports():
    body = '2010/11 Q3,VASL,LOC-1,,green,1,,,"First line\nsecond line"\n2010/11 Q3,VASL,LOC-2,,green,2,,,Fine\n'
    report = returns_import(data=(HEADER + body).encode())
    assert report.ok, [str(problem) for problem in report.problems]
    assert _vasl_q3("LOC-1").narrative == "First line\nsecond line"
    assert _vasl_q3("LOC-2").narrative == "Fine"


def test_lines_are_counted_as_lines_after_a_multi_line_field():
    body = '2010/11 Q3,VASL,LOC-1,,green,1,,,"One\ntwo\nthree"\n2010/11 Q3,VASL,LOC-2,,green,abc,,,x\n'
    report = returns_import(data=(HEADER + body).encode())
    assert [str(problem) for problem in report.problems][0].startswith("line 5, column actual"), report.problems


def test_problems_are_capped_at_the_first_hundred_with_a_count(lcc_client):
    bad = "".join(f"2010/11 Q3,NOPE{n},LOC-1,,green,1,,,x\n" for n in range(5000))
    report = returns_import(data=(HEADER + bad).encode())
    assert len(report.problems) == 5000
    assert len(list(report.problems)) == MAX_PROBLEMS
    assert report.problems.more == 5000 - MAX_PROBLEMS
    # The upload page lists the first hundred and says how many more.
    upload = SimpleUploadedFile("returns.csv", (HEADER + bad).encode(), content_type="text/csv")
    response = lcc_client.post(reverse("performance:import"), {"file": upload, "dry_run": "on"})
    text = response.content.decode()
    assert text.count("column provider: unknown provider code") == MAX_PROBLEMS
    assert f"and {5000 - MAX_PROBLEMS} more problems" in text


def test_the_reader_gives_each_record_its_first_line():
    records = list(csv_records('a,b\n1,"x\ny"\n2,z\n', columns=2))
    assert [(record.line, record.cells) for record in records] == [(1, ["a", "b"]), (2, ["1", "x\ny"]), (4, ["2", "z"])]
    with pytest.raises(CsvUnreadable) as refused:
        list(csv_records('a,b\n1,"x\n2,z\n', columns=2))
    assert refused.value.line == 2 and refused.value.column == 1


def test_capped_problems_count_everything_and_keep_the_first():
    problems = CappedProblems(limit=3)
    problems.extend(range(10))
    assert len(problems) == 10 and list(problems) == [0, 1, 2] and problems.more == 7 and problems


def test_the_targets_import_reads_strictly_too(lcc_client):
    from tests.security.conftest import database_state

    text = (
        "indicator,financial_year,quarter,provider,value,version\n"
        'LOC-1,2011/12,annual,,"12\n'
        "LOC-2,2011/12,annual,,30,\n"
    )
    upload = SimpleUploadedFile("targets.csv", text.encode(), content_type="text/csv")
    before = database_state()
    response = lcc_client.post(
        reverse("performance:targets_import", kwargs={"year": 2011}), {"file": upload, "reason": "File"}
    )
    assert response.status_code == 400
    assert "Line 2: a quote opened on line 2" in response.content.decode()
    assert database_state() == before


def test_the_admin_targets_import_reads_strictly_too(lcc_client):
    from tests.performance.test_framework_admin import import_post
    from tests.security.conftest import database_state

    text = (
        "indicator,financial_year,quarter,provider,district,value,version\n"
        'LOC-1,2011/12,annual,,,"12\n'
        "LOC-2,2011/12,annual,,,30,\n"
    )
    before = database_state()
    response = import_post(lcc_client, text)
    assert response.status_code == 400
    assert "Line 2: a quote opened on line 2" in response.content.decode()
    assert database_state() == before
