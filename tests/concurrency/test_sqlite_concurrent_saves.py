"""On SQLite (the default database) two people saving one return at the same moment get what PostgreSQL
gives them: one save, and one 409 saying someone else changed it, never a 500 "database is locked".

The suite's own SQLite database lives in memory, shared between threads in a way that fails at once rather
than waiting; this test runs in a process of its own against a SQLite file, as the portal runs, with two
threads making real requests (tests/concurrency/two_saves.py)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROUNDS = 6


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="about SQLite; PostgreSQL's own locking is tested with it as the suite's database",
)
def test_two_simultaneous_saves_of_one_return_give_one_save_and_one_409(tmp_path):
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "tests.settings",
    }
    finished = subprocess.run(
        [sys.executable, "-m", "tests.concurrency.two_saves", str(ROUNDS)],
        cwd=Path(settings.BASE_DIR),
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    rounds = json.loads(finished.stdout.strip().splitlines()[-1])
    assert rounds == [[302, 409]] * ROUNDS, finished.stderr[-3000:]
