"""For the notification tests: the task queue's own worker (django-tasks-db's) to send what the services
queued, to the real SMTP server of the ``smtp`` fixture (tests/mail.py), and what a commit would run."""

from contextlib import contextmanager

import pytest
from django.db import transaction
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from performance.models import Return
from performance.rag import ResultEntry
from performance.services import results_as_entries, return_save


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed(): ...`` runs what the code asked to run after its transaction commits (the tests run
    inside a transaction that never commits), as a real commit would."""

    @contextmanager
    def run():
        with django_capture_on_commit_callbacks(execute=True):
            yield

    return run


@pytest.fixture
def worker(committed):
    """``worker()`` runs the task queue's worker (django-tasks-db's) until no task is ready, as
    ``db_worker --batch`` does: it claims each ready task and runs it with the worker's own ``run_task``.
    The command's loop itself is not used because it closes the database connection between tasks
    (``close_old_connections``), which on PostgreSQL would end the test's transaction."""

    def run():
        runner = Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="tests",
            excluded_queue_names=[],
        )
        with committed():
            while True:
                with transaction.atomic():
                    task = DBTaskResult.objects.ready().filter(backend_name="default").get_locked()
                    if task is None:
                        return
                    task.claim(runner.worker_id)
                runner.run_task(task)

    return run


def complete(return_obj: Return, user) -> None:
    """Make every row of a return complete (not reported, not applicable) so that it may be submitted."""
    entries = {
        key: ResultEntry(rag="not_reported", not_reported_reason="not_applicable")
        for key in results_as_entries(return_obj)
    }
    return_save(return_obj=return_obj, user=user, entries=entries)
