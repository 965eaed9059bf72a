"""Backing up and restoring the whole database, on either engine (``manage.py backup`` / ``manage.py restore``).

- **PostgreSQL**: ``pg_dump --format=custom`` (a consistent snapshot while the portal runs: readers and
  writers carry on) and ``pg_restore`` into a fresh, empty database (``--clean`` replaces what is there). The
  schema comes with it: tables, indexes, constraints, and the triggers that keep each return's summary.
- **SQLite** (the default): SQLite's online backup API (``sqlite3.Connection.backup``), page by page, a
  consistent copy even while the portal writes; a restore copies the file back the same way.

Either way nothing is re-derived: every return, result, history entry and summary comes back as it was
(``python manage.py check_return_summaries`` checks the summaries). ``tests/test_backup.py`` backs up,
restores into a fresh database and compares every table.
"""

import os
import shutil
import sqlite3
import subprocess
from glob import glob
from pathlib import Path

from django.db import connections


class BackupError(Exception):
    """A backup or restore that cannot be made, with the reason in words."""


def _engine(alias: str) -> str:
    vendor = connections[alias].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups are made for SQLite and PostgreSQL, not {vendor}.")
    return vendor


def _pg_tool(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if not found:
        raise BackupError(
            f"{name} was not found: install PostgreSQL's client tools (apt-get install postgresql-client)."
        )
    return found


def _pg_arguments(alias: str) -> tuple[list[str], dict]:
    """Connection arguments for pg_dump/pg_restore and their environment (the password is never on the
    command line, where other users of the machine could read it)."""
    settings = connections[alias].settings_dict
    arguments = ["--dbname", settings["NAME"]]
    if settings.get("HOST"):
        arguments += ["--host", settings["HOST"]]
    if settings.get("PORT"):
        arguments += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        arguments += ["--username", settings["USER"]]
    environment = {**os.environ}
    if settings.get("PASSWORD"):
        environment["PGPASSWORD"] = settings["PASSWORD"]
    return arguments, environment


def _run(command: list[str], environment: dict) -> None:
    done = subprocess.run(command, env=environment, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip() or done.stdout.strip()}")


def backup(output: Path, *, alias: str = "default") -> Path:
    """Write a backup of the database to ``output`` (refusing to overwrite a file)."""
    output = Path(output)
    if output.exists():
        raise BackupError(f"{output} exists already: choose a new file name (a backup never overwrites one).")
    if _engine(alias) == "postgresql":
        arguments, environment = _pg_arguments(alias)
        _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(output), *arguments], environment)
        return output
    connection = connections[alias]
    connection.ensure_connection()
    target = sqlite3.connect(output)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    return output


def _has_tables(alias: str) -> bool:
    return bool(connections[alias].introspection.table_names())


def restore(source: Path, *, alias: str = "default", clean: bool = False) -> None:
    """Restore the backup ``source`` into the database, which must be fresh and empty (never migrated), unless
    ``clean`` says to replace what is there."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source} is not a file.")
    if _has_tables(alias) and not clean:
        raise BackupError(
            "The database is not empty: restore into a fresh database, or pass --clean to replace its contents."
        )
    if _engine(alias) == "postgresql":
        arguments, environment = _pg_arguments(alias)
        command = [_pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
        if clean:
            command += ["--clean", "--if-exists"]
        connections[alias].close()
        _run([*command, *arguments, str(source)], environment)
        return
    with sqlite3.connect(source) as backup_file:
        if backup_file.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError(f"{source} is not a sound SQLite database.")
        connection = connections[alias]
        connection.ensure_connection()
        backup_file.backup(connection.connection)
    connections[alias].close()
