"""The load run: gunicorn with several workers on 127.0.0.1, driven by locust headless for a bounded time.

    make load                 # inside a throwaway PostgreSQL cluster (scripts/with_postgres.py)

Loads the Leicestershire data and the demo users into the database, starts gunicorn on a free local port,
and runs bench/locustfile.py headless: funders on the dashboard and the indicator page, and hub and LRC staff
saving drafts of their own returns at the same time (several sessions per account, so saves of one return
collide and the stale ones are refused, reloaded and saved again). Then it checks that no save was lost:
every save a client was told succeeded must be in the results' history with the text it saved, and the
returns' history must hold exactly one new version per confirmed save. The figures go into BENCHMARKS.md,
below the marker bench/run.py leaves for them. Traffic goes only to 127.0.0.1 and stops by itself.
"""

import argparse
import csv
import datetime
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vcsportal.settings")
os.environ.setdefault("DEBUG", "0")
warnings.filterwarnings("ignore", "No directory at")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from core.roles import Role  # noqa: E402
from performance.models import Result, Return  # noqa: E402
from vcsportal.demo import DEMO_USERS, demo_users_create  # noqa: E402
from vcsportal.leicestershire import load_leicestershire  # noqa: E402

LOAD_MARKER = "<!-- load run (bench/load.py) -->"
USERS = 20
SPAWN_RATE = 10
SECONDS = 60
WORKERS = 4


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def providers_returns() -> dict[str, str]:
    """Each demo hub or LRC user's own draft return (the one a provider would be filling in now)."""
    returns = {}
    for username, _name, role, organisation, _funder in DEMO_USERS:
        if role != Role.PROVIDER_STAFF:
            continue
        draft = (
            Return.objects.filter(provider__code=organisation, status__in=(Return.Status.DRAFT, Return.Status.RETURNED))
            .exclude(period__status="locked")
            .order_by("-period__financial_year", "-period__quarter")
            .first()
        )
        if draft is not None:
            returns[username] = draft.get_absolute_url()
    return returns


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


def history_counts(return_urls: dict[str, str], since: datetime.datetime) -> int:
    pks = [int(url.rstrip("/").rsplit("/", 1)[1]) for url in return_urls.values()]
    return Return.history.filter(id__in=pks, history_date__gte=since).count()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=USERS)
    parser.add_argument("--seconds", type=int, default=SECONDS)
    parser.add_argument("--workers", type=int, default=WORKERS)
    parser.add_argument("--output", default=str(ROOT / "BENCHMARKS.md"))
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench/load.py runs against PostgreSQL: run it through `make load` (or set DATABASE_URL)")

    call_command("migrate", "--noinput", verbosity=0)
    load_leicestershire()
    demo_users_create()
    returns = providers_returns()
    # Half the users are providers, in a round robin of three accounts: several sessions save each return.
    returns_env = json.dumps(returns)
    funders = [u for u, _n, role, _o, _f in DEMO_USERS if role in (Role.FUNDER_REVIEWER, Role.LCC_OFFICER)]
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
    try:
        wait_until_up(port, gunicorn)
        since = datetime.datetime.now(datetime.UTC)
        began = time.monotonic()
        locust_env = dict(
            os.environ,
            LOAD_RETURNS=returns_env,
            LOAD_FUNDERS=",".join(funders),
            LOAD_SAVES=str(work / "saves.json"),
        )
        subprocess.run(
            [
                str(Path(sys.executable).with_name("locust")),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(SPAWN_RATE),
                "--run-time",
                f"{args.seconds}s",
                "--stop-timeout",
                "10",
                "--host",
                f"http://127.0.0.1:{port}",
                "--csv",
                str(work / "load"),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env=locust_env,
            check=False,
            timeout=args.seconds + 120,
        )
        elapsed = time.monotonic() - began
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=30)

    stats = list(csv.DictReader(open(work / "load_stats.csv")))  # noqa: SIM115
    saves = json.loads((work / "saves.json").read_text())
    confirmed = saves["confirmed"]
    found = sum(
        Result.history.filter(narrative=save["narrative"], history_date__gte=since).exists() for save in confirmed
    )
    versions = history_counts(returns, since)
    report = {
        "users": args.users,
        "seconds": args.seconds,
        "elapsed": elapsed,
        "workers": args.workers,
        "providers": returns,
        "stats": stats,
        "confirmed": len(confirmed),
        "found_in_history": found,
        "return_versions": versions,
        "stale_refusals": saves["stale_refusals"],
        "gave_up": saves["gave_up"],
    }
    print(json.dumps({k: v for k, v in report.items() if k != "stats"}))
    write_section(Path(args.output), report)
    print(f"wrote {args.output}")
    return 0


def write_section(path: Path, report: dict) -> None:
    rows = report["stats"]
    total = next(row for row in rows if row["Name"] == "Aggregated")
    lost = report["confirmed"] - report["found_in_history"]
    lines = [
        LOAD_MARKER,
        "",
        "## Load run",
        "",
        f"Written by `make load` (bench/load.py) on {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC: "
        f"gunicorn with {report['workers']} sync workers on 127.0.0.1 against PostgreSQL (throwaway cluster) "
        "with the Leicestershire data and the demo users; locust headless, "
        f"{report['users']} users for {report['seconds']} s (half funders reading the dashboard and the "
        "indicator page, half hub and LRC staff saving drafts of their own 2010/11 Q3 returns, several sessions "
        "per account so saves of one return collide), 0.5 to 1.5 s between tasks, locust on the same 2 cores.",
        "",
        "| request | count | failures | median ms | p95 ms | p99 ms | max ms | per second |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['Name'] if row['Name'] != 'Aggregated' else '**all**'} | {int(row['Request Count']):,} "
            f"| {int(row['Failure Count']):,} | {row['50%']} | {row['95%']} | {row['99%']} "
            f"| {float(row['Max Response Time']):,.0f} | {float(row['Requests/s']):.1f} |"
        )
    lines += [
        "",
        f"- Throughput: {float(total['Requests/s']):.1f} requests per second; errors: {int(total['Failure Count'])} "
        f"of {int(total['Request Count']):,} requests.",
        f"- Saves: {report['confirmed']:,} confirmed to the clients; {report['found_in_history']:,} of them found "
        f"in the results' history with the text they saved; {report['return_versions']:,} new versions in the "
        f"returns' history. Lost saves: **{lost}**"
        + ("" if report["return_versions"] == report["confirmed"] else " (versions and saves differ: see above)")
        + f". Stale saves refused (409) and redone after a reload: {report['stale_refusals']:,}; "
        f"given up after 5 refusals: {report['gave_up']}.",
        f"- Target (zero errors, zero lost saves): "
        f"{'met' if int(total['Failure Count']) == 0 and lost == 0 else 'MISSED'}.",
        "",
    ]
    old = path.read_text() if path.exists() else ""
    head = old.split(LOAD_MARKER, 1)[0].rstrip() + "\n\n" if old else ""
    path.write_text(head + "\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
