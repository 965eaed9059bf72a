"""Real-browser journeys: Debian's Chromium driven by Playwright against pytest-django's live server.

A journey signs in as a demo user, and at each step saves a full-page screenshot and an axe-core report to
``test-artifacts/<journey>/<step>.png`` and ``<step>.axe.json``, failing on any serious or critical WCAG 2.2
A/AA violation. Chromium is the machine's own (/usr/bin/chromium): never ``playwright install``.

The live server needs committed data, so these tests are transactional and Django flushes the database
after each one. Each test therefore (re)loads the Leicestershire data and the demo users before it starts,
and the package puts them back once the last browser test has been flushed, so the rest of the suite,
which relies on the data loaded once per session in tests/conftest.py, finds it whatever the order.
"""

import json
import os
import re
import time
from contextlib import contextmanager
from pathlib import Path

import pyotp
import pytest
from django.templatetags.static import static
from django.urls import reverse

from vcsportal.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, demo_users_create
from vcsportal.leicestershire import load_leicestershire

ROOT = Path(__file__).resolve().parents[2]
#: One folder per database, so the SQLite and PostgreSQL runs (side by side under ``make test``) keep their own.
ARTIFACTS = ROOT / "test-artifacts" / ("postgresql" if os.environ.get("DATABASE_URL") else "sqlite")
AXE_SCRIPT = ROOT / "static" / "build" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: WCAG 2.2 levels A and AA, as axe-core tags its rules.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
#: Chromium's console line for a response with an error status (the document itself or anything it loads).
FAILED_RESOURCE = re.compile(r"Failed to load resource: the server responded with a status of (\d+)")
#: Whether the focused element shows where the focus is. It must match :focus-visible and either draw an
#: outline of the portal's own (a style, a width and a colour that is not transparent; not the browser's
#: default ring, outline-style "auto", a thin dark line that is lost on the black header) or look different
#: from itself unfocused (GOV.UK links and buttons keep a transparent outline for forced-colours mode and
#: show focus as a yellow background and a box-shadow). The unfocused look comes from a copy of the element,
#: without its id and name so that it changes nothing, set beside it for a moment. Returns what it found.
FOCUS_INDICATOR_SCRIPT = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return {element: "body", visible: false};
  const look = e => {
    const style = getComputedStyle(e);
    return {outlineStyle: style.outlineStyle, outlineWidth: style.outlineWidth, outlineColor: style.outlineColor,
            boxShadow: style.boxShadow, backgroundColor: style.backgroundColor};
  };
  const label = element.labels && element.labels.length ? element.labels[0] : null;
  if (/^(checkbox|radio)$/.test(element.type) && label && getComputedStyle(element).opacity === "0") {
    // GOV.UK hides the real box and draws the focus on its label's box (::before).
    const box = getComputedStyle(label, "::before").boxShadow;
    return {element: `input#${element.id} ${label.textContent.trim()}`, focusVisible: element.matches(":focus-visible"),
            labelBoxShadow: box, visible: element.matches(":focus-visible") && box !== "none"};
  }
  const focused = look(element);
  const copy = element.cloneNode(true);
  copy.removeAttribute("id");
  copy.removeAttribute("name");
  copy.setAttribute("aria-hidden", "true");
  element.after(copy);
  const unfocused = look(copy);
  copy.remove();
  const transparent = c => c === "transparent" || /rgba\\(.*,\\s*0\\)$/.test(c);
  const outline = !["none", "auto"].includes(focused.outlineStyle) && parseFloat(focused.outlineWidth) > 0
    && !transparent(focused.outlineColor);
  const changed = focused.boxShadow !== unfocused.boxShadow || focused.backgroundColor !== unfocused.backgroundColor;
  const name = (label || element).textContent.trim().slice(0, 60);
  return {
    element: element.tagName.toLowerCase() + (element.id ? "#" + element.id : "") + " " + name,
    focusVisible: element.matches(":focus-visible"),
    focused, unfocused, outline, changed,
    visible: element.matches(":focus-visible") && (outline || changed),
  };
}"""


_last_totp_step = [-1]


def _unused_totp_code() -> str:
    """The demo authenticator's code, never one already given (a code works once): the code of the next
    30-second step when this one's was used (the portal allows one step of drift), else wait for a new step."""
    step = int(time.time()) // 30
    if step <= _last_totp_step[0]:
        step = _last_totp_step[0] + 1
        while step > int(time.time()) // 30 + 1:
            time.sleep(1)
    _last_totp_step[0] = step
    return pyotp.TOTP(DEMO_TOTP_SECRET).at(step * 30)


def _data_load(django_db_blocker):
    with django_db_blocker.unblock():
        load_leicestershire()
        demo_users_create()


@pytest.fixture(scope="package")
def _async_unsafe_allowed():
    # Playwright's sync API keeps an event loop in this thread; Django would refuse ORM calls from it.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="package")
