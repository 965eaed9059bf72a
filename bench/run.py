"""Benchmarks on PostgreSQL: page latency and SQL query counts at national scale, against a floor.

    make bench                         # inside a throwaway PostgreSQL cluster (scripts/with_postgres.py)
    python bench/run.py --levels 1,7   # a quick run at 10 and 100 thousand results (needs DATABASE_URL)

The database grows step by step with ``generate_synthetic`` to about 10 thousand, 100 thousand, 1 million and
2 million results (1, 7, 65 and 130 synthetic councils of 15,400 results each, on top of Leicestershire), then to
150 partnerships (each synthetic council is its own partnership with a person per role, so the pages, requested
as Leicestershire's people, show one partnership among 151; the national comparison reads them all).
At each level every target in ``TARGETS`` whose url name resolves is requested through Django's test Client,
signed in as its role (the demo user who sees most of the page): a bounded number of runs after a warm-up, the
median and the 95th percentile, and the number of SQL queries of one request. A target may name a hand-written
SQL query that computes the same numbers (the floor); it is timed the same way, and the table gives the ratio
page / floor. Targets whose url names do not resolve yet (or whose sample objects the bench data lacks) are
listed as skipped. ``TARGETS`` is the hand-written targets below plus one generated target for every page
declared in bench/targets.py (every portal url name is declared there, as a page or an exemption:
tests/test_bench_targets.py checks it). Finally ``generate_synthetic --councils 150`` is timed on its own, from
an empty database, as a user would run it. The results are written to BENCHMARKS.md.
"""

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "bench" / "plans"
#: What the figures say and why a target is missed: written by hand, copied into BENCHMARKS.md on every run.
ANALYSIS = ROOT / "bench" / "analysis.md"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vcsportal.settings")
os.environ.setdefault("DEBUG", "0")

import warnings  # noqa: E402

import django  # noqa: E402

# Static files are served by whitenoise from STATIC_ROOT in production; the bench renders pages only.
warnings.filterwarnings("ignore", "No directory at")

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from bench.targets import (  # noqa: E402
    BENCH_INDICATOR,
    BENCH_PERIOD,
    FUNDER,
    PAGES,
    Page,
    bench_rows_create,
    period_slug,
)
from performance.dashboard import previous_period_with_returns  # noqa: E402
from performance.models import Indicator, ReportingPeriod  # noqa: E402
from vcsportal.demo import demo_users_create  # noqa: E402
from vcsportal.leicestershire import load_leicestershire  # noqa: E402
from vcsportal.models import User  # noqa: E402
from vcsportal.synthetic import DISTRICTS_PER_COUNCIL, HUBS_PER_COUNCIL, LRCS_PER_COUNCIL, YEARS  # noqa: E402

#: label, synthetic councils: each council adds 11 providers x 40 periods x 35 indicators = 15,400 results.
LEVELS = [("10 thousand", 1), ("100 thousand", 7), ("1 million", 65), ("2 million", 130), ("150 partnerships", 150)]
FULL_GENERATION_COUNCILS = 150
FULL_GENERATION_LIMIT_SECONDS = 600
EXPORT_MEMORY_ROWS = 1_000_000
EXPORT_MEMORY_LIMIT_MB = 300
DASHBOARD_P95_LIMIT_MS = 300
#: bench/load.py writes its section below this line; bench/run.py keeps it when it rewrites the file.
LOAD_MARKER = "<!-- load run (bench/load.py) -->"
RUNS = 20  # measured runs per target and level, at most ...
RUN_BUDGET_SECONDS = 20.0  # ... and no more time than this (at least MIN_RUNS runs)
MIN_RUNS = 5
WARM_UP = 2
#: The period and indicator the targets look at (bench/targets.py): Leicestershire's last signed-off quarter,
#: VAL's first indicator.
READER = FUNDER
COUNTED = "('submitted', 'accepted', 'signed_off')"

