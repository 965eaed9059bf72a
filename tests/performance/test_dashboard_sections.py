"""The dashboard's sections: one filter form and heading pattern, a sub-navigation that keeps the filters, and
the same doors (sign-in, ``portal.view_dashboard``) on every section."""

from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
import rules
from django.urls import reverse

from performance.models import ReportingPeriod

pytestmark = pytest.mark.django_db

SECTIONS = {
    "performance:dashboard": "Overview",
    "performance:dashboard_providers": "Providers",
    "performance:dashboard_change": "Change",
    "performance:dashboard_localities": "Localities",
}


class SectionLinks(HTMLParser):
    """The links of ``<nav aria-label="Dashboard sections">``: (text, href, aria-current), and the filter
    form's action."""

    def __init__(self):
        super().__init__()
        self.navs = 0
        self.in_nav = False
        self.links: list[dict] = []
        self.form_actions: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav" and attrs.get("aria-label") == "Dashboard sections":
            self.navs += 1
            self.in_nav = True
        elif tag == "a" and self.in_nav:
            self.links.append({"href": attrs["href"], "current": attrs.get("aria-current"), "text": ""})
        elif tag == "form" and attrs.get("method") == "get":
            self.form_actions.append(attrs["action"])

    def handle_endtag(self, tag):
        if tag == "nav":
            self.in_nav = False

    def handle_data(self, data):
        if self.in_nav and self.links:
            self.links[-1]["text"] += data.strip()


def parse(response) -> SectionLinks:
    parser = SectionLinks()
    parser.feed(response.content.decode())
    return parser


@pytest.mark.parametrize("name", SECTIONS)
def test_every_section_has_the_heading_the_form_and_the_sub_navigation(funder_client, name):
    response = funder_client.get(reverse(name), {"period": "2010-11-q2"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="govuk-heading-xl">Performance dashboard: 2010/11 Q2</h1>' in html
    title = "Performance dashboard, 2010/11 Q2"
    assert f"<title>{title if name == 'performance:dashboard' else f'{SECTIONS[name]}: {title}'} –" in html
    page = parse(response)
    assert page.navs == 1
    assert page.form_actions == [reverse(name)]  # the filters submit to the section you are on
    assert [link["text"] for link in page.links] == list(SECTIONS.values())
    assert [urlsplit(link["href"]).path for link in page.links] == [reverse(n) for n in SECTIONS]
    assert [link["current"] for link in page.links] == ["page" if n == name else None for n in SECTIONS]


@pytest.mark.parametrize("name", SECTIONS)
def test_the_sub_navigation_keeps_the_filters_but_not_the_table_pages(funder_client, name):
    query = {
        "period": "2010-11-q2",
        "compare_to": "2009-10-q3",
        "provider_kind": ["hub", "lrc"],
        "district": "harborough",
        "p-page": "2",
        "c-page": "3",
        "l-page": "2",
        "l0-page": "4",
        "p-sort": "-green",
    }
    response = funder_client.get(reverse(name), query)
    assert response.status_code == 200
    links = parse(response).links
    assert len(links) == len(SECTIONS)
    for link in links:
        kept = parse_qs(urlsplit(link["href"]).query)
        assert kept == {
            "period": ["2010-11-q2"],
            "compare_to": ["2009-10-q3"],
            "provider_kind": ["hub", "lrc"],
            "district": ["harborough"],
            "p-sort": ["-green"],
        }


def test_without_a_query_the_sub_navigation_links_are_plain(funder_client):
    links = parse(funder_client.get(reverse("performance:dashboard"))).links
    assert [link["href"] for link in links] == [reverse(name) for name in SECTIONS]


def test_each_section_shows_only_its_own_part(funder_client):
    query = {"period": "2010-11-q2", "compare_to": "2009-10-q3"}
    own_headings = {
        "performance:dashboard": ['id="headline"', 'id="completeness"', 'id="strands"', 'id="priorities"'],
        "performance:dashboard_providers": ['id="providers"'],
        "performance:dashboard_change": ['id="change"'],
        "performance:dashboard_localities": ['id="localities"'],
    }
    every_heading = {heading for headings in own_headings.values() for heading in headings}
    for name, headings in own_headings.items():
        html = funder_client.get(reverse(name), query).content.decode()
        for heading in every_heading:
            assert (heading in html) is (heading in headings), (name, heading)


def test_the_change_section_says_when_there_is_no_earlier_period(funder_client):
    earliest = ReportingPeriod.objects.order_by("financial_year", "quarter").first()
    response = funder_client.get(reverse("performance:dashboard_change"), {"period": earliest.slug})
    assert response.status_code == 200
    assert response.context["filters"].compare_to is None
    assert "change_table" not in response.context
    assert "There is no earlier period with returns to compare with." in response.content.decode()


@pytest.mark.parametrize("name", SECTIONS)
def test_signed_out_visitors_are_sent_to_sign_in_from_every_section(client, name):
    response = client.get(reverse(name), {"period": "2010-11-q2"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.fixture
def nobody_views_the_dashboard():
    """Everyone signed in has ``portal.view_dashboard`` today; to prove each section asks for it, the rule is
    set to refuse for the length of the test (and put back after)."""
    rule = rules.permissions.permissions["portal.view_dashboard"]
    rules.set_perm("portal.view_dashboard", rules.always_deny)
    yield
    rules.set_perm("portal.view_dashboard", rule)


@pytest.mark.parametrize("name", SECTIONS)
def test_without_view_dashboard_every_section_is_forbidden(funder_client, nobody_views_the_dashboard, name):
    assert funder_client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", SECTIONS)
def test_the_service_navigation_marks_the_dashboard_as_the_current_place(funder_client, name):
    """On every section the service navigation's "Performance dashboard" is the active item: the page
    itself on the overview (aria-current="page"), the place you are in on the others (aria-current="true")."""
    html = funder_client.get(reverse(name)).content.decode()
    expected = "page" if name == "performance:dashboard" else "true"
    link = (
        f'<a class="govuk-service-navigation__link" href="/dashboard/" aria-current="{expected}">'
        "Performance dashboard</a>"
    )
    assert link in html
    assert html.count("govuk-service-navigation__item--active") == 1
