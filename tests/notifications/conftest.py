"""A real SMTP server for the notification tests (aiosmtpd, on a free port of 127.0.0.1), Django's SMTP
backend pointed at it, and the task queue's own worker (django-tasks-db's ``db_worker``) to send what the
services queued. Nothing of ours is mocked: the emails go over a socket and are read back as the server got
them."""

import email
import email.policy
import socket
from contextlib import contextmanager

import pytest
from aiosmtpd.controller import Controller
from django.db import transaction
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from performance.models import Return
from performance.rag import ResultEntry
from performance.services import results_as_entries, return_save


class Inbox:
    """What the SMTP server received: one parsed email per recipient address."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        for address in envelope.rcpt_tos:
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            message["X-Envelope-To"] = address
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def sent(self) -> set[tuple[str, str]]:
        """(address, subject) of every email received."""
        return {(m["X-Envelope-To"], str(m["Subject"])) for m in self.messages}

    def addresses(self) -> list[str]:
        return sorted(m["X-Envelope-To"] for m in self.messages)

    def clear(self):
        self.messages.clear()


class SMTPServer:
    def __init__(self, port: int):
        self.port = port
        self.inbox = Inbox()
        self.controller = None

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """A running SMTP server that Django's SMTP backend sends to; ``smtp.stop()`` takes it down (the port
    then refuses connections) and ``smtp.start()`` brings it back on the same port."""
    server = SMTPServer(_free_port())
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "portal@example.org"
    settings.PORTAL_BASE_URL = "https://portal.example.org"
    yield server
    server.stop()


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
