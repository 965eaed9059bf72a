"""Peak memory and speed of the CSV results export streaming a million results, in a process of its own.

    python bench/export_memory.py --rows 1000000                 # needs DATABASE_URL (run by bench/run.py)
    python bench/export_memory.py --rows 20000 --via rendered    # the django-tables2 path, for comparison

``--via request`` (the default) sends a real request through ``django.test.Client`` (middleware, login,
permission, ``DashboardExportView``, ``DashboardTables.build("results")`` with its joins and order, and
``performance.exports``), signed in as a funder reviewer. The page's export holds one period (about 50
thousand rows at 2 million results), so for the measurement the view's selector
``performance.dashboard.results_in_view`` is swapped, in this process only, for the first N counted results
of every period (by id); everything else is the view's own code. ``--via function`` calls the function the
view calls (``table_response`` over a ``ResultTable`` of those results); ``--via rendered`` writes the same
table through django-tables2 cell by cell (the path the small tables take), to compare speeds.

The streamed response is consumed chunk by chunk as a WSGI server would. One JSON line is printed: rows,
bytes, chunks, seconds, rows per second, the resident memory before the export (``rss_before_mb``, from
/proc) and the process's peak resident memory before and after (``resource.getrusage``, which only rises).
"""

import argparse
import json
import os
import resource
import sys
import time
import warnings
from itertools import chain
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vcsportal.settings")
os.environ.setdefault("DEBUG", "0")
warnings.filterwarnings("ignore", "No directory at")

import django  # noqa: E402

django.setup()

from django.db.models import Count, Q  # noqa: E402
from django.http import StreamingHttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from performance import dashboard  # noqa: E402
from performance.exports import csv_lines, header_row, rendered_rows, table_response  # noqa: E402
from performance.models import ReportingPeriod, Result, Return  # noqa: E402
from performance.tables import ResultTable  # noqa: E402
from vcsportal.models import User  # noqa: E402

READER = "funder.reviewer"
HOW = {
    "request": "a real request through django.test.Client to the dashboard's results export "
    "(/dashboard/export/results.csv, signed in as a funder reviewer), its selector results_in_view swapped in "
    "that process for the first {rows:,} counted results by id over every period (the page exports one period)",
    "function": "performance.exports.table_response (the function the results export view calls) over a "
    "ResultTable of the first {rows:,} counted results by id, with the view's joins",
    "period": "a real request through django.test.Client to the dashboard's results export of the period with "
    "the most counted results, unchanged (--rows is ignored)",
    "rendered": "the same ResultTable written through django-tables2 cell by cell (the small tables' path)",
}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def rss_mb() -> float:
    """The process's resident memory now (VmRSS), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def first_counted(rows: int):
    """The first ``rows`` counted results by id, as a filter (not a slice, so the view may order them)."""
    counted = Result.objects.filter(return_obj__status__in=Return.COUNTED)
    last = counted.order_by("pk").values_list("pk", flat=True)[rows - 1 : rows].first()
    return counted.filter(pk__lte=last) if last is not None else counted


def export_request(rows: int | None):
    """A function sending the results export request as a funder would (signed in, its period chosen
    beforehand, so only the request is timed); with ``rows``, over the first counted results."""
    if rows is not None:
        results = first_counted(rows)
        dashboard.results_in_view = lambda filters, period=None: results.order_by()
        period = ReportingPeriod.objects.order_by("-financial_year", "-quarter").first()
    else:
        period = (
            ReportingPeriod.objects.annotate(counted=Count("returns", filter=Q(returns__status__in=Return.COUNTED)))
            .order_by("-counted", "-financial_year", "-quarter")
            .first()
        )
    client = Client()
    client.force_login(User.objects.get(username=READER))
    url = reverse("performance:dashboard_export", kwargs={"table": "results", "file_format": "csv"})

    def request():
        response = client.get(url, {"period": period.slug})
        assert response.status_code == 200, response.status_code
        return response

    return request


def results_table(rows: int) -> ResultTable:
    return ResultTable(
        first_counted(rows)
        .select_related("return_obj__period", "return_obj__provider", "indicator", "district")
        .order_by("pk")
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--via", choices=sorted(HOW), default="request")
    args = parser.parse_args()
    if args.via in ("request", "period"):
        request = export_request(args.rows if args.via == "request" else None)
    else:
        table = results_table(args.rows)
    rss_before, start = rss_mb(), peak_mb()
    began = time.monotonic()
    if args.via in ("request", "period"):
        response = request()
    elif args.via == "function":
        response = table_response(table, "results", "csv")
    else:
        response = StreamingHttpResponse(csv_lines(chain([header_row(table)], rendered_rows(table))))
    size = chunks = lines = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        chunks += 1
        lines += chunk.count(b"\n")
    response.close()
    seconds = time.monotonic() - began
    rows = lines - 1  # less the header (no narrative in synthetic data holds a line break)
    print(
        json.dumps(
            {
                "rows": rows,
                "bytes": size,
                "chunks": chunks,
                "seconds": round(seconds, 2),
                "rows_per_second": round(rows / seconds),
                "rss_before_mb": round(rss_before, 1),
                "start_mb": round(start, 1),
                "peak_mb": round(peak_mb(), 1),
                "streaming": isinstance(response, StreamingHttpResponse),
                "via": args.via,
                "how": f"Measured by bench/export_memory.py --via {args.via}: "
                + HOW[args.via].format(rows=args.rows)
                + ", consumed chunk by chunk; peak resident memory from resource.getrusage (ru_maxrss) of that "
                "process.",
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
