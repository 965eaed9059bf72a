"""The load run: gunicorn on 127.0.0.1 with PostgreSQL, driven by locust headless with a quarter-end mix.

    make load                                    # inside a throwaway PostgreSQL cluster (scripts/with_postgres.py)
    python bench/load.py --levels 10,20 --seconds 30 --final-seconds 60   # a quick look

Loads the Leicestershire data and the demo users (and one account per provider and funder, for the load
only), starts gunicorn on a free local port and runs bench/locustfile.py headless: providers filling in their
2010/11 Q3 returns section by section and submitting them, the CIO and LCC reviewing (accept, send back, sign
off, reopen), funders reading the dashboard's sections and an indicator and downloading exports.

It looks for the most concurrent users the machine holds: a step search (double the users while a level holds,
then halve the gap between the last level held and the first missed) where a level holds when, over the steady
state (from the moment the last user has signed in), the 95th percentile of every request but signing in is
under 500 ms, no request failed, and no save was lost. Then a longer run at the level held (5 minutes) gives
the figures. After each run every change a client was told succeeded is checked against the history in the
database: each save's narratives must be in the results' history, each submission and workflow step in the
returns' history. The figures go into BENCHMARKS.md, below the marker bench/run.py leaves for them. Traffic
goes only to 127.0.0.1 and stops by itself.
"""

import argparse
import datetime
import json
import math
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import warnings
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vcsportal.settings")
os.environ.setdefault("DEBUG", "0")
warnings.filterwarnings("ignore", "No directory at")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from contracts.models import Funder, Organisation  # noqa: E402
from core.roles import Role  # noqa: E402
from performance.models import Result, Return  # noqa: E402
from vcsportal.demo import DEMO_PASSWORD, DEMO_USERS, demo_users_create  # noqa: E402
from vcsportal.leicestershire import load_leicestershire  # noqa: E402
from vcsportal.models import User  # noqa: E402

