"""A real SMTP server for tests (aiosmtpd, on a free port of 127.0.0.1) and the ``smtp`` fixture that points
Django's SMTP backend at it. Nothing of ours is mocked: the emails go over a socket and are read back as the
server got them."""

import email
import email.policy
import re
import socket

import pytest
from aiosmtpd.controller import Controller


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

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if m["X-Envelope-To"] == address]

    @staticmethod
    def body(message) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()

    def link_to(self, address: str, path_start: str) -> str:
        """The path of the link starting with ``path_start`` in the last email to ``address``."""
        (message,) = self.to(address)[-1:]
        match = re.search(r"https?://[^/\s]+(" + re.escape(path_start) + r"\S+)", self.body(message))
        assert match, f"no {path_start} link in: {self.body(message)}"
        return match.group(1)


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


def running_server(settings):
    """Start a server and point Django's SMTP backend at it; yields the server, stops it afterwards."""
    server = SMTPServer(_free_port())
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def smtp(settings):
    """A running SMTP server that Django's SMTP backend sends to; ``smtp.stop()`` takes it down (the port
    then refuses connections) and ``smtp.start()`` brings it back on the same port."""
    settings.DEFAULT_FROM_EMAIL = "portal@example.org"
    settings.PORTAL_BASE_URL = "https://portal.example.org"
    yield from running_server(settings)