def _leicestershire_restored_afterwards(django_db_setup, django_db_blocker, _async_unsafe_allowed):
    """After the last browser test's flush, put the session's data back for the tests that follow."""
    yield
    _data_load(django_db_blocker)


@pytest.fixture(scope="package")
def browser(_leicestershire_restored_afterwards, _async_unsafe_allowed):
    """One Chromium for every journey (each test gets its own context, so no cookies are shared)."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: run `make system-deps` (installs Debian's chromium package)")
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE_SCRIPT} is missing: run `make static` (copies axe-core from node_modules)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Journey:
    """One person's walk through the portal in a browser, with evidence saved at every step."""

    def __init__(self, page, base_url: str, name: str):
        self.page = page
        self.base_url = base_url
        self.name = name
        self.folder = ARTIFACTS / name
        self.folder.mkdir(parents=True, exist_ok=True)
        #: (url, status) of pages the journey expected the server to refuse, e.g. a form with errors (400).
        self.refusals: set[tuple[str, int]] = set()
        for old in self.folder.glob("*"):
            old.unlink()

    def url(self, url_name: str, **kwargs) -> str:
        return self.base_url + reverse(url_name, kwargs=kwargs or None)

    def visit(self, url_name: str, **kwargs):
        response = self.page.goto(self.url(url_name, **kwargs))
        assert response is not None and response.ok, f"{url_name} answered {response and response.status}"
        return response

    @contextmanager
    def refused(self, status: int):
        """Wrap the action (a form post) that should bring back a page with this error status: the page is
        expected, so Chromium's console line about it is not a failure; any other error status still is."""
        page = self.page
        with page.expect_response(
            lambda response: response.request.is_navigation_request() and response.request.frame == page.main_frame
        ) as answer:
            yield
        response = answer.value
        assert response.status == status, f"{response.url} answered {response.status}, not {status}"
        self.refusals.add((response.url, status))
        page.wait_for_load_state()

    def focus(self) -> dict:
        """The focused element and how its focus shows; fails unless the focus is visible."""
        found = self.page.evaluate(FOCUS_INDICATOR_SCRIPT)
        assert found["visible"], f"{self.name}: the focus is not visible on {found}"
        return found

    def sign_in(self, username: str, password: str = DEMO_PASSWORD):
        """Sign in through the login form, as a person would, and land on the home page. Where the person's
        role requires a second factor (the LCC officer), give the code the demo authenticator shows now."""
        self.page.goto(self.url("login"))
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_load_state()
        if self.page.url.startswith(self.url("twofactor:verify")):
            self.page.get_by_label("Code", exact=True).fill(_unused_totp_code())
            self.page.get_by_role("button", name="Continue").click()
        self.page.wait_for_url(self.url("home"))

    def sign_out(self):
        self.page.get_by_role("button", name="Sign out").click()
        self.page.wait_for_url(re.compile(re.escape(self.url("login"))))

    def check(self, step: str) -> dict:
        """Save a full-page screenshot and the axe-core report for this step; fail on serious or critical
        WCAG 2.2 A/AA violations, naming each rule, its help text and the elements that break it."""
        self.page.screenshot(path=self.folder / f"{step}.png", full_page=True)
        # Loaded from the live server's own static files (the same axe.min.js the build copies), so the
        # portal's strict CSP (script-src 'self') stays on: a journey also proves the pages break no CSP rule.
        self.page.add_script_tag(url=self.base_url + static("build/axe.min.js"))
        report = self.page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            WCAG_TAGS,
        )
        (self.folder / f"{step}.axe.json").write_text(json.dumps(report, indent=2))
        blocking = [v for v in report["violations"] if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, f"{self.name}/{step} ({self.page.url}): " + "; ".join(
            f"{v['id']} ({v['impact']}): {v['help']} at {[node['target'] for node in v['nodes']]}" for v in blocking
        )
        return report


@pytest.fixture
def journey(request, browser, live_server, django_db_blocker):
    """A fresh browser context on the live server, with the Leicestershire data and demo users present."""
    _data_load(django_db_blocker)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append((str(error), "")))
    # Console errors include Content-Security-Policy refusals, failed static files and error responses.
    page.on(
        "console",
        lambda message: (
            errors.append((message.text, message.location.get("url", ""))) if message.type == "error" else None
        ),
    )
    name = re.sub(r"[^a-z0-9]+", "-", request.node.name.removeprefix("test_").lower()).strip("-")
    journey = Journey(page, live_server.url, name)
    yield journey
    context.close()

    def expected(text, url):
        failed = FAILED_RESOURCE.match(text)
        return failed is not None and (url, int(failed.group(1))) in journey.refusals

    unexpected = [f"{text} ({url})" if url else text for text, url in errors if not expected(text, url)]
    assert not unexpected, f"errors in the browser console: {unexpected}"
