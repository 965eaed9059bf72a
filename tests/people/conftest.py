"""A real SMTP server for the emails (invitations, password resets): aiosmtpd on a free port of 127.0.0.1, with
Django's own SMTP backend sending to it, so a test reads what a mail server really received."""

import email
import email.policy
import re
import socket

import pytest


class Inbox:
    """What the SMTP server received, as parsed messages."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's handler name)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [m for m in self.messages if address in m["X-Envelope-To"]]

    @staticmethod
    def body(message) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()

    def link_to(self, address: str, path_start: str) -> str:
        """The path of the one link in the last email to ``address`` that starts with ``path_start``."""
        (message,) = self.to(address)[-1:]
        match = re.search(r"https?://testserver(" + re.escape(path_start) + r"\S+)", self.body(message))
        assert match, f"no {path_start} link in: {self.body(message)}"
        return match.group(1)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_inbox(settings):
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    try:
        yield inbox
    finally:
        controller.stop()


from tests.security.conftest import unchanged  # noqa: E402, F401  (the tampering tests' "nothing changed")
