"""Rules every rendered page keeps, walked over every page of the URLconf as each kind of user sees it (issue 12
item 13): an element id is used once per page (labels, error summaries and skip links point at one place); a
RAG colour class is one the stylesheet defines (``rag--green``, never ``rag--Green``: one filter writes it);
a negative amount's minus sign never wraps away from its figure.
"""

import re
from collections import Counter
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

from contracts.models import SubContract
from contracts.services import scenario_create, subcontract_vary
from core.numbers import figure
from disputes.services import dispute_raise
from performance.models import Result
from tests.notifications.test_events import submitted, user
from tests.pages.test_links import _pages
from tests.signin import signed_in
from vcsportal.models import User

pytestmark = pytest.mark.django_db

RAG_STYLES = set(re.findall(r"\.rag--(\w+)", (Path(settings.BASE_DIR) / "frontend" / "_rag.scss").read_text()))


#: Classes under which text never wraps (frontend/_tables.scss): a negative figure must sit inside one.
NOWRAP = {"govuk-table__cell--numeric", "numeric", "nowrap"}
NEGATIVE = re.compile(r"(?:^|[\s(])−\s*£?\d")
#: A figure written without the number filter: a whole count with pence ("120.00") or four or more digits
#: without a thousands separator ("85382"); money (after "£"), years, dates and codes are not figures.
UNFORMATTED = re.compile(r"(?<![£\d,.\-/:A-Za-z])(?:\d+\.00|[1-9]\d{4,})(?![\d%/\-:])")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class PageRules(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: Counter = Counter()
        self.rag_classes: set[str] = set()
        self.open: list[set[str]] = []  # the classes of each element we are inside
        self.skip = 0
        self.wrapping_negatives: list[str] = []
        self.unformatted: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids[attributes["id"]] += 1
        classes = set((attributes.get("class") or "").split())
        self.rag_classes |= {name.removeprefix("rag--") for name in classes if name.startswith("rag--")}
        if tag in ("script", "style", "title", "textarea", "option"):
            self.skip += 1
        if tag not in VOID:
            self.open.append(classes)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.open.pop()

    def handle_endtag(self, tag):
        if tag in ("script", "style", "title", "textarea", "option") and self.skip:
            self.skip -= 1
        if tag not in VOID and self.open:
            self.open.pop()

    def handle_data(self, data):
        if self.skip:
            return
        if not any("govuk-hint" in classes for classes in self.open):  # a hint's example of what to type
            self.unformatted += [match.group(0) for match in UNFORMATTED.finditer(data)]
        if not NEGATIVE.search(data):
            return
        if not any(classes & NOWRAP for classes in self.open):
            self.wrapping_negatives.append(data.strip()[:60])


def _walked_pages(username: str) -> list[tuple[str, str]]:
    """Every HTML page the user may open (and the pages showing a RAG challenge and a submitted return)."""
    return_obj = submitted("VASL", "vasl.hub")
    dispute = dispute_raise(
        user=user("vasl.hub"),
        subject="LOC-1 rating",
        details="D",
        result=Result.objects.filter(return_obj=return_obj).first(),
    )
    # Negative figures to write: a cut by variation, and a scenario that cuts everyone.
    lcc = user("lcc.officer")
    vasl = SubContract.objects.get(provider__code="VASL")
    subcontract_vary(subcontract=vasl, user=lcc, version=vasl.version, reason="Cut", financial_year=2011, amount=60000)
    scenario_create(
        contract=vasl.contract, financial_year=2011, name="Cut", total=Decimal("1254878"), rule="equal_cut", user=lcc
    )
    client = signed_in(User.objects.get(username=username))
    pages = []
    extra = [return_obj.get_absolute_url(), dispute.get_absolute_url(), "/indicators/LOC-1/?provider=VASL"]
    for url in [*_pages(client), *extra]:
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages.append((url, response.content.decode()))
    return pages


@pytest.mark.parametrize("username", ["lcc.officer", "val.staff", "peer.reviewer"])
def test_every_page_uses_each_id_once_and_only_rag_classes_the_stylesheet_defines(username):
    problems = []
    for url, html in _walked_pages(username):
        parser = PageRules()
        parser.feed(html)
        problems += [f"{url}: id {name!r} used {count} times" for name, count in parser.ids.items() if count > 1]
        problems += [f"{url}: class rag--{name} is not styled" for name in parser.rag_classes - RAG_STYLES]
        problems += [f"{url}: a figure not written by the number filter: {text!r}" for text in parser.unformatted]
        # A minus sign is never left at the end of a line on its own: a negative figure stays on one line.
        problems += [f"{url}: a negative figure may wrap: {text!r}" for text in parser.wrapping_negatives]
    assert not problems, "\n".join(problems)


def test_templates_write_rag_classes_and_figures_only_through_their_filters():
    """The colour class comes from ``rag_class`` (never ``rag--{{ value }}``, which let ``rag--Green`` through)."""
    problems = []
    for template in (Path(settings.BASE_DIR) / "templates").rglob("*.html"):
        for number, line in enumerate(template.read_text().splitlines(), start=1):
            if re.search(r"rag--\{[{%]", line):
                problems.append(f"{template.relative_to(settings.BASE_DIR)}:{number}: rag-- written by hand")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "value,written",
    [(Decimal("120.00"), "120"), (85382, "85,382"), (Decimal("12.50"), "12.5"), (Decimal("-5"), "−5"),
     (Decimal("3327"), "3,327"), (Decimal("1234.25"), "1,234.25"), (None, "–"), (0, "0")],
)  # fmt: skip
def test_one_number_filter_writes_counts_whole_with_thousands_separators(value, written):
    assert figure(value) == written
