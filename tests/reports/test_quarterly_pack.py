"""The funders' quarterly pack: the 2010/11 Q2 page and PDF show the review's Table Three (26 green, 2 amber,
13 not reported of 41 for the hubs and LRCs), every chart comes with its table, ``quarterly_report`` writes
the same PDF, and only those who read contracts may see it."""

import re
from html import unescape
from io import BytesIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from pypdf import PdfReader

pytestmark = pytest.mark.django_db

TABLE_THREE = "Hubs and LRCs: 26 green, 2 amber, 0 red, 13 not reported of 41 indicators."
Q2 = "2010-11-q2"


def pdf_text(data: bytes) -> str:
    """Every page's text, with runs of whitespace (line breaks) made single spaces."""
    reader = PdfReader(BytesIO(data))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def page_text(response) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def test_the_q2_pack_page_shows_table_three(lcc_client):
    response = lcc_client.get(reverse("reports:pack", args=[Q2]))
    assert response.status_code == 200
    text = page_text(response)
    assert re.sub(r"\s+", " ", TABLE_THREE) in text.replace(" :", ":").replace(" .", ".")
    # The headline table states the same per hubs and LRCs row: 26 (63%) green, 2 (5%) amber, 13 (32%).
    assert "Hubs and LRCs 26 (63%) 2 (5%) 0 (0%) 13 (32%) 41" in text


def test_the_q2_pack_as_a_pdf_shows_table_three(funder_client):
    response = funder_client.get(reverse("reports:pack_pdf", args=[Q2]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="quarterly-pack-2010-11-q2.pdf"' in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert TABLE_THREE in text
    for section in (
        "1. Headline",
        "2. RAG by provider",
        "3. RAG by strand",
        "4. Change since the previous period",
        "5. Completeness and timeliness",
        "6. Localities per 1,000 residents",
        "7. Money, 2010/11",
        "8. Open disputes",
        "9. District negotiations",
    ):
        assert section in text, section
    # The money as the review gives it, with the variances it cannot reconcile.
    for figure in ("£1,471,000.00", "£1,462,398.00", "£1,485,000.00", "The figures do not reconcile."):
        assert figure in text, figure


def test_quarterly_report_writes_the_same_pdf(lcc_client, tmp_path):
    output = tmp_path / "pack.pdf"
    call_command("quarterly_report", "--period", "2010/11 Q2", "--output", str(output))
    written = pdf_text(output.read_bytes())
    assert TABLE_THREE in written
    served = pdf_text(lcc_client.get(reverse("reports:pack_pdf", args=[Q2])).content)
    assert written == served


def test_every_chart_in_the_pack_comes_with_its_table(lcc_client):
    html = lcc_client.get(reverse("reports:pack", args=[Q2])).content.decode()
    sections = html.split('<figure class="portal-chart">')[1:]
    assert len(sections) == 4  # headline, providers, strands, change
    for section in sections:
        figure, after = section.split("</figure>", 1)
        table = after.split("</table>", 1)[0]
        assert table.lstrip().removeprefix('<div class="govuk-table__wrapper">').startswith("<table"), figure[:200]
        labels = re.findall(r"(?:^|; )([^:;]+): \d+ red", unescape(re.search(r"<desc[^>]*>(.*?)</desc>", figure)[1]))
        assert labels, figure[:200]
        for label in labels:
            # (a chart's label may be a shortened name: Capacity building for Capacity Building and Support to VCS)
            assert label.lower() in unescape(table).lower(), f"{label} is charted but not in the table"


def test_only_those_who_read_contracts_see_the_pack(login):
    for username, status in [
        ("lcc.officer", 200),
        ("funder.reviewer", 200),
        ("val.staff", 200),
        ("vasl.hub", 403),
        ("lutterworth.lrc", 403),
        ("peer.reviewer", 403),
    ]:
        client = login(username)
        assert client.get(reverse("reports:pack", args=[Q2])).status_code == status, username
        assert client.get(reverse("reports:index")).status_code == status, username


def test_the_index_links_each_period_with_returns_to_its_pack_and_pdf(lcc_client):
    page = lcc_client.get(reverse("reports:index")).content.decode()
    assert f'href="{reverse("reports:pack", args=[Q2])}"' in page
    assert f'href="{reverse("reports:pack_pdf", args=[Q2])}"' in page


def test_an_unknown_period_is_not_found(lcc_client):
    for slug in ("2010-11-q5", "2010-12-q2", "2030-31-q1", "q2"):
        assert lcc_client.get(f"/reports/{slug}/").status_code == 404, slug


def test_quarterly_report_names_a_bad_period(tmp_path):
    with pytest.raises(CommandError, match="--period: .*2010/11 Q7"):
        call_command("quarterly_report", "--period", "2010/11 Q7", "--output", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="--output: the folder"):
        call_command("quarterly_report", "--period", "2010/11 Q2", "--output", str(tmp_path / "no" / "x.pdf"))
