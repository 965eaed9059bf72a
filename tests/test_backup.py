"""Nothing is lost across a backup and restore (issue 12 item 16), on the database the suite runs on.

End to end, as an operator would do it, each step a ``manage.py`` process of its own: a fresh database is
migrated, loaded with the Leicestershire data and the demo users, and taken through a quarter (a return
filled in, submitted, sent back with a comment, corrected, resubmitted, accepted; ratings challenged), so
that it holds returns, results, history entries and summaries; ``backup`` writes a file; ``restore`` puts it
into a second fresh database; every table of both (``dumpdata``: every model, the histories and the
summaries the triggers keep included) must be identical, and ``check_return_summaries`` must find the restored
summaries right. On PostgreSQL (inside scripts/with_postgres.py) the two databases are created in the same
cluster and dropped afterwards.
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import dj_database_url
import pytest
from django.conf import settings
from django.db import connection

from vcsportal.backups import BackupError, backup, restore

ROOT = Path(settings.BASE_DIR)

#: A quarter's work, through the services, so that the database holds history of every kind.
QUARTER = """
from decimal import Decimal
from performance.models import Return
from performance.rag import ResultEntry
from performance.services import (results_as_entries, return_accept, return_save, return_send_back,
    return_submit, results_validate)
from vcsportal.models import User

hub, val = User.objects.get(username="vasl.hub"), User.objects.get(username="val.staff")
return_obj = Return.objects.get(provider__code="VASL", period__financial_year=2010, period__quarter=3)
entries = {key: ResultEntry(rag="green", actual=Decimal(10 + n), narrative=f"Row {n}")
           for n, key in enumerate(results_as_entries(return_obj))}
return_save(return_obj=return_obj, user=hub, entries=entries)
return_obj = return_submit(return_obj=return_obj, user=hub)
first = return_obj.results.order_by("pk").first()
results_validate(return_obj=return_obj, user=val, verdicts={first.pk: ("challenged", "The log shows fewer")})
return_obj = return_send_back(return_obj=return_obj, user=val, comment="Check LOC-1")
key = next(iter(entries))
fixed = ResultEntry(rag="amber", actual=Decimal(7), narrative="Fixed")
return_save(return_obj=return_obj, user=hub, entries={key: fixed})
return_obj = return_submit(return_obj=return_obj, user=hub)
return_accept(return_obj=return_obj, user=val)
"""


def _manage(database_url: str, *arguments: str) -> str:
    environment = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    environment.pop("DATABASE_REPLICA_URL", None)
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *arguments],
        env=environment,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, f"manage.py {' '.join(arguments)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture
def fresh_databases(tmp_path):
    """Two fresh, empty databases on the suite's engine: (source URL, target URL)."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'source.sqlite3'}", f"sqlite:///{tmp_path / 'target.sqlite3'}"
        return
    import psycopg2

    config = dj_database_url.parse(os.environ["DATABASE_URL"])
    names = [f"backup_{kind}_{uuid.uuid4().hex[:8]}" for kind in ("source", "target")]
    server = {"host": config["HOST"], "port": config["PORT"], "user": config["USER"], "password": config["PASSWORD"]}

    def admin(statement: str) -> None:
        link = psycopg2.connect(dbname="postgres", **server)
        link.autocommit = True  # CREATE and DROP DATABASE run outside a transaction
        try:
            with link.cursor() as cursor:
                cursor.execute(statement)
        finally:
            link.close()

    for name in names:
        admin(f'CREATE DATABASE "{name}"')
    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    try:
        yield tuple(f"{base}/{name}" for name in names)
    finally:
        for name in names:
            admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _everything(database_url: str, out: Path) -> list:
    _manage(database_url, "dumpdata", "--indent", "0", "--output", str(out))
    return sorted(json.loads(out.read_text()), key=lambda row: (row["model"], str(row["pk"])))


def test_a_restored_backup_holds_every_return_result_history_entry_and_summary_as_it_was(fresh_databases, tmp_path):
    source, target = fresh_databases
    _manage(source, "migrate", "--noinput", "-v", "0")
    _manage(source, "load_leicestershire")
    _manage(source, "create_demo_users")
    _manage(source, "shell", "-c", QUARTER)
    before = _everything(source, tmp_path / "before.json")
    models = {row["model"] for row in before}
    assert {"performance.return", "performance.result", "performance.returnsummary"} <= models
    assert {"performance.historicalreturn", "performance.historicalresult"} <= models

    file = tmp_path / "portal.backup"
    assert "Backed up" in _manage(source, "backup", "--output", str(file))
    _manage(target, "restore", str(file))

    after = _everything(target, tmp_path / "after.json")
    assert len(after) == len(before)
    assert after == before
    # check_return_summaries exits 1 on any return whose stored counts differ from its results (_manage fails).
    assert "Every return's stored RAG counts equal its results." in _manage(target, "check_return_summaries")
    # The restored database is a working portal: the triggers came back too (a changed rating is counted).
    _manage(target, "shell", "-c", "from performance.models import Result; Result.objects.update(rag='red')")
    assert "Every return's stored RAG counts equal its results." in _manage(target, "check_return_summaries")


@pytest.mark.django_db
def test_a_backup_never_overwrites_a_file_nor_restores_over_data(tmp_path):
    existing = tmp_path / "there.backup"
    existing.write_text("an earlier backup")
    with pytest.raises(BackupError, match="exists already"):
        backup(existing)
    with pytest.raises(BackupError, match="not empty"):
        restore(existing)
