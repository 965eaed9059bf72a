"""The provider home and the return page: what they show, and that they stay cheap for VAL's 65 rows."""

import datetime

import pytest
from django.urls import reverse

from performance.models import ReportingPeriod, Result
from performance.selectors import provider_home
from performance.services import period_open, return_send_back, return_submit
from vcsportal.models import User

pytestmark = pytest.mark.django_db


def test_provider_home_shows_due_next_overdue_and_sent_back_with_the_reason(hub_client, q3_return):
    vasl = User.objects.get(username="vasl.hub").organisation
    # On 15 January 2011 the Q3 return (due 31 January) is next; by February it is overdue.
    home = provider_home(vasl, today=datetime.date(2011, 1, 15))
    assert home.due_next == q3_return("VASL") and home.overdue == []
    home = provider_home(vasl, today=datetime.date(2011, 2, 1))
    assert home.due_next is None and home.overdue == [q3_return("VASL")]
    period_open(financial_year=2010, quarter=4, due_on=datetime.date(2011, 4, 30))
    assert provider_home(vasl, today=datetime.date(2011, 2, 1)).due_next.period.quarter == 4

    return_obj = q3_return("VASL")
    Result.objects.filter(return_obj=return_obj).update(rag="green", actual=3, narrative="Good.")
    return_submit(return_obj=return_obj, user=User.objects.get(username="vasl.hub"))
    return_send_back(
        return_obj=return_obj, user=User.objects.get(username="val.staff"), comment="Please add the evidence links"
    )
    page = hub_client.get(reverse("performance:my_returns")).content.decode()
    assert "Sent back to you" in page
    assert "Please add the evidence links" in page
    assert "2010/11 Q4" in page and "2010/11 Q2" in page


def test_the_return_sections_label_every_field_with_its_indicator_and_district(val_client, q3_return):
    sections = val_client.get(reverse("performance:return", args=[q3_return("VAL").pk])).context["task_sections"]
    pages = [val_client.get(section.url).content.decode() for section in sections]
    assert sum(page.count("<fieldset") for page in pages) == 30 + 5 * 7
    page = "".join(pages)
    assert "Actual figure for LOC-2 (Oadby and Wigston)" in page
    assert "Narrative for VAL-04" in page
    assert "Local indicators in Blaby" in page
    assert "Target 50 for the year, set by LCC" in page  # VAL-02
    assert "style=" not in page and "<script>" not in page  # CSP: no inline styles or scripts


def test_the_return_page_query_count_does_not_grow_with_rows(
    val_client, hub_client, q3_return, django_assert_max_num_queries
):
    # VAL's is a task list: its sections' statuses read the rows the return owes (a few queries, whatever the rows).
    with django_assert_max_num_queries(18):
        assert val_client.get(reverse("performance:return", args=[q3_return("VAL").pk])).status_code == 200
    with django_assert_max_num_queries(18):
        url = reverse("performance:return_section", args=[q3_return("VAL").pk, "north-west-leicestershire"])
        assert val_client.get(url).status_code == 200
    with django_assert_max_num_queries(15):
        assert hub_client.get(reverse("performance:return", args=[q3_return("VASL").pk])).status_code == 200


def test_a_signed_off_return_is_read_only_with_ratings_written_as_words(hub_client):
    q2 = ReportingPeriod.objects.get(financial_year=2010, quarter=2)
    return_obj = q2.returns.get(provider__code="VASL")
    page = hub_client.get(reverse("performance:return", args=[return_obj.pk]))
    assert "forms" not in page.context
    text = page.content.decode()
    assert '<span class="rag rag--green">Green</span>' in text
    assert "Signed off" in text
