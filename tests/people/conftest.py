"""The people tests' mail server: the suite's real SMTP server (tests/mail.py), its inbox as the fixture."""

import pytest

from tests.mail import running_server


@pytest.fixture
def smtp_inbox(settings):
    for server in running_server(settings):
        yield server.inbox


from tests.security.conftest import unchanged  # noqa: E402, F401  (the tampering tests' "nothing changed")
