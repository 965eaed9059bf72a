"""Every API list holds the user's partnership only (issue 15). Generated from the API's router, so a new
endpoint is walked without being named here: each list (every page of it) and ``/api/summary/``, requested
with each Leicestershire role's token, shows nothing of a synthetic partnership loaded beside it, and the
same objects as before it was loaded."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.roles import NATIONAL_ROLES
from vcsportal.api.urls import router
from vcsportal.demo import DEMO_USERS
from vcsportal.models import User

pytestmark = pytest.mark.django_db

#: The demo users in Leicestershire (the national reviewer, in none, compares every partnership by design).
LEICESTERSHIRE_ROLES = [user[0] for user in DEMO_USERS if user[2] not in NATIONAL_ROLES]
OTHER_MARKS = re.compile(rb"S001-|Synthetic (County|District|CIO|Hub|LRC|Health)|synthetic-001")
SUMMARIES = [
    "?period=2010/11 Q2",
    "?period=2010/11 Q2&compare_to=2009/10 Q3",
    "?period=2010/11 Q2&provider_kind=hub,lrc",
]


def api_lists() -> list[str]:
    """Every list the API's router serves (one per registered viewset)."""
    return [reverse(f"api:{basename}-list") for _, _, basename in router.registry]


def _client(username: str) -> APIClient:
    token, _ = Token.objects.get_or_create(user=User.objects.get(username=username))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _read(client: APIClient) -> dict[str, object]:
    """Per list, its status and every row on every page (or the summary's body)."""
    seen: dict[str, object] = {}
    for url in api_lists():
        rows, page, status = [], url + "?page_size=500", None
        while page:
            response = client.get(page)
            status = response.status_code
            if status != 200:
                break
            assert not OTHER_MARKS.search(response.content), f"{url}: {OTHER_MARKS.search(response.content)}"
            body = response.json()
            rows.extend(body["results"])
            page = body.get("next")
        seen[url] = (status, len(rows), rows)
    for query in SUMMARIES:
        response = client.get(reverse("api:summary") + query)
        assert not OTHER_MARKS.search(response.content), f"/api/summary/{query}"
        seen[reverse("api:summary") + query] = (response.status_code, response.json())
    return seen


def test_the_walk_reaches_every_list_of_the_router():
    assert len(api_lists()) >= 11
    assert {"/api/returns/", "/api/results/", "/api/periods/", "/api/indicators/"} <= set(api_lists())


@pytest.mark.parametrize("role", LEICESTERSHIRE_ROLES)
def test_every_api_list_and_the_summary_hold_the_users_partnership_only(role):
    client = _client(role)
    before = _read(client)
    assert any(status == 200 and count for status, count, *_ in before.values() if isinstance(count, int))
    call_command("generate_synthetic", councils=1, seed=1, stdout=io.StringIO())
    after = _read(client)
    changed = [url for url in before if before[url] != after[url]]
    assert not changed, f"as {role}, these changed once another partnership was loaded: " + ", ".join(
        f"{url} ({before[url][:2]} -> {after[url][:2]})" for url in changed
    )
