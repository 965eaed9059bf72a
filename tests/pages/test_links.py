"""Links wherever a person looks next: dashboard tables link to the returns and indicators they count, every
indicator name links to its history page (a walk over every page of the URLconf, as each kind of user sees
it), and a return links to the same provider's previous return and to its sub-contract where the user may see
them."""

import io
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from contracts.models import Contract, SubContract
from disputes.services import dispute_raise
from performance.models import Indicator, Result, Return
from tests.notifications.test_events import submitted, user
from tests.security.test_url_walk import concrete_url, url_endpoints
from tests.signin import signed_in
from vcsportal.models import User

pytestmark = pytest.mark.django_db


class IndicatorNames(HTMLParser):
    """Finds each indicator's name in a page's text, and whether it sits inside a link to its page."""

    def __init__(self, names: dict[str, str]):
        super().__init__()
        self.names = names  # short name -> its page's path
        self.links: list[str] = []  # the hrefs of the <a> elements we are inside
        self.skip = 0  # inside <title>, <script>, <option>, <textarea>: not text a person reads as a name
        self.unlinked: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links.append(dict(attrs).get("href") or "")
        if tag in ("title", "script", "option", "textarea", "desc"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag == "a" and self.links:
            self.links.pop()
        if tag in ("title", "script", "option", "textarea", "desc") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if self.skip:
            return
        for name, path in self.names.items():
            if name in data and path not in self.links and not self._inside_a_longer_linked_name(name, data):
                self.unlinked.append(f"{name!r} in {data.strip()[:80]!r}")

    def _inside_a_longer_linked_name(self, name: str, data: str) -> bool:
        """One name can be part of another ("volunteer enquiries" of "number of volunteer enquiries"): found only
        inside a longer name that links to its own page, it is that indicator's name, not this one's."""
        rest = data
        for longer, path in self.names.items():
            if longer != name and name in longer and longer in data and path in self.links:
                rest = rest.replace(longer, "")
        return rest != data and name not in rest


def _pages(client: Client) -> list[str]:
    urls = []
    for endpoint in url_endpoints():
        name = endpoint.name or ""
        if name.startswith(("admin:", "api:")) or "export" in name or name.endswith("pdf") or not name:
            continue
        urls.append(concrete_url(endpoint))
    return urls


@pytest.mark.parametrize("username", ["lcc.officer", "vasl.hub", "val.staff"])
def test_every_indicator_name_on_every_page_links_to_its_history_page(username):
    # Make the pages that show indicator names show some: a hub's submitted return, a RAG challenge.
    return_obj = submitted("VASL", "vasl.hub")
    dispute_raise(
        user=user("vasl.hub"),
        subject="LOC-1 rating",
        details="D",
        result=Result.objects.filter(return_obj=return_obj).first(),
    )
    names = {
        indicator.short_name: reverse("performance:indicator", kwargs={"code": indicator.code})
        for indicator in Indicator.objects.all()
    }
    client = signed_in(User.objects.get(username=username))  # the officer through the second factor too
    problems = []
    extra = [return_obj.get_absolute_url(), reverse("districts:detail", args=["harborough"])]
    for url in [*_pages(client), *extra]:
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        own_page = url.startswith("/indicators/")
        parser = IndicatorNames({k: v for k, v in names.items() if not (own_page and url == v)})
        parser.feed(response.content.decode())
        problems += [f"{url}: {problem}" for problem in parser.unlinked]
    assert not problems, "\n".join(problems[:20] + sorted({p.split(":")[0] for p in problems}))


def test_the_providers_table_links_each_provider_to_the_return_it_counts_where_the_user_may_open_it(login):
    url = reverse("performance:dashboard_providers") + "?period=2010-11-q2"
    vasl_q2 = Return.objects.get(provider__code="VASL", period__financial_year=2010, period__quarter=2)
    vac_q2 = Return.objects.get(provider__code="VAC", period__financial_year=2010, period__quarter=2)
    funder_page = login("funder.reviewer").get(url).content.decode()
    assert f'href="{vasl_q2.get_absolute_url()}"' in funder_page
    assert f'href="{vac_q2.get_absolute_url()}"' in funder_page
    hub_page = login("vasl.hub").get(url).content.decode()
    assert f'href="{vasl_q2.get_absolute_url()}"' in hub_page  # its own
    assert f'href="{vac_q2.get_absolute_url()}"' not in hub_page  # another hub's: it may not open it


def test_the_change_table_links_each_indicator_to_its_page(funder_client):
    page = funder_client.get(reverse("performance:dashboard_change") + "?period=2010-11-q2").content.decode()
    assert f'href="{reverse("performance:indicator", kwargs={"code": "VAL-28"})}"' in page


def test_a_return_links_to_the_providers_previous_return_and_its_sub_contract_where_the_user_may_see_them(login):
    vasl_q3 = Return.objects.get(provider__code="VASL", period__financial_year=2010, period__quarter=3)
    vasl_q2 = Return.objects.get(provider__code="VASL", period__financial_year=2010, period__quarter=2)
    own_contract = Contract.objects.get(provider__code="VASL", start_year=2010)
    page = login("vasl.hub").get(vasl_q3.get_absolute_url()).content.decode()
    assert f'href="{vasl_q2.get_absolute_url()}" id="previous-return"' in page
    # 2010/11: the hub reported under its own contract (review 2.5), not a sub-contract; the hub reads its
    # reference but does not open the contract's money.
    assert 'id="subcontract"' not in page
    assert f"{own_contract.reference}: its own contract for 2010/11" in page
    assert f'href="{own_contract.get_absolute_url()}"' not in page
    page = login("lcc.officer").get(vasl_q3.get_absolute_url()).content.decode()
    assert 'id="previous-return"' in page and f'href="{own_contract.get_absolute_url()}"' in page
    # From 2011/12 the hub reports under its sub-contract of the CIO contract.
    subcontract = SubContract.objects.get(provider__code="VASL")
    call_command("open_period", "2011/12 Q1", "--due", "2011-07-31", stdout=io.StringIO())
    vasl_2011 = Return.objects.get(provider__code="VASL", period__financial_year=2011, period__quarter=1)
    page = login("vasl.hub").get(vasl_2011.get_absolute_url()).content.decode()
    assert f'href="{subcontract.get_absolute_url()}" id="subcontract"' in page and 'id="own-contract"' not in page
    # The CIO reports under the contract itself: no sub-contract; its previous return is 2010/11 Q2.
    val_q3 = Return.objects.get(provider__code="VAL", period__financial_year=2010, period__quarter=3)
    page = login("val.staff").get(val_q3.get_absolute_url()).content.decode()
    assert 'id="subcontract"' not in page
    assert 'id="previous-return"' in page
