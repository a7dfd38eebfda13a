"""Builders for test data, going through the real services."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

from congress.billing.models import Invoice
from congress.edition.models import Event, Organiser
from congress.extensions import db
from congress.programme import services
from congress.programme.models import (
    Disclosure,
    Room,
    Speaker,
    SpeakerRole,
    Talk,
    TalkKind,
    TalkStatus,
    Track,
)
from congress.registration.models import (
    BillingDetails,
    JobRole,
    OrganisationType,
    Payer,
    Registration,
    TicketCategory,
)
from congress.registration.services import RegistrationData

_counter = itertools.count(1)


def make_event(**overrides: object) -> Event:
    values: dict[str, object] = {
        "slug": f"edition-{next(_counter)}",
        "name": "Congrès de test",
        "acronym": "TEST",
        "venue": "Centre des congrès",
        "address": "1 rue de la Paix",
        "city": "Le Mans",
        "timezone": "Europe/Paris",
        "first_day": date(2014, 4, 1),
        "last_day": date(2014, 4, 3),
    }
    values.update(overrides)
    event = Event(**values)
    db.session.add(event)
    db.session.commit()
    return event


def make_organiser(event: Event, **overrides: object) -> Organiser:
    """The edition's seller, with the demo's made-up (but well-formed) numbers."""
    from congress.interchange.demo_data import ORGANISER

    values: dict[str, object] = {**ORGANISER, "legal_name": "Association de test"}
    values.update(overrides)
    organiser = Organiser(event=event, **values)
    db.session.add(organiser)
    db.session.commit()
    return organiser


def make_room(event: Event, name: str | None = None, capacity: int | None = 100) -> Room:
    return services.create_room(event, name or f"Salle {next(_counter)}", capacity)


def make_track(event: Event, name: str | None = None, colour: str = "#1d4ed8") -> Track:
    return services.create_track(event, name or f"Parcours {next(_counter)}", colour)


def make_speaker(event: Event, name: str | None = None, **kwargs: str) -> Speaker:
    return services.create_speaker(event, name or f"Orateur {next(_counter)}", **kwargs)


def paris(day: int, hhmm: str) -> datetime:
    """An instant given as Le Mans wall time on April ``day``, 2014, returned in UTC."""
    from zoneinfo import ZoneInfo

    hour, minute = (int(part) for part in hhmm.split(":"))
    local = datetime(2014, 4, day, hour, minute, tzinfo=ZoneInfo("Europe/Paris"))
    return local.astimezone(UTC)


def make_talk(
    event: Event,
    title: str | None = None,
    *,
    starts_at: datetime | None = None,
    minutes: int = 45,
    kind: TalkKind = TalkKind.TALK,
    status: TalkStatus = TalkStatus.CONFIRMED,
    disclosure: Disclosure = Disclosure.NONE,
    abstract: str = "",
    room: Room | None = None,
    track: Track | None = None,
    speakers: list[Speaker] | None = None,
    seat_limit: int | None = None,
    commit: bool = True,
    allow_conflicts: bool = True,
) -> Talk:
    """A talk through ``services.create_talk``.

    Conflicting slots are allowed by default: tests build whatever programme
    they need (the editor's grid marks conflicts, so some need them). Tests of
    the conflict rule itself pass ``allow_conflicts=False`` or call the service.
    """
    start = starts_at or paris(1, "09:00")
    data = services.TalkData(
        title=title or f"Session {next(_counter)}",
        kind=kind,
        starts_at=start,
        ends_at=start + timedelta(minutes=minutes),
        abstract=abstract,
        status=status,
        disclosure=disclosure,
        room=room,
        track=track,
        seat_limit=seat_limit,
        speakers=[(speaker, SpeakerRole.SPEAKER) for speaker in speakers or []],
    )
    return services.create_talk(event, data, commit=commit, allow_conflicts=allow_conflicts)


def make_programme(event: Event, count: int) -> list[Talk]:
    """``count`` confirmed talks over the edition's days in 3 rooms, two speakers each."""
    rooms = [make_room(event) for _ in range(3)]
    tracks = [make_track(event) for _ in range(2)]
    speakers = [make_speaker(event) for _ in range(max(2, count // 2))]
    talks = []
    for index in range(count):
        day = 1 + index % 3
        slot = (index // 3) // len(rooms)
        start = paris(day, "08:00") + timedelta(minutes=10 * slot)
        talks.append(
            make_talk(
                event,
                starts_at=start,
                minutes=10,
                room=rooms[(index // 3) % len(rooms)],
                track=tracks[index % 2],
                speakers=[speakers[index % len(speakers)], speakers[(index + 1) % len(speakers)]],
                commit=False,
            )
        )
    db.session.commit()
    return talks


def make_category(
    event: Event, capacity: int = 10, *, public: bool = True, name: str | None = None
) -> TicketCategory:
    category = TicketCategory(
        event=event,
        slug=f"cat-{next(_counter)}",
        name=name or f"Catégorie {next(_counter)}",
        price_cents=28000,
        capacity=capacity,
        public=public,
    )
    db.session.add(category)
    db.session.commit()
    return category


def registration_data(
    category: TicketCategory, email: str, **overrides: object
) -> RegistrationData:
    values: dict[str, object] = {
        "first_name": "Marie",
        "last_name": "Curie",
        "email": email,
        "organisation": "CHU de Nulle-Part",
        "organisation_type": OrganisationType.PUBLIC_HOSPITAL,
        "job_role": JobRole.CISO,
        "category_id": category.id,
        "days": [date(2014, 4, 1)],
        "privacy_consent": True,
    }
    values.update(overrides)
    return RegistrationData(**values)


def confirm_token_for(registration: Registration) -> str:
    """The confirmation token as the attendee reads it in the queued e-mail."""
    import re

    from congress.mail.models import OutboxMessage

    message = db.session.scalars(
        db.select(OutboxMessage)
        .where(OutboxMessage.registration_id == registration.id, OutboxMessage.kind == "confirm")
        .order_by(OutboxMessage.id.desc())
    ).first()
    return re.search(r"/register/confirm/([A-Za-z0-9_-]+)", message.body_text).group(1)


def make_registration(
    event: Event,
    category: TicketCategory,
    email: str | None = None,
    *,
    confirm: bool = True,
    **overrides: object,
) -> tuple[Registration, str | None]:
    """A registration through the real services; returns it and its management token."""
    from congress.registration import services as registration_services

    registration = registration_services.register(
        event,
        registration_data(category, email or f"p{next(_counter)}@chu-exemple.fr", **overrides),
        language="fr",
    )
    assert registration is not None
    if not confirm:
        return registration, None
    outcome = registration_services.confirm(confirm_token_for(registration))
    return outcome.registration, outcome.manage_token


def make_message(event: Event, subject: str = "Accueil", body: str = "Bonjour") -> int:
    """A draft message to the confirmed attendees, written as a row (no sender needed)."""
    from congress.messaging.models import Message

    message = Message(
        event_id=event.id,
        subject=subject,
        body=body,
        audience="confirmed",
        audience_label="-",
    )
    db.session.add(message)
    db.session.commit()
    return message.id


HOSPITAL_SIRET = "26720000400013"


def make_billing_details(registration: Registration, **overrides: object) -> BillingDetails:
    """Billing details of a public hospital paying through Chorus Pro (made-up numbers)."""
    values: dict[str, object] = {
        "payer": Payer.EMPLOYER,
        "public_body": True,
        "legal_name": "Centre hospitalier du Mans",
        "siret": HOSPITAL_SIRET,
        "street": "194 avenue Rubillard",
        "postcode": "72037",
        "city": "Le Mans",
        "service_code": "DSI-SECU",
        "order_number": "EJ-2014-0042",
        "invoice_email": "factures@ch-lemans.example",
    }
    values.update(overrides)
    details = BillingDetails(registration=registration, **values)
    db.session.add(details)
    db.session.commit()
    return details


def make_invoice(registration: Registration, **details: object) -> Invoice:
    """An invoice issued for ``registration`` (billing details made first); its edition
    needs an organiser (``make_organiser``; the demo edition has one)."""
    from congress.billing import services as billing

    make_billing_details(registration, **details)
    return billing.issue_invoice([registration], issued_by="factory")


def make_pdf(
    marker: str = "", *, pages: int = 1, hostile: bool = False, password: str | None = None
) -> bytes:
    """A small real PDF; ``marker`` written in each page's (uncompressed) content.

    ``hostile`` adds what ``cfp.files.rebuild_pdf`` must leave behind: an
    ``/OpenAction`` script, a document-level JavaScript, an embedded file and
    an annotation. ``password`` encrypts it.
    """
    import io

    from pypdf import PdfWriter
    from pypdf.actions import JavaScript
    from pypdf.annotations import Text
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    for _ in range(pages):
        page = writer.add_blank_page(width=200, height=200)
        if marker:
            content = DecodedStreamObject()
            content.set_data(f"BT /F1 12 Tf 20 100 Td ({marker}) Tj ET".encode())
            page[NameObject("/Contents")] = writer._add_object(content)
    if hostile:
        writer.add_open_action(JavaScript("app.alert(1);"))
        writer.root_object[NameObject("/OpenAction")] = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert(2);"),
            }
        )
        writer.add_attachment("payload.txt", b"embedded payload")
        writer.add_annotation(0, Text(rect=(10, 10, 50, 50), text="note"))
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_reviewer(email: str, organisation: str = "", display_name: str = "") -> object:
    """An active programme-committee reviewer, through the accounts' services."""
    from congress.accounts import team
    from congress.accounts.models import Role
    from congress.accounts.services import create_organiser

    user = create_organiser(email, "correct horse battery staple", Role.REVIEWER, display_name)
    if organisation:
        team.set_organisation(user.id, organisation)
    return user


def make_submission(
    event: Event,
    title: str = "Sauvegardes hors ligne à l'hôpital",
    *,
    disclosure: str = "tlp_clear",
    abstract: str = "Retour d'expérience sur trois ans.",
    notes: str = "",
    track: Track | None = None,
    name: str = "Alice Martin",
    email: str = "alice@chu-test.fr",
    organisation: str = "CHU de test",
    co_speakers: list[tuple[str, str, str]] | None = None,
) -> object:
    """A submitted (confirmed) proposal, through the call's services; opens the call if needed."""
    import re

    from congress.cfp import services as cfp
    from congress.core.clock import now
    from congress.mail.models import OutboxMessage

    call = cfp.call_for(event)
    if call is None or not call.is_open(now()):
        cfp.set_call(event, now() - timedelta(days=1), now() + timedelta(days=30))
    submission = cfp.submit(
        event,
        cfp.SubmissionData(
            title=title,
            abstract=abstract,
            kind="talk",
            track_id=track.id if track else None,
            duration_minutes=30,
            language="fr",
            disclosure=disclosure,
            notes=notes,
            name=name,
            email=email,
            organisation=organisation,
            co_speakers=[cfp.CoSpeakerData(*person) for person in co_speakers or []],
        ),
        language="fr",
    )
    message = db.session.scalars(
        db.select(OutboxMessage)
        .where(OutboxMessage.kind == "cfp_confirm")
        .order_by(OutboxMessage.id.desc())
    ).first()
    assert message is not None
    token = re.search(r"/cfp/confirm/([A-Za-z0-9_-]+)", message.body_text).group(1)
    cfp.confirm(token)
    return submission