LOAD_MARKER = "<!-- load run (bench/load.py) -->"
LEVELS = (10, 20, 40, 80, 160)
STEP_SECONDS = 60
FINAL_SECONDS = 300
SPAWN_RATE = 5
#: The fewest users that make a mix: the CIO and LCC reviewers, a provider and a funder.
MIN_USERS = 4
WORKERS = 4
P95_LIMIT_MS = 500
#: Before each run, wait (at most QUIET_WAIT seconds) for the machine's 1-minute load average to fall below
#: this: the machine may be shared, and the figures are meant to be this load's, not its neighbours'.
QUIET_BELOW = 1.5
QUIET_WAIT = 120
#: Requests made once per user while it signs in: the slow password hash on purpose; not in the steady state.
SIGN_IN = ("login page", "log in", "two-factor page", "two-factor code")
#: What each workflow step writes into the return's history (performance/services.py).
STEP_REASONS = {"accept": "Accepted", "send-back": "Sent back", "sign-off": "Signed off", "reopen": "Reopened"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@transaction.atomic
def load_accounts() -> tuple[dict[str, str], list[str], list[str]]:
    """One account per provider with a return open this quarter (the demo user where there is one, else
    ``load.<code>``) and per funder; returns {username: its return's URL}, every return of the quarter, and
    the funders' usernames."""
    period_returns = list(
        Return.objects.filter(period__status="open").select_related("provider").order_by("provider__code")
    )
    staff = (Role.PROVIDER_STAFF, Role.CIO_STAFF)
    demo = {org: username for username, _n, role, org, _f in DEMO_USERS if org and role in staff}
    returns = {}
    for return_obj in period_returns:
        code = return_obj.provider.code
        username = demo.get(code) or f"load.{code.lower()}"
        if username not in demo.values():
            kind = return_obj.provider.kind
            role = Role.CIO_STAFF if kind == Organisation.Kind.CIO else Role.PROVIDER_STAFF
            user, _ = User.objects.update_or_create(
                username=username, defaults={"role": role, "organisation": return_obj.provider}
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        returns[username] = return_obj.get_absolute_url()
    funders = ["funder.reviewer"]
    for funder in Funder.objects.exclude(code__in=("LCC", "PCT")).order_by("code")[:3]:
        username = f"load.{funder.code.lower()}"
        user, _ = User.objects.update_or_create(
            username=username, defaults={"role": Role.FUNDER_REVIEWER, "funder": funder}
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        funders.append(username)
    return returns, [r.get_absolute_url() for r in period_returns], funders


def wait_until_up(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit("gunicorn stopped before it answered")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2)  # noqa: S310 (local)
            return
        except OSError:
            time.sleep(0.5)
    sys.exit("gunicorn did not answer in time")


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def changes_lost(record: dict, since: datetime.datetime) -> dict:
    """Each confirmed change checked against the history: saves by their narratives, submissions and steps by
    the returns' history rows (at least as many as were confirmed, per return and kind)."""
    lost_saves = 0
    for save in record["saves"]:
        found = all(
            Result.history.filter(narrative=text, history_date__gte=since).exists() for text in save["narratives"]
        )
        lost_saves += not found
    pk = lambda url: int(url.rstrip("/").rsplit("/", 1)[1])  # noqa: E731
    confirmed = Counter((pk(s["url"]), "Submitted") for s in record["saves"] if s["submit"])
    confirmed += Counter((pk(s["url"]), STEP_REASONS[s["action"]]) for s in record["steps"])
    lost_steps = 0
    for (return_id, reason), count in confirmed.items():
        recorded = Return.history.filter(
            id=return_id, history_date__gte=since, history_change_reason__startswith=reason
        ).count()
        lost_steps += max(0, count - recorded)
    return {
        "saves": len(record["saves"]),
        "submissions": sum(s["submit"] for s in record["saves"]),
        "steps": len(record["steps"]),
        "lost_saves": lost_saves,
        "lost_steps": lost_steps,
    }


def summarise(record: dict) -> dict:
    """Per request name and for all: counts, failures and percentiles over the steady state."""
    steady_from = max(record["ready_at"]) if record["ready_at"] else 0
    end = max((start + ms / 1000 for start, _n, ms, _f in record["requests"]), default=steady_from)
    steady = [(name, ms, failed) for start, name, ms, failed in record["requests"] if start >= steady_from]
    rows = {}
    for name in sorted({name for name, _ms, _f in steady} | set(SIGN_IN)):
        if name in SIGN_IN:
            timed = [(ms, failed) for _s, n, ms, failed in record["requests"] if n == name]
        else:
            timed = [(ms, failed) for n, ms, failed in steady if n == name]
        rows[name] = {
            "count": len(timed),
            "failures": sum(f for _ms, f in timed),
            "median": percentile([ms for ms, _f in timed], 0.5),
            "p95": percentile([ms for ms, _f in timed], 0.95),
            "p99": percentile([ms for ms, _f in timed], 0.99),
            "max": max((ms for ms, _f in timed), default=0),
        }
    work = [(ms, failed) for name, ms, failed in steady if name not in SIGN_IN]
    seconds = max(end - steady_from, 1e-9)
    return {
        "rows": rows,
        "steady_seconds": seconds,
        "requests": len(work),
        "per_second": len(work) / seconds,
        "median": percentile([ms for ms, _f in work], 0.5),
        "p95": percentile([ms for ms, _f in work], 0.95),
        "p99": percentile([ms for ms, _f in work], 0.99),
        "failures": sum(f for _s, _n, _ms, f in record["requests"]),
        "all_requests": len(record["requests"]),
    }


def wait_for_quiet(below: float, seconds: float) -> float:
    """Wait until the 1-minute load average is under ``below`` (or ``seconds`` have passed); returns the wait."""
    began = time.monotonic()
    while os.getloadavg()[0] >= below and time.monotonic() - began < seconds:
        time.sleep(5)
    return time.monotonic() - began


def run_level(users: int, seconds: int, port: int, work: Path, accounts: tuple, quiet: tuple = (0, 0)) -> dict:
    """One locust run of ``users`` for ``seconds`` of steady state (after every user has signed in)."""
    returns, period_returns, funders = accounts
    waited = wait_for_quiet(*quiet)
    record_file = work / f"record-{users}-{seconds}.json"
    ramp = users / SPAWN_RATE + 10
    since = datetime.datetime.now(datetime.UTC)
    load_before = os.getloadavg()[0]
    env = dict(
        os.environ,
        LOAD_RETURNS=json.dumps(returns),
        LOAD_PERIOD_RETURNS=json.dumps(period_returns),
        LOAD_FUNDERS=",".join(funders),
        LOAD_RECORD=str(record_file),
    )
    subprocess.run(
        [
            str(Path(sys.executable).with_name("locust")),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(SPAWN_RATE),
            "--run-time",
            f"{int(seconds + ramp)}s",
            "--stop-timeout",
            "15",
            "--host",
            f"http://127.0.0.1:{port}",
            "--only-summary",
            "--loglevel",
            "ERROR",
        ],
        env=env,
        check=False,
        stdout=subprocess.DEVNULL,
        timeout=seconds + ramp + 180,
    )
    record = json.loads(record_file.read_text())
    summary = summarise(record)
    summary.update(changes_lost(record, since))
    summary.update(
        waited_for_quiet=waited,
        load_before=load_before,
        load_after=os.getloadavg()[0],
        users=users,
        seconds=seconds,
        stale_refusals=record["stale_refusals"],
        gave_up=record["gave_up"],
        refused_steps=record["refused_steps"],
        gone_from_view=record["gone_from_view"],
        sent_back_to_404=record["sent_back_to_404"],
        failure_messages=Counter(record["failure_messages"]).most_common(5),
    )
    summary["held"] = (
        summary["p95"] < P95_LIMIT_MS
        and summary["failures"] == 0
        and summary["lost_saves"] == 0
        and summary["lost_steps"] == 0
    )
    connection.close()
    print(
        f"{users} users: p95 {summary['p95']:.0f} ms, {summary['per_second']:.1f}/s, failures {summary['failures']}, "
        f"lost saves {summary['lost_saves']}, lost steps {summary['lost_steps']}: "
        f"{'held' if summary['held'] else 'missed'}",
        flush=True,
    )
    for message, count in summary["failure_messages"]:
        print(f"    {count} x {message}", flush=True)
    return summary


def step_search(levels: list[int], run) -> tuple[int | None, list[dict]]:
    """Run ``levels`` in order while they hold; then bisect between the last held and the first missed level
    (or the smallest mix, ``MIN_USERS``) until the gap is 10% of the level (or one user). Returns the users
    held and every step's figures."""
    steps, held, missed = [], None, None
    for users in levels:
        result = run(users)
        steps.append(result)
        if not result["held"]:
            missed = users
            break
        held = users
    low = held or MIN_USERS - 1
    while missed is not None and missed - low > max(1, low // 10):
        users = (low + missed) // 2
        result = run(users)
        steps.append(result)
        if result["held"]:
            low = held = users
        else:
            missed = users
    return held, steps


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--levels", default=",".join(map(str, LEVELS)), help="users per step, ascending")
    parser.add_argument("--seconds", type=int, default=STEP_SECONDS, help="steady seconds per step")
    parser.add_argument("--final-seconds", type=int, default=FINAL_SECONDS, help="the run at the level held")
    parser.add_argument("--workers", type=int, default=WORKERS)
    parser.add_argument("--quiet-below", type=float, default=QUIET_BELOW, help="load average to wait for")
    parser.add_argument("--quiet-wait", type=float, default=QUIET_WAIT, help="longest wait for it, in seconds")
    parser.add_argument("--output", default=str(ROOT / "BENCHMARKS.md"))
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench/load.py runs against PostgreSQL: run it through `make load` (or set DATABASE_URL)")

    call_command("migrate", "--noinput", verbosity=0)
    load_leicestershire()
    demo_users_create()
    accounts = load_accounts()
    connection.close()

    port = free_port()
    work = Path(tempfile.mkdtemp(prefix="vcsportal-load-"))
    env = dict(os.environ, DEBUG="0", LOG_LEVEL="ERROR")
    gunicorn = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "vcsportal.wsgi",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=open(work / "gunicorn.log", "w"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
    )
    began = datetime.datetime.now(datetime.UTC)
    try:
        wait_until_up(port, gunicorn)
        levels = [int(n) for n in args.levels.split(",")]
        quiet = (args.quiet_below, args.quiet_wait)
        held, steps = step_search(levels, lambda users: run_level(users, args.seconds, port, work, accounts, quiet))
        finals = []
        # The long run at the level held; if it misses there, once more a step lower.
        # With no level held, the long run is at the smallest mix, so its figures show what misses.
        tries = [held, held - max(1, held // 10)] if held else [MIN_USERS]
        for users in tries if args.final_seconds else []:
            finals.append(run_level(users, args.final_seconds, port, work, accounts, quiet))
            if finals[-1]["held"]:
                break
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=30)
    report = {
        "began": began,
        "workers": args.workers,
        "quiet": (args.quiet_below, args.quiet_wait),
        "levels": levels,
        "steps": steps,
        "finals": finals,
        "providers": len(accounts[0]),
        "funders": len(accounts[2]),
    }
    (work / "report.json").write_text(json.dumps(report, default=str))
    print(
        f"held in the step search: {held}; the long run: {finals[-1]['users'] if finals else None} users, "
        f"{'held' if finals and finals[-1]['held'] else 'missed'}; figures in {work / 'report.json'}"
    )
    write_section(Path(args.output), report)
    print(f"wrote {args.output}")
    return 0


def write_section(path: Path, report: dict) -> None:
    final = report["finals"][-1] if report["finals"] else None
    lines = [
        LOAD_MARKER,
        "",
        "## Load run",
        "",
        f"Written by `make load` (bench/load.py) on {report['began']:%Y-%m-%d %H:%M} UTC: gunicorn with "
        f"{report['workers']} sync workers on 127.0.0.1 against PostgreSQL (throwaway cluster, no replica) with the "
        "Leicestershire data, the demo users and one account per provider and funder; locust headless on the same "
        "2 cores. A quarter-end mix: one CIO reviewer (accept or send back) and one LCC reviewer (accept, sign "
        "off, send back, and reopen signed-off returns so the quarter keeps turning), and the other users half "
        "providers, half funders. Providers are hub, LRC and CIO staff (sessions dealt round the "
        f"{report['providers']} accounts, so from about 25 users on, saves of one return collide) filling in "
        "their 2010/11 Q3 returns section by section and submitting them; funders "
        f"({report['funders']} accounts) read the dashboard's four sections and an indicator and download the "
        "results (CSV) and the localities (XLSX). Each simulated person waits 2 "
        "to 8 s between actions (busier than people are). Browsers ask for gzip, as browsers do.",
        "",
        f"A level **holds** when, over the steady state (from the moment the last user has signed in), the 95th "
        f"percentile of every request but signing in is under {P95_LIMIT_MS} ms, no request failed (sign-in "
        "included), and no confirmed save, submission or workflow step is missing from the history. Step search: "
        "the levels "
        + ", ".join(str(n) for n in report["levels"])
        + " while they hold, then halving the gap between the last held and the first missed; "
        f"then a run of {_duration(final['seconds']) if final else '(none)'} at the level held.",
        "",
        "### Step search",
        "",
        "| users | steady s | requests | per second | median ms | p95 ms | p99 ms | errors | lost saves | "
        "lost steps | load average | slowest request (p95 ms) | held |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for step in report["steps"]:
        lines.append(_level_row(step))
    errors = Counter()
    for run in report["steps"] + report["finals"]:
        errors.update(dict(run["failure_messages"]))
    lines += [
        "",
        "The load average (1 minute, before and after each run) is the whole machine's: it is shared, and other "
        "work on it (anything above about 1 before a run) takes cores from gunicorn, PostgreSQL and locust. "
        f"Before each run the script waits up to {report['quiet'][1]:.0f} s for it to fall below "
        f"{report['quiet'][0]}; a run that starts higher was measured on a busy machine.",
    ]
    if errors:
        lines += ["", "Errors met, by what the client was answered (most frequent first):", ""]
        lines += [f"- {count} x {message}" for message, count in errors.most_common(8)]
    if final is None:
        lines += ["", "No long run was made.", ""]
    else:
        lines += [
            "",
            f"### {final['users']} users for {_duration(final['seconds'])}",
            "",
        ]
        if not any(step["held"] for step in report["steps"]):
            smallest = report["steps"][-1]
            lines += [
                f"No step of the search held, down to the smallest mix ({MIN_USERS} users: the two reviewers, a "
                f"provider and a funder; its step's p95 was {smallest['p95']:.0f} ms), so the long run is at that "
                "mix" + (": over 5 minutes it held." if final["held"] else ", to show what misses."),
                "",
            ]
        if len(report["finals"]) > 1:
            lines += [
                f"The long run at {report['finals'][0]['users']} users missed (p95 "
                f"{report['finals'][0]['p95']:.0f} ms, {report['finals'][0]['failures']} errors, "
                f"{report['finals'][0]['lost_saves']} lost saves); one step lower:",
                "",
            ]
        lines += [
            "| request | count | failures | median ms | p95 ms | p99 ms | max ms |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for name, row in final["rows"].items():
            label = f"{name} (while signing in)" if name in SIGN_IN else name
            lines.append(
                f"| {label} | {row['count']:,} | {row['failures']:,} | {row['median']:.0f} | {row['p95']:.0f} "
                f"| {row['p99']:.0f} | {row['max']:,.0f} |"
            )
        lines += [
            f"| **all but signing in** | {final['requests']:,} | {final['failures']:,} | {final['median']:.0f} "
            f"| {final['p95']:.0f} | {final['p99']:.0f} | |",
            "",
            f"- **Users held: {final['users'] if final['held'] else 'none'}**"
            + ("" if final["held"] else f" (the run at {final['users']} users missed)")
            + f"; p95 **{final['p95']:.0f} ms** over {final['steady_seconds']:.0f} s of steady state "
            f"({final['per_second']:.1f} requests per second); errors **{final['failures']}** of "
            f"{final['all_requests']:,} requests; lost saves **{final['lost_saves']}**"
            f" (and lost submissions or workflow steps: {final['lost_steps']}).",
            f"- Confirmed to the clients, each then looked for in the history: "
            f"{final['saves'] - final['submissions']:,} section saves, {final['submissions']:,} submissions, "
            f"{final['steps']:,} workflow steps. Stale saves refused (409) and redone after a reload: "
            f"{final['stale_refusals']:,}; given up after 5 refusals: {final['gave_up']}; steps refused because "
            f"someone else moved the return first: {final['refused_steps']}; returns that left a reviewer's view "
            f"between the review list and the click (404, as the list was stale): {final['gone_from_view']}.",
            f"- A defect the run meets, counted here rather than as errors: after the CIO sends a return back, the "
            f"portal redirects to that return, which the CIO may no longer see, so the page after the step is a "
            f"404 (it still says the return was sent back): {final['sent_back_to_404']} times in this run.",
            f"- Target (p95 under {P95_LIMIT_MS} ms, zero errors, zero lost saves): "
            f"{'met' if final['held'] else 'MISSED'}.",
            "",
        ]
    old = path.read_text() if path.exists() else ""
    head = old.split(LOAD_MARKER, 1)[0].rstrip() + "\n\n" if old else ""
    path.write_text(head + "\n".join(lines))


def _slowest(run: dict) -> str:
    timed = [(row["p95"], name) for name, row in run["rows"].items() if name not in SIGN_IN and row["count"]]
    return "{1} ({0:.0f})".format(*max(timed)) if timed else ""


def _duration(seconds: int) -> str:
    return f"{seconds // 60} minutes" if seconds % 60 == 0 else f"{seconds} s"


def _level_row(step: dict) -> str:
    return (
        f"| {step['users']} | {step['steady_seconds']:.0f} | {step['requests']:,} | {step['per_second']:.1f} "
        f"| {step['median']:.0f} | {step['p95']:.0f} | {step['p99']:.0f} | {step['failures']} "
        f"| {step['lost_saves']} | {step['lost_steps']} | {step['load_before']:.1f} to {step['load_after']:.1f} "
        f"| {_slowest(step)} | {'yes' if step['held'] else 'no'} |"
    )


if __name__ == "__main__":
    sys.exit(main())
