"""Messages to attendees: audiences, exactly-once sending, throttling, language, sanitising."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from congress.accounts.models import Role
from congress.accounts.services import create_organiser
from congress.audit.models import AuditEntry
from congress.core.errors import DomainError
from congress.extensions import db
from congress.mail.models import OutboxMessage, OutboxStatus
from congress.messaging import audiences, queries, services
from congress.messaging.models import Message, MessageRecipient
from congress.registration import services as registration_services
from congress.registration.models import CheckIn, RegistrationStatus
from tests.factories import make_category, make_event, make_registration, make_talk

pytestmark = pytest.mark.integration


@pytest.fixture
def event(app):
    return make_event()


@pytest.fixture
def organiser(app):
    return create_organiser("orga@apssis-orga.fr", "correct horse battery staple", Role.EDITOR)


@pytest.fixture
def people(event):
    """Two categories: 3 confirmed in A (days 1, 1+2, 2), 1 confirmed in B (day 3),
    2 on B's waiting list, 1 pending, 1 cancelled; a session in 2 agendas; 1 checked in."""
    a = make_category(event, capacity=10, name="Standard")
    b = make_category(event, capacity=1, name="Partenaire")
    day1, day2, day3 = date(2014, 4, 1), date(2014, 4, 2), date(2014, 4, 3)
    a1, a1_token = make_registration(event, a, "a1@chu.fr", days=[day1])
    a2, _ = make_registration(event, a, "a2@chu.fr", days=[day1, day2])
    a3, _ = make_registration(event, a, "a3@chu.fr", days=[day2])
    b1, _ = make_registration(event, b, "b1@chu.fr", days=[day3])
    w1, _ = make_registration(event, b, "w1@chu.fr")
    make_registration(event, b, "w2@chu.fr")
    make_registration(event, a, "pending@chu.fr", confirm=False)
    gone, _ = make_registration(event, a, "gone@chu.fr")
    registration_services.cancel(gone, notify=False)
    talk = make_talk(event, "Tabletop ransomware")
    registration_services.add_to_agenda(a1, talk)
    registration_services.add_to_agenda(b1, talk)
    db.session.add(CheckIn(registration_id=a2.id, day=day1))
    db.session.commit()
    assert w1.status is RegistrationStatus.WAITING
    return {
        "a": a,
        "b": b,
        "talk": talk,
        "a1": a1,
        "a2": a2,
        "a3": a3,
        "b1": b1,
        "w1": w1,
        "tokens": {"a1": a1_token},
    }


def _emails(event, code, parameter=""):
    selection = audiences.resolve(event, code, parameter)
    return sorted(r.email for r in audiences.members(selection)), audiences.count(selection)


def test_audiences_hold_exactly_the_right_people(event, people):
    assert _emails(event, "confirmed") == (
        ["a1@chu.fr", "a2@chu.fr", "a3@chu.fr", "b1@chu.fr"],
        4,
    )
    assert _emails(event, "waiting") == (["w1@chu.fr", "w2@chu.fr"], 2)
    assert _emails(event, "category", str(people["a"].id)) == (
        ["a1@chu.fr", "a2@chu.fr", "a3@chu.fr"],
        3,
    )
    assert _emails(event, "category", str(people["b"].id)) == (["b1@chu.fr"], 1)
    assert _emails(event, "day", "2014-04-01") == (["a1@chu.fr", "a2@chu.fr"], 2)
    assert _emails(event, "day", "2014-04-02") == (["a2@chu.fr", "a3@chu.fr"], 2)
    assert _emails(event, "day", "2014-04-03") == (["b1@chu.fr"], 1)
    assert _emails(event, "session", str(people["talk"].id)) == (["a1@chu.fr", "b1@chu.fr"], 2)
    assert _emails(event, "not_checked_in") == (["a1@chu.fr", "a3@chu.fr", "b1@chu.fr"], 3)


def test_audience_labels_name_their_parameter(app, event, people):
    with app.test_request_context("/?lang=en"):
        assert str(audiences.resolve(event, "day", "2014-04-02").label) == (
            "Confirmed attendees coming on Wednesday, April 2, 2014"
        )
        assert str(audiences.resolve(event, "session", str(people["talk"].id)).label) == (
            "Attendees with the session “Tabletop ransomware” in their agenda"
        )


