"""VAL's long return as a task list: sections saved on their own (stale edits refused), their statuses, last
quarter beside each row, and the check-your-answers page that submits it."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from performance.models import Result, Return
from tests.signin import signed_in
from vcsportal.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def val_q3() -> Return:
    return Return.objects.get(provider__code="VAL", period__financial_year=2010, period__quarter=3)


def section_url(return_obj, slug):
    return reverse("performance:return_section", kwargs={"pk": return_obj.pk, "section": slug})


def section_data(response, **per_row) -> dict:
    """What the section page would post back unchanged, with ``per_row`` values for every row."""
    data = {"version": response.context["version_form"]["version"].value(), "save": "1"}
    for form in response.context["forms"]:
        for name in form.fields:
            value = form[name].value()
            data[form.add_prefix(name)] = "" if value is None else str(value)
            data[form.add_initial_prefix(name)] = data[form.add_prefix(name)]
        for name, value in per_row.items():
            data[form.add_prefix(name)] = value
    return data


def statuses(client, return_obj) -> dict[str, str]:
    page = client.get(return_obj.get_absolute_url()).context
    return {section.slug: section.status for section in page["task_sections"]}


def test_the_long_return_is_a_task_list_that_says_why_it_has_its_rows(val_client, val_q3):
    response = val_client.get(val_q3.get_absolute_url())
    page = response.content.decode()
    sections = response.context["task_sections"]
    assert [s.slug for s in sections][:5] == [
        "coordination-1",
        "coordination-2",
        "capacity-1",
        "capacity-2",
        "volunteering",
    ]
    assert len(sections) == 12 and sum(len(s.rows) for s in sections) == 65
    assert max(len(s.rows) for s in sections) <= 8
    assert "This return has 65 rows: VAL" in page and "the 5 local indicators for each of the 7 districts" in page
    assert set(statuses(val_client, val_q3).values()) == {"Not started"}
    assert 'name="row-' not in page  # no row form on the task list itself


def test_a_section_shows_last_quarter_and_the_target_in_words_and_no_internal_notes(val_client, val_q3):
    page = val_client.get(section_url(val_q3, "coordination-1")).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "Target 50 for the year, set by LCC" in text
    assert "Last quarter (2010/11 Q2): figure 75; rated Green" in text
    assert "illustrative" not in text and "none set" not in text
    assert "Start from last quarter’s narrative" in text
    # The reason fields wait to be revealed (and show without JavaScript).
    assert 'data-reveal-values="not_reported"' in page


def test_a_section_is_saved_on_its_own_with_history_and_its_status_follows(val_client, val_q3):
    url = section_url(val_q3, "volunteering")
    page = val_client.get(url)
    data = section_data(page, rag="not_reported", not_reported_reason="not_yet_available", narrative="Next quarter.")
    response = val_client.post(url, data)
    assert response.status_code == 302
    rows = Result.objects.filter(return_obj=val_q3, indicator__strand="volunteering", district=None)
    assert set(rows.values_list("rag", flat=True)) == {"not_reported"}
    assert rows.first().history.first().history_change_reason == "Saved: Volunteering"
    assert rows.first().history.first().history_user.username == "val.staff"
    found = statuses(val_client, val_q3)
    assert found["volunteering"] == "Completed"
    assert found["blaby"] == "Not started"
    # Nothing outside the section changed.
    assert not Result.objects.filter(return_obj=val_q3).exclude(pk__in=rows).exclude(rag="").exists()


def test_a_started_row_that_cannot_be_submitted_marks_its_section_as_having_errors(val_client, val_q3):
    url = section_url(val_q3, "blaby")
    data = section_data(val_client.get(url))
    prefix = next(k for k in data if k.endswith("-rag") and not k.startswith("initial-")).rsplit("-", 1)[0]
    data[f"{prefix}-rag"] = "green"  # rated, but without the narrative a self-rating needs
    assert val_client.post(url, data).status_code == 302
    assert statuses(val_client, val_q3)["blaby"] == "Has errors"


def test_a_stale_section_save_is_refused_and_changes_nothing(val_q3):
    url = section_url(val_q3, "melton")
    first, second = (signed_in(User.objects.get(username="val.staff"), Client()) for _ in range(2))
    page_one, page_two = first.get(url), second.get(url)
    assert first.post(url, section_data(page_one, narrative="First.", rag="green")).status_code == 302
    response = second.post(url, section_data(page_two, narrative="Second.", rag="green"))
    assert response.status_code == 409
    assert "Someone else changed this return" in response.content.decode()
    assert set(val_q3.results.filter(district__slug="melton").values_list("narrative", flat=True)) == {"First."}


def test_starting_from_last_quarters_narrative_fills_an_empty_one(val_client, val_q3):
    url = section_url(val_q3, "coordination-1")
    page = val_client.get(url)
    data = section_data(page)
    form = page.context["forms"][0]
    data[f"use_previous-{form.result.pk}"] = "yes"
    assert val_client.post(url, data).status_code == 302
    earlier = Result.objects.get(
        return_obj__provider__code="VAL",
        return_obj__period__financial_year=2010,
        return_obj__period__quarter=2,
        indicator=form.result.indicator,
    )
    assert Result.objects.get(pk=form.result.pk).narrative == earlier.narrative != ""


def test_check_your_answers_links_each_answer_to_change_and_submits_only_when_complete(val_client, val_q3):
    check = reverse("performance:return_check", args=[val_q3.pk])
    page = val_client.get(check).content.decode()
    assert len(re.findall(r">Change<span", page)) == 65
    assert "must be completed before the return can be submitted" in page
    assert 'name="confirmed"' not in page
    val_q3.results.update(rag="not_reported", not_reported_reason="not_yet_available", narrative="Next quarter.")
    page = val_client.get(check).content.decode()
    assert "What will change" in page and 'name="confirmed"' in page
    response = val_client.post(check, {"version": val_q3.version, "confirmed": "yes"})
    assert response.status_code == 302
    val_q3.refresh_from_db()
    assert val_q3.status == Return.Status.SUBMITTED


def test_a_short_return_stays_one_page(hub_client):
    vasl = Return.objects.get(provider__code="VASL", period__financial_year=2010, period__quarter=3)
    assert "task_sections" not in hub_client.get(vasl.get_absolute_url()).context
    assert hub_client.get(section_url(vasl, "harborough")).status_code == 404


@pytest.mark.parametrize("username", ["vasl.hub", "funder.reviewer", "lcc.officer", "peer.reviewer"])
def test_only_the_providers_staff_open_or_save_its_sections(username, val_q3):
    client = signed_in(User.objects.get(username=username))
    url = section_url(val_q3, "volunteering")
    assert client.get(url).status_code in (403, 404)
    assert client.post(url, {"version": val_q3.version}).status_code in (403, 404)
    check = reverse("performance:return_check", args=[val_q3.pk])
    assert client.post(check, {"version": val_q3.version, "confirmed": "yes"}).status_code in (403, 404)
    val_q3.refresh_from_db()
    assert val_q3.status == Return.Status.DRAFT