# Floors: the fastest plain SQL we know, on the portal's own schema, that computes the numbers the page shows.
# A floor may be several statements (run one after the other, timed together) where the page shows figures
# of different shapes. Like the page, floors may read ``performance_returnsummary`` (each return's results
# counted by RAG, kept by triggers): it is part of the schema, and the fastest source of those numbers.
COUNTS = ", ".join(
    f"COUNT(*) FILTER (WHERE {condition})"
    for condition in ("r.rag = 'red'", "r.rag = 'amber'", "r.rag = 'green'", "r.rag NOT IN ('red', 'amber', 'green')")
)
SUMS = "SUM(s.red), SUM(s.amber), SUM(s.green), SUM(s.not_reported), SUM(s.total)"
LAST_8_PERIODS = """
    SELECT id FROM performance_reportingperiod
    WHERE (financial_year, quarter) <= (%(year)s, %(quarter)s)
    ORDER BY financial_year DESC, quarter DESC LIMIT 8"""
# The dashboard's overview: the headline and kinds of provider (summaries by kind), strands and outcome
# priorities (results counted per indicator), over time (summaries per period, the last eight) and
# completeness (every provider and its return for the period).
DASHBOARD_FLOOR = [
    f"""
    SELECT o.kind, {SUMS}
    FROM performance_returnsummary s
    JOIN performance_return t ON t.id = s.return_id
    JOIN contracts_organisation o ON o.id = t.provider_id
    WHERE t.period_id = %(period)s AND t.status IN {COUNTED}
    GROUP BY o.kind""",
    f"""
    SELECT r.indicator_id, {COUNTS}, COUNT(*)
    FROM performance_result r JOIN performance_return t ON t.id = r.return_id
    WHERE t.period_id = %(period)s AND t.status IN {COUNTED}
    GROUP BY r.indicator_id""",
    f"""
    SELECT p.financial_year, p.quarter, {SUMS}
    FROM performance_returnsummary s
    JOIN performance_return t ON t.id = s.return_id
    JOIN performance_reportingperiod p ON p.id = t.period_id
    WHERE t.status IN {COUNTED} AND t.period_id IN ({LAST_8_PERIODS})
    GROUP BY p.financial_year, p.quarter""",
    """
    SELECT COUNT(*), COUNT(t.id), COUNT(*) FILTER (WHERE t.status = 'submitted'),
           COUNT(*) FILTER (WHERE t.status = 'accepted'), COUNT(*) FILTER (WHERE t.status = 'signed_off')
    FROM contracts_organisation o
    LEFT JOIN performance_return t ON t.provider_id = o.id AND t.period_id = %(period)s""",
]
# The providers section: the first page of 25 providers with their return's counts, and how many there are.
PROVIDERS_FLOOR = [
    f"""
    SELECT o.code, t.status, s.red, s.amber, s.green, s.not_reported, s.total
    FROM contracts_organisation o
    LEFT JOIN performance_return t ON t.provider_id = o.id AND t.period_id = %(period)s
    LEFT JOIN performance_returnsummary s ON s.return_id = t.id AND t.status IN {COUNTED}
    ORDER BY o.kind, o.code LIMIT 25""",
    "SELECT COUNT(*) FROM contracts_organisation",
]
# The change section: each provider, indicator and district's rating in the period and the one before,
# paired; the count of each move, and the first page of 25 pairs (declines first).
CHANGE_PAIRS = f"""
    SELECT t.provider_id, r.indicator_id, r.district_id,
           MAX(CASE WHEN t.period_id = %(period)s THEN r.rag END) AS now,
           MAX(CASE WHEN t.period_id = %(previous)s THEN r.rag END) AS before
    FROM performance_result r JOIN performance_return t ON t.id = r.return_id
    WHERE t.period_id IN (%(period)s, %(previous)s) AND t.status IN {COUNTED}
    GROUP BY t.provider_id, r.indicator_id, r.district_id"""
CHANGE_RANK = "CASE {0} WHEN 'red' THEN 0 WHEN 'amber' THEN 1 WHEN 'green' THEN 2 END"
CHANGE_FLOOR = [
    f"""
    SELECT SIGN({CHANGE_RANK.format("now")} - {CHANGE_RANK.format("before")}), now IS NULL, before IS NULL,
           COUNT(*)
    FROM ({CHANGE_PAIRS}) pairs GROUP BY 1, 2, 3""",
    f"""
    SELECT * FROM ({CHANGE_PAIRS}) pairs
    ORDER BY SIGN({CHANGE_RANK.format("now")} - {CHANGE_RANK.format("before")}) NULLS LAST,
             provider_id, indicator_id, district_id
    LIMIT 25""",
]
# The localities table: the local indicators' figures summed per district and kind of provider.
LOCALITY_FLOOR = f"""
    SELECT COALESCE(r.district_id, o.district_id) AS locality, r.indicator_id, o.kind, SUM(r.actual)
    FROM performance_result r
    JOIN performance_return t ON t.id = r.return_id
    JOIN contracts_organisation o ON o.id = t.provider_id
    JOIN performance_indicator i ON i.id = r.indicator_id
    WHERE t.period_id = %(period)s AND t.status IN {COUNTED} AND i.by_district AND r.actual IS NOT NULL
    GROUP BY 1, 2, 3"""
