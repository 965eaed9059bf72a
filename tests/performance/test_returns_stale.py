"""Two people editing one draft: the later save of a stale page is refused, shows what changed, and keeps
what the person typed."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from core.roles import Role
from performance.models import Result
from tests.performance.conftest import page_data, row_prefix
from vcsportal.models import User

pytestmark = pytest.mark.django_db


def test_a_stale_save_is_refused_showing_who_changed_what_and_keeping_the_typing(hub_client, q3_return):
    colleague = User.objects.create_user(
        "vasl.second", password="x", first_name="Sam", last_name="Second", role=Role.PROVIDER_STAFF,
        organisation=User.objects.get(username="vasl.hub").organisation,
        partnership=User.objects.get(username="vasl.hub").partnership,
    )  # fmt: skip
    second = Client()
    second.force_login(colleague)
    return_obj = q3_return("VASL")
    url = reverse("performance:return", args=[return_obj.pk])

    mine = hub_client.get(url)
    theirs = second.get(url)

    their_data = page_data(theirs)
    their_data[f"{row_prefix(theirs, 'LOC-2')}-actual"] = "77"
    assert second.post(url, {**their_data, "save": "1"}).status_code == 302

    my_data = page_data(mine)
    my_data[f"{row_prefix(mine, 'LOC-1')}-actual"] = "31"
    my_data[f"{row_prefix(mine, 'LOC-1')}-narrative"] = "My careful words"
    response = hub_client.post(url, {**my_data, "save": "1"})
    assert response.status_code == 409
    text = response.content.decode()
    assert "Someone else changed this return" in text
    assert "Sam Second" in text
    assert "actual: (empty) → 77.00" in text
    assert "My careful words" in text and 'value="31"' in text  # my typing is not lost
    assert 'value="77.00"' in text  # the row I did not touch shows their newer value
    assert return_obj.results.get(indicator__code="LOC-1").actual is None  # nothing of mine saved
    assert return_obj.results.get(indicator__code="LOC-2").actual == Decimal("77")

    # Having seen the change, I save again: my row is saved and theirs is not undone.
    assert hub_client.post(url, {**page_data_with_typing(response), "save": "1"}).status_code == 302
    assert Result.objects.get(return_obj=return_obj, indicator__code="LOC-1").actual == Decimal("31")
    assert Result.objects.get(return_obj=return_obj, indicator__code="LOC-2").actual == Decimal("77")


def page_data_with_typing(response) -> dict:
    """What the browser sends back from the re-displayed page: the typed values, with the hidden values
    the rows were first loaded with, and the new version."""
    data = {"version": response.context["version_form"]["version"].value()}
    for form in response.context["forms"]:
        for name in form.fields:
            value = form[name].value()
            data[form.add_prefix(name)] = "" if value is None else str(value)
            # A re-displayed (bound) row sends back the values it was first loaded with.
            initial_name = form.add_initial_prefix(name)
            data[initial_name] = form.data.get(initial_name, "") if form.is_bound else data[form.add_prefix(name)]
    return data


def test_a_stale_version_is_refused_by_the_service_too(q3_return):
    from performance.rag import ResultEntry
    from performance.services import StaleReturn, return_save

    hub = User.objects.get(username="vasl.hub")
    return_obj = q3_return("VASL")
    loaded = return_obj.version
    key = (return_obj.results.get(indicator__code="LOC-1").indicator_id, None)
    return_save(return_obj=return_obj, user=hub, version=loaded, entries={key: ResultEntry(actual=Decimal("5"))})
    with pytest.raises(StaleReturn) as refused:
        return_save(return_obj=return_obj, user=hub, version=loaded, entries={key: ResultEntry(actual=Decimal("6"))})
    assert refused.value.current_version == loaded + 1
    assert any(change.field == "actual" for entry in refused.value.changes for change in entry.changes)
    assert return_obj.results.get(indicator__code="LOC-1").actual == Decimal("5")
