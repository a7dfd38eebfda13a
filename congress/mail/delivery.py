"""The delivery worker: claims due outbox messages and hands them to SMTP.

Exactly-once delivery over SMTP cannot be had: the server's "250 OK" and our
commit of ``sent`` are two separate events, and a crash between them leaves a
message that was accepted but still looks unsent. So this worker aims for *at
least once, almost always exactly once*:

* A message is **claimed** before it is sent: ``SELECT ... FOR UPDATE SKIP
  LOCKED`` picks due rows no other worker is claiming (PostgreSQL; SQLite has
  one writer at a time anyway and ignores the clause), they are marked
  ``sending`` with a **lease** (``locked_until``) and that is committed. Two
  workers therefore never send the same message while both are alive.
* Each outcome (``sent``, or back to ``pending`` with a back-off, or
  ``failed``) is committed right after that one message, so a crash loses at
  most the outcome of the message in flight: the duplication window is one
  message, never a batch.
* A worker that dies leaves its messages ``sending``; once the lease expires
  another pass takes them again. That interrupted attempt counts, so a message
  that kills its worker cannot loop forever.
* The **Message-ID** is built from the row's ``uid`` drawn at queueing time, so
  the rare duplicate carries the same Message-ID as the first copy, and
  receiving servers and mail clients that deduplicate on it show one message.

Failures are retried after 1, 2, 4 ... minutes (at most an hour between tries);
after ``MAX_ATTEMPTS`` the message is ``failed`` and stays in the table for an
organiser to see. A recipient the server refuses permanently (5xx) fails at
once: retrying would not change the answer.

With no ``MAIL_SERVER`` configured (development), messages are written to
``<INSTANCE_PATH>/outbox/*.eml`` and a line with the recipient, the subject and
the links of the text body is printed, so a developer can follow a
confirmation link without a mail server.

Credentials never reach the database or the log: errors are stored as their
type and message, with the SMTP password scrubbed, cut to 500 characters.
"""

from __future__ import annotations

import base64
import email.policy
import logging
import os
import re
import smtplib
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.headerregistry import ContentTypeHeader
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from pathlib import Path
from typing import Any, Protocol, cast

import click
from flask import Flask, current_app
from sqlalchemy import and_, func, or_, select, update

from congress.core.clock import now
from congress.extensions import db
from congress.mail.models import OutboxMessage, OutboxStatus

__all__ = [
    "LEASE",
    "MAX_ATTEMPTS",
    "DeliveryReport",
    "build_message",
    "deliver_due",
    "message_id_domain",
    "retry_delay",
]

logger = logging.getLogger(__name__)

# Longer than a batch can take (50 messages within the 10 s SMTP timeout each
# would be 8 min at worst); a lease that expires mid-batch ends the pass early.
LEASE = timedelta(minutes=15)
MAX_ATTEMPTS = 12
FIRST_RETRY = timedelta(minutes=1)
MAX_RETRY = timedelta(hours=1)
SMTP_TIMEOUT_SECONDS = 10
LAST_ERROR_LENGTH = 500

# 7bit: non-ASCII bodies go quoted-printable or base64, so a relay without
# 8BITMIME cannot mangle a French accent. SMTP: CRLF line ends, as on the wire.
MIME_POLICY = email.policy.SMTP.clone(cte_type="7bit")

