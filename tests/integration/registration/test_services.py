from datetime import UTC, date, datetime, timedelta

import pytest

from congress.core import clock
from congress.core.errors import CapacityReached, Conflict, DomainError, Expired, NotFound
from congress.extensions import db
from congress.mail.models import OutboxMessage
from congress.programme.models import TalkKind
from congress.registration import services
from congress.registration.models import (
    AccessToken,
    Registration,
    RegistrationStatus,
    SeatCounter,
    TicketCategory,
    TokenPurpose,
)
from tests.factories import (
    confirm_token_for,
    make_category,
    make_event,
    make_registration,
    make_room,
    make_talk,
    paris,
    registration_data,
)

pytestmark = pytest.mark.integration


@pytest.fixture
def event(app):
    yield make_event()
    clock.set_clock(None)


def _messages(kind: str | None = None) -> list[OutboxMessage]:
    stmt = db.select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        stmt = stmt.where(OutboxMessage.kind == kind)
    return list(db.session.scalars(stmt))


def test_register_creates_pending_and_queues_french_confirmation(event):
    category = make_category(event)
    registration = services.register(
        event, registration_data(category, "  Marie.Curie@CHU-Exemple.fr "), language="fr"
    )
    assert registration.status is RegistrationStatus.PENDING
    assert registration.email == "marie.curie@chu-exemple.fr"
    (message,) = _messages()
    assert message.kind == "confirm"
    assert message.to_address == "marie.curie@chu-exemple.fr"
    assert message.subject == "Confirmez votre inscription à TEST"
    assert "/register/confirm/" in message.body_text
    token = confirm_token_for(registration)
    stored = db.session.scalars(db.select(AccessToken.token_hash)).one()
    assert token not in stored
    assert len(token) >= 22


def test_known_address_gets_its_link_and_no_second_registration(event):
    category = make_category(event)
    _first, _ = make_registration(event, category, "known@chu-exemple.fr")
    again = services.register(
        event, registration_data(category, "KNOWN@chu-exemple.fr"), language="fr"
    )
    assert again is None
    assert db.session.scalar(db.select(db.func.count()).select_from(Registration)) == 1
    assert [m.kind for m in _messages()] == ["confirm", "confirmed", "manage_link"]
    assert "/r/" in _messages("manage_link")[0].body_text


def test_known_pending_address_gets_a_second_link_and_the_first_still_works(event):
    category = make_category(event)
    registration, _ = make_registration(event, category, "p@chu-exemple.fr", confirm=False)
    old = confirm_token_for(registration)
    services.register(event, registration_data(category, "p@chu-exemple.fr"), language="fr")
    new = confirm_token_for(registration)
    assert new != old
    assert services.confirm(old).registration.status is RegistrationStatus.CONFIRMED
    assert services.confirm(new).already_confirmed is True


def test_confirm_allocates_seats_then_waiting_list_in_order(event):
    category = make_category(event, capacity=2)
    people = [make_registration(event, category, f"p{i}@chu-exemple.fr")[0] for i in range(4)]
    assert [p.status for p in people] == [
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.WAITING,
        RegistrationStatus.WAITING,
    ]
    db.session.refresh(category)
    assert category.seats_taken == 2
    assert people[2].waiting_since <= people[3].waiting_since
    assert people[0].checkin_code_hash is not None
    assert people[2].checkin_code_hash is None


def test_second_confirmation_is_harmless(event):
    category = make_category(event, capacity=1)
    registration, _ = make_registration(event, category, "twice@chu-exemple.fr", confirm=False)
    token = confirm_token_for(registration)
    first = services.confirm(token)
    second = services.confirm(token)
    assert first.manage_token is not None
    assert second.already_confirmed is True
    assert second.manage_token is None
    db.session.refresh(category)
    assert category.seats_taken == 1


def test_expired_confirmation_link(event, app):
    category = make_category(event)
    registration, _ = make_registration(event, category, "late@chu-exemple.fr", confirm=False)
    token = confirm_token_for(registration)
    later = datetime.now(UTC) + timedelta(hours=app.config["CONFIRMATION_HOURS"], minutes=1)
    clock.set_clock(lambda: later)
    with pytest.raises(Expired):
        services.confirm(token)
    assert db.session.get(Registration, registration.id).status is RegistrationStatus.PENDING


def test_tokens_open_only_their_own_door(event):
    category = make_category(event)
    registration, manage = make_registration(event, category, "door@chu-exemple.fr")
    feed = services.feed_token(registration)
    assert services.find_by_token(manage, TokenPurpose.MANAGE).id == registration.id
    assert services.find_by_token(feed, TokenPurpose.FEED).id == registration.id
    with pytest.raises(NotFound):
        services.find_by_token(feed, TokenPurpose.MANAGE)
    with pytest.raises(NotFound):
        services.find_by_token(manage, TokenPurpose.FEED)
    with pytest.raises(NotFound):
        services.find_by_token(
            manage[:-1] + ("A" if manage[-1] != "A" else "B"), TokenPurpose.MANAGE
        )


