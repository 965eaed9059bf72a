"""The stylesheet holds only the govuk-frontend components the pages use, and every one they do use.

frontend/portal.scss imports govuk-frontend component by component. Every govuk-frontend class a page can
show must be styled: the classes are gathered from every page in the URLconf (walked as the URL walk does,
signed in as the LCC officer and as a hub's staff, who between them see every form), from our templates and
Python source (pages in other states, such as error messages), and from the crispy-forms-gds templates our
forms' errors are rendered with. Each class that govuk-frontend's full stylesheet defines must be defined in
static/build/portal.css too (``make static`` builds it).
"""

import re
from pathlib import Path

import crispy_forms_gds
import pytest

from tests.security.test_url_walk import (  # noqa: F401 (every_table_has_a_row is an autouse fixture)
    concrete_url,
    every_table_has_a_row,
    url_endpoints,
)

ROOT = Path(__file__).resolve().parent.parent
BUILT = ROOT / "static" / "build" / "portal.css"
FULL = ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk" / "govuk-frontend.min.css"
CRISPY_ERRORS = [
    "errors.html",
    "layout/error_summary.html",
    "layout/field_errors.html",
    "layout/help_text_and_errors.html",
]
#: govuk-frontend's class names, in CSS (where ``!`` is escaped) or in HTML.
CSS_CLASS = re.compile(r"\.(govuk-(?:\\!-)?[a-zA-Z0-9_-]+)")
HTML_CLASS = re.compile(r"govuk-(?:!-)?[a-zA-Z0-9_-]+")

pytestmark = pytest.mark.django_db


def _defined(path: Path) -> set[str]:
    if not path.exists():
        pytest.fail(f"{path} is missing: run `make static`")
    return {name.replace("\\!", "!") for name in CSS_CLASS.findall(path.read_text())}


def _source_classes() -> set[str]:
    sources = [*ROOT.glob("templates/**/*.html"), *ROOT.glob("*/templates/**/*.html")]
    apps = [init.parent for init in ROOT.glob("*/__init__.py") if init.parent.name not in ("tests", "bench")]
    sources += [path for app in apps for path in app.glob("**/*.py")]
    crispy = Path(crispy_forms_gds.__file__).parent / "templates" / "gds"
    sources += [crispy / name for name in CRISPY_ERRORS]
    return {name for path in sources for name in HTML_CLASS.findall(path.read_text())}


def _page_classes(client) -> set[str]:
    client.raise_request_exception = False
    found = set()
    for endpoint in url_endpoints():
        response = client.get(concrete_url(endpoint))
        if response.streaming or "html" not in response.get("Content-Type", ""):
            continue
        for attribute in re.findall(r'class="([^"]*)"', response.content.decode()):
            found.update(name for name in attribute.split() if name.startswith("govuk-"))
    return found


def test_every_govuk_class_a_page_uses_is_in_the_stylesheet(login):
    full, built = _defined(FULL), _defined(BUILT)
    pages = _page_classes(login("lcc.officer")) | _page_classes(login("vasl.hub"))
    assert {"govuk-table", "govuk-button", "govuk-summary-list"} <= pages, "the walk found no styled pages"
    used = pages | _source_classes()
    missing = sorted(name for name in used if name in full and name not in built)
    assert not missing, (
        f"used by the pages but left out of frontend/portal.scss: {missing}. Import the govuk-frontend component "
        "(or add the override class to frontend/_overrides.scss), then `make static`."
    )


def test_the_stylesheet_leaves_out_the_components_no_page_uses():
    built = _defined(BUILT)
    used = _source_classes()
    for component in ("govuk-accordion", "govuk-tabs", "govuk-header", "govuk-cookie-banner"):
        assert component not in used, f"{component} is used now: import it in frontend/portal.scss"
        assert component not in built, f"{component} is in the stylesheet though no page uses it"
