"""Who may do what with returns: every role x every action x own versus another organisation's return,
through real requests. A return the user may not see is a 404 (never its data); one they may see but not
act on is a 403; a step that is theirs but not open in the return's status is refused with a message."""

import pytest
from django.urls import reverse

from performance.models import ReportingPeriod, Result, Return
from performance.services import return_accept, return_submit
from tests.performance.conftest import page_data
from vcsportal.models import User

pytestmark = pytest.mark.django_db

USERS = ["lcc.officer", "funder.reviewer", "val.staff", "vasl.hub", "vac.hub", "lutterworth.lrc", "peer.reviewer"]


def _q3(code):
    return Return.objects.get(provider__code=code, period__financial_year=2010, period__quarter=3)


def _complete(return_obj):
    Result.objects.filter(return_obj=return_obj).update(rag="not_reported", not_reported_reason="not_yet_available")


def _to(code, status):
    """The provider's Q3 return brought to a status through the services."""
    return_obj = _q3(code)
    if status == "draft":
        return return_obj
    _complete(return_obj)
    owner = User.objects.get(username="val.staff" if code == "VAL" else "vasl.hub")
    return_submit(return_obj=return_obj, user=owner)
    if status == "accepted":
        reviewer = User.objects.get(username="lcc.officer" if code == "VAL" else "val.staff")
        return_accept(return_obj=return_obj, user=reviewer)
    return Return.objects.get(pk=return_obj.pk)


# (action, provider, status it starts in) -> {user: expected}; "ok" = done, "refused" = 302 with no change.
VIEW = "view"
MATRIX = {
    (VIEW, "VASL", "draft"): {"lcc.officer": 200, "funder.reviewer": 404, "val.staff": 404, "vasl.hub": 200},
    (VIEW, "VASL", "submitted"): {"lcc.officer": 200, "funder.reviewer": 200, "val.staff": 200, "vasl.hub": 200},
    (VIEW, "VAL", "draft"): {"lcc.officer": 200, "funder.reviewer": 404, "val.staff": 200},
    ("save", "VASL", "draft"): {"lcc.officer": 403, "funder.reviewer": 404, "val.staff": 404, "vasl.hub": "ok"},
    ("save", "VAL", "draft"): {"lcc.officer": 403, "funder.reviewer": 404, "val.staff": "ok"},
    ("save", "VASL", "submitted"): {"lcc.officer": 403, "funder.reviewer": 403, "val.staff": 403, "vasl.hub": 403},
    ("accept", "VASL", "submitted"): {"lcc.officer": 403, "funder.reviewer": 403, "val.staff": "ok", "vasl.hub": 403},
    ("accept", "VAL", "submitted"): {"lcc.officer": "ok", "funder.reviewer": 403, "val.staff": 403},
    ("accept", "VASL", "draft"): {"lcc.officer": 403, "funder.reviewer": 404, "val.staff": 404, "vasl.hub": 403},
    ("send-back", "VASL", "submitted"): {
        "lcc.officer": "ok",
        "funder.reviewer": 403,
        "val.staff": "ok",
        "vasl.hub": 403,
    },
    ("send-back", "VAL", "submitted"): {"lcc.officer": "ok", "funder.reviewer": 403, "val.staff": 403},
    ("sign-off", "VASL", "accepted"): {"lcc.officer": "ok", "funder.reviewer": 403, "val.staff": 403, "vasl.hub": 403},
    ("sign-off", "VASL", "submitted"): {
        "lcc.officer": "refused",
        "funder.reviewer": 403,
        "val.staff": 403,
        "vasl.hub": 403,
    },
    ("reopen", "VASL", "submitted"): {"lcc.officer": "ok", "funder.reviewer": 403, "val.staff": 403, "vasl.hub": 403},
    ("validate", "VASL", "submitted"): {
        "lcc.officer": "ok",
        "funder.reviewer": 403,
        "val.staff": "ok",
        "vasl.hub": 403,
    },
    ("validate", "VAL", "submitted"): {"lcc.officer": "ok", "funder.reviewer": 403, "val.staff": 403},
}
CASES = [
    (action, code, status, user, expected.get(user, 404))
    for (action, code, status), expected in MATRIX.items()
    for user in USERS
]


