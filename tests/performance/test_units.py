"""Each indicator's unit bounds its figures (issue 12, item 12), by one rule (performance.units) that the
return form, the CSV import and the API all apply: a count is whole and not negative, a percentage 0 to 100,
money and ratios not negative. Each unit is walked through each channel with values just inside and just
outside its bounds; a refusal names the row and the field and says what is accepted, and saves nothing."""

from decimal import Decimal

import pytest
from django.urls import reverse

from performance.framework import target_value_problem
from performance.models import Indicator, Result, Return
from performance.units import UNIT_BOUNDS, figure_error
from tests.result_channels import CHANNELS, stored, write
from vcsportal.models import User

pytestmark = pytest.mark.django_db

#: Who writes through each channel: VAL's own staff fill in VAL's return (the form, the API); LCC uploads.
WRITER = {"form": "val.staff", "csv": "lcc.officer", "api": "val.staff"}


def edges(bounds) -> tuple[list[Decimal], list[Decimal]]:
    """Values just inside and just outside a unit's bounds (figures the channels can carry: 2 decimal places)."""
    step = Decimal(1).scaleb(-bounds.places)
    inside = [bounds.minimum, bounds.minimum + step, Decimal("42.75") if bounds.places else Decimal(42)]
    outside = [bounds.minimum - step]
    if bounds.maximum is not None:
        inside.append(bounds.maximum)
        outside.append(bounds.maximum + Decimal("0.01"))
    if bounds.places == 0:
        outside += [Decimal("12.5"), Decimal("0.01")]
    return inside, outside


CASES = [
    (unit, channel, value, accepted)
    for unit, bounds in UNIT_BOUNDS.items()
    for channel in CHANNELS
    for accepted, values in zip((True, False), edges(bounds), strict=True)
    for value in values
]


def test_every_unit_has_bounds():
    assert set(UNIT_BOUNDS) == set(Indicator.Unit.values)


@pytest.mark.parametrize(("unit", "channel", "value", "accepted"), CASES, ids=lambda v: str(v))
def test_a_figure_is_bounded_by_its_unit_on_every_channel(unit, channel, value, accepted):
    # VAL-25 (number of volunteer enquiries) in VAL's 2010/11 Q3 draft, given each unit in turn.
    Indicator.objects.filter(code="VAL-25").update(unit=unit)
    return_obj = Return.objects.get(provider__code="VAL", period__financial_year=2010, period__quarter=3)
    result = return_obj.results.select_related("indicator", "return_obj__period", "return_obj__provider").get(
        indicator__code="VAL-25"
    )
    before = stored(return_obj)

    answer = write(channel, User.objects.get(username=WRITER[channel]), result, {"actual": f"{value}"})

    if accepted:
        assert answer.ok, (answer.status, answer.errors)
        assert Result.objects.get(pk=result.pk).actual == value
        return
    assert answer.status == 400
    message = f"VAL-25 number of volunteer enquiries: enter the actual figure as {UNIT_BOUNDS[unit].accepted}"
    expected_field = "actual"
    assert (expected_field, f"line 2: {message}" if channel == "csv" else message) in answer.errors, answer.errors
    assert stored(return_obj) == before


@pytest.mark.parametrize("unit", list(UNIT_BOUNDS))
def test_the_framework_targets_agree_with_the_unit_rule(unit):
    """The targets LCC sets in the framework are checked by ``target_value_problem``: it accepts exactly the
    figures the unit rule accepts, at every edge."""
    indicator = Indicator(code="X-1", unit=unit)
    inside, outside = edges(UNIT_BOUNDS[unit])
    assert [target_value_problem(indicator, value) for value in inside] == [None] * len(inside)
    assert all(target_value_problem(indicator, value) for value in outside)


def test_the_framework_shows_each_indicators_unit_and_its_bounds(lcc_client):
    """Where LCC sets up the framework (the admin's indicator list and page, the year's framework and the
    targets page), each indicator's unit is shown with what its figures may be, in the rule's own words."""
    listing = lcc_client.get(reverse("admin:performance_indicator_changelist")).content.decode()
    for unit, bounds in UNIT_BOUNDS.items():
        if Indicator.objects.filter(unit=unit).exists():
            assert bounds.accepted in listing
    indicator = Indicator.objects.get(code="VAL-02")
    page = lcc_client.get(reverse("admin:performance_indicator_change", args=[indicator.pk])).content.decode()
    assert "a percentage from 0 to 100 (at most 2 decimal places)" in page
    for bounds in UNIT_BOUNDS.values():
        assert bounds.accepted in page  # the unit field's hint lists every unit's bounds
    year = lcc_client.get(reverse("performance:framework_year", kwargs={"year": 2010})).content.decode()
    assert "Count: a whole number, 0 or more" in year
    targets = lcc_client.get(reverse("performance:targets_set", kwargs={"year": 2010, "code": "VAL-15"}))
    assert "Unit: money (£): an amount in pounds, 0 or more, with at most 2 decimal places." in targets.content.decode()


def test_the_rule_takes_whole_numbers_as_services_are_given_them():
    indicator = Indicator(code="X-1", short_name="groups", unit=Indicator.Unit.COUNT)
    assert UNIT_BOUNDS[Indicator.Unit.COUNT].allows(10)
    assert not UNIT_BOUNDS[Indicator.Unit.COUNT].allows(-1)
    assert figure_error(indicator, 10, label="X-1 groups", what="actual figure") == ""
    assert figure_error(indicator, -1, label="X-1 groups", what="actual figure") == (
        "X-1 groups: enter the actual figure as a whole number, 0 or more"
    )