_LINK = re.compile(r"https?://[^\s<>\"']+")
_ICS_METHOD = re.compile(r"^METHOD:([A-Za-z-]+)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class DeliveryReport:
    """What one pass did.

    ``failed`` counts failed attempts in this pass (most will be retried);
    ``gave_up`` is the part of them now ``failed`` for good. ``pending`` is what
    the outbox still holds after the pass (pending or sending, due or not).
    """

    claimed: int = 0
    sent: int = 0
    failed: int = 0
    gave_up: int = 0
    pending: int = 0

    def summary(self) -> str:
        return f"sent {self.sent}, failed {self.failed}, pending {self.pending}"


def retry_delay(attempts: int) -> timedelta:
    """Wait after the ``attempts``-th failed attempt: 1, 2, 4 ... minutes, capped at 1 h."""
    if attempts < 1:
        raise ValueError("attempts counts failed attempts and starts at 1")
    # The exponent is bounded before the power: the cap is reached long before.
    return min(FIRST_RETRY * 2 ** min(attempts - 1, 10), MAX_RETRY)


def message_id_domain(config: Mapping[str, Any]) -> str:
    """Right-hand side of Message-IDs: the sender's domain, else the site's UID domain."""
    address = parseaddr(str(config.get("MAIL_SENDER", "")))[1]
    domain = address.rpartition("@")[2] if "@" in address else ""
    return domain or str(config.get("UID_DOMAIN") or "localhost")


def build_message(
    message: OutboxMessage, *, sender: str, domain: str, date: datetime | None = None
) -> EmailMessage:
    """The MIME message for an outbox row: text and HTML alternatives, then attachments.

    Pure (no I/O), so the headers and structure are tested without a server.
    """
    mime = EmailMessage(policy=MIME_POLICY)
    mime["From"] = sender
    mime["To"] = message.to_address
    mime["Subject"] = message.subject
    mime["Date"] = format_datetime(date or now())
    mime["Message-ID"] = f"<{message.uid}@{domain}>"
    # RFC 3834: out-of-office responders must not answer an automatic message.
    mime["Auto-Submitted"] = "auto-generated"
    mime.set_content(message.body_text)
    mime.add_alternative(message.body_html, subtype="html")
    for attachment in message.attachments or ():
        _add_attachment(mime, attachment)
    # Last: setting the content moves or drops the Content-* headers already there.
    mime["Content-Language"] = message.language
    return mime


def _add_attachment(mime: EmailMessage, attachment: Mapping[str, str]) -> None:
    """Text types are stored as text; any other type's content is base64 text."""
    content_type = cast(
        ContentTypeHeader,
        email.policy.default.header_factory("content-type", attachment["content_type"]),
    )
    params = {key: value for key, value in content_type.params.items() if key != "charset"}
    content = attachment["content"]
    filename = attachment["filename"]
    if content_type.maintype == "text":
        if content_type.subtype == "calendar" and "method" not in params:
            # RFC 6047: the method parameter must repeat the calendar's METHOD.
            found = _ICS_METHOD.search(content)
            if found:
                params["method"] = found.group(1).upper()
        mime.add_attachment(content, subtype=content_type.subtype, filename=filename, params=params)
    else:
        mime.add_attachment(
            base64.b64decode(content),
            maintype=content_type.maintype,
            subtype=content_type.subtype,
            filename=filename,
            params=params,
        )


def links_in(text: str) -> list[str]:
    """The http(s) links of a text body, without the punctuation that ends a sentence."""
    return [link.rstrip(".,;:!?)]") for link in _LINK.findall(text)]


class TransportUnavailable(Exception):
    """No message can go now (server unreachable, TLS or login refused)."""


class Transport(Protocol):
    def send(self, mime: EmailMessage, message: OutboxMessage) -> None: ...

    def close(self) -> None: ...


class SmtpTransport:
    """One SMTP session per pass, opened on the first message, reopened after an error."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.host = str(config["MAIL_SERVER"])
        self.port = int(config.get("MAIL_PORT") or 25)
        self.username = str(config.get("MAIL_USERNAME") or "")
        self.password = str(config.get("MAIL_PASSWORD") or "")
        self.use_tls = bool(config.get("MAIL_USE_TLS"))
        self._client: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        try:
            client = smtplib.SMTP(self.host, self.port, timeout=SMTP_TIMEOUT_SECONDS)
        except OSError as error:  # smtplib.SMTPException is an OSError too
            raise TransportUnavailable(describe_error(error, self.password)) from error
        try:
            client.ehlo()
            if self.use_tls:
                client.starttls(context=ssl.create_default_context())
                client.ehlo()
            if self.username:
                client.login(self.username, self.password)
        except OSError as error:
            _quietly_close(client)
            raise TransportUnavailable(describe_error(error, self.password)) from error
        return client

    def send(self, mime: EmailMessage, message: OutboxMessage) -> None:
        if self._client is None:
            self._client = self._connect()
        try:
            self._client.send_message(mime, to_addrs=[message.to_address])
        except smtplib.SMTPRecipientsRefused:
            raise  # smtplib has reset the transaction; the session is still good
        except Exception:
            self.close()  # unknown session state: the next message reconnects
            raise

    def close(self) -> None:
        if self._client is not None:
            _quietly_close(self._client)
            self._client = None


def _quietly_close(client: smtplib.SMTP) -> None:
    try:
        client.quit()
    except Exception:  # closing a broken session must not hide the real error
        client.close()


class FileTransport:
    """Development: each message becomes ``<folder>/<created>-<uid>.eml``, announced on stdout.

    The name depends only on the row, so sending a message twice rewrites the
    same file; it is written under a temporary name and renamed into place, so
    a reader never sees half a message.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, mime: EmailMessage, message: OutboxMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"{message.created_at:%Y%m%dT%H%M%S}Z-{message.uid}.eml"
        partial = self.folder / f".{name}.partial"
        partial.write_bytes(mime.as_bytes())
        os.replace(partial, self.folder / name)
        line = f"mail to {message.to_address} | {message.subject}"
        links = links_in(message.body_text)
        if links:
            line += " | " + " ".join(links)
        click.echo(line)

    def close(self) -> None:
        pass


def transport_for(config: Mapping[str, Any]) -> Transport:
    if config.get("MAIL_SERVER"):
        return SmtpTransport(config)
    return FileTransport(Path(str(config["INSTANCE_PATH"])) / "outbox")


def describe_error(error: BaseException, password: str = "") -> str:
    """A storable account of an error: type and message, password scrubbed, cut to fit."""
    text = f"{type(error).__name__}: {error}"
    if password:
        text = text.replace(password, "***")
    return text[:LAST_ERROR_LENGTH]


def _is_permanent(error: BaseException) -> bool:
    """Every recipient refused with a 5xx code: the answer will not change."""
    if isinstance(error, smtplib.SMTPRecipientsRefused) and error.recipients:
        return all(code >= 500 for code, _ in error.recipients.values())
    return False


def deliver_due(
    app: Flask | None = None,
    *,
    batch: int = 50,
    stop: Callable[[], bool] | None = None,
) -> DeliveryReport:
    """Send up to ``batch`` due messages; one pass, committing after each message.

    ``app``: push a fresh application context (and so a fresh database session)
    for the pass, as a thread or a separate worker must; ``None`` runs in the
    current context, whose session must hold nothing uncommitted, since the pass
    commits. ``stop`` is polled between messages (a SIGTERM in ``--loop``): the
    messages not yet sent are handed back at once instead of waiting for their
    lease to expire.
    """
    if app is None:
        return _deliver_due(batch, stop)
    with app.app_context():
        return _deliver_due(batch, stop)


def _deliver_due(batch: int, stop: Callable[[], bool] | None) -> DeliveryReport:
    config = current_app.config
    sender = str(config["MAIL_SENDER"])
    domain = message_id_domain(config)
    password = str(config.get("MAIL_PASSWORD") or "")
    claimed, lease_until, gave_up = _claim(batch)
    sent = failed = 0
    transport = transport_for(config)
    try:
        for index, message_id in enumerate(claimed):
            if (stop is not None and stop()) or now() >= lease_until:
                _release(claimed[index:], lease_until)
                break
            message = db.session.get(OutboxMessage, message_id)
            if message is None:  # deleted by a purge meanwhile
                continue
            try:
                mime = build_message(message, sender=sender, domain=domain)
            except Exception as error:  # bad data: retrying cannot help
                gave_up += _record_failure(message, error, password, permanent=True)
                failed += 1
                db.session.commit()
                continue
            try:
                transport.send(mime, message)
            except TransportUnavailable as error:
                # Nothing can go now: the rest of the batch waits as this one does,
                # instead of each message waiting for its own connection timeout.
                for rest_id in claimed[index:]:
                    rest = db.session.get(OutboxMessage, rest_id)
                    if rest is not None:
                        gave_up += _record_failure(rest, error, password)
                        failed += 1
                db.session.commit()
                break
            except Exception as error:  # any failure is recorded and retried
                gave_up += _record_failure(message, error, password, _is_permanent(error))
                failed += 1
            else:
                message.status = OutboxStatus.SENT
                message.sent_at = now()
                message.locked_until = None
                message.last_error = None
                sent += 1
            db.session.commit()
    finally:
        transport.close()
    pending = db.session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]))
    )
    db.session.commit()
    return DeliveryReport(
        claimed=len(claimed), sent=sent, failed=failed, gave_up=gave_up, pending=pending or 0
    )