def test_cancel_frees_seat_promotes_first_waiting_and_revokes_links(event):
    category = make_category(event, capacity=1)
    holder, manage = make_registration(event, category, "holder@chu-exemple.fr")
    first_waiting, _ = make_registration(event, category, "w1@chu-exemple.fr")
    second_waiting, _ = make_registration(event, category, "w2@chu-exemple.fr")
    services.cancel(holder)
    db.session.expire_all()
    assert db.session.get(Registration, holder.id).status is RegistrationStatus.CANCELLED
    assert db.session.get(Registration, first_waiting.id).status is RegistrationStatus.CONFIRMED
    assert db.session.get(Registration, second_waiting.id).status is RegistrationStatus.WAITING
    assert db.session.get(TicketCategory, category.id).seats_taken == 1
    (promotion,) = _messages("promoted")
    assert promotion.to_address == "w1@chu-exemple.fr"
    assert promotion.attachments[0]["content_type"].startswith("text/calendar; method=REQUEST")
    assert [m.to_address for m in _messages("cancelled")] == ["holder@chu-exemple.fr"]
    with pytest.raises(NotFound):
        services.find_by_token(manage, TokenPurpose.MANAGE)


def test_confirmation_mail_carries_an_outlook_invitation(event):
    category = make_category(event)
    make_registration(event, category, "invite@chu-exemple.fr")
    (confirmed,) = _messages("confirmed")
    (attachment,) = confirmed.attachments
    content = attachment["content"]
    assert "METHOD:REQUEST" in content
    assert "ORGANIZER" in content
    assert 'ATTENDEE;CN="Marie Curie"' in content.replace("\r\n ", "")
    assert "mailto:invite@chu-exemple.fr" in content
    assert "DTSTART;TZID=Europe/Paris:20140401T083000" in content


def test_closed_registration_is_refused(event):
    event.registration_closes_at = datetime(2014, 3, 1, tzinfo=UTC)
    db.session.commit()
    category = make_category(event)
    with pytest.raises(Conflict):
        services.register(event, registration_data(category, "x@chu-exemple.fr"), language="fr")
    assert _messages() == []


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"email": "not-an-address"}, "email"),
        ({"first_name": "x" * 101}, "first_name"),
        ({"organisation": "   "}, "organisation"),
        ({"privacy_consent": False}, "privacy_consent"),
        ({"days": []}, "days"),
        ({"days": [date(2015, 1, 1)]}, "days"),
        ({"dietary_needs": "sans gluten"}, "needs_consent"),
        ({"category_id": 999_999}, "category"),
    ],
)
def test_invalid_registrations_name_the_field_and_store_nothing(event, overrides, field):
    category = make_category(event)
    with pytest.raises(DomainError) as raised:
        services.register(
            event,
            registration_data(category, **{"email": "a@chu-exemple.fr", **overrides}),
            language="fr",
        )
    assert raised.value.field == field
    assert db.session.scalar(db.select(db.func.count()).select_from(Registration)) == 0
    assert _messages() == []


def test_hidden_category_is_refused_on_the_public_form(event):
    hidden = make_category(event, public=False)
    with pytest.raises(DomainError):
        services.register(event, registration_data(hidden, "a@chu-exemple.fr"), language="fr")
    assert services.register(
        event, registration_data(hidden, "a@chu-exemple.fr"), language="fr", allow_hidden=True
    )


def test_control_characters_and_markup_are_stored_harmlessly(event):
    category = make_category(event)
    registration = services.register(
        event,
        registration_data(
            category,
            "b@chu-exemple.fr",
            first_name="Ann\x00e\x1b[31m",
            last_name="<script>alert(1)</script>",
            organisation="'; DROP TABLE registration; --",
        ),
        language="fr",
    )
    assert registration.first_name == "Ann e [31m"
    assert registration.last_name == "<script>alert(1)</script>"
    assert registration.organisation == "'; DROP TABLE registration; --"


def test_needs_are_kept_only_with_their_consent(event):
    category = make_category(event)
    registration = services.register(
        event,
        registration_data(
            category, "c@chu-exemple.fr", accessibility_needs="Fauteuil roulant", needs_consent=True
        ),
        language="fr",
    )
    assert registration.accessibility_needs == "Fauteuil roulant"
    assert registration.needs_consent_at is not None