def _post_action(client, action, return_obj):
    url = reverse("performance:return", args=[return_obj.pk])
    if action == VIEW:
        return client.get(url)
    if action == "save":
        data = {"version": return_obj.version, "save": "1"}
        result = return_obj.results.order_by("pk").first()
        data[f"row-{result.pk}-narrative"] = "changed"
        data[f"initial-row-{result.pk}-narrative"] = ""
        return client.post(url, data)
    if action == "validate":
        data = {}
        for result in return_obj.results.all():
            data[f"v-{result.pk}-validation"] = "validated"
        return client.post(reverse("performance:return_validate", args=[return_obj.pk]), data)
    names = {"accept": "return_accept", "send-back": "return_send_back", "sign-off": "return_sign_off"}
    name = names.get(action, "return_reopen")
    return client.post(reverse(f"performance:{name}", args=[return_obj.pk]), {"comment": "Because of a check"})


def _changed(action, before: Return, after: Return) -> bool:
    if action == "save":
        return after.version > before.version
    if action == "validate":
        return after.results.filter(validation="validated").exists()
    return after.status != before.status


@pytest.mark.parametrize(("action", "code", "status", "username", "expected"), CASES)
def test_permission_matrix(login, action, code, status, username, expected):
    return_obj = _to(code, status)
    client = login(username)
    response = _post_action(client, action, return_obj)
    after = Return.objects.get(pk=return_obj.pk)
    if expected in (200, 403, 404):
        assert response.status_code == expected
        if expected != 200:
            assert not _changed(action, return_obj, after)
            if expected == 404:
                assert return_obj.provider.name not in response.content.decode()
    elif expected == "ok":
        assert response.status_code == 302
        assert _changed(action, return_obj, after)
    else:  # refused: theirs to do, but not from this status
        assert response.status_code == 302
        assert not _changed(action, return_obj, after)


SITE_PAGES = {
    "performance:my_returns": {"val.staff", "vasl.hub", "vac.hub", "lutterworth.lrc"},
    "performance:review_list": {"val.staff", "lcc.officer"},
    "performance:periods": {"lcc.officer"},
    "performance:import": {"lcc.officer"},
}


@pytest.mark.parametrize("username", USERS)
@pytest.mark.parametrize("url_name", list(SITE_PAGES))
def test_site_pages_by_role(login, url_name, username):
    response = login(username).get(reverse(url_name))
    assert response.status_code == (200 if username in SITE_PAGES[url_name] else 403)


@pytest.mark.parametrize("username", [u for u in USERS if u != "lcc.officer"])
def test_only_lcc_opens_and_locks_periods(login, username):
    client = login(username)
    assert (
        client.post(reverse("performance:periods"), {"period": "2010/11 Q4", "due_on": "2011-04-30"}).status_code == 403
    )
    q3 = ReportingPeriod.objects.get(financial_year=2010, quarter=3)
    assert client.post(reverse("performance:period_lock", args=[q3.pk])).status_code == 403
    assert not ReportingPeriod.objects.filter(financial_year=2010, quarter=4).exists()
    assert ReportingPeriod.objects.get(pk=q3.pk).status == "open"


def test_a_hub_cannot_see_another_hubs_draft_in_any_list(other_hub_client, hub_client):
    vasl = _q3("VASL")
    assert other_hub_client.get(reverse("performance:return", args=[vasl.pk])).status_code == 404
    page = other_hub_client.get(reverse("performance:my_returns")).content.decode()
    assert reverse("performance:return", args=[vasl.pk]) not in page
    assert (
        reverse("performance:return", args=[vasl.pk])
        in hub_client.get(reverse("performance:my_returns")).content.decode()
    )


def test_state_changes_are_post_only(lcc_client, hub_client):
    return_obj = _to("VASL", "accepted")
    assert lcc_client.get(reverse("performance:return_sign_off", args=[return_obj.pk])).status_code == 405
    assert Return.objects.get(pk=return_obj.pk).status == "accepted"


def test_the_full_form_round_trip_respects_the_matrix(hub_client, q3_return):
    # The page a hub sees round-trips through the same permission checks as the matrix above.
    page = hub_client.get(reverse("performance:return", args=[q3_return("VASL").pk]))
    assert hub_client.post(page.request["PATH_INFO"], {**page_data(page), "save": "1"}).status_code == 302


def test_failed_logins_are_throttled_then_locked_out(client, demo_password, settings):
    assert settings.AXES_ENABLED
    login_url = reverse("login")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(login_url, {"username": "vasl.hub", "password": "wrong"})
        assert response.status_code in (200, 429)
    # Now even the right password is refused for that user from this address.
    response = client.post(login_url, {"username": "vasl.hub", "password": demo_password})
    assert response.status_code in (403, 429)
    assert "_auth_user_id" not in client.session
    assert "locked" in response.content.decode().lower()
    # Another user signs in normally.
    response = client.post(login_url, {"username": "vac.hub", "password": demo_password})
    assert response.status_code == 302
