"""The partnership set-up page, for site administrators only: the blank template to download, the upload checked
first (a dry run: every problem named by sheet, row and column, or what would change), then exactly the
previewed workbook applied. Everyone else is refused."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from districts.models import County, District
from tests.partnership_setup.test_services import WORKBOOK, _broken_workbook
from tests.signin import signed_in
from vcsportal.models import User

pytestmark = pytest.mark.django_db

PAGE = reverse("partnership_setup:upload")
TEMPLATE = reverse("partnership_setup:template")


@pytest.fixture
def admin_client():
    return signed_in(User.objects.create_superuser("site.admin", "site.admin@example.org", "not-used-here"))


def _upload(content: bytes, name="set-up.xlsx"):
    return {"workbook": SimpleUploadedFile(name, content, content_type="application/octet-stream")}


def _rutland() -> bytes:
    """A second partnership: one county, one district, nothing else."""
    book = load_workbook(WORKBOOK)
    for name in book.sheetnames[2:]:
        book[name].delete_rows(2, book[name].max_row)
    partnership = book["Partnership"]
    partnership["A2"], partnership["B2"], partnership["C2"] = "Rutland", "rutland", "E06000017"
    book["Districts"].append(["Rutland", "rutland-district", "E06000017", 41049, "2021 Census"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("username", ["lcc.officer", "funder.reviewer", "val.staff", "vasl.hub", "peer.reviewer"])
def test_everyone_but_a_site_administrator_is_refused(username, unchanged):
    client = signed_in(User.objects.get(username=username))
    assert client.get(PAGE).status_code == 403
    assert client.get(TEMPLATE).status_code == 403
    with unchanged():
        assert client.post(PAGE, _upload(_rutland())).status_code == 403


def test_the_blank_template_downloads_with_its_instructions(admin_client):
    response = admin_client.get(TEMPLATE)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="partnership-setup-template.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:3] == ["Instructions", "Partnership", "Districts"]
    assert [cell.value for cell in book["Districts"][1]][:3] == ["Name", "Slug", "ONS code"]


def test_a_workbook_with_errors_shows_every_problem_by_sheet_row_and_column_and_changes_nothing(
    admin_client, unchanged
):
    with unchanged():
        response = admin_client.post(PAGE, _upload(_broken_workbook().getvalue()))
    assert response.status_code == 400
    page = response.content.decode()
    assert "<title>Error: " in page
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', page, re.S).group(0)
    assert "sheet Districts, row 2, column C (ONS code): “E0712” is not an ONS code" in summary
    assert "sheet Contributions, row 2, column E (Amount): “920000.125” has more than 2 decimals" in summary
    assert "sheet Allocations, row 3, column B (Organisation): there is no organisation “NOBODY”" in summary
    assert "sheet Indicators, row 2, column E (Strand): “sport” is not one of the choices" in summary
    assert 'href="#id_workbook"' in summary
    assert "Apply the workbook" not in page


def test_a_new_partnership_is_previewed_then_applied_once(admin_client):
    preview = admin_client.post(PAGE, _upload(_rutland()))
    assert preview.status_code == 200
    assert not County.objects.filter(slug="rutland").exists()  # a preview writes nothing
    lines = {line["table"]: line for line in preview.context["report"].tables()}
    assert lines["counties"]["created"] == 1
    assert lines["districts"]["created"] == 1
    previewed = preview.context["apply_form"]["previewed"].value()

    applied = admin_client.post(PAGE, {"previewed": previewed}, follow=True)
    assert applied.redirect_chain == [(PAGE, 302)]
    assert "Partnership rutland set up: 2 rows created" in applied.content.decode()
    assert District.objects.get(slug="rutland-district").county.slug == "rutland"

    again = admin_client.post(PAGE, {"previewed": previewed}, follow=True)
    assert "already up to date: nothing changed" in again.content.decode()


def test_a_changed_preview_is_refused(admin_client, unchanged):
    preview = admin_client.post(PAGE, _upload(_rutland()))
    previewed = preview.context["apply_form"]["previewed"].value()
    with unchanged():
        response = admin_client.post(PAGE, {"previewed": previewed[:-3] + "xyz"})
    assert response.status_code == 400
    assert "upload the workbook again" in response.content.decode()


def test_a_file_that_is_not_a_workbook_is_named(admin_client, unchanged):
    with unchanged():
        response = admin_client.post(PAGE, _upload(b"not a workbook"))
    assert response.status_code == 400
    assert "This is not an Excel workbook (.xlsx)" in response.content.decode()
