"""A real SMTP server (aiosmtpd on loopback) goes down and comes back.

The mail queued meanwhile waits, then goes exactly once.
"""

import email
import email.policy
import socket
from datetime import UTC, datetime, timedelta

import pytest
from aiosmtpd.controller import Controller

from congress.core import clock
from congress.extensions import db
from congress.mail.delivery import DeliveryReport, deliver_due
from congress.mail.models import OutboxMessage, OutboxStatus
from congress.mail.outbox import queue
from tests.smtp import Collector

pytestmark = pytest.mark.integration

T0 = datetime(2014, 3, 20, 9, 30, tzinfo=UTC)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(collector: Collector, port: int) -> Controller:
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    return controller


def test_mail_queued_during_an_outage_is_delivered_once_when_the_server_returns(app):
    collector = Collector()
    port = free_port()
    moment = [T0]
    clock.set_clock(lambda: moment[0])
    controller: Controller | None = start_server(collector, port)
    try:
        app.config.update(
            MAIL_SERVER="127.0.0.1",
            MAIL_PORT=port,
            MAIL_USERNAME="",
            MAIL_PASSWORD="",
            MAIL_USE_TLS=False,
            MAIL_SENDER="Congrès APSSIS <no-reply@apssis.example>",
        )
        message = queue(
            "alice@example.test",
            "Votre inscription est confirmée",
            "Bonjour Alice,\n\nVotre place est réservée.\n",
            "<p>Bonjour Alice,</p><p>Votre place est réservée.</p>",
            kind="confirm",
            language="fr",
            registration_id=1,
        )
        db.session.commit()
        message_id, uid = message.id, message.uid

        controller.stop()
        controller = None
        down = deliver_due(None)
        db.session.expire_all()
        stored = db.session.get(OutboxMessage, message_id)
        assert down == DeliveryReport(claimed=1, sent=0, failed=1, gave_up=0, pending=1)
        assert stored.status is OutboxStatus.PENDING
        assert stored.attempts == 1
        assert stored.last_error.startswith("ConnectionRefusedError: ")
        assert stored.next_attempt_at == T0 + timedelta(minutes=1)

        controller = start_server(collector, port)
        assert deliver_due(None).claimed == 0  # back-off still running
        moment[0] = T0 + timedelta(minutes=1, seconds=1)
        back = deliver_due(None)
        again = deliver_due(None)

        assert back == DeliveryReport(claimed=1, sent=1, failed=0, gave_up=0, pending=0)
        assert again == DeliveryReport(claimed=0, sent=0, failed=0, gave_up=0, pending=0)
        assert len(collector.envelopes) == 1
        envelope = collector.envelopes[0]
        assert envelope.mail_from == "no-reply@apssis.example"
        assert envelope.rcpt_tos == ["alice@example.test"]
        received = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert received["Message-ID"] == f"<{uid}@apssis.example>"
        assert received["Subject"] == "Votre inscription est confirmée"
        assert received.get_body(("plain",)).get_content() == (
            "Bonjour Alice,\r\n\r\nVotre place est réservée.\r\n"
        )
        db.session.expire_all()
        stored = db.session.get(OutboxMessage, message_id)
        assert stored.status is OutboxStatus.SENT
        assert stored.sent_at == T0 + timedelta(minutes=1, seconds=1)
    finally:
        if controller is not None:
            controller.stop()
        clock.set_clock(None)
