"""Locust users for the load run (bench/load.py starts gunicorn and runs this headless; not for the internet).

Funders read the dashboard and an indicator page; hub and LRC staff save drafts of their own returns, several
sessions per account, so two people often save the same return at once. A save refused as stale (409: someone
saved a newer version since the page was loaded) is handled as a person would: reload the return, make the
change again, save again. Every save the portal confirmed is written to ``LOAD_SAVES`` (a JSON file) at the
end, with the unique narrative it saved, so bench/load.py can check each one against the history in the DB.
"""

import itertools
import json
import os
import random
import re
import uuid
from html.parser import HTMLParser

from locust import HttpUser, between, events, task

PASSWORD = os.environ.get("LOAD_PASSWORD", "portal-demo-2011")
FUNDERS = os.environ.get("LOAD_FUNDERS", "funder.reviewer,lcc.officer").split(",")
#: {"username": "/returns/<pk>/", ...}: each hub or LRC user's own draft return.
RETURNS = json.loads(os.environ.get("LOAD_RETURNS", "{}"))
INDICATOR = os.environ.get("LOAD_INDICATOR", "VAL-01")
SAVES_FILE = os.environ.get("LOAD_SAVES", "load-saves.json")
MAX_ATTEMPTS = 5

confirmed: list[dict] = []  # one per save the portal confirmed
stale_refusals = 0
gave_up = 0
_funder_names = itertools.cycle(FUNDERS)
_hub_names = itertools.cycle(sorted(RETURNS))


class FormFields(HTMLParser):
    """The named fields of the page's return form (the one holding ``version``), as a browser would post."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "checkbox", "radio"):
            self.fields[name] = attrs.get("value") or ""
        elif tag == "input" and name and attrs.get("type") in ("checkbox", "radio") and "checked" in attrs:
            self.fields[name] = attrs.get("value") or "on"
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""
        elif tag == "select" and name:
            self._select = name
            self.fields.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields[self._select] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


def return_form(html: str) -> dict[str, str]:
    forms = re.findall(r"<form\b.*?</form>", html, flags=re.S)
    form = next(f for f in forms if 'name="version"' in f)
    parser = FormFields()
    parser.feed(form)
    # A textarea's first newline is not part of its value (HTML parsing rule).
    return {k: v[1:] if v.startswith("\n") else v for k, v in parser.fields.items()}


#: The session of each account that passed a second factor (the LCC officer's role requires one). A code works
#: once, so the officer's further locust users share the first one's session, like tabs of one browser.
_verified_sessions: dict[str, str] = {}


def second_factor_code() -> str:
    """The demo authenticator's code of the moment (the key is documented in vcsportal/demo.py)."""
    import pyotp

    return pyotp.TOTP(os.environ.get("LOAD_TOTP_SECRET", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")).now()


class SignedIn(HttpUser):
    abstract = True
    username = ""

    def on_start(self):
        if self.username in _verified_sessions:
            self.client.cookies.set("sessionid", _verified_sessions[self.username])
            return
        page = self.client.get("/accounts/login/", name="login page")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        response = self.client.post(
            "/accounts/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            name="log in",
            allow_redirects=False,
        )
        if response.status_code != 302:
            raise RuntimeError(f"{self.username} could not log in: {response.status_code}")
        if "/two-factor/verify/" in response.headers.get("Location", ""):
            page = self.client.get(response.headers["Location"], name="two-factor page")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
            verified = self.client.post(
                response.headers["Location"],
                {"code": second_factor_code(), "csrfmiddlewaretoken": token},
                name="two-factor code",
                allow_redirects=False,
            )
            if verified.status_code != 302:
                raise RuntimeError(f"{self.username} could not pass the second factor: {verified.status_code}")
            _verified_sessions[self.username] = self.client.cookies.get("sessionid")


class Funder(SignedIn):
    """A funder (or the LCC officer) reading the dashboard and an indicator's history."""

    weight = 1
    wait_time = between(0.5, 1.5)

    def on_start(self):
        self.username = next(_funder_names)
        super().on_start()

    @task(3)
    def dashboard(self):
        self.client.get("/dashboard/", name="dashboard")

    @task(1)
    def indicator(self):
        self.client.get(f"/indicators/{INDICATOR}/", name="indicator")


class Provider(SignedIn):
    """Hub or LRC staff saving a draft of their own return: one narrative changed to a unique text."""

    weight = 1
    wait_time = between(0.5, 1.5)

    def on_start(self):
        self.username = next(_hub_names)
        self.url = RETURNS[self.username]
        super().on_start()

    @task
    def save_draft(self):
        global stale_refusals, gave_up
        text = f"load {uuid.uuid4().hex}"
        row = None
        for attempt in range(MAX_ATTEMPTS):
            # Load (or, after a stale refusal, reload) the return and make the change on what is there now.
            page = self.client.get(self.url, name="return page")
            fields = return_form(page.text)
            narratives = sorted(n for n in fields if n.endswith("narrative") and not n.startswith("initial-"))
            row = row or random.choice(narratives)
            fields[row] = text
            fields["save"] = "1"
            with self.client.post(
                self.url, fields, name="save draft", allow_redirects=False, catch_response=True
            ) as response:
                if response.status_code == 302:
                    response.success()
                    confirmed.append({"user": self.username, "url": self.url, "field": row, "narrative": text})
                    return
                if response.status_code == 409:
                    response.success()  # the right answer to a stale save: nothing overwritten
                    stale_refusals += 1
                    continue
                response.failure(f"save answered {response.status_code} on attempt {attempt + 1}")
                return
        gave_up += 1


@events.quitting.add_listener
def write_saves(environment, **_kwargs):
    with open(SAVES_FILE, "w") as out:
        json.dump({"confirmed": confirmed, "stale_refusals": stale_refusals, "gave_up": gave_up}, out)
