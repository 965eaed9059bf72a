"""Locust users for the load run: a quarter-end mix (bench/load.py starts gunicorn and runs this headless).

- Providers (hub, LRC and CIO staff; sessions dealt round one account per provider, the CIO's first, so with
  enough users several sessions save one return and collide) fill in their 2010/11 Q3 return section by
  section: each save fills every row of one section (a rating unless the figures give it, the actual figure, a
  narrative unique to that save), and once every row is complete they submit. A save refused as stale (409:
  someone saved a newer version since the page was loaded) is handled as a person would: reload, make the
  change again, save again. A return they cannot edit (submitted, accepted, signed off) they only read, with
  their list of returns.
- The CIO's staff (one session) review their sub-contractors' submitted returns from the review list:
  accept, or send back with a comment.
- The LCC officer (one session) reviews too: the CIO's submitted return (accept or send back), accepted
  returns (sign off or send back), and, so that the quarter keeps turning through a long run, reopens
  signed-off ones.
- Funders (as many sessions as the providers) read the dashboard's sections and an indicator's page, and
  download the results (CSV) and the localities (XLSX).

Every request is recorded (start, name, time, failure), with every save and workflow step the portal
confirmed, in ``LOAD_RECORD`` (JSON) when locust stops, so bench/load.py can measure the steady state and
check each confirmed change against the history in the database. Not for use against anything but 127.0.0.1.
"""

import itertools
import json
import os
import random
import re
import time
import uuid
from html import unescape

from locust import HttpUser, between, events, task
from locust.exception import StopUser

PASSWORD = os.environ.get("LOAD_PASSWORD", "portal-demo-2011")
#: {"username": "/returns/<pk>/", ...}: each provider account's own return.
RETURNS = json.loads(os.environ.get("LOAD_RETURNS", "{}"))
#: Every return of the period, for the LCC officer to reopen signed-off ones.
PERIOD_RETURNS = json.loads(os.environ.get("LOAD_PERIOD_RETURNS", "[]"))
FUNDERS = os.environ.get("LOAD_FUNDERS", "funder.reviewer").split(",")
CIO = os.environ.get("LOAD_CIO", "val.staff")
LCC = os.environ.get("LOAD_LCC", "lcc.officer")
INDICATOR = os.environ.get("LOAD_INDICATOR", "VAL-01")
RECORD_FILE = os.environ.get("LOAD_RECORD", "load-record.json")
MAX_ATTEMPTS = 5
#: Seconds each simulated person waits between actions: busier than people are, so each one is a heavy user.
THINK = (float(os.environ.get("LOAD_THINK_MIN", "2")), float(os.environ.get("LOAD_THINK_MAX", "8")))

requests_made: list[tuple[float, str, float, bool]] = []  # (start, name, milliseconds, failed)
failures: list[str] = []  # what each failed request answered
ready_at: list[float] = []  # when each user had signed in
saves: list[dict] = []  # every save or submission the portal confirmed, with the narratives it wrote
steps: list[dict] = []  # every workflow step the portal confirmed
counts = {"stale_refusals": 0, "gave_up": 0, "refused_steps": 0, "gone_from_view": 0, "sent_back_to_404": 0}
_provider_names = itertools.cycle(sorted(RETURNS, key=lambda username: (username != CIO, username)))
_funder_names = itertools.cycle(FUNDERS)

SECTION = re.compile(r'<h2 class="govuk-heading-l">(.*?)</h2>', re.S)
ROW_NARRATIVE = re.compile(r'name="row-(\d+)-narrative"')
RETURN_LINK = re.compile(
    r'<a class="govuk-link" href="(/returns/\d+/)">.*?<strong class="govuk-tag">([^<]+)</strong>', re.S
)
SUCCESS = re.compile(r"has been (saved as a draft|submitted|accepted|sent back|signed off|reopened)")


@events.request.add_listener
def _record(request_type, name, response_time, exception, start_time=None, **_kwargs):
    requests_made.append((start_time or time.time(), name, response_time, exception is not None))
    if exception is not None:
        failures.append(f"{name}: {exception}")


