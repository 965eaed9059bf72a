"""``ReturnSummary`` (each return's results counted by RAG): counting afresh, and checking the stored counts.

The counts are kept by triggers on the results table, whose SQL lives in migration 0005 (frozen there: a change
to them is a new migration). On PostgreSQL they are statement-level triggers with transition tables: a COPY
or an ``update()`` of thousands of rows adjusts each return's counts once, from one grouped query. SQLite has
row-level triggers only; they add or take away one row's count at a time. Both upsert, so a return's summary
row appears with its first result.

``summary_mismatches`` recounts the results and lists every return whose stored counts differ: the tests
use it after every kind of write, and ``manage.py check_return_summaries`` runs it on a live database.
"""

COLUMNS = ("red", "amber", "green", "not_reported", "total")

_CATEGORIES = (
    "CASE WHEN {row}.rag = 'red' THEN 1 ELSE 0 END",
    "CASE WHEN {row}.rag = 'amber' THEN 1 ELSE 0 END",
    "CASE WHEN {row}.rag = 'green' THEN 1 ELSE 0 END",
    "CASE WHEN {row}.rag IN ('red', 'amber', 'green') THEN 0 ELSE 1 END",
    "1",
)
_INSERT = f"INSERT INTO performance_returnsummary (return_id, {', '.join(COLUMNS)})"


def recount(executor) -> None:
    """Counts every return's results afresh into the summary table (run inside a transaction); ``executor``
    is a schema editor or a database cursor."""
    counts = ", ".join(f"SUM({category.format(row='r')})" for category in _CATEGORIES)
    executor.execute("DELETE FROM performance_returnsummary")
    executor.execute(f"{_INSERT} SELECT r.return_id, {counts} FROM performance_result r GROUP BY r.return_id")


def summary_mismatches() -> list[dict]:
    """Every return whose stored counts differ from a fresh count of its results (an empty list when the
    triggers have done their job): ``return_id``, ``stored`` and ``counted``, each a dict of COLUMNS."""
    from performance.dashboard import rag_counts
    from performance.models import Result, ReturnSummary

    # Counted as the dashboard counts results when a filter is about each result: the two must agree.
    counted = {
        row["return_obj"]: {column: row[column] for column in COLUMNS}
        for row in Result.objects.order_by().values("return_obj").annotate(**rag_counts())
    }
    stored = {
        row["return_obj"]: {column: row[column] for column in COLUMNS}
        for row in ReturnSummary.objects.values("return_obj", *COLUMNS)
    }
    empty = dict.fromkeys(COLUMNS, 0)
    return [
        {"return_id": pk, "stored": stored.get(pk, empty), "counted": counted.get(pk, empty)}
        for pk in sorted(set(counted) | set(stored))
        if stored.get(pk, empty) != counted.get(pk, empty)
    ]
