"""The return page offers exactly the workflow steps the service will take: both ask the state machine (its
source statuses and conditions) and the return policy (whose step it is). For every demo user who may open
the page, on returns in every status, in open and locked periods, the steps the page offers are the steps
``return_transition`` carries out (tried, then rolled back) and no others."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from performance.models import ReportingPeriod, Return
from performance.services import ReturnRefused, return_accept, return_send_back, return_transition
from tests.factories import demo_user
from vcsportal.demo import DEMO_USERS

pytestmark = pytest.mark.django_db

STEPS = ("accept", "sign_off", "send_back", "reopen")


class RolledBack(Exception):
    pass


def _service_takes(return_obj: Return, step: str, user) -> bool:
    try:
        with transaction.atomic():
            return_transition(return_obj=return_obj, step=step, user=user, comment="Tried by the test")
            raise RolledBack
    except RolledBack:
        return True
    except (PermissionDenied, ReturnRefused):
        return False


def _returns_in_every_status() -> list[Return]:
    """VAC's Q3 return submitted, VASL's accepted, LUTLRC's sent back, VAL's submitted, the Q2 ones signed
    off (a locked period), the other Q3 drafts as they are."""
    lcc, val = demo_user("lcc.officer"), demo_user("val.staff")
    q3 = ReportingPeriod.objects.by_label("2010/11 Q3")

    def q3_of(code):
        return Return.objects.get(provider__code=code, period=q3)

    for code in ("VAC", "VASL", "LUTLRC", "VAL"):
        Return.objects.filter(pk=q3_of(code).pk).update(status=Return.Status.SUBMITTED)
    return_accept(return_obj=q3_of("VASL"), user=val)
    return_send_back(return_obj=q3_of("LUTLRC"), user=val, comment="Please add the narrative")
    signed_off = Return.objects.filter(status=Return.Status.SIGNED_OFF).first()
    draft = Return.objects.filter(period=q3, status=Return.Status.DRAFT).first()
    assert lcc and signed_off and draft
    return [q3_of("VAC"), q3_of("VASL"), q3_of("LUTLRC"), q3_of("VAL"), signed_off, draft]


@pytest.mark.parametrize("username", [user[0] for user in DEMO_USERS])
def test_the_page_offers_exactly_the_steps_the_service_takes(login, username):
    user = demo_user(username)
    client = login(username)
    tried = 0
    for return_obj in _returns_in_every_status():
        response = client.get(return_obj.get_absolute_url())
        if response.status_code == 404:
            continue
        offered = {step.name for step in response.context["steps"]}
        taken = {step for step in STEPS if _service_takes(Return.objects.get(pk=return_obj.pk), step, user)}
        assert offered == taken, (username, str(return_obj), return_obj.status)
        tried += 1
    assert tried or username in ("peer.reviewer", "national.reviewer")  # they open no return