def second_factor_code() -> str:
    """The demo authenticator's code of the moment (the key is documented in vcsportal/demo.py)."""
    import pyotp

    return pyotp.TOTP(os.environ.get("LOAD_TOTP_SECRET", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")).now()


def _csrf(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return found.group(1) if found else ""  # no form: the post that follows is refused and counted


def _form_fields(form: str) -> dict[str, str]:
    """The values a browser would post from this form: inputs, textareas and each select's chosen option."""
    fields: dict[str, str] = {}
    for tag in re.findall(r"<input\b[^>]*>", form):
        name = re.search(r'\bname="([^"]+)"', tag)
        kind = re.search(r'\btype="([^"]+)"', tag)
        kind = kind.group(1) if kind else "text"
        if not name or kind in ("submit", "button") or (kind in ("checkbox", "radio") and "checked" not in tag):
            continue
        value = re.search(r'\bvalue="([^"]*)"', tag)
        fields[name.group(1)] = unescape(value.group(1)) if value else ""
    for name, text in re.findall(r'<textarea\b[^>]*\bname="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        fields[name] = unescape(text[1:] if text.startswith("\n") else text)
    for name, options in re.findall(r'<select\b[^>]*\bname="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*\bselected\b', options)
        fields[name] = unescape(chosen.group(1)) if chosen else ""
    return fields


class ReturnForm:
    """A return page's form: its fields, its sections (rows by heading) and which rows are complete."""

    def __init__(self, html: str):
        form = next((f for f in re.findall(r"<form\b.*?</form>", html, re.S) if 'name="version"' in f), None)
        self.editable = form is not None
        self.fields = _form_fields(form) if form else {}
        self.sections: list[list[str]] = []
        self.computed: set[str] = set()
        if form:
            for chunk in SECTION.split(form)[2::2]:
                self.sections.append(ROW_NARRATIVE.findall(chunk))
            for pk, options in re.findall(r'<select\b[^>]*name="row-(\d+)-rag"[^>]*>(.*?)</select>', form, re.S):
                if "Work it out from the figures" in options:
                    self.computed.add(pk)

    def row_complete(self, pk: str) -> bool:
        get = lambda field: self.fields.get(f"row-{pk}-{field}", "").strip()  # noqa: E731
        return bool(get("narrative") and get("actual") and (get("rag") or pk in self.computed))

    def complete(self) -> bool:
        return all(self.row_complete(pk) for section in self.sections for pk in section)

    def fill(self, rows: list[str]) -> list[str]:
        """Fill each row as a provider would, with a narrative unique to this save; returns the narratives."""
        stamp = uuid.uuid4().hex
        written = []
        for pk in rows:
            narrative = f"load {stamp} row {pk}"
            self.fields.update(
                {
                    f"row-{pk}-actual": str(random.randint(1, 400)),
                    f"row-{pk}-rag": "" if pk in self.computed else random.choice(["green", "green", "amber", "red"]),
                    f"row-{pk}-rag_override_reason": "",
                    f"row-{pk}-not_reported_reason": "",
                    f"row-{pk}-not_reported_other": "",
                    f"row-{pk}-narrative": narrative,
                }
            )
            written.append(narrative)
        return written


class SignedIn(HttpUser):
    abstract = True
    username = ""
    wait_time = between(*THINK)

    def on_start(self):
        page = self.client.get("/accounts/login/", name="login page")
        with self.client.post(
            "/accounts/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": _csrf(page.text or "")},
            name="log in",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"{self.username} could not sign in: {response.status_code}")
                raise StopUser()
        verify = response.headers.get("Location", "")
        if "/two-factor/verify/" in verify:
            # The LCC officer's role requires a second factor: the demo authenticator's code of the moment.
            page = self.client.get(verify, name="two-factor page")
            with self.client.post(
                verify,
                {"code": second_factor_code(), "csrfmiddlewaretoken": _csrf(page.text or "")},
                name="two-factor code",
                allow_redirects=False,
                catch_response=True,
            ) as verified:
                if verified.status_code != 302:
                    verified.failure(f"{self.username} could not pass the second factor: {verified.status_code}")
                    raise StopUser()
        ready_at.append(time.time())

    def review_page(self, url: str) -> str:
        """A return opened from the review list. Between the list and the click someone else may have sent it
        back to its provider, out of this reviewer's sight: then 404 is the right answer, as the list is stale."""
        with self.client.get(url, name="return page", catch_response=True) as response:
            if response.status_code == 404:
                response.success()
                counts["gone_from_view"] += 1
                return ""
            return response.text

    def step(self, url: str, action: str, data: dict, page_html: str, name: str) -> None:
        """Post a workflow step from the return page and read the page it leads to, as a browser does."""
        data = {**data, "csrfmiddlewaretoken": _csrf(page_html)}
        with self.client.post(f"{url}{action}/", data, name=name, allow_redirects=False, catch_response=True) as r:
            if r.status_code != 302:
                r.failure(f"{name} answered {r.status_code}")
                return
            r.success()
        with self.client.get(url, name="return page", catch_response=True) as after:
            if after.status_code == 404 and action == "send-back":
                # A known defect, counted on its own: the portal sends the CIO back to the return it has just
                # sent back, which the CIO may no longer see (a returned return is its provider's again).
                after.success()
                counts["sent_back_to_404"] += 1
        if SUCCESS.search(after.text):
            steps.append({"url": url, "action": action, "user": self.username})
        else:
            counts["refused_steps"] += 1  # someone else moved the return on first: the portal said so


class Provider(SignedIn):
    """Hub, LRC or CIO staff filling in and submitting their own return, section by section."""

    weight = 1

    def on_start(self):
        self.username = next(_provider_names)
        self.url = RETURNS[self.username]
        super().on_start()

    @task
    def work_on_the_return(self):
        submitting = False
        rows: list[str] = []
        for attempt in range(MAX_ATTEMPTS):
            # Load (or, after a stale refusal, reload) the return and make the change on what is there now.
            page = self.client.get(self.url, name="return page")
            form = ReturnForm(page.text)
            if not form.editable:
                self.client.get("/returns/", name="my returns")
                return
            if attempt == 0:
                incomplete = [s for s in form.sections if not all(form.row_complete(pk) for pk in s)]
                submitting = not incomplete
                rows = (random.choice(incomplete) if incomplete else []) if not submitting else []
            written = form.fill(rows)
            form.fields["submit" if submitting else "save"] = "1"
            name = "submit return" if submitting else "save section"
            with self.client.post(self.url, form.fields, name=name, allow_redirects=False, catch_response=True) as r:
                if r.status_code == 302:
                    r.success()
                    saves.append({"url": self.url, "user": self.username, "narratives": written, "submit": submitting})
                    self.client.get(self.url, name="return page")
                    return
                if r.status_code == 409:
                    r.success()  # the right answer to a stale save: nothing overwritten
                    counts["stale_refusals"] += 1
                    continue
                r.failure(f"{name} answered {r.status_code} on attempt {attempt + 1}")
                return
        counts["gave_up"] += 1


class CioReviewer(SignedIn):
    """The CIO's staff reviewing their sub-contractors' submitted returns (one session at every level)."""

    fixed_count = 1

    def on_start(self):
        self.username = CIO
        super().on_start()

    @task
    def review(self):
        listing = self.client.get("/returns/review/", name="review list")
        own = RETURNS.get(CIO)
        waiting = [url for url, status in RETURN_LINK.findall(listing.text) if status == "Submitted" and url != own]
        if not waiting:
            return
        url = random.choice(waiting)
        page = self.review_page(url)
        if "Accept return" not in page:
            return
        if random.random() < 0.6:
            self.step(url, "accept", {}, page, "accept")
        else:
            self.step(url, "send-back", {"comment": "Please add the evidence for these figures."}, page, "send back")


class LccReviewer(SignedIn):
    """The LCC officer: accepts or sends back the CIO's return, signs off or sends back accepted ones, and
    reopens signed-off returns so that the quarter keeps turning (one session at every level)."""

    fixed_count = 1

    def on_start(self):
        self.username = LCC
        super().on_start()

    @task(3)
    def review(self):
        listing = self.client.get("/returns/review/", name="review list")
        waiting = RETURN_LINK.findall(listing.text)
        waiting = [(url, status) for url, status in waiting if status in ("Submitted", "Accepted")]
        if not waiting:
            return
        url, _status = random.choice(waiting)
        page = self.review_page(url)
        if "Sign off return" in page and random.random() < 0.7:
            self.step(url, "sign-off", {}, page, "sign off")
        elif "Accept return" in page and random.random() < 0.6:
            self.step(url, "accept", {}, page, "accept")
        elif "Send back" in page:
            self.step(url, "send-back", {"comment": "The narrative needs the quarter's figures."}, page, "send back")

    @task(1)
    def reopen_a_signed_off_return(self):
        url = random.choice(PERIOD_RETURNS)
        page = self.client.get(url, name="return page").text
        if ">Reopen</button>" in page and "Signed off" in page:
            self.step(url, "reopen", {"comment": "Queried at the quarterly review."}, page, "reopen")


class Funder(SignedIn):
    """A funder reading the dashboard's sections and an indicator, and downloading the figures."""

    weight = 1

    def on_start(self):
        self.username = next(_funder_names)
        super().on_start()

    @task(4)
    def overview(self):
        self.client.get("/dashboard/", name="dashboard")

    @task(1)
    def providers(self):
        self.client.get("/dashboard/providers/", name="dashboard: providers")

    @task(1)
    def change(self):
        self.client.get("/dashboard/change/", name="dashboard: change")

    @task(1)
    def localities(self):
        self.client.get("/dashboard/localities/", name="dashboard: localities")

    @task(1)
    def indicator(self):
        self.client.get(f"/indicators/{INDICATOR}/", name="indicator")

    @task(1)
    def results_csv(self):
        self.client.get("/dashboard/export/results.csv", name="export: results CSV")

    @task(1)
    def localities_xlsx(self):
        self.client.get("/dashboard/export/localities.xlsx", name="export: localities XLSX")


@events.quitting.add_listener
def _write_record(environment, **_kwargs):
    with open(RECORD_FILE, "w") as out:
        json.dump(
            {
                "requests": requests_made,
                "failure_messages": failures,
                "ready_at": ready_at,
                "saves": saves,
                "steps": steps,
                **counts,
            },
            out,
        )
