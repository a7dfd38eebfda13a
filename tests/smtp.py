"""A real SMTP server on loopback for the tests that need one (aiosmtpd)."""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage
from typing import Any


class Collector:
    """aiosmtpd handler keeping every envelope it accepts."""

    def __init__(self) -> None:
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self) -> list[EmailMessage]:
        """Every message received so far, parsed."""
        parsed = []
        for envelope in list(self.envelopes):
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            assert isinstance(message, EmailMessage)
            parsed.append(message)
        return parsed
