"""A provider's draft (or sent-back) return is its own: only its own staff and LCC officers read it. Funders and
the CIO see a return once it is submitted (the CIO reads its own drafts, and its sub-contractors' returns once
submitted). One rule, ``performance.policies.ReturnPolicy.rule_view``, which every channel asks.

Tested as a class: every URL of the URLconf (pages, exports, the quarterly pack, the API), with the period of
the drafts chosen and drafts asked for where a view reads ``include_drafts``, and every download those pages
link to, is requested by each role twice, with the drafts that role may not read filled in two different ways.
If any answer differs, or shows the drafts' narrative, a draft leaks: a new page, export or API list cannot
escape, because the URLs come from the URLconf and the downloads from the pages' own links.
"""

import io
import re
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from openpyxl import load_workbook

from performance.models import Rag, Result, Return
from performance.policies import returns as return_policy
from performance.services import return_send_back, return_submit
from tests.notifications.conftest import complete
from tests.security.test_url_walk import concrete_url, every_table_has_a_row, url_endpoints  # noqa: F401
from tests.signin import signed_in
from vcsportal.models import User

pytestmark = pytest.mark.django_db

#: Everyone who may not read some other provider's draft (LCC officers read every draft).
ROLES = ["funder.reviewer", "val.staff", "vasl.hub", "vac.hub", "lutterworth.lrc", "peer.reviewer"]
#: The drafts' period, so that every page that takes one shows the period the drafts are in.
DRAFT_PERIOD = {"label": "2010/11 Q3", "slug": "2010-11-q3"}
#: Extra query strings: the drafts' period, and drafts asked for (refused or ignored where not allowed).
QUERIES = [
    "",
    f"?period={DRAFT_PERIOD['slug']}&compare_to=2010-11-q2&include_drafts=true",
    "?period=2010%2F11+Q3",
    "?period=2010%2F11+Q3&include_drafts=true",
]
#: Where the page's answer differs from request to request whatever the data: CSRF tokens, CSP nonces.
VOLATILE = [
    re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*'),
    re.compile(rb'(nonce=")[^"]*'),
    re.compile(rb'("csrfToken": ")[^"]*'),
]
MARKER = "DRAFT-ONLY-WORDS"


def _sent_back_vac_return():
    """VAC's 2010/11 Q3 return, submitted then sent back by the CIO: with its provider again."""
    vac, val = User.objects.get(username="vac.hub"), User.objects.get(username="val.staff")
    return_obj = Return.objects.get(provider__code="VAC", period__financial_year=2010, period__quarter=3)
    complete(return_obj, vac)
    return_obj = return_submit(return_obj=return_obj, user=vac)
    return return_send_back(return_obj=return_obj, user=val, comment="Please add the figures")


def _hidden_drafts(user) -> list[int]:
    """The drafts and sent-back returns of providers other than the user's own (what the rule hides)."""
    drafts = Return.objects.filter(status__in=Return.OPEN_TO_PROVIDER)
    if user.organisation_id:
        drafts = drafts.exclude(provider_id=user.organisation_id)
    return list(drafts.values_list("pk", flat=True))


def _fill(return_ids: list[int], variant: int) -> None:
    """Give the hidden drafts' results different ratings, figures and words (written straight to the rows: the
    test is about what others read, and the summaries' triggers keep the counts in step)."""
    rag, actual = (Rag.RED, Decimal("111")) if variant == 1 else (Rag.GREEN, Decimal("987654"))
    Result.objects.filter(return_obj_id__in=return_ids).update(
        rag=rag,
        computed_rag=rag,
        not_reported_reason="",
        actual=actual,
        narrative=f"{MARKER} {variant}",
        rag_override_reason=f"{MARKER} {variant}",
    )


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") if tag == "a" else None
        if href and href.startswith("/") and not href.startswith("//"):
            self.hrefs.append(href)


def _is_download(url: str) -> bool:
    path = urlsplit(url).path
    return path.endswith((".csv", ".xlsx", ".json")) or "/export" in path or path.startswith("/api/")


def _urls(client) -> list[str]:
    """Every non-admin URL of the URLconf with each query of QUERIES, and every download their pages link to."""
    urls = []
    for endpoint in url_endpoints():
        name = endpoint.name or ""
        if name.startswith("admin:") or not name or name.endswith("pdf"):
            continue
        base = concrete_url(endpoint).split("?")[0]
        base = base.replace("2010-11-q3", DRAFT_PERIOD["slug"])
        urls += [base + query for query in QUERIES]
    found = []
    for url in urls:
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            parser = Links()
            parser.feed(response.content.decode())
            found += [href for href in parser.hrefs if _is_download(href)]
    return list(dict.fromkeys(urls + found))


def _content(response) -> bytes:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in response.get("Content-Type", ""):
        workbook = load_workbook(io.BytesIO(body), read_only=True)
        return repr([list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets]).encode()
    for pattern in VOLATILE:
        body = pattern.sub(rb"\1", body)
    return body


def _answers(client, urls: list[str]) -> dict[str, tuple[int, bytes]]:
    client.raise_request_exception = False
    return {url: (response.status_code, _content(response)) for url in urls for response in [client.get(url)]}


@pytest.mark.parametrize("username", ROLES)
def test_no_page_export_or_api_answer_shows_a_draft_of_another_provider(username):
    _sent_back_vac_return()
    user = User.objects.get(username=username)
    hidden = _hidden_drafts(user)
    assert hidden, "the walk needs drafts this role may not read"
    client = signed_in(user)
    urls = _urls(client)
    _fill(hidden, 1)
    first = _answers(client, urls)
    _fill(hidden, 2)
    second = _answers(client, urls)
    leaks = [
        f"{url}: {first[url][0]} then {second[url][0]}"
        + (f", shows {MARKER}" if MARKER.encode() in second[url][1] else ", its figures change with the drafts'")
        for url in urls
        if first[url] != second[url] or MARKER.encode() in second[url][1]
    ]
    assert not leaks, f"as {username}, another provider's draft shows in:\n" + "\n".join(leaks)
    assert not return_policy.instances_for(user, "view").filter(pk__in=hidden).exists()


def test_a_providers_own_staff_and_lcc_read_its_draft_and_the_funder_and_the_cio_do_not(login):
    sent_back = _sent_back_vac_return()
    val_draft = Return.objects.get(provider__code="VAL", period__financial_year=2010, period__quarter=3)
    readers = {
        "lcc.officer": {sent_back.pk, val_draft.pk},
        "funder.reviewer": set(),
        "val.staff": {val_draft.pk},
        "vac.hub": {sent_back.pk},
        "vasl.hub": set(),
        "peer.reviewer": set(),
    }
    for username, expected in readers.items():
        client = login(username)
        for return_obj in (sent_back, val_draft):
            page = client.get(return_obj.get_absolute_url()).status_code
            api = client.get(f"/api/returns/{return_obj.pk}/").status_code
            want = 200 if return_obj.pk in expected else 404
            assert (page, api) == (want, want), f"{username} opening {return_obj}: page {page}, API {api}"
