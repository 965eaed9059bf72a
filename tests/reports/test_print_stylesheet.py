"""Every page prints without navigation, with link targets shown and no table row split across pages: the
rules are in the portal's one stylesheet (frontend/portal.scss, @media print), which every page loads."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def print_rules() -> str:
    css = (ROOT / "static" / "build" / "portal.css").read_text()
    blocks = re.findall(r"@media print\s*\{(.*?\})\s*\}", css, flags=re.S)
    assert blocks, "portal.css has no @media print rules: run make static"
    return " ".join(blocks)


def test_print_hides_the_navigation_and_forms(print_rules):
    hidden = " ".join(re.findall(r"([^{}]*)\{display:none ?!important\}", print_rules))
    for selector in (".govuk-service-navigation", ".govuk-skip-link", ".portal-header__user", "form", ".govuk-button"):
        assert selector in hidden, selector


def test_print_shows_link_targets_and_keeps_table_rows_whole(print_rules):
    assert 'content:" (" attr(href) ")"' in print_rules
    assert re.search(r"\.govuk-table tr[^{]*\{[^}]*break-inside:avoid", print_rules)
    assert re.search(r"\.govuk-table thead\{display:table-header-group\}", print_rules)


@pytest.mark.django_db
def test_every_page_loads_the_stylesheet_that_holds_the_print_rules(lcc_client):
    page = lcc_client.get(reverse("home")).content.decode()
    assert '<link rel="stylesheet" href="/static/build/portal.css">' in page
