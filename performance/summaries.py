"""The triggers that keep ``ReturnSummary`` (each return's results counted by RAG) equal to the results.

Installed by migration 0005. On PostgreSQL they are statement-level triggers with transition tables: a COPY
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
_UPSERT = "ON CONFLICT (return_id) DO UPDATE SET " + ", ".join(
    f"{column} = performance_returnsummary.{column} + excluded.{column}" for column in COLUMNS
)
_INSERT = f"INSERT INTO performance_returnsummary (return_id, {', '.join(COLUMNS)})"


#: A deleted return takes its summary with it (whatever order a flush deletes the tables in).
_RETURN_DELETED = (
    "CREATE TRIGGER performance_return_summary_delete AFTER DELETE ON performance_return "
    "FOR EACH ROW BEGIN DELETE FROM performance_returnsummary WHERE return_id = OLD.id; END"
)


def _postgresql_statements() -> list[str]:
    def rows(table: str, sign: str) -> str:
        counts = ", ".join(f"{sign}{category.format(row='t')}" for category in _CATEGORIES)
        return f"SELECT t.return_id, {counts} FROM {table} t"

    grouped = ", ".join(f"SUM(d.{column})" for column in COLUMNS)
    changed = " OR ".join(f"SUM(d.{column}) <> 0" for column in COLUMNS)
    deltas = {
        "insert": rows("new_rows", ""),
        # A result deleted after its return (as a flush may) leaves nothing to count.
        "delete": f"{rows('old_rows', '-')} WHERE EXISTS (SELECT 1 FROM performance_return r WHERE r.id = t.return_id)",
        "update": f"{rows('new_rows', '')} UNION ALL {rows('old_rows', '-')}",
    }
    referencing = {
        "insert": "REFERENCING NEW TABLE AS new_rows",
        "delete": "REFERENCING OLD TABLE AS old_rows",
        "update": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    }
    statements = []
    for event, delta in deltas.items():
        function = f"performance_result_summary_{event}"
        statements.append(
            f"""CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                {_INSERT}
                SELECT d.return_id, {grouped}
                FROM ({delta}) AS d (return_id, {", ".join(COLUMNS)})
                GROUP BY d.return_id HAVING {changed}
                {_UPSERT};
                RETURN NULL;
            END $$"""
        )
        statements.append(
            f"CREATE TRIGGER {function} AFTER {event.upper()} ON performance_result "
            f"{referencing[event]} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        )
    statements.append(
        """CREATE FUNCTION performance_return_summary_delete() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM performance_returnsummary WHERE return_id = OLD.id;
            RETURN NULL;
        END $$"""
    )
    statements.append(
        "CREATE TRIGGER performance_return_summary_delete AFTER DELETE ON performance_return "
        "FOR EACH ROW EXECUTE FUNCTION performance_return_summary_delete()"
    )
    return statements


def _sqlite_statements() -> list[str]:
    def upsert(row: str, sign: str) -> str:
        counts = ", ".join(f"{sign}{category.format(row=row)}" for category in _CATEGORIES)
        return f"{_INSERT} VALUES ({row}.return_id, {counts}) {_UPSERT};"

    return [
        f"CREATE TRIGGER performance_result_summary_insert AFTER INSERT ON performance_result "
        f"BEGIN {upsert('NEW', '')} END",
        # A result deleted after its return (as a flush may) leaves nothing to count.
        f"CREATE TRIGGER performance_result_summary_delete AFTER DELETE ON performance_result "
        f"WHEN EXISTS (SELECT 1 FROM performance_return WHERE id = OLD.return_id) "
        f"BEGIN {upsert('OLD', '-')} END",
        f"CREATE TRIGGER performance_result_summary_update AFTER UPDATE OF rag, return_id ON performance_result "
        f"BEGIN {upsert('OLD', '-')} {upsert('NEW', '')} END",
        _RETURN_DELETED,
    ]


def _drop_statements(vendor: str) -> list[str]:
    statements = [f"DROP TRIGGER IF EXISTS performance_result_summary_{event}" for event in ("insert", "delete")]
    statements.append("DROP TRIGGER IF EXISTS performance_result_summary_update")
    if vendor == "postgresql":
        statements = [f"{statement} ON performance_result" for statement in statements]
        statements.append("DROP TRIGGER IF EXISTS performance_return_summary_delete ON performance_return")
        statements += [
            f"DROP FUNCTION IF EXISTS performance_result_summary_{event}()" for event in ("insert", "delete", "update")
        ]
        statements.append("DROP FUNCTION IF EXISTS performance_return_summary_delete()")
    else:
        statements.append("DROP TRIGGER IF EXISTS performance_return_summary_delete")
    return statements


def install(schema_editor) -> None:
    """Counts the results already there into the summary table, then creates the triggers (migration 0005)."""
    vendor = schema_editor.connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"ReturnSummary triggers are written for PostgreSQL and SQLite, not {vendor}")
    recount(schema_editor)
    for statement in _postgresql_statements() if vendor == "postgresql" else _sqlite_statements():
        schema_editor.execute(statement)


def recount(executor) -> None:
    """Counts every return's results afresh into the summary table (run inside a transaction); ``executor``
    is a schema editor or a database cursor."""
    counts = ", ".join(f"SUM({category.format(row='r')})" for category in _CATEGORIES)
    executor.execute("DELETE FROM performance_returnsummary")
    executor.execute(f"{_INSERT} SELECT r.return_id, {counts} FROM performance_result r GROUP BY r.return_id")


def uninstall(schema_editor) -> None:
    """Drops the triggers (migration 0005 reversed)."""
    for statement in _drop_statements(schema_editor.connection.vendor):
        schema_editor.execute(statement)


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