def test_workshop_seats_are_reserved_and_full_means_full(event):
    category = make_category(event, capacity=5)
    room = make_room(event, "Atelier", capacity=2)
    workshop = make_talk(
        event,
        "Atelier",
        kind=TalkKind.WORKSHOP,
        room=room,
        seat_limit=2,
        starts_at=paris(1, "14:00"),
    )
    people = [make_registration(event, category, f"w{i}@chu-exemple.fr")[0] for i in range(3)]
    services.add_to_agenda(people[0], workshop)
    services.add_to_agenda(people[1], workshop)
    with pytest.raises(CapacityReached):
        services.add_to_agenda(people[2], workshop)
    assert db.session.get(SeatCounter, workshop.id).taken == 2
    services.remove_from_agenda(people[0], workshop.id)
    services.add_to_agenda(people[2], workshop)
    assert db.session.get(SeatCounter, workshop.id).taken == 2


def test_cancel_releases_workshop_seats(event):
    category = make_category(event)
    workshop = make_talk(event, "Atelier", kind=TalkKind.WORKSHOP, seat_limit=1)
    registration, _ = make_registration(event, category, "ws@chu-exemple.fr")
    services.add_to_agenda(registration, workshop)
    services.cancel(registration)
    assert db.session.get(SeatCounter, workshop.id).taken == 0


def test_agenda_needs_a_confirmed_registration(event):
    category = make_category(event, capacity=0)
    waiting, _ = make_registration(event, category, "wait@chu-exemple.fr")
    talk = make_talk(event, "Conférence")
    with pytest.raises(Conflict):
        services.add_to_agenda(waiting, talk)


def test_reissued_feed_link_replaces_the_old_one(event):
    category = make_category(event)
    registration, _ = make_registration(event, category, "feed@chu-exemple.fr")
    old = services.feed_token(registration)
    new = services.reissue_feed(registration)
    assert new != old
    assert services.find_by_token(new, TokenPurpose.FEED).id == registration.id
    with pytest.raises(NotFound):
        services.find_by_token(old, TokenPurpose.FEED)


def test_erase_blanks_personal_data_and_keeps_counts(event):
    category = make_category(event, capacity=3)
    registration, manage = make_registration(event, category, "erase@chu-exemple.fr")
    services.erase(registration)
    db.session.expire_all()
    row = db.session.get(Registration, registration.id)
    assert (row.first_name, row.last_name, row.organisation) == ("", "", "")
    assert "erase@chu-exemple.fr" not in row.email
    assert row.status is RegistrationStatus.CANCELLED
    assert row.organisation_type.value == "public_hospital"
    assert row.days_mask == 1
    assert (
        db.session.scalar(
            db.select(db.func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.registration_id == registration.id)
        )
        == 0
    )
    assert db.session.get(TicketCategory, category.id).seats_taken == 0
    with pytest.raises(NotFound):
        services.find_by_token(manage, TokenPurpose.MANAGE)


def test_export_contains_everything_about_the_attendee(event):
    category = make_category(event)
    registration, _ = make_registration(event, category, "export@chu-exemple.fr")
    data = services.export_data(registration)
    assert data["email"] == "export@chu-exemple.fr"
    assert data["days"] == ["2014-04-01"]
    assert data["status"] == "confirmed"
    assert data["agenda"] == []


def test_moving_a_talk_emails_attendees_who_chose_it_once(event):
    from datetime import timedelta

    from congress.programme import services as programme

    category = make_category(event)
    room = make_room(event, "Amphi")
    other_room = make_room(event, "Salle B")
    talk = make_talk(event, "Menaces", room=room, starts_at=paris(1, "09:00"))
    chooser, _ = make_registration(event, category, "chooser@chu-exemple.fr")
    make_registration(event, category, "other@chu-exemple.fr")
    services.add_to_agenda(chooser, talk)
    programme.move_talk(
        talk, talk.starts_at + timedelta(hours=1), talk.ends_at + timedelta(hours=1), other_room
    )
    (message,) = _messages("programme_change")
    assert message.to_address == "chooser@chu-exemple.fr"
    assert message.subject == "Modifiée : Menaces"
    assert "09:00 → mardi 1 avril, 10:00" in message.body_text
    assert "Amphi → Salle B" in message.body_text
    programme.cancel_talk(talk)
    cancelled = _messages("programme_change")[-1]
    assert cancelled.subject == "Annulée : Menaces"


def test_title_edit_sends_no_change_email(event):
    from congress.programme import services as programme

    category = make_category(event)
    talk = make_talk(event, "Menaces")
    chooser, _ = make_registration(event, category, "quiet@chu-exemple.fr")
    services.add_to_agenda(chooser, talk)
    data = programme.talk_data(talk)
    data.title = "Menaces émergentes"
    programme.update_talk(talk, data)
    assert _messages("programme_change") == []
