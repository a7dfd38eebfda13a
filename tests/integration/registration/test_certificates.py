"""Attendance certificates: the days checked in and nothing else, hours from the programme,
the private link, and the e-mail sent once after the congress.

The edition runs Tuesday 1 to Thursday 3 April 2014 in Le Mans. Its published
sessions (breaks and the gala dinner are not sessions, nor are drafts and
cancelled sessions):

- day 1: 08:45–10:15, 10:45–11:30 beside a workshop 10:45–12:15, 13:45–17:00:
  08:45–17:00, 6 h 15 of sessions;
- day 2: 09:00–12:00, 14:00–17:30: 09:00–17:30, 6 h 30;
- day 3: 09:30–12:30, 14:00–16:00: 09:30–16:00, 5 h.

Marie Curie registered for the three days and was checked in on days 1 and 3.
"Now" is Friday 4 April 2014, 09:00 in Le Mans, unless a test moves the clock.
"""

from __future__ import annotations

import base64
import io
import re
import threading
from collections.abc import Iterator
from datetime import date, datetime

import pytest
from pypdf import PdfReader

from congress.accounts.models import Role
from congress.accounts.services import create_organiser
from congress.core.clock import set_clock
from congress.edition.models import Event
from congress.extensions import db
from congress.mail.models import OutboxMessage
from congress.programme.models import TalkKind, TalkStatus
from congress.programme.services import cancel_talk
from congress.registration import certificates, services
from congress.registration.checkin import check_in_registration
from congress.registration.models import Registration
from tests.conftest import IS_POSTGRES, ORGANISER_PASSWORD
from tests.factories import (
    make_category,
    make_event,
    make_organiser,
    make_registration,
    make_talk,
    paris,
)

pytestmark = pytest.mark.integration

APRIL = [date(2014, 4, day) for day in (1, 2, 3)]


@pytest.fixture
def clock(app) -> Iterator[list[datetime]]:
    moment = [paris(4, "09:00")]
    set_clock(lambda: moment[0])
    try:
        yield moment
    finally:
        set_clock(None)


@pytest.fixture
def event(app, clock):
    event = make_event()
    sessions = [
        (1, "08:00", 45, TalkKind.BREAK, TalkStatus.CONFIRMED),
        (1, "08:45", 90, TalkKind.KEYNOTE, TalkStatus.CONFIRMED),
        (1, "10:15", 30, TalkKind.BREAK, TalkStatus.CONFIRMED),
        (1, "10:45", 45, TalkKind.TALK, TalkStatus.CONFIRMED),
        (1, "10:45", 90, TalkKind.WORKSHOP, TalkStatus.CONFIRMED),
        (1, "12:15", 90, TalkKind.BREAK, TalkStatus.CONFIRMED),
        (1, "13:45", 195, TalkKind.TALK, TalkStatus.CONFIRMED),
        (1, "19:30", 210, TalkKind.SOCIAL, TalkStatus.CONFIRMED),
        (2, "09:00", 180, TalkKind.TALK, TalkStatus.CONFIRMED),
        (2, "14:00", 210, TalkKind.ROUND_TABLE, TalkStatus.CONFIRMED),
        (3, "09:30", 180, TalkKind.TALK, TalkStatus.CONFIRMED),
        (3, "13:00", 360, TalkKind.TALK, TalkStatus.DRAFT),
        (3, "13:30", 270, TalkKind.WORKSHOP, TalkStatus.CONFIRMED),
        (3, "14:00", 120, TalkKind.TALK, TalkStatus.CONFIRMED),
    ]
    talks = [
        make_talk(event, starts_at=paris(day, start), minutes=minutes, kind=kind, status=status)
        for day, start, minutes, kind, status in sessions
    ]
    # The day-3 workshop was published, then cancelled: its hours are not attendance.
    cancel_talk(talks[12])
    return event


@pytest.fixture
def desk(app):
    return create_organiser("accueil@apssis-orga.fr", ORGANISER_PASSWORD, Role.DESK, "Accueil")


