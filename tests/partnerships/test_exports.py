"""Exports hold one partnership (issue 15): Leicestershire's 360Giving package is the same, byte for byte,
before and after a synthetic partnership (with its own 2010/11 allocations) is loaded; once several exist the
command must be told which."""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from tests.signin import signed_in
from vcsportal.models import User

pytestmark = pytest.mark.django_db

OTHER = "synthetic-001"


def _export(*options, format="json") -> str:
    out = io.StringIO()
    call_command(
        "export_360giving", "--year", "2010/11", "--format", format, *options, stdout=out, stderr=io.StringIO()
    )
    # The package's issue date is today's: the only timestamp that may differ between two runs.
    return re.sub(r'"issued": "[0-9-]+"', '"issued": ""', out.getvalue())


def _load_another_partnership():
    call_command("generate_synthetic", councils=1, seed=1, stdout=io.StringIO())


def test_leicestershires_360giving_export_is_the_same_once_another_partnership_is_loaded():
    json_before, csv_before = _export(), _export(format="csv")  # one partnership: it need not be named
    _load_another_partnership()
    assert _export("--partnership", "leicestershire") == json_before
    assert _export("--partnership", "leicestershire", format="csv") == csv_before
    other = _export("--partnership", OTHER)
    assert "S001-" in other and "VASL" not in other


def test_export_360giving_names_the_partnership_once_several_exist():
    _load_another_partnership()
    with pytest.raises(CommandError, match=r"--partnership: name the partnership \(several exist: leicestershire"):
        _export()
    with pytest.raises(CommandError, match="--partnership: no partnership “nowhere”: give a partnership's slug"):
        _export("--partnership", "nowhere")


def test_the_360giving_download_holds_the_readers_partnership_only():
    funder = signed_in(User.objects.get(username="funder.reviewer"))
    before = funder.get("/open-data/360giving/2010-11.csv").content
    _load_another_partnership()
    after = funder.get("/open-data/360giving/2010-11.csv").content
    assert after == before and b"S001-" not in after
    other = signed_in(User.objects.get(partnership__slug=OTHER, role="funder_reviewer"))
    assert b"S001-" in other.get("/open-data/360giving/2010-11.csv").content
    assert b"2010/11" in other.get("/open-data/360giving/").content
