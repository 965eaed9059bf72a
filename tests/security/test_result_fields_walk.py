"""Fields a role may not set, as a class (issue 12, item 1): every field a result has (the model's, the API's
read shape, the CSV's columns, the API's, the form's and the review's row fields), for every role, through every
channel that writes results (the return form, the CSV upload, the API, and the review's verdicts). A field the
role may write (performance.result_fields, the one declaration) is accepted; any other is refused with the field
named, and nothing is saved. The lists are read from the code, so a field, role or channel added later is
walked too."""

import pytest

from core.roles import Role
from performance.imports import HEADER
from performance.models import Result, Return
from performance.result_fields import (
    ENTRY_FIELDS,
    RESULT_FIELDS_REVIEWED,
    RESULT_FIELDS_WRITABLE,
    VERDICT_FIELDS,
)
from performance.services import return_submit
from tests.result_channels import (
    CHANNEL_FIELDS,
    CHANNEL_KEYS,
    CHANNEL_NAMES,
    CHANNEL_WRITABLE,
    WRITING_CHANNELS,
    channel_open,
    stored,
    write,
)
from vcsportal.api.serializers import ResultRowWriteSerializer, ResultSerializer
from vcsportal.models import User

pytestmark = pytest.mark.django_db

#: Every name a row might carry, from every place a result's fields are named.
FIELD_NAMES = sorted(
    {field.name for field in Result._meta.concrete_fields}
    | set(ResultSerializer.Meta.fields)
    | set(HEADER)
    | set(ResultRowWriteSerializer().fields)
    | {name for names in CHANNEL_NAMES.values() for name in names}
)

#: A value for each name, and the writable names a value needs beside it to make a row the rules accept.
VALUES = {
    "rag": ("green", {}),
    "actual": ("12", {}),
    "target": ("30", {}),
    "reason": ("not_applicable", {"rag": "not_reported"}),
    "rag_override_reason": ("The figures miss the late returns", {}),
    "not_reported_reason": ("not_applicable", {"rag": "not_reported"}),
    "not_reported_other": ("Worker on leave", {"rag": "not_reported", "not_reported_reason": "other"}),
    "narrative": ("Seven new groups", {}),
    "evidence_url": ("https://example.org/report.pdf", {}),
    "computed_rag": ("green", {}),
    "validation": ("validated", {}),
    "validation_comment": ("Checked against the register", {"validation": "challenged"}),
    "id": ("999999", {}),
    "return_obj": ("1", {}),
    "return_id": ("1", {}),
    "period": ("2010/11 Q2", {}),
    "provider": ("VAC", {}),
    "indicator": ("LOC-2", {}),
    "district": ("blaby", {}),
}
#: Where an accepted value is stored as given (the model's field, and the value it then holds).
STORED = {
    "rag": ("rag", "green"),
    "actual": ("actual", 12),
    "target": ("target", 30),
    "reason": ("not_reported_reason", "not_applicable"),
    "not_reported_reason": ("not_reported_reason", "not_applicable"),
    "not_reported_other": ("not_reported_other", "Worker on leave"),
    "narrative": ("narrative", "Seven new groups"),
    "evidence_url": ("evidence_url", "https://example.org/report.pdf"),
    "validation": ("validation", "validated"),
    "validation_comment": ("validation_comment", "Checked against the register"),
}


def user_with(role: Role) -> User:
    return User.objects.filter(role=role, is_active=True).order_by("username").first()


def row_written_by(user, channel: str) -> Result:
    """A row of a 2010/11 Q3 draft: the user's own organisation's return, else a hub's (VASL); for the review,
    VASL's return once its hub has submitted it."""
    provider = user.organisation.code if user.organisation_id and channel != "review" else "VASL"
    return_obj = Return.objects.get(provider__code=provider, period__financial_year=2010, period__quarter=3)
    if channel == "review":
        Result.objects.filter(return_obj=return_obj).update(rag="green", actual=1, narrative="Fine.")
        return_submit(return_obj=return_obj, user=User.objects.get(username="vasl.hub"))
    return return_obj.results.filter(district__isnull=True).select_related("indicator").order_by("indicator__code")[0]


def expected_accepted(channel: str, user, return_obj, name: str) -> bool:
    if not channel_open(channel, user, return_obj) or name not in CHANNEL_NAMES[channel]:
        return False
    return name in CHANNEL_KEYS[channel] or set(CHANNEL_FIELDS[channel][name]) <= CHANNEL_WRITABLE[channel](user)


def test_every_role_and_field_is_walked():
    assert {role for role in Role} == set(RESULT_FIELDS_WRITABLE) == set(RESULT_FIELDS_REVIEWED)
    assert set(FIELD_NAMES) <= set(VALUES), "give a value for a new field so the walk can try it"
    assert all(user_with(role) for role in Role)


def test_the_declaration():
    """What the issue found, pinned: only LCC sets a target; nobody sets the computed rating or a verdict with the
    figures; funders and the peer review member set nothing."""
    for role, fields in RESULT_FIELDS_WRITABLE.items():
        assert {"computed_rag", "validation", "validation_comment"}.isdisjoint(fields)
        assert ("target" in fields) == (role == Role.LCC_OFFICER)
    assert RESULT_FIELDS_WRITABLE[Role.PROVIDER_STAFF] == RESULT_FIELDS_WRITABLE[Role.CIO_STAFF] == ENTRY_FIELDS
    assert RESULT_FIELDS_WRITABLE[Role.FUNDER_REVIEWER] == RESULT_FIELDS_WRITABLE[Role.PEER_REVIEWER] == set()
    # A review writes the verdict and nothing else; those who fill a return in do not review it.
    assert all(fields in (VERDICT_FIELDS, set()) for fields in RESULT_FIELDS_REVIEWED.values())
    assert RESULT_FIELDS_REVIEWED[Role.PROVIDER_STAFF] == set()


@pytest.mark.parametrize("channel", WRITING_CHANNELS)
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", FIELD_NAMES)
def test_a_field_is_accepted_only_where_the_role_may_write_it(channel, role, name):
    user = user_with(role)
    result = row_written_by(user, channel)
    return_obj = result.return_obj
    value, companions = VALUES[name]
    if name in CHANNEL_KEYS[channel]:
        value = None  # the row's own key, as the channel writes it anyway
    # Companions only where the channel has them (the CSV and the API give the reasons as "reason").
    companions = {other: given for other, given in companions.items() if other in CHANNEL_NAMES[channel]}
    values = {**companions, name: value} if value is not None else companions
    before = stored(return_obj)

    answer = write(channel, user, result, values)

    if expected_accepted(channel, user, return_obj, name):
        assert answer.ok, (answer.status, answer.errors)
        if name in STORED:
            field, wanted = STORED[name]
            assert getattr(Result.objects.get(pk=result.pk), field) == wanted
        return
    assert answer.status in (400, 403, 404), answer.status
    if channel_open(channel, user, return_obj):
        # Refused by name: the CSV's column and the API's field are the name; the form's message quotes it.
        if channel in ("form", "review"):
            assert any(f"“{name}”" in message or f"the {name}" in message for _f, message in answer.errors), answer
        else:
            assert name in {field for field, _message in answer.errors}, answer.errors
    assert stored(return_obj) == before, "nothing is saved from a refused write"
