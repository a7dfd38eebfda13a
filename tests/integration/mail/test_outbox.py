"""Queueing in the caller's transaction, and the delivery worker against a recording SMTP."""

import email
import email.policy
import os
import signal
import smtplib
import threading
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import func, select, text

from congress.core import clock
from congress.extensions import db
from congress.mail.delivery import DeliveryReport, deliver_due
from congress.mail.models import OutboxMessage, OutboxStatus
from congress.mail.outbox import (
    ICS_CONTENT_TYPE,
    Attachment,
    drop_queued,
    forget_registrations,
    queue,
    render_and_queue,
)
from tests.conftest import IS_POSTGRES

pytestmark = pytest.mark.integration

T0 = datetime(2014, 3, 20, 9, 30, tzinfo=UTC)
PASSWORD = "smtp-password-123"


class Clock:
    """A frozen clock the test moves by hand."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, delta: timedelta) -> None:
        self.moment += delta


@pytest.fixture
def frozen():
    fake = Clock(T0)
    clock.set_clock(fake)
    try:
        yield fake
    finally:
        clock.set_clock(None)


class SmtpRecorder:
    """Stands in for ``smtplib.SMTP``: records sessions and messages, fails on demand."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.connections: list[tuple[str, int, float]] = []
        self.calls: list[str] = []
        self.sent: list[EmailMessage] = []
        self.recipients: list[list[str]] = []
        self.fail_sends: list[Exception] = []
        self.fail_connect: Exception | None = None
        self.fail_login: Exception | None = None
        self.delay = 0.0

    def factory(self):
        recorder = self

        class FakeSMTP:
            def __init__(self, host, port, timeout):
                with recorder.lock:
                    recorder.connections.append((host, port, timeout))
                if recorder.fail_connect is not None:
                    raise recorder.fail_connect

            def ehlo(self):
                recorder.calls.append("ehlo")

            def starttls(self, context=None):
                recorder.calls.append("starttls")

            def login(self, username, password):
                recorder.calls.append(f"login {username} {password}")
                if recorder.fail_login is not None:
                    raise recorder.fail_login

            def send_message(self, message, from_addr=None, to_addrs=None):
                if recorder.delay:
                    threading.Event().wait(recorder.delay)
                with recorder.lock:
                    if recorder.fail_sends:
                        raise recorder.fail_sends.pop(0)
                    recorder.sent.append(message)
                    recorder.recipients.append(list(to_addrs))

            def quit(self):
                recorder.calls.append("quit")

            def close(self):
                recorder.calls.append("close")

        return FakeSMTP

    def message_ids(self) -> list[str]:
        return [message["Message-ID"] for message in self.sent]


@pytest.fixture
def smtp(app, monkeypatch):
    app.config.update(
        MAIL_SERVER="smtp.apssis.test",
        MAIL_PORT=2525,
        MAIL_USERNAME="mailer",
        MAIL_PASSWORD=PASSWORD,
        MAIL_USE_TLS=True,
        MAIL_SENDER="Congrès APSSIS <no-reply@apssis.example>",
    )
    recorder = SmtpRecorder()
    monkeypatch.setattr(smtplib, "SMTP", recorder.factory())
    return recorder


def queue_test_message(number: int = 1, **overrides) -> OutboxMessage:
    values = {
        "kind": "confirm",
        "language": "fr",
        "registration_id": number,
    }
    values.update(overrides)
    return queue(
        f"attendee{number}@example.test",
        f"Inscription n° {number}",
        f"Confirmez\u202f: http://congress.test/register/confirm/tok{number}.\n",
        f"<p>Confirmez\u202f: <a href='http://congress.test/register/confirm/tok{number}'>ici</a></p>",
        **values,
    )


def count(status: OutboxStatus | None = None) -> int:
    query = select(func.count()).select_from(OutboxMessage)
    if status is not None:
        query = query.where(OutboxMessage.status == status)
    return db.session.scalar(query)


def fresh(message_id: int) -> OutboxMessage:
    db.session.expire_all()
    return db.session.get(OutboxMessage, message_id)