def _claim(batch: int) -> tuple[list[int], datetime, int]:
    """Take due messages for this worker: mark them ``sending`` under a lease, and commit.

    Returns their ids, the lease and how many stale messages were given up.
    """
    current = now()
    lease_until = current + LEASE
    due = (
        select(OutboxMessage)
        .where(
            or_(
                and_(
                    OutboxMessage.status == OutboxStatus.PENDING,
                    OutboxMessage.next_attempt_at <= current,
                ),
                and_(
                    OutboxMessage.status == OutboxStatus.SENDING,
                    OutboxMessage.locked_until <= current,
                ),
            )
        )
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(batch)
        .with_for_update(skip_locked=True)
        # The rows just locked are the truth, not what this session saw before.
        .execution_options(populate_existing=True)
    )
    claimed: list[int] = []
    gave_up = 0
    for message in db.session.scalars(due):
        if message.status is OutboxStatus.SENDING:
            # Its worker stopped while sending: that attempt counts.
            message.attempts += 1
            if message.attempts >= MAX_ATTEMPTS:
                message.status = OutboxStatus.FAILED
                message.locked_until = None
                message.last_error = "delivery interrupted too many times"
                logger.error("mail %s given up: delivery interrupted", message.uid)
                gave_up += 1
                continue
        message.status = OutboxStatus.SENDING
        message.locked_until = lease_until
        claimed.append(message.id)
    db.session.commit()
    return claimed, lease_until, gave_up


