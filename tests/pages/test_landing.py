"""After every workflow step the person lands on a page they may see, with a confirmation (issue 12 item 9).

Walked as a class: every transition of the return, dispute and sub-contract state machines (read from the
machines themselves), by every demo user whose step it is, through the page that fires it; the redirect is
followed and must end on a 200 page carrying the success banner. A step added to a machine without a page
here fails the walk until it is given one (or named in NO_PAGE with why it has none).
"""

import datetime

import pytest
from django.db import transaction
from django.urls import reverse

from contracts.models import SubContract
from core.workflow import declared, may_fire, transition_refusal
from disputes.models import Dispute
from disputes.services import dispute_raise, dispute_set_hearing
from performance.models import Return
from performance.services import return_accept, return_submit
from tests.notifications.conftest import complete
from tests.performance.conftest import page_data
from tests.signin import signed_in
from vcsportal.demo import DEMO_USERS
from vcsportal.models import User

pytestmark = pytest.mark.django_db

USERNAMES = [user[0] for user in DEMO_USERS]
#: Steps no page fires, and why.
NO_PAGE = {("Return", "resume"): "fired by return_save when a sent-back return's provider changes it"}
#: Each provider's own staff (who submit its return).
STAFF = {"VAL": "val.staff", "VASL": "vasl.hub", "VAC": "vac.hub", "LUTLRC": "lutterworth.lrc"}


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _q3(code: str) -> Return:
    return Return.objects.get(provider__code=code, period__financial_year=2010, period__quarter=3)


def _return_in(code: str, status: str) -> Return:
    """The provider's 2010/11 Q3 return brought to ``status`` through the services, as its people would."""
    return_obj = _q3(code)
    complete(return_obj, _user(STAFF[code]))
    if status == Return.Status.DRAFT:
        return return_obj
    return_obj = return_submit(return_obj=return_obj, user=_user(STAFF[code]))
    if status == Return.Status.SUBMITTED:
        return return_obj
    reviewer = "lcc.officer" if code == "VAL" else "val.staff"
    return return_accept(return_obj=return_obj, user=_user(reviewer))


def _return_candidates(step: str) -> list[Return]:
    sources = _sources(Return, step)
    wanted = next(s for s in (Return.Status.SUBMITTED, Return.Status.ACCEPTED, Return.Status.DRAFT) if s in sources)
    return [_return_in(code, wanted) for code in STAFF]


def _sources(model, step: str) -> set[str]:
    return set(getattr(model, step)._django_fsm.transitions.keys())


def _return_post(client, return_obj: Return, step: str):
    if step == "submit":
        page = client.get(return_obj.get_absolute_url())
        if "task_sections" in page.context:  # a long return is submitted from its check page
            url = reverse("performance:return_check", args=[return_obj.pk])
            version = client.get(url).context["version"]
            return client.post(url, {"version": version, "confirmed": "yes"}, follow=True)
        data = {**page_data(page), "submit": "1", "confirmed": "yes"}
        return client.post(return_obj.get_absolute_url(), data, follow=True)
    url = reverse(declared(return_obj, step).custom["url_name"], args=[return_obj.pk])
    return client.post(url, {"comment": "Landing walk: please look again"}, follow=True)


def _dispute_candidates(step: str) -> list[Dispute]:
    dispute = dispute_raise(
        user=_user("vasl.hub"),
        subject="Landing walk",
        details="A disagreement",
        subcontract=SubContract.objects.get(provider__code="VASL"),
    )
    if step == "decide":  # decided once heard: the hearing date comes first
        dispute = dispute_set_hearing(
            dispute=dispute, user=_user("peer.reviewer"), hearing_on=datetime.date(2011, 3, 14)
        )
    return [dispute]


def _dispute_post(client, dispute: Dispute, step: str):
    name = {"set_hearing": "disputes:hearing", "decide": "disputes:decide"}[step]
    data = {"hearing_on": "2011-03-14", "decision": "The sub-contract stands.", "confirmed": "yes"}
    return client.post(reverse(name, args=[dispute.pk]), data, follow=True)


def _subcontract_candidates(step: str) -> list[SubContract]:
    return list(SubContract.objects.filter(status=SubContract.Status.LIVE).order_by("pk")[:1])


def _subcontract_post(client, subcontract: SubContract, step: str):
    data = {"version": subcontract.version, "ended_on": "2012-03-31", "reason": "Landing walk", "confirmed": "yes"}
    return client.post(reverse("contracts:subcontract_end", args=[subcontract.pk]), data, follow=True)


MACHINES = {
    Return: (_return_candidates, _return_post),
    Dispute: (_dispute_candidates, _dispute_post),
    SubContract: (_subcontract_candidates, _subcontract_post),
}


def _steps() -> list[tuple[type, str]]:
    return [
        (model, name)
        for model in MACHINES
        for name in sorted({t.name for t in model().get_all_status_transitions()})
        if (model.__name__, name) not in NO_PAGE
    ]


@pytest.mark.parametrize("model,step", _steps(), ids=lambda v: getattr(v, "__name__", v))
def test_every_step_lands_its_taker_on_a_page_they_may_see_with_a_confirmation(model, step):
    make, post = MACHINES[model]
    fired, wrong = [], []
    for username in USERNAMES:
        user = _user(username)
        with transaction.atomic():
            candidates = [
                obj for obj in make(step) if may_fire(obj, step, user) and transition_refusal(obj, step) is None
            ]
            if candidates:
                fired.append(username)
                response = post(signed_in(user), candidates[0], step)
                where = response.redirect_chain[-1][0] if response.redirect_chain else "(no redirect)"
                banner = b"govuk-notification-banner--success" in response.content
                if response.status_code != 200 or not response.redirect_chain or not banner:
                    wrong.append(f"{username} on {candidates[0]}: landed on {where} ({response.status_code})")
            transaction.set_rollback(True)
    assert fired, f"nobody could take {model.__name__}.{step}: give the walk an object it is open on"
    assert not wrong, f"after {model.__name__}.{step}:\n" + "\n".join(wrong)


def test_the_cio_sending_back_a_hubs_return_lands_on_its_review_list():
    return_obj = _return_in("VASL", Return.Status.SUBMITTED)
    client = signed_in(_user("val.staff"))
    response = _return_post(client, return_obj, "send_back")
    assert response.redirect_chain[-1][0] == reverse("performance:review_list")
    assert f"{return_obj} has been sent back to" in response.content.decode()
    assert Return.objects.get(pk=return_obj.pk).status == Return.Status.RETURNED
