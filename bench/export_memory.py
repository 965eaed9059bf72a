"""Peak memory of the CSV export streaming a million results, in a process of its own.

    python bench/export_memory.py --rows 1000000      # needs DATABASE_URL (run by bench/run.py)

Builds the results export the dashboard offers (``performance.exports.csv_response`` over a ``ResultTable``
with the same ``select_related`` as ``DashboardTables.build("results")``), here over the first N counted
results of every period (the page's export holds one period: about 50 thousand rows at 2 million results),
consumes the streamed response chunk by chunk as a WSGI server would, and prints one JSON line: rows, bytes,
seconds and the process's peak resident memory (``resource.getrusage``, which only rises) before and after.
"""

import argparse
import json
import os
import resource
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vcsportal.settings")
os.environ.setdefault("DEBUG", "0")
warnings.filterwarnings("ignore", "No directory at")

import django  # noqa: E402

django.setup()

from django.http import StreamingHttpResponse  # noqa: E402

from performance.exports import csv_response  # noqa: E402
from performance.models import Result, Return  # noqa: E402
from performance.tables import ResultTable  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    results = (
        Result.objects.filter(return_obj__status__in=Return.COUNTED)
        .select_related("return_obj__period", "return_obj__provider", "indicator", "district")
        .order_by("pk")[: args.rows]
    )
    start = peak_mb()
    began = time.monotonic()
    response = csv_response(ResultTable(results), "results")
    size = chunks = lines = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        chunks += 1
        lines += chunk.count(b"\n")
    print(
        json.dumps(
            {
                "rows": lines - 1,  # less the header (no narrative in synthetic data holds a line break)
                "bytes": size,
                "chunks": chunks,
                "seconds": time.monotonic() - began,
                "start_mb": start,
                "peak_mb": peak_mb(),
                "streaming": isinstance(response, StreamingHttpResponse),
                "how": "Measured by bench/export_memory.py: performance.exports.csv_response over a ResultTable "
                "of the first counted results by id (the results export's table and joins, over every period), "
                "consumed chunk by chunk; peak from resource.getrusage (ru_maxrss) of that process.",
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