INDICATOR_HISTORY_FLOOR = f"""
    SELECT t.period_id, r.rag, COUNT(*), AVG(r.actual)
    FROM performance_result r JOIN performance_return t ON t.id = r.return_id
    WHERE r.indicator_id = %(indicator)s AND t.status IN {COUNTED}
    GROUP BY t.period_id, r.rag"""
# The results export: every counted result of the period with its provider, indicator and district.
EXPORT_FLOOR = f"""
    SELECT o.code, p.financial_year, p.quarter, i.code, d.name, r.rag, r.actual, r.target, r.validation,
           r.narrative
    FROM performance_result r
    JOIN performance_return t ON t.id = r.return_id
    JOIN contracts_organisation o ON o.id = t.provider_id
    JOIN performance_reportingperiod p ON p.id = t.period_id
    JOIN performance_indicator i ON i.id = r.indicator_id
    LEFT JOIN districts_district d ON d.id = r.district_id
    WHERE t.period_id = %(period)s AND t.status IN {COUNTED}
    ORDER BY o.kind, o.code, i.code, d.name"""


@dataclass
class Target:
    """A page to time: its url name (and kwargs), the floor SQL computing the same numbers, how many runs.

    ``kwargs`` and ``query`` may be functions of nothing, evaluated once the bench data is loaded
    (bench/targets.py); ``concrete`` gives the target with them evaluated."""

    label: str
    url_name: str
    kwargs: dict | Callable[[], dict | None] = field(default_factory=dict)
    query: dict | Callable[[], dict] = field(default_factory=dict)
    floor_sql: str | list[str] | None = None
    runs: int = RUNS
    min_runs: int = MIN_RUNS
    warm_up: int = WARM_UP
    streams: bool = False  # the floor reads its rows through a server-side cursor, as a streamed export would
    role: str = READER  # the demo user the page is requested as


# The pages the issue names. The locality table is a section of the dashboard: it is timed through its own
# export (the same selector the page renders). A target whose name does not resolve is skipped (and listed).
def dashboard_section(label: str, url_name: str, floor_sql: list[str] | str) -> Target:
    """A page of the dashboard for the bench period, timed over at least 3 runs after 1 warm-up."""
    return Target(label, url_name, query=period_slug, floor_sql=floor_sql, min_runs=3, warm_up=1)


HAND_TARGETS = [
    Target("home page (no figures)", "home"),
    dashboard_section("dashboard", "performance:dashboard", DASHBOARD_FLOOR),
    dashboard_section("dashboard: providers", "performance:dashboard_providers", PROVIDERS_FLOOR),
    dashboard_section("dashboard: change", "performance:dashboard_change", CHANGE_FLOOR),
    dashboard_section("dashboard: localities", "performance:dashboard_localities", LOCALITY_FLOOR),
    Target(
        "locality table (CSV)",
        "performance:dashboard_export",
        {"table": "localities", "file_format": "csv"},
        query=period_slug,
        floor_sql=LOCALITY_FLOOR,
    ),
    Target("indicator history", "performance:indicator", {"code": BENCH_INDICATOR}, floor_sql=INDICATOR_HISTORY_FLOOR),
    Target(
        "CSV export (the period's results)",
        "performance:dashboard_export",
        {"table": "results", "file_format": "csv"},
        query=period_slug,
        floor_sql=EXPORT_FLOOR,
        runs=5,
        min_runs=2,
        warm_up=0,  # the first request (counting its queries) warms it
        streams=True,
    ),
]


def generated_targets() -> list[Target]:
    """One target for every page declared in bench/targets.py that no hand-written target above times."""
    covered = {target.url_name for target in HAND_TARGETS}
    return [
        Target(name, name, page.kwargs, page.query, role=page.role, min_runs=3, warm_up=1)
        for name, page in PAGES.items()
        if isinstance(page, Page) and name not in covered
    ]