@pytest.mark.parametrize(
    ("code", "parameter", "field"),
    [
        ("nobody", "", "audience"),
        ("category", "", "category"),
        ("category", "99999", "category"),
        ("day", "2014-05-01", "day"),
        ("day", "not-a-day", "day"),
        ("session", "abc", "talk"),
    ],
)
def test_an_unknown_audience_or_parameter_is_refused_beside_its_field(
    event, code, parameter, field
):
    with pytest.raises(DomainError) as refused:
        audiences.resolve(event, code, parameter)
    assert refused.value.field == field


def test_an_audience_never_crosses_editions(event, people):
    other = make_event()
    with pytest.raises(DomainError):
        audiences.resolve(other, "category", str(people["a"].id))
    assert _emails(other, "confirmed") == ([], 0)


def _draft(event, organiser, **overrides):
    values = {
        "subject": "Accueil demain",
        "body": "Rendez-vous **8 h 30** au hall.",
        "audience": "confirmed",
    }
    values.update(overrides)
    return services.create_draft(event, services.Composition(**values), organiser)


def _message_rows():
    return list(
        db.session.scalars(
            db.select(OutboxMessage)
            .where(OutboxMessage.kind == "message")
            .order_by(OutboxMessage.id)
        )
    )


def test_sending_twice_gives_nobody_the_message_twice(event, people, organiser):
    message = _draft(event, organiser)
    assert services.send(message) == 4
    first = [(r.registration_id, r.uid, r.to_address) for r in _message_rows()]
    recipients = sorted(db.session.scalars(db.select(MessageRecipient.registration_id)).all())
    assert services.send(message) == 0
    assert services.send(db.session.get(Message, message.id)) == 0
    assert [(r.registration_id, r.uid, r.to_address) for r in _message_rows()] == first
    assert sorted(db.session.scalars(db.select(MessageRecipient.registration_id)).all()) == (
        recipients
    )
    assert len(first) == 4
    assert db.session.get(Message, message.id).recipient_count == 4
    actions = list(db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.seq)))
    assert actions.count("message.sent") == 1


def test_the_database_refuses_a_second_recipient_row(event, people, organiser):
    from sqlalchemy.exc import IntegrityError

    message = _draft(event, organiser)
    services.send(message)
    db.session.add(
        MessageRecipient(
            message_id=message.id,
            registration_id=people["a1"].id,
            outbox_uid="x" * 36,
            language="fr",
        )
    )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_large_audience_leaves_in_batches_a_minute_apart(app, event, organiser):
    app.config["MESSAGE_BATCH"] = 50
    category = make_category(event, capacity=200)
    for index in range(52):
        make_registration(event, category, f"n{index}@chu.fr")
    message = _draft(event, organiser)
    assert services.send(message) == 52
    rows = _message_rows()
    start = rows[0].next_attempt_at
    assert db.session.get(Message, message.id).sent_at == start
    assert [row.next_attempt_at - start for row in rows[:50]] == [timedelta(0)] * 50
    assert rows[50].next_attempt_at - start == timedelta(minutes=1)
    assert rows[51].next_attempt_at - start == timedelta(minutes=1)


def test_english_attendees_get_the_english_version_when_there_is_one(event, people, organiser):
    people["a2"].language = "en"
    db.session.commit()
    message = _draft(
        event,
        organiser,
        subject="Accueil demain",
        body="Bonjour à toutes et à tous.",
        subject_en="Welcome tomorrow",
        body_en="Hello everyone.",
    )
    services.send(message)
    by_address = {row.to_address: row for row in _message_rows()}
    assert by_address["a2@chu.fr"].subject == "Welcome tomorrow"
    assert by_address["a2@chu.fr"].language == "en"
    assert "<p>Hello everyone.</p>" in by_address["a2@chu.fr"].body_html
    assert "Hello everyone." in by_address["a2@chu.fr"].body_text
    assert "registered attendee of" in by_address["a2@chu.fr"].body_text
    assert by_address["a1@chu.fr"].subject == "Accueil demain"
    assert by_address["a1@chu.fr"].language == "fr"
    assert "<p>Bonjour à toutes et à tous.</p>" in by_address["a1@chu.fr"].body_html


def test_english_attendees_get_the_french_version_when_there_is_no_english(
    event, people, organiser
):
    people["a2"].language = "en"
    db.session.commit()
    services.send(_draft(event, organiser))
    row = next(r for r in _message_rows() if r.to_address == "a2@chu.fr")
    assert row.subject == "Accueil demain"
    assert row.language == "en"  # the layout's words are theirs
    assert "<strong>8 h 30</strong>" in row.body_html


