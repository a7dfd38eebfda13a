"""The MIME message built for an outbox row, and the retry schedule."""

import email
import email.policy
import smtplib
from datetime import UTC, datetime, timedelta

import pytest

from congress.mail.delivery import (
    MAX_ATTEMPTS,
    build_message,
    describe_error,
    links_in,
    message_id_domain,
    retry_delay,
)
from congress.mail.models import OutboxMessage
from congress.mail.outbox import ICS_CONTENT_TYPE

pytestmark = pytest.mark.unit

UID = "0b6f1c2e-5d1a-4c39-9a57-3f1e8d2b7c40"
SENDER = "Congrès APSSIS <no-reply@apssis.example>"
DATE = datetime(2014, 3, 20, 9, 30, tzinfo=UTC)
ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//APSSIS//congress//FR\r\n"
    "METHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:talk-1@congres.apssis\r\nSUMMARY:Séance plénière\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
)


def outbox_row(attachments=()):
    return OutboxMessage(
        uid=UID,
        kind="confirm",
        to_address="alice@example.test",
        language="fr",
        subject="Confirmez votre inscription au congrès",
        body_text="Bonjour Élise,\n\nConfirmez ici : https://congres.test/register/confirm/abc.\n",
        body_html="<p>Bonjour Élise,</p>",
        attachments=list(attachments),
    )


def parsed(row):
    mime = build_message(row, sender=SENDER, domain="apssis.example", date=DATE)
    return mime.as_bytes(), email.message_from_bytes(mime.as_bytes(), policy=email.policy.default)


def test_build_message_headers_identify_an_automatic_message():
    _, message = parsed(outbox_row())
    assert message["From"] == "Congrès APSSIS <no-reply@apssis.example>"
    assert message["To"] == "alice@example.test"
    assert message["Subject"] == "Confirmez votre inscription au congrès"
    assert message["Date"] == "Thu, 20 Mar 2014 09:30:00 +0000"
    assert message["Message-ID"] == f"<{UID}@apssis.example>"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Content-Language"] == "fr"


def test_build_message_has_text_and_html_alternatives_without_attachment():
    _, message = parsed(outbox_row())
    assert message.get_content_type() == "multipart/alternative"
    parts = [part.get_content_type() for part in message.iter_parts()]
    assert parts == ["text/plain", "text/html"]
    text = message.get_body(("plain",)).get_content()
    assert text == (
        "Bonjour Élise,\r\n\r\nConfirmez ici : https://congres.test/register/confirm/abc.\r\n"
    )
    assert message.get_body(("html",)).get_content() == "<p>Bonjour Élise,</p>\r\n"


def test_build_message_is_7bit_clean_whatever_the_language():
    raw, _ = parsed(outbox_row())
    assert max(raw) < 128
    assert b"\r\n" in raw


def test_build_message_sends_ics_as_calendar_request():
    row = outbox_row([{"filename": "agenda.ics", "content_type": ICS_CONTENT_TYPE, "content": ICS}])
    _, message = parsed(row)
    assert message.get_content_type() == "multipart/mixed"
    alternative, attachment = list(message.iter_parts())
    assert alternative.get_content_type() == "multipart/alternative"
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "REQUEST"
    assert attachment.get_content_charset() == "utf-8"
    assert attachment.get_filename() == "agenda.ics"
    assert attachment.get_content_disposition() == "attachment"
    assert attachment.get_content().replace("\r\n", "\n") == ICS.replace("\r\n", "\n")


def test_build_message_takes_calendar_method_from_the_ics_when_the_type_omits_it():
    ics = ICS.replace("METHOD:REQUEST", "METHOD:CANCEL")
    row = outbox_row([{"filename": "x.ics", "content_type": "text/calendar", "content": ics}])
    _, message = parsed(row)
    attachment = list(message.iter_parts())[1]
    assert attachment.get_param("method") == "CANCEL"
    assert attachment.get_content_charset() == "utf-8"


def test_build_message_decodes_binary_attachments_from_base64():
    row = outbox_row(
        [{"filename": "plan.pdf", "content_type": "application/pdf", "content": "JVBERi0xLjQ="}]
    )
    _, message = parsed(row)
    attachment = list(message.iter_parts())[1]
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == b"%PDF-1.4"


def test_message_id_domain_is_the_sender_domain_else_the_uid_domain():
    assert message_id_domain({"MAIL_SENDER": SENDER, "UID_DOMAIN": "congres.apssis"}) == (
        "apssis.example"
    )
    assert message_id_domain({"MAIL_SENDER": "", "UID_DOMAIN": "congres.apssis"}) == (
        "congres.apssis"
    )


def test_retry_delay_doubles_from_one_minute_and_caps_at_one_hour():
    minutes = [retry_delay(attempt) / timedelta(minutes=1) for attempt in range(1, 13)]
    assert minutes == [1, 2, 4, 8, 16, 32, 60, 60, 60, 60, 60, 60]
    assert retry_delay(1000) == timedelta(hours=1)
    assert MAX_ATTEMPTS == 12


def test_retry_delay_refuses_zero_attempts():
    with pytest.raises(ValueError, match="starts at 1"):
        retry_delay(0)


def test_links_in_drops_sentence_punctuation():
    text = "Confirmez : https://congres.test/register/confirm/abc. Ou (http://x.test/r/t)."
    assert links_in(text) == ["https://congres.test/register/confirm/abc", "http://x.test/r/t"]


def test_describe_error_scrubs_the_password_and_fits_the_column():
    error = smtplib.SMTPAuthenticationError(535, b"bad login mailer/hunter2-secret")
    assert describe_error(error, "hunter2-secret") == (
        "SMTPAuthenticationError: (535, b'bad login mailer/***')"
    )
    assert len(describe_error(RuntimeError("x" * 2000))) == 500
