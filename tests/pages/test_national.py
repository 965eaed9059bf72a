"""The national comparison (issue 15, item 2): the national reviewer, in no partnership, compares every
partnership's signed-off figures side by side, and nothing unsigned is ever counted. The expected figures are
computed here from the loaded data (Leicestershire's and a synthetic council's), not copied from the page."""

import io
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum

from contracts.models import Allocation
from districts.models import County, District
from performance.models import Rag, ReportingPeriod, Result, Return
from tests.signin import signed_in
from vcsportal.demo import DEMO_USERS
from vcsportal.models import User

pytestmark = pytest.mark.django_db

URL = "/national/"
OTHER = "synthetic-001"


@pytest.fixture
def other():
    call_command("generate_synthetic", councils=1, seed=1, stdout=io.StringIO())
    return County.objects.get(slug=OTHER)


@pytest.fixture
def national():
    return signed_in(User.objects.get(username="national.reviewer"))


def _period(label: str) -> ReportingPeriod:
    return ReportingPeriod.objects.by_label(label)


def _expected_row(partnership: County, period: ReportingPeriod) -> list[str]:
    """The comparison's row for a partnership, computed from the data: its signed-off results' ratings, its
    signed-off returns of those owed, those submitted on time, and its money per 1,000 residents."""
    signed_off = Return.objects.filter(period=period, provider__county=partnership, status=Return.Status.SIGNED_OFF)
    results = Result.objects.filter(return_obj__in=signed_off)
    rated = [results.filter(rag=rag).count() for rag in (Rag.GREEN, Rag.AMBER, Rag.RED)]
    not_reported = results.exclude(rag__in=[Rag.GREEN, Rag.AMBER, Rag.RED]).count()
    on_time = sum(1 for r in signed_off if r.submitted_at and r.submitted_at.date() <= period.due_on)
    from contracts.selectors import providers_owing_returns

    owed = providers_owing_returns(period.financial_year).filter(county=partnership).count()
    allocated = Allocation.objects.filter(financial_year=period.financial_year, contract__county=partnership).aggregate(
        total=Sum("amount")
    )["total"] or Decimal("0")
    residents = District.objects.filter(county=partnership).aggregate(total=Sum("population"))["total"]
    per_thousand = (allocated * 1000 / residents).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return [
        partnership.name,
        *(str(n) for n in rated),
        str(not_reported),
        str(results.count()),
        f"{signed_off.count()} of {owed}",
        f"{on_time} of {signed_off.count()}",
        f"£{per_thousand:,.2f}",
    ]


def _rows(html: str, table_id: str) -> dict[str, list[str]]:
    """The table's body rows as their cells' text (the money cell cut to its first figure), by first cell."""
    table = re.search(rf'<table class="govuk-table" id="{table_id}">(.*?)</table>', html, re.S).group(1)
    body = re.search(r"<tbody[^>]*>(.*?)</tbody>", table, re.S).group(1)
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
        cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        if table_id == "partnerships":
            cells[-1] = cells[-1].split(" ")[0]
        rows[cells[0]] = cells
    return rows


def test_each_partnerships_signed_off_figures_side_by_side(national, other):
    leicestershire = County.objects.get(slug="leicestershire")
    period = _period("2010/11 Q2")
    html = national.get(URL + "?period=2010-11-q2").content.decode()
    rows = _rows(html, "partnerships")
    assert rows[leicestershire.name] == _expected_row(leicestershire, period)
    assert rows[other.name] == _expected_row(other, period)
    # Leicestershire's 2010/11 Q2, as the review tells it (DOMAIN.md): VAL's 30 and the hubs' and LRCs' 41.
    assert rows[leicestershire.name][1:6] == ["53", "5", "0", "13", "71"]
    # RAG is always written as words, never as a colour alone.
    for word in ("Green", "Amber", "Red", "Not reported"):
        assert f">{word}</th>" in html