TARGETS = HAND_TARGETS + generated_targets()


def concrete(target: Target) -> Target | None:
    """The target with its kwargs and query evaluated against the database, or None if it cannot be requested
    here (its url name does not resolve on this branch, or the bench data has no sample object for it)."""
    kwargs = target.kwargs() if callable(target.kwargs) else target.kwargs
    if kwargs is None:
        return None
    query = target.query() if callable(target.query) else target.query
    try:
        reverse(target.url_name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None
    return replace(target, kwargs=kwargs, query=query)


@dataclass
class Timing:
    median_ms: float
    p95_ms: float
    runs: int
    queries: int | None = None
    status: int | None = None
    rows: int | None = None


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest value with at least this fraction of the runs at or below it."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * fraction // 1))
    return ordered[int(rank) - 1]


def measure(
    run: Callable[[], object], runs: int, min_runs: int = MIN_RUNS, warm_up: int = WARM_UP
) -> tuple[list[float], object]:
    for _ in range(warm_up):
        run()
    durations, last = [], None
    started = time.monotonic()
    while len(durations) < runs and (len(durations) < min_runs or time.monotonic() - started < RUN_BUDGET_SECONDS):
        began = time.perf_counter()
        last = run()
        durations.append((time.perf_counter() - began) * 1000)
    return durations, last


def page_timing(client: Client, target: Target) -> Timing:
    url = reverse(target.url_name, kwargs=target.kwargs or None)

    def fetch():
        response = client.get(url, target.query)
        if getattr(response, "streaming", False):
            for _chunk in response.streaming_content:
                pass
        else:
            response.content  # noqa: B018 (render it all)
        return response

    # Counted at once: the captured queries are a slice of a log that every later request empties.
    with CaptureQueriesContext(connection) as queries:
        first = fetch()
    query_count = len(queries.captured_queries)
    durations, _ = measure(fetch, target.runs, target.min_runs, target.warm_up)
    return Timing(
        statistics.median(durations), percentile(durations, 0.95), len(durations), query_count, first.status_code
    )


def floor_statements(target: Target) -> list[str]:
    return target.floor_sql if isinstance(target.floor_sql, list) else [target.floor_sql]


def floor_timing(target: Target, params: dict) -> Timing:
    statements = floor_statements(target)

    def run():
        if not target.streams:
            rows = 0
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql, params)
                    rows += len(cursor.fetchall())
            return rows
        connection.ensure_connection()
        with transaction.atomic(), connection.connection.cursor(name="bench_floor") as cursor:
            cursor.itersize = 5000
            cursor.execute(statements[0], params)
            return sum(1 for _row in cursor)

    durations, rows = measure(run, target.runs, target.min_runs, target.warm_up)
    return Timing(statistics.median(durations), percentile(durations, 0.95), len(durations), len(statements), rows=rows)


def explain(sql: str, params=None) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def floor_plan(target: Target, params: dict) -> str:
    return "\n\n".join(explain(sql, params) for sql in floor_statements(target))


PLAN_QUERIES = 3  # the page's slowest queries whose plans are saved


