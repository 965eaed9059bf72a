"""Evidence documents: checked by size and by their bytes, kept in Django's storage, served only through the
portal to those who may read the return, every replaced version kept; survey figures for #20 and #24; the
Peer Review Body reads what a dispute concerns."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from contracts.models import SubContract
from disputes.services import dispute_raise
from performance.models import Evidence, Indicator, Result, Return, SurveyFigure
from performance.services import EvidenceRefused, evidence_add, evidence_replace, survey_figure_record
from vcsportal.demo import DEMO_USERS
from vcsportal.models import User

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PDF_2 = b"%PDF-1.7\n% the second version\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200 + b"This program cannot be run"


def xlsx_bytes() -> bytes:
    book = Workbook()
    book.active["A1"] = "groups surveyed"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def user(name: str) -> User:
    return User.objects.get(username=name)


def vasl_draft() -> Return:
    return Return.objects.get(provider__code="VASL", period__financial_year=2010, period__quarter=3)


def upload(client, return_obj, body: bytes, name: str, title: str = "Survey report"):
    return client.post(
        reverse("performance:return_evidence", args=[return_obj.pk]),
        {"title": title, "result": "", "document": SimpleUploadedFile(name, body, content_type="application/pdf")},
    )


def document_errors(response) -> list[str]:
    return response.context["form"].errors.get("document", [])


@pytest.mark.parametrize(
    ("body", "name", "content_type"),
    [
        (PDF, "report.pdf", "application/pdf"),
        (PNG, "photo.png", "image/png"),
        (b"group,type\nA,faith\n", "figures.csv", "text/csv"),
        (None, "figures.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_a_provider_keeps_a_document_in_the_storage(hub_client, body, name, content_type):
    body = body if body is not None else xlsx_bytes()
    response = upload(hub_client, vasl_draft(), body, name)
    assert response.status_code == 302
    evidence = Evidence.objects.get(return_obj=vasl_draft())
    assert evidence.content_type == content_type
    assert evidence.size == len(body)
    assert evidence.document.storage is default_storage or type(evidence.document.storage) is type(default_storage)
    with default_storage.open(evidence.document.name, "rb") as stored:
        assert stored.read() == body
    assert evidence.history.get().history_user == user("vasl.hub")


def test_a_document_over_the_limit_is_refused_naming_the_field_and_the_limit(hub_client, settings):
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    response = upload(hub_client, vasl_draft(), b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024), "big.pdf")
    assert response.status_code == 400
    [message] = document_errors(response)
    assert "2 MB" in message and "1 MB or smaller" in message and "PDF" in message
    assert message in response.content.decode() and message.startswith("The document")  # the summary names the field
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    ("body", "name", "words"),
    [
        (EXE, "minutes.pdf", "named .pdf but its content is a .exe file"),
        (PDF, "minutes.exe", "A .exe file cannot be kept as evidence"),
        (PNG, "minutes.docx", "named .docx but its content is a .png file"),
        (b"\x00\x01\x02binary", "figures.csv", "named .csv but its content is not a document we accept"),
        (b"", "empty.pdf", "The document is empty"),
    ],
)
def test_a_document_whose_name_or_bytes_are_not_accepted_is_refused(hub_client, body, name, words):
    response = upload(hub_client, vasl_draft(), body, name)
    assert response.status_code == 400
    [message] = document_errors(response)
    assert words in message
    assert "a PDF, a Word document" in message  # what would be accepted
    assert not Evidence.objects.exists()


def test_the_service_refuses_the_same_as_the_page():
    with pytest.raises(EvidenceRefused) as refused:
        evidence_add(
            return_obj=vasl_draft(),
            user=user("vasl.hub"),
            title="Renamed",
            upload=SimpleUploadedFile("report.pdf", EXE),
        )
    assert "document" in refused.value.errors
    assert not Evidence.objects.exists()


#: Who opens a document kept against VASL's 2010/11 Q3 draft: whoever may read the return (its own staff and
#: LCC); funders, the CIO (a draft is its provider's own), other providers, the peer member and the national
#: reviewer find nothing.
DRAFT_EVIDENCE_READERS = {
    "lcc.officer": 200,
    "funder.reviewer": 404,
    "val.staff": 404,
    "vasl.hub": 200,
    "vac.hub": 404,
    "lutterworth.lrc": 404,
    "peer.reviewer": 404,
    "national.reviewer": 404,
}


def test_every_role_is_walked():
    assert set(DRAFT_EVIDENCE_READERS) == {name for name, *_ in DEMO_USERS}


@pytest.mark.parametrize("username", [name for name, *_ in DEMO_USERS])
def test_a_document_is_served_only_to_who_may_read_its_return(login, username):
    evidence = evidence_add(
        return_obj=vasl_draft(), user=user("vasl.hub"), title="Minutes", upload=SimpleUploadedFile("m.pdf", PDF)
    )
    client = login(username)
    expected = DRAFT_EVIDENCE_READERS[username]
    response = client.get(reverse("performance:evidence", args=[evidence.pk]))
    assert response.status_code == expected
    page = client.get(reverse("performance:return_evidence", args=[vasl_draft().pk]))
    assert page.status_code == expected
    version = evidence.history.get()
    old = client.get(reverse("performance:evidence_version", args=[evidence.pk, version.history_id]))
    assert old.status_code == expected
    if expected == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "private" in response["Cache-Control"]


def test_anonymous_visitors_are_sent_to_sign_in(client):
    evidence = evidence_add(
        return_obj=vasl_draft(), user=user("vasl.hub"), title="Minutes", upload=SimpleUploadedFile("m.pdf", PDF)
    )
    response = client.get(reverse("performance:evidence", args=[evidence.pk]))
    assert response.status_code == 302
    assert "login" in response["Location"] or "sign" in response["Location"]


def test_the_storage_is_not_served_as_public_media(client, lcc_client, settings):
    evidence = evidence_add(
        return_obj=vasl_draft(), user=user("vasl.hub"), title="Minutes", upload=SimpleUploadedFile("m.pdf", PDF)
    )
    for path in (f"/media/{evidence.document.name}", f"/{evidence.document.name}"):
        assert lcc_client.get(path).status_code == 404


@pytest.mark.parametrize("username", ["vac.hub", "funder.reviewer", "peer.reviewer", "val.staff"])
def test_only_the_return_s_own_staff_and_lcc_add_documents(login, username):
    response = upload(login(username), vasl_draft(), PDF, "report.pdf")
    assert response.status_code in (403, 404)
    assert not Evidence.objects.exists()


def test_replacing_a_document_keeps_the_old_one_in_history(hub_client):
    evidence = evidence_add(
        return_obj=vasl_draft(), user=user("vasl.hub"), title="Minutes", upload=SimpleUploadedFile("v1.pdf", PDF)
    )
    old_name = evidence.document.name
    response = hub_client.post(
        reverse("performance:evidence_replace", args=[evidence.pk]),
        {
            f"replace{evidence.pk}-document": SimpleUploadedFile("v2.pdf", PDF_2),
            f"replace{evidence.pk}-version": "1",
            f"replace{evidence.pk}-reason": "Corrected figures",
        },
    )
    assert response.status_code == 302
    evidence.refresh_from_db()
    assert evidence.version == 2 and evidence.original_name == "v2.pdf"
    assert evidence.document.name != old_name
    first, second = evidence.history.order_by("history_date")
    assert (first.original_name, first.document, first.version) == ("v1.pdf", old_name, 1)
    assert default_storage.exists(old_name)
    assert second.history_change_reason == "Corrected figures"
    old = hub_client.get(reverse("performance:evidence_version", args=[evidence.pk, first.history_id]))
    assert b"".join(old.streaming_content) == PDF
    new = hub_client.get(reverse("performance:evidence", args=[evidence.pk]))
    assert b"".join(new.streaming_content) == PDF_2
    page = hub_client.get(reverse("performance:return_evidence", args=[vasl_draft().pk])).content.decode()
    assert "v1.pdf" in page and "v2.pdf" in page


def test_a_stale_replacement_is_refused_and_nothing_changes(hub_client):
    evidence = evidence_add(
        return_obj=vasl_draft(), user=user("vasl.hub"), title="Minutes", upload=SimpleUploadedFile("v1.pdf", PDF)
    )
    evidence_replace(evidence=evidence, user=user("vasl.hub"), upload=SimpleUploadedFile("v2.pdf", PDF_2), version=1)
    response = hub_client.post(
        reverse("performance:evidence_replace", args=[evidence.pk]),
        {f"replace{evidence.pk}-document": SimpleUploadedFile("v3.pdf", PDF), f"replace{evidence.pk}-version": "1"},
    )
    assert response.status_code == 409
    evidence.refresh_from_db()
    assert evidence.original_name == "v2.pdf" and evidence.history.count() == 2


def test_a_replacement_of_the_wrong_type_is_refused_and_the_document_kept(hub_client):
    evidence = evidence_add(
        return_obj=vasl_draft(), user=user("vasl.hub"), title="Minutes", upload=SimpleUploadedFile("v1.pdf", PDF)
    )
    response = hub_client.post(
        reverse("performance:evidence_replace", args=[evidence.pk]),
        {f"replace{evidence.pk}-document": SimpleUploadedFile("v2.pdf", EXE), f"replace{evidence.pk}-version": "1"},
    )
    assert response.status_code == 400
    assert "its content is a .exe file" in response.content.decode()
    evidence.refresh_from_db()
    assert evidence.original_name == "v1.pdf" and evidence.version == 1


def test_the_survey_based_indicators_are_20_and_24():
    assert set(Indicator.objects.filter(survey_based=True).values_list("code", flat=True)) == {"VAL-20", "VAL-24"}


def test_a_survey_result_records_its_sample_and_breakdowns(login):
    result = Result.objects.filter(indicator__code="VAL-20", return_obj__provider__code="VAL").first()
    return_obj = result.return_obj
    staff = user("val.staff") if return_obj.status != Return.Status.SIGNED_OFF else user("lcc.officer")
    client = login(staff.username)
    url = reverse("performance:return_evidence", args=[return_obj.pk])
    for dimension, category, sample in (("overall", "", 212), ("group_type", "Faith groups", 31)):
        response = client.post(
            url,
            {
                "survey": "1",
                "result": str(result.pk),
                "dimension": dimension,
                "category": category,
                "sample_size": str(sample),
                "value": "75",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    figures = SurveyFigure.objects.filter(result=result)
    assert sorted(figures.values_list("dimension", "category", "sample_size")) == [
        ("group_type", "Faith groups", 31),
        ("overall", "", 212),
    ]
    page = client.get(url).content.decode()
    assert "Faith groups" in page and "212" in page
    refused = client.post(
        url, {"survey": "1", "result": str(result.pk), "dimension": "location", "category": "", "sample_size": "5"}
    )
    assert refused.status_code == 400
    assert "Enter the type of group or the location" in refused.content.decode()


def test_a_result_not_measured_by_survey_records_no_survey_figure():
    result = Result.objects.filter(indicator__code="VAL-25", return_obj__provider__code="VAL").first()
    with pytest.raises(EvidenceRefused, match="not measured by a survey"):
        survey_figure_record(result=result, user=user("lcc.officer"), dimension="overall", category="", sample_size=10)


def _submitted_hub_result() -> Result:
    return (
        Result.objects.filter(return_obj__provider__code="VASL")
        .exclude(return_obj__status__in=Return.OPEN_TO_PROVIDER)
        .order_by("pk")
        .first()
    )


def test_the_peer_reviewer_reads_a_disputed_rating_with_its_evidence(peer_client):
    result = _submitted_hub_result()
    evidence = evidence_add(
        return_obj=result.return_obj,
        user=user("lcc.officer"),
        title="Survey",
        upload=SimpleUploadedFile("s.pdf", PDF),
        result=result,
    )
    url = reverse("performance:evidence", args=[evidence.pk])
    assert peer_client.get(url).status_code == 404  # no dispute yet: nothing to adjudicate
    dispute = dispute_raise(user=user("val.staff"), subject="Rating", details="Too generous", result=result)
    assert peer_client.get(url).status_code == 200
    dispute_page = peer_client.get(dispute.get_absolute_url()).content.decode()
    assert 'id="dispute-evidence"' in dispute_page and url in dispute_page
    page = peer_client.get(reverse("performance:return_evidence", args=[result.return_obj.pk]))
    assert page.status_code == 200 and "Survey" in page.content.decode()
    assert peer_client.get(reverse("api:result-detail", args=[result.pk])).status_code in (200, 403)


def test_the_peer_reviewer_reads_a_disputed_sub_contract_and_its_contract(peer_client):
    subcontract = SubContract.objects.filter(provider__code="VASL").order_by("-start_year").first()
    sub_url = reverse("contracts:subcontract", args=[subcontract.pk])
    contract_url = reverse("contracts:detail", args=[subcontract.contract_id])
    assert peer_client.get(sub_url).status_code == 404
    assert peer_client.get(contract_url).status_code == 403  # not one it adjudicates
    dispute = dispute_raise(user=user("vasl.hub"), subject="Cut", details="Too deep", subcontract=subcontract)
    dispute_page = peer_client.get(dispute.get_absolute_url()).content.decode()
    assert f'href="{sub_url}"' in dispute_page and f'href="{contract_url}"' in dispute_page
    assert peer_client.get(sub_url).status_code == 200
    assert peer_client.get(contract_url).status_code == 200
    other = SubContract.objects.filter(provider__code="VAC").first()
    assert peer_client.get(reverse("contracts:subcontract", args=[other.pk])).status_code == 404
    # Still no scenarios, budget money or exports for the peer member.
    assert peer_client.get(reverse("contracts:scenarios")).status_code == 403
