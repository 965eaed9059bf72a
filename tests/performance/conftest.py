"""Helpers for the returns tests: fill a return's form the way a browser would."""

import pytest

from performance.models import Return


def page_data(response) -> dict:
    """The POST data a browser would send back from a return page, unchanged: every row's values and the
    values it was loaded with, and the version."""
    data = {"version": response.context["version_form"]["version"].value()}
    for form in response.context["forms"]:
        for name in form.fields:
            value = form[name].value()
            value = "" if value is None else str(value)
            data[form.add_prefix(name)] = value
            data[form.add_initial_prefix(name)] = value
    return data


def row_prefix(response, code: str, district: str | None = None) -> str:
    for form in response.context["forms"]:
        result = form.result
        if result.indicator.code == code and (result.district.slug if result.district_id else None) == district:
            return form.prefix
    raise AssertionError(f"no row {code} {district}")


@pytest.fixture
def q3_return():
    """``q3_return("VASL")``: the provider's 2010/11 Q3 return (a draft on the demo data)."""

    def get(code: str) -> Return:
        return Return.objects.get(provider__code=code, period__financial_year=2010, period__quarter=3)

    return get


def fill_hub_rows(data: dict, response, codes=("LOC-1", "LOC-2", "LOC-3", "LOC-4", "LOC-5")):
    """Give every hub row a figure, a green rating and a narrative (no targets are set for local indicators)."""
    for number, code in enumerate(codes, start=1):
        prefix = row_prefix(response, code)
        data[f"{prefix}-actual"] = str(10 * number)
        data[f"{prefix}-rag"] = "green"
        data[f"{prefix}-narrative"] = f"{code}: steady quarter."
    return data