def test_nothing_unsigned_is_counted(national, other):
    """2010/11 Q3 is open: Leicestershire's returns are drafts and the synthetic council's are submitted, not
    signed off. Neither counts; once one of the council's returns is signed off, exactly it counts."""
    period = _period("2010/11 Q3")
    assert not Return.objects.filter(period=period, status=Return.Status.SIGNED_OFF).exists()
    assert Return.objects.filter(period=period, provider__county=other, status=Return.Status.SUBMITTED).exists()
    html = national.get(URL).content.decode()
    assert "2010-11-q3" not in html  # no signed-off return: not offered at all
    assert national.get(URL + "?period=2010-11-q3").status_code == 404

    # Four synthetic returns of 2010/11 Q2 are no longer signed off: submitted, accepted, a draft, sent back.
    q2 = _period("2010/11 Q2")
    returns = list(Return.objects.filter(period=q2, provider__county=other).order_by("pk")[:4])
    unsigned = [Return.Status.SUBMITTED, Return.Status.ACCEPTED, Return.Status.DRAFT, Return.Status.RETURNED]
    for return_obj, status in zip(returns, unsigned, strict=True):
        Return.objects.filter(pk=return_obj.pk).update(status=status)
    rows = _rows(national.get(URL + "?period=2010-11-q2").content.decode(), "partnerships")
    assert rows[other.name] == _expected_row(other, q2)
    left_out = Result.objects.filter(return_obj__in=returns).count()
    still = Result.objects.filter(return_obj__period=q2, return_obj__provider__county=other).count() - left_out
    assert rows[other.name][5] == str(still) and left_out > 0


def test_per_indicator_where_partnerships_share_a_code(national, other):
    period = _period("2010/11 Q2")
    html = national.get(URL + "?period=2010-11-q2&indicator=LOC-1").content.decode()
    rows = _rows(html, "indicator-table")
    for partnership in (County.objects.get(slug="leicestershire"), other):
        results = Result.objects.filter(
            return_obj__period=period,
            return_obj__provider__county=partnership,
            return_obj__status=Return.Status.SIGNED_OFF,
            indicator__code="LOC-1",
        )
        assert rows[partnership.name][1:4] == [str(results.filter(rag=r).count()) for r in ("green", "amber", "red")]
        assert rows[partnership.name][-1] == str(results.count())
    assert national.get(URL + "?period=2010-11-q2&indicator=NOPE").status_code == 404


@pytest.mark.parametrize("username", [user[0] for user in DEMO_USERS if user[0] != "national.reviewer"])
def test_nobody_in_a_partnership_compares_it_with_others(username, other):
    client = signed_in(User.objects.get(username=username))
    assert client.get(URL).status_code == 403
    assert b'href="/national/"' not in client.get("/").content


def test_the_national_reviewer_has_the_page_in_the_navigation_and_nothing_else(national):
    home = national.get("/").content.decode()
    assert 'href="/national/"' in home
    for other_page in ("/dashboard/", "/contracts/", "/districts/", "/people/", "/reports/", "/notifications/"):
        assert f'href="{other_page}"' not in home


def test_the_national_reviewer_belongs_to_no_partnership():
    from django.db import IntegrityError, transaction

    reviewer = User.objects.get(username="national.reviewer")
    assert reviewer.partnership_id is None
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=reviewer.pk).update(partnership=County.objects.get(slug="leicestershire"))


def test_the_people_pages_cannot_make_a_national_reviewer():
    """They manage one partnership's people: the role is not offered, and the service refuses it, changing
    nothing."""
    from django.core.exceptions import ValidationError

    from vcsportal.people.services import person_change_role, person_invite

    officer = User.objects.get(username="lcc.officer")
    page = signed_in(officer).get("/people/invite/").content.decode()
    assert 'value="national_reviewer"' not in page and 'value="peer_reviewer"' in page
    with pytest.raises(ValidationError, match="belongs to no partnership"):
        person_invite(
            by=officer, email="n@example.org", first_name="N", last_name="R", role="national_reviewer", reason="x"
        )
    hub = User.objects.get(username="vasl.hub")
    with pytest.raises(ValidationError, match="belongs to no partnership"):
        person_change_role(person=hub, by=officer, role="national_reviewer", organisation=None, funder=None, reason="x")
    assert not User.objects.filter(email="n@example.org").exists()
    hub.refresh_from_db()
    assert hub.role == "provider_staff"


@pytest.mark.parametrize("value", ["", "abc", "-1", "99999999999999999999999999", "a\x00b", "9" * 5000, "2010-11-q9"])
def test_a_period_or_indicator_not_offered_is_not_found_never_a_server_error(national, value):
    for name in ("period", "indicator"):
        status = national.get(URL, {name: value}).status_code
        assert status == (200 if value == "" else 404), (name, value[:20], status)