def test_a_script_in_the_markdown_never_reaches_the_mail(event, people, organiser):
    body = (
        'Bonjour <script>alert("x")</script> [clic](javascript:alert(1)) '
        "<img src=x onerror=alert(1)>"
    )
    services.send(_draft(event, organiser, body=body))
    row = _message_rows()[0]
    for text in (row.body_html, row.body_text):
        assert "<script" not in text
        assert "<img" not in text
    assert 'href="javascript' not in row.body_html
    assert "&lt;script&gt;" in row.body_html  # shown as the text it was, never run
    assert "Bonjour" in row.body_text


def test_the_test_goes_to_the_organiser_only_and_counts_nowhere(event, people, organiser):
    composition = services.Composition(
        subject="Essai",
        body="Corps",
        audience="confirmed",
        subject_en="Trial",
        body_en="Body",
    )
    assert services.send_test(event, composition, organiser) == 2
    rows = list(db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)))
    tests = [row for row in rows if row.kind == "message_test"]
    assert [(row.to_address, row.subject, row.registration_id) for row in tests] == [
        ("orga@apssis-orga.fr", "Essai", None),
        ("orga@apssis-orga.fr", "Trial", None),
    ]
    assert _message_rows() == []
    assert db.session.scalars(db.select(Message)).all() == []
    assert db.session.scalars(db.select(MessageRecipient)).all() == []
    assert "message.test_sent" in db.session.scalars(db.select(AuditEntry.action)).all()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"subject": "  "}, "subject"),
        ({"body": ""}, "body"),
        ({"subject_en": "Only a subject"}, "body_en"),
        ({"body_en": "Only a body"}, "subject_en"),
        ({"subject": "x" * 201}, "subject"),
    ],
)
def test_an_incomplete_message_is_refused(event, organiser, overrides, field):
    with pytest.raises(DomainError) as refused:
        _draft(event, organiser, **overrides)
    assert refused.value.field == field
    db.session.rollback()
    assert db.session.scalars(db.select(Message)).all() == []


def test_an_empty_audience_is_not_sent(event, organiser):
    make_category(event)
    message = _draft(event, organiser, audience="waiting")
    with pytest.raises(DomainError):
        services.send(message)
    assert db.session.get(Message, message.id).sent_at is None


def test_delivery_figures_follow_the_outbox(event, people, organiser):
    message = _draft(event, organiser)
    services.send(message)
    rows = _message_rows()
    rows[0].status = OutboxStatus.SENT
    rows[1].status = OutboxStatus.SENT
    rows[2].status = OutboxStatus.FAILED
    db.session.commit()
    figures = queries.delivery([message.id])[message.id]
    assert (figures.queued, figures.sent, figures.failed) == (1, 2, 1)


def test_an_attendee_sees_the_messages_they_received(client, event, people, organiser):
    services.send(_draft(event, organiser, body="Le **hall B** ouvre à 8 h.<script>x()</script>"))
    _draft(event, organiser, subject="Brouillon jamais envoyé")
    _late, token = make_registration(event, people["a"], "late@chu.fr")
    page = client.get(f"/r/{_token_of(people)}").get_data(as_text=True)
    assert '<h2 id="received-messages-title">Messages des organisateurs</h2>' in page
    assert "<h3>Accueil demain</h3>" in page
    assert "Le <strong>hall B</strong> ouvre à 8 h." in page
    assert "<script>x()" not in page
    assert "Brouillon jamais envoyé" not in page
    late = client.get(f"/r/{token}").get_data(as_text=True)
    assert "Accueil demain" not in late  # registered after the message left


def _token_of(people):
    return people["tokens"]["a1"]


def test_the_attendees_data_export_holds_the_messages_they_received(
    client, event, people, organiser
):
    services.send(_draft(event, organiser, body="Le **hall B** ouvre à 8 h."))
    _draft(event, organiser, subject="Brouillon jamais envoyé")
    _late, token = make_registration(event, people["a"], "late@chu.fr")
    data = client.get(f"/r/{_token_of(people)}/data.json").get_json()
    assert [(item["subject"], item["body"]) for item in data["messages"]] == [
        ("Accueil demain", "Le **hall B** ouvre à 8 h.")
    ]
    assert client.get(f"/r/{token}/data.json").get_json()["messages"] == []