def page_plans(client: Client, target: Target) -> list[tuple[float, str, str]]:
    """The page's slowest SELECTs of one request, each with its EXPLAIN (ANALYZE, BUFFERS) plan."""
    url = reverse(target.url_name, kwargs=target.kwargs or None)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, target.query)
        for _chunk in getattr(response, "streaming_content", ()):
            pass
    selects = [q for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    slowest = sorted(selects, key=lambda q: float(q["time"]), reverse=True)[:PLAN_QUERIES]
    return [(float(q["time"]) * 1000, q["sql"], explain(q["sql"])) for q in slowest]


def plan_file(label: str, kind: str) -> Path:
    slug = "".join(c if c.isalnum() else "-" for c in label.lower()).strip("-")
    while "--" in slug:
        slug = slug.replace("--", "-")
    return PLANS / f"{slug}-{kind}.txt"


def key_lines(plan: str, count: int = 4) -> list[str]:
    """The plan's top line and its scans: what BENCHMARKS.md quotes."""
    lines = plan.splitlines()
    picked = [lines[0].strip()] if lines else []
    picked += [line.strip() for line in lines if "Scan" in line and "->" in line][: count - 1]
    picked += [line.strip() for line in lines if line.startswith("Execution Time")][:1]
    return picked


def result_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM performance_result")
        return cursor.fetchone()[0]


def export_memory() -> dict:
    """Stream the CSV export of a million results in a process of its own (bench/export_memory.py), so its
    peak resident memory is the export's, not this script's."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "export_memory.py"), "--rows", str(EXPORT_MEMORY_ROWS)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def measured_memory(path: Path) -> dict | None:
    """A memory figure measured earlier by bench/export_memory.py (None while it has not finished)."""
    try:
        return json.loads(path.read_text().strip().splitlines()[-1])
    except (OSError, IndexError, ValueError):
        return None


def generate(councils: int) -> float:
    began = time.monotonic()
    call_command("generate_synthetic", councils=councils, stdout=open(os.devnull, "w"))  # noqa: SIM115
    with connection.cursor() as cursor:
        # VACUUM too, as autovacuum would in time: index-only scans need the visibility map.
        cursor.execute("VACUUM ANALYZE")
    return time.monotonic() - began


def full_generation_seconds(councils: int) -> tuple[float, str]:
    """Time ``manage.py generate_synthetic --councils N`` in a fresh database of the same cluster."""
    url = urlsplit(os.environ["DATABASE_URL"])
    fresh = urlunsplit(url._replace(path="/bench_generate"))
    with connection.cursor() as cursor:
        cursor.execute("DROP DATABASE IF EXISTS bench_generate")
        cursor.execute("CREATE DATABASE bench_generate")
    env = dict(os.environ, DATABASE_URL=fresh)
    manage = [sys.executable, str(ROOT / "manage.py")]
    try:
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True)
        subprocess.run([*manage, "load_leicestershire"], env=env, check=True, stdout=subprocess.DEVNULL)
        began = time.monotonic()
        done = subprocess.run(
            [*manage, "generate_synthetic", "--councils", str(councils)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        seconds = time.monotonic() - began
    finally:
        connection.close()
        with connection.cursor() as cursor:
            cursor.execute("DROP DATABASE IF EXISTS bench_generate")
    return seconds, done.stdout.strip().splitlines()[-1]


def ms(value: float | None) -> str:
    return "-" if value is None else f"{value:,.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--levels", help="comma-separated council counts (default 1,7,65,130)")
    parser.add_argument("--no-full-generation", action="store_true", help="skip timing --councils 150 alone")
    parser.add_argument("--no-memory", action="store_true", help="skip the 1 million row CSV memory check")
    parser.add_argument("--memory-from", help="report this bench/export_memory.py output instead of measuring")
    parser.add_argument("--output", default=str(ROOT / "BENCHMARKS.md"))
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench/run.py measures PostgreSQL: run it through `make bench` (or set DATABASE_URL)")
    levels = LEVELS
    if args.levels:
        levels = [(None, int(n)) for n in args.levels.split(",")]

    began = datetime.datetime.now(datetime.UTC)
    load_before = os.getloadavg()
    call_command("migrate", "--noinput", verbosity=0)
    load_leicestershire()
    demo_users_create()
    bench_rows_create()
    clients = {}
    for role in {target.role for target in TARGETS}:
        clients[role] = Client()
        clients[role].force_login(User.objects.get(username=role))
    period = ReportingPeriod.objects.get(financial_year=BENCH_PERIOD[0], quarter=BENCH_PERIOD[1])
    params = {
        "period": period.pk,
        "year": period.financial_year,
        "quarter": period.quarter,
        "indicator": Indicator.objects.get(code=BENCH_INDICATOR).pk,
        # The dashboard compares with the latest earlier period with returns unless told otherwise.
        "previous": previous_period_with_returns(period).pk,
    }
    built = {target.label: concrete(target) for target in TARGETS}
    skipped = [target for target in TARGETS if not built[target.label]]
    for target in skipped:
        print(f"skipped {target.label}: url name {target.url_name!r} does not resolve or has no sample object")

    rows, generation, plans = [], [], {}
    for label, councils in levels:
        seconds = generate(councils)
        results = result_count()
        label = label or f"{results:,}"
        generation.append((label, councils, results, seconds))
        print(f"== {label} results ({results:,}, {councils} councils; generated in {seconds:.1f}s)", flush=True)
        # Floors are timed for every target, built or not, so the pages have their yardstick when they land.
        for target in TARGETS:
            page = built[target.label]
            page = page_timing(clients[target.role], page) if page else None
            floor = floor_timing(target, params) if target.floor_sql else None
            ratio = page.median_ms / floor.median_ms if page and floor and floor.median_ms else None
            rows.append((label, results, target, page, floor, ratio))
            print(
                f"   {target.label}: page median {ms(page and page.median_ms)} ms, p95 {ms(page and page.p95_ms)} "
                f"ms, {page and page.queries} queries; floor median {ms(floor and floor.median_ms)} ms",
                flush=True,
            )
    PLANS.mkdir(exist_ok=True)
    for target in TARGETS:
        if target.floor_sql:
            plans[target.label] = {"floor": floor_plan(target, params)}
            plan_file(target.label, "floor").write_text(plans[target.label]["floor"] + "\n")
        if built[target.label] and target.floor_sql:
            page = page_plans(clients[target.role], built[target.label])
            plans[target.label]["page"] = page
            plan_file(target.label, "page").write_text(
                "\n\n".join(f"-- {took:.1f} ms\n{sql}\n\n{plan}" for took, sql, plan in page) + "\n"
            )

    memory = None
    if args.memory_from:
        memory = measured_memory(Path(args.memory_from))
    elif not args.no_memory:
        memory = export_memory()
        print(f"CSV export of {memory['rows']:,} rows: peak RSS {memory['peak_mb']:.0f} MB", flush=True)

    full = None
    if not args.no_full_generation:
        full = full_generation_seconds(FULL_GENERATION_COUNCILS)
        print(f"generate_synthetic --councils {FULL_GENERATION_COUNCILS}: {full[0]:.1f}s ({full[1]})", flush=True)

    if args.memory_from and memory is None:
        memory = measured_memory(Path(args.memory_from))
    load = (load_before, os.getloadavg())
    write_report(Path(args.output), began, rows, generation, skipped, plans, full, load, memory)
    print(f"wrote {args.output}")
    return 0


def write_report(path: Path, began, rows, generation, skipped, plans, full, load, memory):
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` (bench/run.py) on {began:%Y-%m-%d %H:%M} UTC: PostgreSQL {server} "
        f"(throwaway cluster, fsync off), Python {platform.python_version()}, {os.cpu_count()} cores. "
        "Pages are requested through Django's test Client in-process (no network, no gunicorn), signed in as "
        f"a funder reviewer; median and 95th percentile over at most {RUNS} runs after {WARM_UP} warm-up "
        f"requests (at least {MIN_RUNS}, bounded by about {RUN_BUDGET_SECONDS:.0f} s per target; the dashboard at "
        "least 3 runs after 1 warm-up and the results export at least 2 after none, as they take seconds at "
        "the larger levels), nearest-rank: with fewer than 20 runs the p95 is the slowest run. "
        "Queries: the number of SQL queries one request makes. Floor: a hand-written SQL query computing the "
        "same numbers, timed the same way; ratio = page median / floor median.",
        "",
        f"One-minute load average {load[0][0]:.1f} at the start and {load[1][0]:.1f} at the end, on "
        f"{os.cpu_count()} cores: when it is above the core count other work shared the machine, and single "
        "figures may be slower than the machine can do alone (compare levels with that in mind).",
        "",
        "Synthetic data: `generate_synthetic` councils of 7 districts, a CIO, "
        f"{HUBS_PER_COUNCIL} hubs and {LRCS_PER_COUNCIL} LRCs ({DISTRICTS_PER_COUNCIL} districts each), "
        f"{YEARS * 4} quarters, 35 indicators per return: 15,400 results per council, on top of Leicestershire.",
        "",
        "## Generation",
        "",
        "| level | councils | results | seconds to grow to it |",
        "|---|---:|---:|---:|",
    ]
    lines += [
        f"| {label} | {councils} | {results:,} | {seconds:.1f} |" for label, councils, results, seconds in generation
    ]
    if full:
        verdict = "within" if full[0] < FULL_GENERATION_LIMIT_SECONDS else "OVER"
        lines += [
            "",
            f"`python manage.py generate_synthetic --councils {FULL_GENERATION_COUNCILS}` from an empty database "
            f"(after migrate and load_leicestershire): **{full[0]:.0f} s**, {verdict} the 10-minute target. "
            f"It said: {full[1]}",
        ]
    lines += [
        "",
        "## Pages",
        "",
        "| level | results | target | status | page median ms | page p95 ms | queries | floor median ms | "
        "floor p95 ms | floor rows | page / floor |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, results, target, page, floor, ratio in rows:
        page_cells = (
            f"{page.status} | {ms(page.median_ms)} | {ms(page.p95_ms)} | {page.queries}"
            if page
            else "not built | - | - | -"
        )
        lines.append(
            f"| {label} | {results:,} | {target.label} (`{target.url_name}`) | {page_cells} "
            f"| {ms(floor and floor.median_ms)} | {ms(floor and floor.p95_ms)} "
            f"| {f'{floor.rows:,}' if floor else '-'} | {f'{ratio:.1f}x' if ratio else '-'} |"
        )
    if skipped:
        lines += ["", "Pages not measured (their floors are): url names that do not resolve on this branch yet:", ""]
        lines += [f"- {target.label} (`{target.url_name}`)" for target in skipped]
    largest = rows[-1][0] if rows else None
    dashboard = next(
        (row for row in rows if row[0] == largest and row[2].url_name == "performance:dashboard" and row[3]), None
    )
    lines += ["", "## Against the targets (issue 6)", ""]
    lines.append(
        "- `generate_synthetic --councils 150` under 10 minutes: "
        + (
            f"{'met' if full[0] < FULL_GENERATION_LIMIT_SECONDS else 'MISSED'} ({full[0]:.0f} s)."
            if full
            else "not timed in this run."
        )
    )
    if dashboard:
        _label, results, _target, page, floor, ratio = dashboard
        met = page.p95_ms < DASHBOARD_P95_LIMIT_MS
        lines.append(
            f"- Dashboard p95 under {DASHBOARD_P95_LIMIT_MS} ms at {results:,} results: "
            f"{'met' if met else 'MISSED'} ({page.p95_ms:,.0f} ms"
            + ("" if met else f", {page.p95_ms - DASHBOARD_P95_LIMIT_MS:,.0f} ms over")
            + f"); within 2x the floor: {'met' if ratio and ratio <= 2 else 'MISSED'} ({ratio:.1f}x)."
        )
    else:
        lines.append("- Dashboard at the largest level: not measured in this run.")
    if memory:
        met = memory["peak_mb"] < EXPORT_MEMORY_LIMIT_MB
        lines.append(
            f"- CSV export of {memory['rows']:,} rows streamed with peak memory under {EXPORT_MEMORY_LIMIT_MB} MB: "
            f"{'met' if met else 'MISSED'}: peak resident memory {memory['peak_mb']:.0f} MB (before the export "
            f"{memory['start_mb']:.0f} MB), {memory['bytes'] / 1e6:,.0f} MB of CSV in {memory['seconds']:.0f} s, "
            f"{memory['chunks']:,} chunks, streamed: {memory['streaming']}. {memory['how']}"
        )
    else:
        lines.append("- CSV export memory: not measured in this run.")
    if plans:
        lines += [
            "",
            "## Query plans at the largest level",
            "",
            "Saved in full under `bench/plans/` (`<target>-page.txt`: the page's slowest queries with "
            "`EXPLAIN (ANALYZE, BUFFERS)`; `<target>-floor.txt`: the floor's). Key lines:",
            "",
        ]
        for label, plan in plans.items():
            lines += [f"### {label}", ""]
            for took, _sql, page_plan in plan.get("page", []):
                lines += [f"Page query ({took:.1f} ms when captured):", "", "```", *key_lines(page_plan), "```", ""]
            lines += ["Floor:", "", "```", *key_lines(plan["floor"]), "```", ""]
    if ANALYSIS.exists():
        lines += ["", ANALYSIS.read_text().strip()]
    lines += ["", LOAD_MARKER, ""]
    old = path.read_text() if path.exists() else ""
    if LOAD_MARKER in old:
        lines.append(old.split(LOAD_MARKER, 1)[1].strip())
    path.write_text("\n".join(lines).rstrip() + "\n")


if __name__ == "__main__":
    sys.exit(main())