def _checked_in(event, registration, days, desk, clock) -> None:
    for day in days:
        clock[0] = paris(day, "08:30")
        check_in_registration(event, registration.id, user=desk)
    clock[0] = paris(4, "09:00")


@pytest.fixture
def marie(event, desk, clock):
    """Registered for the three days, checked in on days 1 and 3."""
    category = make_category(event)
    registration, token = make_registration(event, category, "marie@chu-exemple.fr", days=APRIL)
    _checked_in(event, registration, (1, 3), desk, clock)
    return registration, token


def _text(pdf: bytes) -> str:
    """The PDF's text; the extractor gives no-break spaces back as plain ones."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _day_rows(text: str) -> list[tuple[str, str, str]]:
    """(day, hours, duration) of each line of the French table of days."""
    return re.findall(r"^(\w+ \w+ avril 2014) journée (\S+) (.+)$", text, re.MULTILINE)


def _outbox() -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            db.select(OutboxMessage)
            .where(OutboxMessage.kind == certificates.KIND)
            .order_by(OutboxMessage.id)
        )
    )


# ---------------------------------------------------------------- what it says


def test_certificate_names_exactly_the_days_checked_in_with_hours_and_total(marie):
    make_organiser(marie[0].event)
    facts = certificates.certificate_facts(marie[0])
    assert [day.day for day in facts.days] == [APRIL[0], APRIL[2]]
    assert [(f"{d.starts:%H:%M}", f"{d.ends:%H:%M}", d.minutes) for d in facts.days] == [
        ("08:45", "17:00", 375),
        ("09:30", "16:00", 300),
    ]
    assert facts.total_minutes == 675

    text = _text(certificates.certificate_pdf(marie[0]))
    assert "Attestation de présence" in text
    assert "Marie Curie" in text
    assert "CHU de Nulle-Part" in text
    assert _day_rows(text) == [
        ("mardi 1er avril 2014", "08:45–17:00", "6 h 15"),
        ("jeudi 3 avril 2014", "09:30–16:00", "5 h"),
    ]
    assert "mercredi" not in text
    assert "09:00–17:30" not in text
    assert "\nTotal 11 h 15\n" in text
    assert "Congrès de test" in text
    assert "Fait au Mans, le vendredi 4 avril 2014" in text


def test_arrival_after_the_morning_counts_the_afternoon_only(event, desk, clock):
    category = make_category(event)
    registration, _ = make_registration(event, category, "paul@chu-exemple.fr", days=APRIL)
    for day, arrival in ((1, "13:00"), (2, "11:00")):  # after the morning; during it
        clock[0] = paris(day, arrival)
        check_in_registration(event, registration.id, user=desk)
    clock[0] = paris(4, "09:00")

    facts = certificates.certificate_facts(registration)

    assert [
        (d.afternoon, f"{d.starts:%H:%M}", f"{d.ends:%H:%M}", d.minutes) for d in facts.days
    ] == [
        (True, "13:45", "17:00", 195),
        (False, "09:00", "17:30", 390),
    ]
    text = _text(certificates.certificate_pdf(registration))
    assert re.search(r"^mardi 1er avril 2014 après-midi 13:45–17:00 3 h 15$", text, re.MULTILINE)
    assert re.search(r"^mercredi 2 avril 2014 journée 09:00–17:30 6 h 30$", text, re.MULTILINE)


def test_certificate_prints_the_training_declaration_number_when_set(marie):
    make_organiser(marie[0].event, training_declaration="52 72 01234 72")
    text = _text(certificates.certificate_pdf(marie[0]))
    assert "Association de test atteste que" in text
    assert "52 72 01234 72" in text
    assert "Déclaration d’activité enregistrée sous le numéro" in text
    assert "Le président de l'association" in text


def test_certificate_without_training_declaration_has_no_such_mention(marie):
    make_organiser(marie[0].event, training_declaration="")
    text = _text(certificates.certificate_pdf(marie[0]))
    assert "Association de test atteste que" in text
    assert "déclaration" not in text.lower()


def test_certificate_without_organiser_names_the_edition_only(marie):
    text = _text(certificates.certificate_pdf(marie[0]))
    assert "Les organisateurs du Congrès de test attestent que" in text
    assert "Association de test" not in text
    assert "Pour les organisateurs" in text


def test_certificate_in_english_for_an_english_registration(marie):
    registration = marie[0]
    registration.language = "en"
    db.session.commit()
    make_organiser(registration.event)
    text = _text(certificates.certificate_pdf(registration))
    assert "Certificate of attendance" in text
    assert "Tuesday, April 1, 2014" in text
    assert "Thursday, April 3, 2014" in text
    assert "Wednesday" not in text
    assert "6 h 15 min" in text
    assert "11 h 15 min" in text
    assert "Association de test certifies that" in text
    assert "Declaration of activity registered under number 52 72 00000 72" in text
    assert (
        certificates.filename(registration)
        == f"attendance-certificate-{registration.event.slug}.pdf"
    )


def test_certificate_is_pdf_a_3b(marie):
    reader = PdfReader(io.BytesIO(certificates.certificate_pdf(marie[0])))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"pdfaid:part(>|=\")3", xmp)
    assert re.search(r"pdfaid:conformance(>|=\")B", xmp)
    assert len(reader.pages) == 1
    assert reader.metadata.title == "Attestation de présence · TEST"


def test_no_certificate_without_a_check_in(event):
    registration, _ = make_registration(event, make_category(event), days=APRIL)
    assert certificates.available(registration) is False
    with pytest.raises(certificates.NoCertificate):
        certificates.certificate_pdf(registration)


def test_no_certificate_for_a_cancelled_registration(marie):
    registration = marie[0]
    services.cancel(registration)
    assert certificates.available(registration) is False
    with pytest.raises(certificates.NoCertificate):
        certificates.certificate_facts(registration)


# ---------------------------------------------------------------- the private link


def test_download_from_the_private_link(client, marie):
    registration, token = marie
    response = client.get(f"/r/{token}/certificate.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="attestation-presence-{registration.event.slug}.pdf"'
    )
    text = _text(response.data)
    assert "mardi 1er avril 2014" in text
    assert "jeudi 3 avril 2014" in text
    assert "mercredi" not in text

    page = client.get(f"/r/{token}").get_data(as_text=True)
    assert f'href="/r/{token}/certificate.pdf"' in page
    assert "Télécharger mon attestation de présence (PDF)" in page


def test_download_before_any_check_in_is_a_clear_404_and_no_link(client, event):
    _, token = make_registration(event, make_category(event), days=APRIL)
    response = client.get(f"/r/{token}/certificate.pdf")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "Pas encore d’attestation de présence" in response.get_data(as_text=True)
    assert "certificate.pdf" not in client.get(f"/r/{token}").get_data(as_text=True)


def test_a_cancelled_registration_link_gives_no_certificate(client, marie):
    registration, token = marie
    services.cancel(registration)
    assert client.get(f"/r/{token}/certificate.pdf").status_code == 404


def test_each_link_gives_its_own_attendee_certificate_and_a_random_token_404(
    client, event, marie, desk, clock
):
    louis, louis_token = make_registration(
        event,
        make_category(event),
        "louis@chu-exemple.fr",
        first_name="Louis",
        last_name="Pasteur",
        days=APRIL,
    )
    _checked_in(event, louis, (2,), desk, clock)
    text = _text(client.get(f"/r/{louis_token}/certificate.pdf").data)
    assert "Louis Pasteur" in text
    assert "Marie Curie" not in text
    assert _day_rows(text) == [("mercredi 2 avril 2014", "09:00–17:30", "6 h 30")]
    assert client.get("/r/" + "A" * 43 + "/certificate.pdf").status_code == 404


# ---------------------------------------------------------------- sending once


def test_sending_before_the_end_of_the_congress_is_refused(marie, clock):
    clock[0] = paris(3, "23:30")  # still Thursday in Le Mans
    with pytest.raises(certificates.CongressNotOver) as refused:
        certificates.send_certificates(marie[0].event)
    assert "jeudi 3 avril 2014" in str(refused.value.message)
    assert _outbox() == []
    assert db.session.get(Registration, marie[0].id).certificate_sent_at is None


def test_send_queues_one_mail_with_the_pdf_then_none(event, marie, desk, clock):
    make_organiser(event)
    category = make_category(event)
    absent, _ = make_registration(event, category, "absent@chu-exemple.fr", days=APRIL)
    english, _ = make_registration(event, category, "en@chu-exemple.fr", days=APRIL)
    english.language = "en"
    db.session.commit()
    _checked_in(event, english, (2,), desk, clock)

    assert certificates.send_certificates(event) == 2
    messages = _outbox()
    assert [m.to_address for m in messages] == ["marie@chu-exemple.fr", "en@chu-exemple.fr"]
    french, other = messages
    assert french.language == "fr"
    assert french.subject == "Votre attestation de présence à TEST"
    assert "Merci d’avoir participé au Congrès de test." in french.body_text
    assert "mardi 1er avril 2014" in french.body_text
    assert "mercredi" not in french.body_text
    [attachment] = french.attachments
    assert attachment["filename"] == f"attestation-presence-{event.slug}.pdf"
    assert attachment["content_type"] == "application/pdf"
    text = _text(base64.b64decode(attachment["content"]))
    assert "Marie Curie" in text
    assert "jeudi 3 avril 2014" in text
    assert other.language == "en"
    assert other.subject == "Your certificate of attendance at TEST"
    assert other.attachments[0]["filename"] == f"attendance-certificate-{event.slug}.pdf"
    assert db.session.get(Registration, absent.id).certificate_sent_at is None
    assert db.session.get(Registration, marie[0].id).certificate_sent_at == paris(4, "09:00")

    assert certificates.send_certificates(event) == 0
    assert len(_outbox()) == 2


def test_send_skips_a_registration_cancelled_after_check_in(marie):
    services.cancel(marie[0])
    assert certificates.send_certificates(marie[0].event) == 0
    assert _outbox() == []


def test_command_refuses_before_the_end_then_sends_once(cli, marie, clock):
    clock[0] = paris(2, "12:00")
    refused = cli.invoke(args=["congress", "send-certificates"])
    assert refused.exit_code == 1
    assert "Le congrès n’est pas terminé" in refused.output

    clock[0] = paris(4, "09:00")
    first = cli.invoke(args=["congress", "send-certificates"])
    assert first.exit_code == 0, first.output
    slug = marie[0].event.slug
    assert first.output == f"send-certificates: edition {slug}: 1 certificate(s) queued\n"
    second = cli.invoke(args=["congress", "send-certificates"])
    assert second.output == f"send-certificates: edition {slug}: 0 certificate(s) queued\n"
    assert len(_outbox()) == 1


@pytest.mark.skipif(not IS_POSTGRES, reason="needs PostgreSQL's concurrent writers")
def test_two_runs_at_once_send_each_certificate_once(app, event, marie, desk, clock):
    category = make_category(event)
    for index in range(3):
        other, _ = make_registration(event, category, f"p{index}@chu-exemple.fr", days=APRIL)
        _checked_in(event, other, (2,), desk, clock)
    event_id = event.id
    barrier = threading.Barrier(2)
    counts: list[object] = [None, None]

    def run(index: int) -> None:
        with app.app_context():
            try:
                barrier.wait()
                counts[index] = certificates.send_certificates(db.session.get(Event, event_id))
            except Exception as error:  # reported by the assertion below
                counts[index] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(counts) in ([0, 4], [1, 3], [2, 2])
    assert sorted(m.to_address for m in _outbox()) == [
        "marie@chu-exemple.fr",
        "p0@chu-exemple.fr",
        "p1@chu-exemple.fr",
        "p2@chu-exemple.fr",
    ]
