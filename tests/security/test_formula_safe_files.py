"""Every file the portal writes is formula-safe, as a class: every CSV and XLSX download and every management
command with a csv or xlsx format, found from the code, after planting formula-like text in every name,
title, note and narrative people can type.

- Downloads: every URL in the URLconf (as the URL walk builds it), with each file format the URL or its
  ``?format=`` can ask for, and each table a ``<table>`` URL can export; whatever answers with a CSV or XLSX
  file is read.
- Commands: every command of the portal's apps whose ``--format`` offers csv or xlsx, run with its sample
  arguments (``COMMAND_ARGUMENTS``: the walk fails and says so for a new command without them).

A cell that starts like a formula (=, +, -, @, tab, carriage return) must be a number the file writes as
a number; text is written with a leading apostrophe (core.exports).
"""

import csv
import io
from decimal import Decimal, InvalidOperation

import pytest
from django.apps import apps
from django.core.management import call_command, get_commands, load_command_class
from django.db import models
from openpyxl import load_workbook

from core.exports import FORMULA_STARTS
from districts.models import County
from performance.exports import FORMATS
from performance.views.dashboard import EXPORTABLE
from tests.security.test_url_walk import (  # noqa: F401 - the fixture fills every table, as for the URL walk
    SUPERUSER,
    _client_for,
    concrete_url,
    every_table_has_a_row,
    url_endpoints,
)
from vcsportal.models import User

pytestmark = pytest.mark.django_db

PLANTED = "=cmd|' /C calc'!A0 "
#: The domain apps whose typed text goes into files.
TEXT_APPS = ("districts", "contracts", "performance", "disputes")
#: Text fields that are identifiers (the walk's URLs and the commands' arguments find rows by them).
IDENTIFIERS = {"code", "slug", "reference", "label", "email", "username", "password", "url", "identifier"}

#: Sample arguments for every command that writes csv or xlsx, by command name.
COMMAND_ARGUMENTS = {
    "budget_scenario": ["--year", "2011/12", "--total", "1254878", "--rule", "population"],
    "export_360giving": ["--year", "2010/11"],
    "pmf_summary": ["--period", "2010/11 Q2", "--compare-to", "2009/10 Q3"],
}


def _unique_together(model) -> set[str]:
    """The fields of a model's composite uniqueness (planting a prefix cut to the field's length could collide)."""
    names = {name for together in model._meta.unique_together for name in together}
    for constraint in model._meta.constraints:
        names.update(getattr(constraint, "fields", ()) or ())
    return names


def plant_formulas() -> int:
    """Every free-text field of every row in the domain apps starts with a formula; returns how many fields."""
    planted = 0
    for model in apps.get_models():
        if model._meta.app_label not in TEXT_APPS or model._meta.proxy:
            continue
        composite = _unique_together(model)
        for field in model._meta.concrete_fields:
            if (
                not isinstance(field, models.CharField | models.TextField)
                or field.choices
                or field.unique
                or field.name in composite
                or field.name in IDENTIFIERS
                or field.name.endswith(("_code", "_slug"))
                or not field.editable
            ):
                continue
            text = models.functions.Concat(models.Value(PLANTED), models.F(field.name))
            if field.max_length:
                text = models.functions.Left(text, field.max_length)
            model._base_manager.exclude(**{field.name: ""}).update(**{field.name: text})
            planted += 1
    return planted


