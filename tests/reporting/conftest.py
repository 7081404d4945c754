"""A real SMTP server on loopback (aiosmtpd) that receives and parses the mails the application sends."""

from __future__ import annotations

import email
import email.policy
import socket

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RecordingHandler:
    """Keeps every accepted message, parsed; answers 451 (try again later) while ``refuse`` > 0 or for the
    recipients in ``refuse_to``."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.refuse = 0
        self.refuse_to: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse_to:
            return "451 4.3.0 Boite temporairement indisponible"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse > 0:
            self.refuse -= 1
            return "451 4.3.0 Service temporairement indisponible"
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        message.raw = envelope.original_content
        self.messages.append(message)
        return "250 OK"


@pytest.fixture
def smtp_server():
    """An aiosmtpd server on a free loopback port; ``smtp_server.port``, ``smtp_server.handler.messages``."""
    from aiosmtpd.controller import Controller

    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    controller.handler = handler
    yield controller
    controller.stop()


@pytest.fixture
def smtp_settings(settings, smtp_server):
    """The application sends through the local SMTP server, as EMAIL_URL=smtp://127.0.0.1:<port> sets it."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.EMAIL_RETRY_DELAY = 0
    return smtp_server.handler