# -- queueing -----------------------------------------------------------------


def test_queue_does_not_commit_so_a_rollback_discards_the_message(app):
    queue_test_message()
    db.session.flush()
    with db.engine.connect() as other:  # another transaction sees nothing yet
        assert other.execute(text("SELECT count(*) FROM outbox_message")).scalar() == 0
    db.session.rollback()
    assert count() == 0


def test_queue_is_written_by_the_callers_commit(app, frozen):
    agenda = Attachment("agenda.ics", ICS_CONTENT_TYPE, "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    message = queue_test_message(7, kind="manage_link", attachments=[agenda])
    db.session.commit()
    stored = fresh(message.id)
    assert stored.status is OutboxStatus.PENDING
    assert stored.kind == "manage_link"
    assert stored.registration_id == 7
    assert stored.attempts == 0
    assert stored.next_attempt_at == T0
    assert stored.created_at == T0
    assert len(stored.uid) == 36
    assert stored.attachments == [
        {
            "filename": "agenda.ics",
            "content_type": "text/calendar; method=REQUEST; charset=utf-8",
            "content": "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
        }
    ]


def test_queue_refuses_an_unknown_language(app):
    with pytest.raises(ValueError, match="unsupported mail language 'de'"):
        queue_test_message(language="de")


# -- withdrawing and forgetting ------------------------------------------------


def _kinds_left() -> list[tuple[int, str, OutboxStatus]]:
    rows = db.session.execute(
        select(OutboxMessage.registration_id, OutboxMessage.kind, OutboxMessage.status).order_by(
            OutboxMessage.id
        )
    )
    return [tuple(row) for row in rows]


def test_drop_queued_withdraws_only_the_pending_messages_of_that_kind_and_registration(app):
    queue_test_message(1, kind="confirm")
    claimed = queue_test_message(1, kind="confirm")
    queue_test_message(1, kind="manage_link")
    queue_test_message(2, kind="confirm")
    db.session.flush()
    claimed.status = OutboxStatus.SENDING
    db.session.commit()
    assert drop_queued(1, "confirm") == 1
    db.session.commit()
    assert _kinds_left() == [
        (1, "confirm", OutboxStatus.SENDING),
        (1, "manage_link", OutboxStatus.PENDING),
        (2, "confirm", OutboxStatus.PENDING),
    ]


def test_forget_registrations_deletes_their_sent_and_queued_messages_only(app):
    sent = queue_test_message(1, kind="confirm")
    queue_test_message(1, kind="confirmed")
    queue_test_message(2, kind="confirm")
    queue_test_message(3, kind="waiting")
    db.session.flush()
    sent.status = OutboxStatus.SENT
    db.session.commit()
    assert forget_registrations([1, 3]) == 3
    db.session.commit()
    assert _kinds_left() == [(2, "confirm", OutboxStatus.PENDING)]


def test_render_and_queue_writes_in_the_attendees_language(app):
    french = render_and_queue(
        "test_message",
        "alice@example.test",
        kind="confirm",
        language="fr",
        name="<Alice>",
        link="http://congress.test/r/abc",
    )
    english = render_and_queue(
        "test_message",
        "bob@example.test",
        kind="confirm",
        language="en",
        name="Bob",
        link="http://congress.test/r/def",
    )
    assert french.subject == "Message de test"
    assert french.body_text == (
        "Bonjour <Alice>,\n\n"
        "Ceci est un message de test du site du congrès.\n\n"
        "http://congress.test/r/abc\n\n"
        "--\n"
        "Ce message a été envoyé automatiquement\u202f; merci de ne pas y répondre."
    )
    assert '<html lang="fr">' in french.body_html
    assert "<p>Bonjour &lt;Alice&gt;,</p>" in french.body_html
    assert '<a href="http://congress.test/r/abc">' in french.body_html
    assert english.subject == "Test message"
    assert english.body_text.startswith(
        "Hello Bob,\n\nThis is a test message from the congress website.\n"
    )
    assert '<html lang="en">' in english.body_html
    assert "This message was sent automatically; please do not reply to it." in english.body_html
    db.session.rollback()
    assert count() == 0


# -- development fallback -------------------------------------------------------


def test_without_smtp_server_mail_goes_to_eml_files_and_links_are_printed(app, frozen, capsys):
    app.config["MAIL_SERVER"] = ""
    first = queue_test_message(1)
    second = queue_test_message(2, language="en")
    db.session.commit()
    uids = [first.uid, second.uid]

    report = deliver_due(None)

    assert report == DeliveryReport(claimed=2, sent=2, failed=0, gave_up=0, pending=0)
    folder = Path(app.config["INSTANCE_PATH"]) / "outbox"
    assert sorted(path.name for path in folder.iterdir()) == sorted(
        f"20140320T093000Z-{uid}.eml" for uid in uids
    )
    parsed = email.message_from_bytes(
        (folder / f"20140320T093000Z-{uids[0]}.eml").read_bytes(), policy=email.policy.default
    )
    assert parsed["To"] == "attendee1@example.test"
    assert parsed["Message-ID"] == f"<{uids[0]}@apssis.example>"
    assert capsys.readouterr().out.splitlines() == [
        "mail to attendee1@example.test | Inscription n° 1 | "
        "http://congress.test/register/confirm/tok1",
        "mail to attendee2@example.test | Inscription n° 2 | "
        "http://congress.test/register/confirm/tok2",
    ]
    assert count(OutboxStatus.SENT) == 2


# -- SMTP delivery ---------------------------------------------------------------


def test_delivery_marks_sent_and_a_second_pass_sends_nothing(app, frozen, smtp):
    messages = [queue_test_message(number) for number in (1, 2)]
    db.session.commit()

    first = deliver_due(None)
    second = deliver_due(None)

    assert first == DeliveryReport(claimed=2, sent=2, failed=0, gave_up=0, pending=0)
    assert second == DeliveryReport(claimed=0, sent=0, failed=0, gave_up=0, pending=0)
    assert smtp.connections == [("smtp.apssis.test", 2525, 10)]
    assert smtp.calls == ["ehlo", "starttls", "ehlo", f"login mailer {PASSWORD}", "quit"]
    assert smtp.message_ids() == [f"<{message.uid}@apssis.example>" for message in messages]
    assert smtp.recipients == [["attendee1@example.test"], ["attendee2@example.test"]]
    for message in messages:
        stored = fresh(message.id)
        assert stored.status is OutboxStatus.SENT
        assert stored.sent_at == T0
        assert stored.locked_until is None
        assert stored.attempts == 0


def test_a_failed_send_is_retried_after_the_back_off_not_lost(app, frozen, smtp):
    message = queue_test_message()
    db.session.commit()
    smtp.fail_sends.append(smtplib.SMTPDataError(451, b"try again later"))

    failed = deliver_due(None)
    stored = fresh(message.id)
    assert failed == DeliveryReport(claimed=1, sent=0, failed=1, gave_up=0, pending=1)
    assert stored.status is OutboxStatus.PENDING
    assert stored.attempts == 1
    assert stored.next_attempt_at == T0 + timedelta(minutes=1)
    assert stored.last_error == "SMTPDataError: (451, b'try again later')"

    frozen.advance(timedelta(seconds=59))
    assert deliver_due(None).claimed == 0  # still backing off
    frozen.advance(timedelta(seconds=1))
    retried = deliver_due(None)

    assert retried == DeliveryReport(claimed=1, sent=1, failed=0, gave_up=0, pending=0)
    stored = fresh(message.id)
    assert stored.status is OutboxStatus.SENT
    assert stored.attempts == 1
    assert stored.sent_at == T0 + timedelta(minutes=1)
    assert stored.last_error is None
    assert smtp.message_ids() == [f"<{message.uid}@apssis.example>"]


def test_an_unreachable_server_costs_one_connection_for_the_whole_batch(app, frozen, smtp):
    messages = [queue_test_message(number) for number in (1, 2, 3)]
    db.session.commit()
    ids = [message.id for message in messages]
    smtp.fail_connect = ConnectionRefusedError(111, "Connection refused")

    report = deliver_due(None)

    assert report == DeliveryReport(claimed=3, sent=0, failed=3, gave_up=0, pending=3)
    assert len(smtp.connections) == 1
    for message_id in ids:
        stored = fresh(message_id)
        assert stored.status is OutboxStatus.PENDING
        assert stored.attempts == 1
        assert stored.last_error == "ConnectionRefusedError: [Errno 111] Connection refused"


def test_a_refused_login_never_stores_the_password(app, frozen, smtp):
    message = queue_test_message()
    db.session.commit()
    smtp.fail_login = smtplib.SMTPAuthenticationError(535, f"bad {PASSWORD}".encode())

    deliver_due(None)

    stored = fresh(message.id)
    assert stored.status is OutboxStatus.PENDING
    assert stored.last_error == "SMTPAuthenticationError: (535, b'bad ***')"


def test_a_recipient_refused_for_good_fails_at_once_and_the_batch_goes_on(app, frozen, smtp):
    refused = queue_test_message(1)
    accepted = queue_test_message(2)
    db.session.commit()
    smtp.fail_sends.append(
        smtplib.SMTPRecipientsRefused({"attendee1@example.test": (550, b"no such user")})
    )

    report = deliver_due(None)

    assert report == DeliveryReport(claimed=2, sent=1, failed=1, gave_up=1, pending=0)
    assert fresh(refused.id).status is OutboxStatus.FAILED
    assert fresh(refused.id).attempts == 1
    assert fresh(accepted.id).status is OutboxStatus.SENT


def test_the_twelfth_failed_attempt_gives_up(app, frozen, smtp):
    message = queue_test_message()
    message.attempts = 11
    db.session.commit()
    smtp.fail_sends.append(smtplib.SMTPDataError(451, b"try again later"))

    report = deliver_due(None)

    assert report == DeliveryReport(claimed=1, sent=0, failed=1, gave_up=1, pending=0)
    stored = fresh(message.id)
    assert stored.status is OutboxStatus.FAILED
    assert stored.attempts == 12


def test_a_message_left_sending_by_a_dead_worker_is_taken_after_its_lease(app, frozen, smtp):
    message = queue_test_message()
    message.status = OutboxStatus.SENDING
    message.locked_until = T0 + timedelta(minutes=5)
    db.session.commit()

    assert deliver_due(None).claimed == 0  # its worker may still be sending it
    frozen.advance(timedelta(minutes=5))
    report = deliver_due(None)

    assert report == DeliveryReport(claimed=1, sent=1, failed=0, gave_up=0, pending=0)
    stored = fresh(message.id)
    assert stored.status is OutboxStatus.SENT
    assert stored.attempts == 1  # the interrupted attempt counts
    assert smtp.message_ids() == [f"<{message.uid}@apssis.example>"]


def test_a_stop_request_hands_the_rest_of_the_batch_back(app, frozen, smtp):
    messages = [queue_test_message(number) for number in (1, 2, 3)]
    db.session.commit()
    ids = [message.id for message in messages]
    asked = iter([False, True])

    report = deliver_due(None, stop=lambda: next(asked, True))

    assert report == DeliveryReport(claimed=3, sent=1, failed=0, gave_up=0, pending=2)
    assert [fresh(message_id).status for message_id in ids] == [
        OutboxStatus.SENT,
        OutboxStatus.PENDING,
        OutboxStatus.PENDING,
    ]
    assert fresh(ids[1]).locked_until is None
    assert fresh(ids[1]).attempts == 0
    assert deliver_due(None).sent == 2


# -- concurrent workers -------------------------------------------------------------


def test_two_workers_send_each_of_40_messages_exactly_once(app, smtp, request):
    uids = [queue_test_message(number).uid for number in range(40)]
    db.session.commit()
    smtp.delay = 0.002

    def drain(results: list[int]) -> None:
        while True:
            report = deliver_due(app, batch=5)
            if report.claimed == 0:
                return
            results.append(report.sent)

    if IS_POSTGRES:
        # A slow claim (between its SELECT and its commit) is where two workers
        # would pick the same rows if the claim did not lock them.
        def slow_claim(_conn, _cursor, statement, *_args) -> None:
            if statement.lstrip().startswith("SELECT") and "LIMIT" in statement:
                threading.Event().wait(0.05)

        sa_event.listen(db.engine, "after_cursor_execute", slow_claim)
        request.addfinalizer(lambda: sa_event.remove(db.engine, "after_cursor_execute", slow_claim))
        start = threading.Barrier(2)
        passes: list[list[int]] = [[], []]

        def worker(results: list[int]) -> None:
            start.wait()
            drain(results)

        threads = [threading.Thread(target=worker, args=(results,)) for results in passes]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not any(thread.is_alive() for thread in threads)
    else:  # SQLite has one writer at a time: the two workers take turns
        passes = [[], []]
        passes[0].append(deliver_due(app, batch=25).sent)
        drain(passes[1])

    assert sum(sum(results) for results in passes) == 40
    assert sorted(smtp.message_ids()) == sorted(f"<{uid}@apssis.example>" for uid in uids)
    assert count(OutboxStatus.SENT) == 40


@pytest.mark.skipif(not IS_POSTGRES, reason="row locks: PostgreSQL only")
def test_claiming_skips_rows_locked_by_another_worker_instead_of_waiting(app, smtp):
    messages = [queue_test_message(number) for number in range(5)]
    db.session.commit()
    ids = [message.id for message in messages]
    locked = ids[:3]
    reports: list[DeliveryReport] = []
    with db.engine.connect() as other:  # another worker, in the middle of its claim
        other.execute(
            select(OutboxMessage.id).where(OutboxMessage.id.in_(locked)).with_for_update()
        ).all()
        thread = threading.Thread(target=lambda: reports.append(deliver_due(app)))
        thread.start()
        thread.join(timeout=10)
        finished = not thread.is_alive()
        other.rollback()
    thread.join(timeout=10)

    assert finished, "deliver_due waited for rows another worker had locked"
    assert reports[0].sent == 2
    assert sorted(fresh(message_id).status for message_id in ids) == sorted(
        [OutboxStatus.PENDING] * 3 + [OutboxStatus.SENT] * 2
    )
    assert deliver_due(None).sent == 3


# -- command line ------------------------------------------------------------------


def test_send_mail_command_runs_one_pass_and_prints_a_summary(app, cli, smtp):
    queue_test_message(1)
    queue_test_message(2)
    db.session.commit()
    smtp.fail_sends.append(smtplib.SMTPDataError(451, b"try again later"))

    result = cli.invoke(args=["congress", "send-mail"])

    assert result.exit_code == 0, result.output
    assert result.output == "sent 1, failed 1, pending 1\n"


def test_send_mail_loop_stops_cleanly_on_sigterm(app, cli, smtp):
    queue_test_message(1)
    db.session.commit()
    before = signal.getsignal(signal.SIGTERM)
    stop = threading.Event()

    def terminate_once_sent() -> None:
        # Once the message has reached the SMTP server, not after a fixed delay: on a busy
        # machine the first batch may take longer than any delay chosen here.
        deadline = time.monotonic() + 30
        while not smtp.sent and time.monotonic() < deadline and not stop.is_set():
            time.sleep(0.02)
        if not stop.is_set():
            os.kill(os.getpid(), signal.SIGTERM)

    killer = threading.Thread(target=terminate_once_sent, daemon=True)
    killer.start()
    try:
        result = cli.invoke(args=["congress", "send-mail", "--loop", "--interval", "0.05"])
    finally:
        stop.set()
        killer.join(timeout=5)

    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "send-mail: polling every 0.05 s; SIGTERM or Ctrl-C stops",
        "sent 1, failed 0, pending 0",
        "send-mail: stopped",
    ]
    assert signal.getsignal(signal.SIGTERM) == before