def _unsafe(value) -> bool:
    """A cell a spreadsheet would run: text starting like a formula that is not simply a number."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return False
    try:
        Decimal(value)
    except InvalidOperation:
        return True
    return False


def file_cells(response) -> list | None:
    """Every cell of a CSV or XLSX response, or None if the response is no such file."""
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if content_type.startswith("text/csv"):
        return [value for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))) for value in row]
    if "spreadsheetml" in content_type:
        workbook = load_workbook(io.BytesIO(body), read_only=True)
        return [value for sheet in workbook for row in sheet.iter_rows(values_only=True) for value in row]
    return None


def download_urls() -> list[tuple[str, str]]:
    """(url name, URL) for every URL with every format and table it can be asked for."""
    urls = []
    for endpoint in url_endpoints():
        if (endpoint.name or "admin:").startswith("admin:"):
            continue
        base = concrete_url(endpoint)
        variants = {base}
        if "file_format" in endpoint.route:
            variants = {base.replace("csv", file_format, 1) for file_format in FORMATS}
        if "<table>" in endpoint.route or "<str:table>" in endpoint.route:
            variants = {url.replace("by-provider", table, 1) for url in variants for table in EXPORTABLE}
        for url in sorted(variants):
            urls.append((endpoint.name, url))
            for file_format in FORMATS:
                urls.append((endpoint.name, url + ("&" if "?" in url else "?") + f"format={file_format}"))
    return urls


def csv_commands() -> dict[str, list[str]]:
    """Command name -> the file formats its --format offers, for the portal's own commands."""
    found = {}
    for name, app in get_commands().items():
        if app.split(".")[0] not in {*TEXT_APPS, "vcsportal", "notifications", "core"}:
            continue
        parser = load_command_class(app, name).create_parser("manage.py", name)
        for action in parser._actions:
            if action.dest == "format" and action.choices:
                formats = [choice for choice in action.choices if choice in FORMATS]
                if formats:
                    found[name] = formats
    return found


def test_the_walk_finds_the_downloads_and_commands_known_today():
    """Guards the generators: a broken detection would check nothing and pass."""
    assert {"budget_scenario", "export_360giving", "pmf_summary"} <= csv_commands().keys()
    names = {name for name, _ in download_urls()}
    assert {
        "performance:dashboard_export",
        "performance:indicator_export",
        "performance:targets_export",
        "contracts:scenario_export",
        "opendata:giving360-csv",
    } <= names


def test_every_download_is_formula_safe():
    assert plant_formulas() > 10
    client = _client_for(SUPERUSER)
    # A site administrator in Leicestershire's partnership: a 360Giving package is one partnership's (one in
    # none has no grants to publish), and every other file reads the same either way.
    User.objects.filter(is_superuser=True).update(partnership=County.objects.get(slug="leicestershire"))
    files, planted_seen, wrong = {}, 0, []
    for name, url in download_urls():
        response = client.get(url)
        if response.status_code != 200:
            continue
        cells = file_cells(response)
        if cells is None:
            continue
        files.setdefault(name, []).append(url)
        planted_seen += any(isinstance(value, str) and "cmd|" in value for value in cells)
        wrong.extend(f"{url} ({name}): {value[:40]!r}" for value in cells if _unsafe(value))
    assert {"performance:dashboard_export", "contracts:scenario_export", "opendata:giving360-csv"} <= files.keys()
    assert planted_seen >= 5, "the planted text should reach several files"
    assert not wrong, "cells a spreadsheet would run:\n" + "\n".join(wrong)


def test_every_command_that_writes_csv_or_xlsx_is_formula_safe(tmp_path):
    assert plant_formulas() > 10
    commands = csv_commands()
    missing = sorted(commands.keys() - COMMAND_ARGUMENTS.keys())
    assert not missing, f"add sample arguments for {missing} to COMMAND_ARGUMENTS"
    wrong = []
    for name, formats in commands.items():
        for file_format in formats:
            out = io.StringIO()
            call_command(name, *COMMAND_ARGUMENTS[name], "--format", file_format, stdout=out, stderr=io.StringIO())
            text = out.getvalue()
            cells = [value for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for value in row]
            assert cells, f"{name} --format {file_format} wrote nothing"
            wrong.extend(f"{name} --format {file_format}: {value[:40]!r}" for value in cells if _unsafe(value))
    assert not wrong, "cells a spreadsheet would run:\n" + "\n".join(wrong)