def _release(message_ids: list[int], lease_until: datetime) -> None:
    """Hand unsent messages back, unless another worker has taken them since (lease changed)."""
    if message_ids:
        db.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id.in_(message_ids),
                OutboxMessage.status == OutboxStatus.SENDING,
                OutboxMessage.locked_until == lease_until,
            )
            .values(status=OutboxStatus.PENDING, locked_until=None)
            .execution_options(synchronize_session=False)
        )
    db.session.commit()


def _record_failure(
    message: OutboxMessage, error: BaseException, password: str, permanent: bool = False
) -> int:
    """Count the attempt: back to ``pending`` after a back-off, or ``failed`` (returns 1)."""
    if isinstance(error, TransportUnavailable) and error.__cause__ is not None:
        error = error.__cause__  # record what the server or the network said
    message.attempts += 1
    message.last_error = describe_error(error, password)
    message.locked_until = None
    if permanent or message.attempts >= MAX_ATTEMPTS:
        message.status = OutboxStatus.FAILED
        logger.error("mail %s given up after %d attempts", message.uid, message.attempts)
        return 1
    message.status = OutboxStatus.PENDING
    message.next_attempt_at = now() + retry_delay(message.attempts)
    logger.warning(
        "mail %s attempt %d failed (%s); next at %s",
        message.uid,
        message.attempts,
        type(error).__name__,
        message.next_attempt_at.isoformat(),
    )
    return 0
