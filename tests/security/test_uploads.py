"""LCC's CSV upload: files over the size limit and files that are not CSV text (by name, by declared type,
or by their bytes) are refused with a message saying what would be accepted; nothing is saved."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from performance.imports import HEADER
from performance.models import Result

pytestmark = pytest.mark.django_db

GOOD_LINE = "2010/11 Q3,VASL,LOC-1,,green,12,,,Twelve groups helped"


def csv_file(body: bytes, name: str = "results.csv", content_type: str = "text/csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type=content_type)


def good_csv() -> bytes:
    return (",".join(HEADER) + "\n" + GOOD_LINE + "\n").encode()


def upload(client, file):
    return client.post(reverse("performance:import"), {"file": file})


def field_errors(response) -> list[str]:
    return response.context["form"].errors.get("file", [])


def test_a_good_csv_is_imported(lcc_client):
    response = upload(lcc_client, csv_file(good_csv()))
    assert response.status_code == 200
    assert response.context["report"].ok
    assert (
        Result.objects.get(
            return_obj__provider__code="VASL", return_obj__period__quarter=3, indicator__code="LOC-1", district=None
        ).actual
        == 12
    )


def test_a_file_over_the_limit_is_refused_before_it_is_read(lcc_client, settings, unchanged):
    settings.RETURN_IMPORT_MAX_BYTES = 1024
    body = good_csv() + b"\n" * 1024
    with unchanged():
        response = upload(lcc_client, csv_file(body))
    assert response.status_code == 400
    assert field_errors(response) == ["The file must be smaller than 1.0\xa0KB"]
    assert "The file must be smaller than 1.0" in response.content.decode()


def test_the_default_limit_is_five_megabytes(lcc_client, unchanged):
    body = good_csv() + b" " * (5 * 1024 * 1024)
    with unchanged():
        response = upload(lcc_client, csv_file(body))
    assert response.status_code == 400
    assert field_errors(response) == ["The file must be smaller than 5.0\xa0MB"]


@pytest.mark.parametrize(
    "file, message",
    [
        (csv_file(good_csv(), name="results.xlsx"), "The file must be a CSV file (ending .csv)"),
        (csv_file(good_csv(), name="results.csv.exe"), "The file must be a CSV file (ending .csv)"),
        (csv_file(good_csv(), content_type="application/pdf"), "The file must be a CSV file (text/csv)"),
        # Named .csv and sent as text/csv, but not text: a spreadsheet (zip), an image, UTF-16 text, NUL bytes.
        (csv_file(b"PK\x03\x04" + b"\x14\x00" * 20), "it holds binary data"),
        (csv_file(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "it holds binary data"),
        (
            csv_file((",".join(HEADER) + "\n" + GOOD_LINE + "\n").encode("utf-16")),
            "save it from your spreadsheet as CSV UTF-8",
        ),
        (csv_file(good_csv().replace(b"Twelve", b"Tw\x00elve")), "it holds binary data"),
    ],
    ids=["xlsx name", "double extension", "pdf type", "zip bytes", "png bytes", "utf-16", "a NUL byte"],
)
def test_files_that_are_not_csv_text_are_refused_with_a_message(lcc_client, unchanged, file, message):
    with unchanged():
        response = upload(lcc_client, file)
    assert response.status_code == 400
    assert any(message in error for error in field_errors(response)), field_errors(response)


def test_a_latin_1_file_is_refused_by_line_and_column(lcc_client, unchanged):
    body = (",".join(HEADER) + "\n" + GOOD_LINE.replace("Twelve", "Douze café") + "\n").encode("latin-1")
    with unchanged():
        response = upload(lcc_client, csv_file(body))
    assert response.status_code == 400
    problems = [str(problem) for problem in response.context["report"].problems]
    byte = body.index("é".encode("latin-1")) + 1
    assert problems == [f"line 2, column narrative: the file is not UTF-8 text (byte {byte}); save it as CSV UTF-8"]


def test_only_lcc_may_upload(hub_client, funder_client, unchanged):
    with unchanged():
        for client in (hub_client, funder_client):
            assert upload(client, csv_file(good_csv())).status_code == 403
