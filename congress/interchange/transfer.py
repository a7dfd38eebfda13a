"""Moving a whole edition between databases as one JSON document.

``export_edition`` writes the edition with its programme, ticket categories,
registrations and organiser accounts; ``import_edition`` loads such a document
into a database that does not hold that edition yet, in one transaction. A
document exported, loaded elsewhere and exported again is identical except for
``exported_at`` (the only volatile field: when the export ran).

Rows are referred to by what survives a move (slugs, ``uid`` values, e-mail
addresses), never by database ids, which the target database draws anew.

Left out, on purpose:

* Access tokens and their hashes (management, confirmation, feed links), the
  check-in code hash and the organisers' password hashes, TOTP secrets and
  recovery codes: a dump travels through laptops and mailboxes, and none of
  these may open a door if it leaks. Loading therefore gives organisers an
  unusable password (they must be given a new one) and attendees no working
  private link (links are re-sent from the dashboard). The check-in code is
  derived from the registration ``uid`` and the server secret, so it is
  recomputed on load and printed badges keep working on a server sharing the
  same ``SECRET_KEY``.
* Outbox messages: they are deliveries in flight, not facts of the edition;
  carried over, they would be sent a second time from the new server.
* The audit log: it is a hash chain of the source server, global to every
  edition and linked to its database ids; copied rows would either break the
  target's chain or forge a history the target never saw. The load itself is
  audited once in the target (``edition.imported``).
* Derived values: search keys and the per-session seat counters, recomputed
  from the rows they summarise.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, Final, TypeVar

from sqlalchemy.exc import StatementError
from sqlalchemy.orm import selectinload

from congress.accounts.models import Role, User
from congress.audit.log import record
from congress.core import tokens
from congress.core.clock import now
from congress.core.errors import DomainError
from congress.edition.models import Event
from congress.extensions import db
from congress.programme.models import (
    Disclosure,
    Room,
    Speaker,
    SpeakerRole,
    Talk,
    TalkKind,
    TalkSpeaker,
    TalkStatus,
    Track,
)
from congress.programme.services import search_key as talk_index_text
from congress.programme.services import speaker_email, speaker_phone
from congress.registration import fees
from congress.registration.models import (
    AgendaItem,
    CheckIn,
    JobRole,
    OrganisationType,
    Registration,
    RegistrationStatus,
    SeatCounter,
    TicketCategory,
)
from congress.registration.services import checkin_code
from congress.registration.services import search_key as registration_search_key

__all__ = [
    "FORMAT",
    "VERSION",
    "VOLATILE_FIELDS",
    "TransferError",
    "TransferReport",
    "count_rows",
    "export_edition",
    "import_edition",
]

FORMAT: Final = "congress-edition"
VERSION: Final = 1
#: Top-level fields that differ between two exports of the same data.
VOLATILE_FIELDS: Final = ("exported_at",)
#: Stored in place of a password hash: no password verifies against it.
UNUSABLE_PASSWORD: Final = ""

Progress = Callable[[int], None]

# The fields of the rows that are stored as they are, in the order the document lists them.
ROOM_FIELDS: Final = ("slug", "name", "capacity", "position")
TRACK_FIELDS: Final = ("slug", "name", "colour", "description", "position")
SPEAKER_FIELDS: Final = ("uid", "slug", "name", "affiliation", "position_title", "bio")
#: The speakers' private contact details, personal data of the edition like the
#: registrations. Exported as ``null`` when absent; a document written before they
#: existed has no such keys, which loads as no contact.
SPEAKER_CONTACT_FIELDS: Final = ("email", "phone")
CATEGORY_FIELDS: Final = (
    "slug",
    "name",
    "name_en",
    "price_cents",
    "capacity",
    "public",
    "seats_taken",
    "position",
)
#: Early-bird price (net cents, ``null`` for none) and the instant it ends (UTC ISO,
#: ``null``); a document written before fees existed has no such keys: no early price.
CATEGORY_EARLY_FIELDS: Final = ("early_price_cents", "early_until")
_Plain = TypeVar("_Plain", Room, Track, Speaker, TicketCategory)


class TransferError(ValueError):
    """The document cannot be loaded; the message is one line an operator can act on."""


@dataclass(frozen=True, slots=True)
class TransferReport:
    """What a load added; ``organisers_kept`` already existed and were left as they were."""

    edition: str
    rooms: int
    tracks: int
    speakers: int
    talks: int
    ticket_categories: int
    registrations: int
    organisers: int
    organisers_kept: int


# -- export -----------------------------------------------------------------------------------


def count_rows(event: Event) -> int:
    """How many items ``export_edition`` reports to its progress callback (for a bar)."""
    total = 0
    for model in (Room, Track, Speaker, Talk, TicketCategory, Registration):
        total += db.session.scalar(
            db.select(db.func.count()).select_from(model).where(model.event_id == event.id)
        )
    total += db.session.scalar(db.select(db.func.count()).select_from(User))
    return total


def export_edition(event: Event, *, progress: Progress | None = None) -> dict[str, Any]:
    """The edition as plain dicts and lists, in a fixed order (same data, same JSON).

    Reads a constant number of statements whatever the size of the edition:
    each table once, relationships by ``selectinload``.
    """
    tick = progress or (lambda _count: None)
    rooms = db.session.scalars(
        db.select(Room).where(Room.event_id == event.id).order_by(Room.position, Room.slug)
    ).all()
    tracks = db.session.scalars(
        db.select(Track).where(Track.event_id == event.id).order_by(Track.position, Track.slug)
    ).all()
    speakers = db.session.scalars(
        db.select(Speaker).where(Speaker.event_id == event.id).order_by(Speaker.slug)
    ).all()
    talks = db.session.scalars(
        db.select(Talk)
        .where(Talk.event_id == event.id)
        .options(selectinload(Talk.speaker_links).selectinload(TalkSpeaker.speaker))
        .order_by(Talk.starts_at, Talk.slug)
    ).all()
    categories = db.session.scalars(
        db.select(TicketCategory)
        .where(TicketCategory.event_id == event.id)
        .order_by(TicketCategory.position, TicketCategory.slug)
    ).all()
    users = db.session.scalars(db.select(User).order_by(User.email)).all()
    room_slugs = {room.id: room.slug for room in rooms}
    track_slugs = {track.id: track.slug for track in tracks}
    category_slugs = {category.id: category.slug for category in categories}
    talk_uids = {talk.id: talk.uid for talk in talks}
    user_emails = {user.id: user.email for user in users}

    document: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": _iso(now()),
        "edition": _export_event(event),
        "rooms": [],
        "tracks": [],
        "speakers": [],
        "talks": [],
        "ticket_categories": [],
        "registrations": [],
        "organisers": [],
    }
    _export_plain(document, "rooms", rooms, ROOM_FIELDS, tick)
    _export_plain(document, "tracks", tracks, TRACK_FIELDS, tick)
    _export_plain(document, "speakers", speakers, (*SPEAKER_FIELDS, *SPEAKER_CONTACT_FIELDS), tick)
    for talk in talks:
        document["talks"].append(_export_talk(talk, room_slugs, track_slugs))
        tick(1)
    _export_plain(document, "ticket_categories", categories, CATEGORY_FIELDS, tick)
    for category, row in zip(categories, document["ticket_categories"], strict=True):
        row["early_price_cents"] = category.early_price_cents
        row["early_until"] = _iso(category.early_until)
    _export_registrations(event, document, category_slugs, talk_uids, user_emails, tick)
    for user in users:
        # Identity and role only: no password hash, TOTP secret or recovery code.
        document["organisers"].append(
            {"email": user.email, "role": user.role.value, "display_name": user.display_name}
        )
        tick(1)
    return document


def _export_plain(
    document: dict[str, Any],
    section: str,
    rows: Sequence[Room | Track | Speaker | TicketCategory],
    fields: Sequence[str],
    tick: Progress,
) -> None:
    """Rows whose fields are stored as they are (no reference, no date) into ``section``."""
    for row in rows:
        document[section].append({name: getattr(row, name) for name in fields})
        tick(1)


def _export_event(event: Event) -> dict[str, Any]:
    return {
        "slug": event.slug,
        "name": event.name,
        "acronym": event.acronym,
        "venue": event.venue,
        "address": event.address,
        "city": event.city,
        "timezone": event.timezone,
        "first_day": event.first_day.isoformat(),
        "last_day": event.last_day.isoformat(),
        "description": event.description,
        "description_en": event.description_en,
        "registration_opens_at": _iso(event.registration_opens_at),
        "registration_closes_at": _iso(event.registration_closes_at),
        # A string, not a float: the rate is exact ("5.50").
        "vat_rate": str(event.vat_rate),
        "vat_exemption": event.vat_exemption,
        "programme_version": event.programme_version,
        "programme_updated_at": _iso(event.programme_updated_at),
        "created_at": _iso(event.created_at),
    }


def _export_talk(
    talk: Talk, room_slugs: Mapping[int, str], track_slugs: Mapping[int, str]
) -> dict[str, Any]:
    return {
        "uid": talk.uid,
        "slug": talk.slug,
        "title": talk.title,
        "abstract": talk.abstract,
        "kind": talk.kind.value,
        "status": talk.status.value,
        "disclosure": talk.disclosure.value,
        "language": talk.language,
        "starts_at": _iso(talk.starts_at),
        "ends_at": _iso(talk.ends_at),
        "room": room_slugs.get(talk.room_id) if talk.room_id is not None else None,
        "track": track_slugs.get(talk.track_id) if talk.track_id is not None else None,
        "seat_limit": talk.seat_limit,
        "sequence": talk.sequence,
        "created_at": _iso(talk.created_at),
        "updated_at": _iso(talk.updated_at),
        "speakers": [
            {"speaker": link.speaker.uid, "role": link.role.value, "position": link.position}
            for link in sorted(talk.speaker_links, key=lambda link: link.position)
        ],
    }


def _export_registrations(
    event: Event,
    document: dict[str, Any],
    category_slugs: Mapping[int, str],
    talk_uids: Mapping[int, str],
    user_emails: Mapping[int, str],
    tick: Progress,
) -> None:
    """Registrations with their agenda and check-ins (two extra statements in all)."""
    registrations = db.session.scalars(
        db.select(Registration)
        .where(Registration.event_id == event.id)
        .order_by(Registration.created_at, Registration.uid)
    ).all()
    agenda: dict[int, list[dict[str, Any]]] = {}
    for item in db.session.scalars(
        db.select(AgendaItem)
        .join(Registration, AgendaItem.registration_id == Registration.id)
        .where(Registration.event_id == event.id)
    ):
        agenda.setdefault(item.registration_id, []).append(
            {
                "talk": talk_uids[item.talk_id],
                "holds_seat": item.holds_seat,
                "created_at": _iso(item.created_at),
            }
        )
    check_ins: dict[int, list[dict[str, Any]]] = {}
    for check_in in db.session.scalars(
        db.select(CheckIn)
        .join(Registration, CheckIn.registration_id == Registration.id)
        .where(Registration.event_id == event.id)
        .order_by(CheckIn.day)
    ):
        check_ins.setdefault(check_in.registration_id, []).append(
            {
                "day": check_in.day.isoformat(),
                "checked_in_at": _iso(check_in.checked_in_at),
                "by": user_emails.get(check_in.by_user_id) if check_in.by_user_id else None,
                "by_label": check_in.by_label,
            }
        )
    for registration in registrations:
        document["registrations"].append(
            {
                "uid": registration.uid,
                "category": category_slugs[registration.category_id],
                "status": registration.status.value,
                "first_name": registration.first_name,
                "last_name": registration.last_name,
                "email": registration.email,
                "organisation": registration.organisation,
                "organisation_type": registration.organisation_type.value,
                "job_role": registration.job_role.value,
                "days": [day.isoformat() for day in _mask_days(event, registration.days_mask)],
                "accessibility_needs": registration.accessibility_needs,
                "dietary_needs": registration.dietary_needs,
                "needs_consent_at": _iso(registration.needs_consent_at),
                "privacy_consent_at": _iso(registration.privacy_consent_at),
                "newsletter": registration.newsletter,
                "language": registration.language,
                "feed_generation": registration.feed_generation,
                "created_at": _iso(registration.created_at),
                "updated_at": _iso(registration.updated_at),
                "confirmed_at": _iso(registration.confirmed_at),
                "waiting_since": _iso(registration.waiting_since),
                "cancelled_at": _iso(registration.cancelled_at),
                "erased_at": _iso(registration.erased_at),
                "agenda": sorted(agenda.get(registration.id, []), key=lambda item: item["talk"]),
                "check_ins": check_ins.get(registration.id, []),
            }
        )
        tick(1)


def _mask_days(event: Event, mask: int) -> list[date]:
    """Every day whose bit is set, even one outside the edition's current days."""
    return [
        event.first_day + timedelta(days=index)
        for index in range(mask.bit_length())
        if mask & (1 << index)
    ]


# -- import -----------------------------------------------------------------------------------


def import_edition(document: Mapping[str, Any]) -> TransferReport:
    """Load an exported edition in one transaction: all of it, or nothing.

    Refuses (``TransferError``) a document of another format or version, a
    missing or malformed field (named with its place, ``talks[3].starts_at``),
    and an edition, talk, speaker or registration already present. Organisers
    whose e-mail already has an account keep that account untouched; new ones
    get an unusable password. Rows are built directly rather than through the
    programme services: this restores a state (``uid``, ``sequence``, creation
    times, programme version) that the services would rightly re-draw or bump,
    and keeps the programme as it was, conflicts included (an import with
    ``--allow-conflicts`` may have stored some, and the grid shows them).
    """
    if not isinstance(document, Mapping):
        raise TransferError("not an edition document: a JSON object is expected")
    if document.get("format") != FORMAT:
        raise TransferError(f"not an edition document: format {document.get('format')!r}")
    if document.get("version") != VERSION:
        raise TransferError(
            f"unsupported edition document version {document.get('version')!r} "
            f"(this server reads version {VERSION})"
        )
    try:
        report = _load(document)
        db.session.commit()
    except TransferError:
        db.session.rollback()
        raise
    except StatementError as error:
        # A clash or a value of the wrong type that the checks above let through.
        db.session.rollback()
        detail = str(error.orig or error).strip().splitlines()[0]
        raise TransferError(f"the database refused the edition: {detail}") from error
    except Exception:
        db.session.rollback()
        raise
    return report


def _load(document: Mapping[str, Any]) -> TransferReport:
    with _place("edition"):
        event = _load_event(document["edition"])
    _refuse_existing(document)
    db.session.add(event)
    db.session.flush()

    rooms = _load_plain(document, "rooms", Room, ROOM_FIELDS, event)
    tracks = _load_plain(document, "tracks", Track, TRACK_FIELDS, event)
    speakers = _load_plain(
        document,
        "speakers",
        Speaker,
        SPEAKER_FIELDS,
        event,
        key="uid",
        optional=SPEAKER_CONTACT_FIELDS,
        convert={
            "email": _contact(speaker_email, "email", "e-mail address"),
            "phone": _contact(speaker_phone, "phone", "telephone number"),
        },
    )
    db.session.add_all([*rooms.values(), *tracks.values(), *speakers.values()])

    talks: dict[str, Talk] = {}
    for where, row in _rows(document, "talks"):
        with _place(where):
            talk = _load_talk(event, row, rooms, tracks, speakers)
            talks[talk.uid] = talk
    db.session.add_all(talks.values())

    categories = _load_plain(
        document,
        "ticket_categories",
        TicketCategory,
        CATEGORY_FIELDS,
        event,
        optional=CATEGORY_EARLY_FIELDS,
        convert={"public": bool, "early_price_cents": _cents, "early_until": _datetime},
    )
    for where, row in _rows(document, "ticket_categories"):
        early, price = row.get("early_price_cents"), row.get("price_cents")
        if isinstance(early, int) and isinstance(price, int) and early > price:
            raise TransferError(f"{where}: 'early_price_cents' is above 'price_cents'")
    db.session.add_all(categories.values())

    users, kept = _load_organisers(document)
    db.session.flush()  # check-ins name their organiser by id
    registrations = [
        _load_registration(event, where, row, categories, talks, users)
        for where, row in _rows(document, "registrations")
    ]
    db.session.add_all(registrations)
    db.session.flush()

    seats = Counter(
        item.talk.id
        for registration in registrations
        for item in registration.agenda
        if item.holds_seat
    )
    db.session.add_all(
        SeatCounter(talk_id=talk_id, taken=taken) for talk_id, taken in seats.items()
    )

    report = TransferReport(
        edition=event.slug,
        rooms=len(rooms),
        tracks=len(tracks),
        speakers=len(speakers),
        talks=len(talks),
        ticket_categories=len(categories),
        registrations=len(registrations),
        organisers=len(users) - kept,
        organisers_kept=kept,
    )
    record(
        "edition.imported",
        object_type="event",
        object_id=event.slug,
        changes={
            "rooms": report.rooms,
            "tracks": report.tracks,
            "speakers": report.speakers,
            "talks": report.talks,
            "ticket_categories": report.ticket_categories,
            "registrations": report.registrations,
            "organisers": report.organisers,
        },
    )
    db.session.flush()
    return report


def _load_plain(
    document: Mapping[str, Any],
    section: str,
    model: type[_Plain],
    fields: Sequence[str],
    event: Event,
    *,
    key: str = "slug",
    optional: Sequence[str] = (),
    convert: Mapping[str, Callable[[Any], Any]] | None = None,
) -> dict[str, _Plain]:
    """The rows of ``section`` written by ``_export_plain``, by ``key``; not yet added.

    ``optional`` fields may be missing (``None`` then): added after the format's
    version 1 was first written, they do not make older documents unreadable.
    """
    loaded: dict[str, _Plain] = {}
    for where, row in _rows(document, section):
        with _place(where):
            values = {name: row[name] for name in fields}
            values.update({name: row.get(name) for name in optional})
            for name, function in (convert or {}).items():
                values[name] = function(values[name])
            loaded[row[key]] = model(event=event, **values)
    return loaded


def _contact(
    check: Callable[[str | None], str | None], name: str, what: str
) -> Callable[[Any], Any]:
    """A contact field checked by the programme's own rule, as the dashboard checks it.

    The refusal names the field, not its value: the message may end up in a log.
    """

    def convert(value: Any) -> str | None:
        if value is not None and not isinstance(value, str):
            raise ValueError(f"{name!r} must be a string or null")
        try:
            return check(value)
        except DomainError as error:
            raise ValueError(f"{name!r} is not a valid {what}") from error

    return convert


def _vat(row: Mapping[str, Any]) -> tuple[Decimal, str]:
    """The edition's VAT, checked by the fees rule; 20 % without exemption when absent."""
    rate, exemption = row.get("vat_rate", "20.00"), row.get("vat_exemption", "")
    if not isinstance(rate, str) or not isinstance(exemption, str):
        raise ValueError("'vat_rate' and 'vat_exemption' must be strings")
    try:
        return fees.check_vat(Decimal(rate), exemption), exemption
    except (DomainError, InvalidOperation) as error:
        raise ValueError(f"'vat_rate' {rate!r} or 'vat_exemption' is not valid") from error


def _cents(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"a whole number of cents is expected, not {value!r}")
    return value


def _load_event(row: Mapping[str, Any]) -> Event:
    vat_rate, vat_exemption = _vat(row)
    return Event(
        vat_rate=vat_rate,
        vat_exemption=vat_exemption,
        slug=row["slug"],
        name=row["name"],
        acronym=row["acronym"],
        venue=row["venue"],
        address=row["address"],
        city=row["city"],
        timezone=row["timezone"],
        first_day=date.fromisoformat(row["first_day"]),
        last_day=date.fromisoformat(row["last_day"]),
        description=row["description"],
        description_en=row["description_en"],
        registration_opens_at=_datetime(row["registration_opens_at"]),
        registration_closes_at=_datetime(row["registration_closes_at"]),
        programme_version=int(row["programme_version"]),
        programme_updated_at=_required_datetime(row["programme_updated_at"]),
        created_at=_required_datetime(row["created_at"]),
    )


def _refuse_existing(document: Mapping[str, Any]) -> None:
    """Name the first clash with rows already stored, before anything is written."""
    slug = document["edition"]["slug"]
    if db.session.scalar(db.select(Event.id).where(Event.slug == slug)) is not None:
        raise TransferError(f"edition {slug!r} already exists in this database")
    for key, model in (("talks", Talk), ("speakers", Speaker), ("registrations", Registration)):
        uids = [row.get("uid") for _, row in _rows(document, key)]
        for start in range(0, len(uids), 500):
            clash = db.session.scalar(
                db.select(model.uid).where(model.uid.in_(uids[start : start + 500])).limit(1)
            )
            if clash is not None:
                raise TransferError(f"{key}: uid {clash} already exists in this database")


def _load_talk(
    event: Event,
    row: Mapping[str, Any],
    rooms: Mapping[str, Room],
    tracks: Mapping[str, Track],
    speakers: Mapping[str, Speaker],
) -> Talk:
    disclosure = Disclosure(row["disclosure"])
    links = [
        TalkSpeaker(
            speaker=speakers[link["speaker"]],
            role=SpeakerRole(link["role"]),
            position=link["position"],
        )
        for link in row["speakers"]
    ]
    ordered = [link.speaker for link in sorted(links, key=lambda link: link.position)]
    track = tracks[row["track"]] if row["track"] is not None else None
    talk = Talk(
        event=event,
        uid=row["uid"],
        slug=row["slug"],
        title=row["title"],
        abstract=row["abstract"],
        kind=TalkKind(row["kind"]),
        status=TalkStatus(row["status"]),
        disclosure=disclosure,
        language=row["language"],
        starts_at=_required_datetime(row["starts_at"]),
        ends_at=_required_datetime(row["ends_at"]),
        room=rooms[row["room"]] if row["room"] is not None else None,
        track=track,
        seat_limit=row["seat_limit"],
        sequence=int(row["sequence"]),
        search_text=talk_index_text(
            row["title"],
            row["abstract"],
            [speaker.name for speaker in ordered],
            disclosure,
            organisations=[speaker.affiliation for speaker in ordered],
            track=track.name if track else "",
        ),
        created_at=_required_datetime(row["created_at"]),
        updated_at=_required_datetime(row["updated_at"]),
    )
    talk.speaker_links = links
    return talk


def _load_organisers(document: Mapping[str, Any]) -> tuple[dict[str, User], int]:
    """Accounts by e-mail: existing ones kept as they are, new ones locked out."""
    wanted = {row["email"]: (where, row) for where, row in _rows(document, "organisers")}
    existing = {
        user.email: user
        for user in db.session.scalars(db.select(User).where(User.email.in_(list(wanted))))
    }
    users = dict(existing)
    for email, (where, row) in wanted.items():
        if email in existing:
            continue
        with _place(where):
            users[email] = User(
                email=email,
                role=Role(row["role"]),
                display_name=row["display_name"],
                password_hash=UNUSABLE_PASSWORD,
            )
        db.session.add(users[email])
    return users, len(existing)


def _load_registration(
    event: Event,
    where: str,
    row: Mapping[str, Any],
    categories: Mapping[str, TicketCategory],
    talks: Mapping[str, Talk],
    users: Mapping[str, User],
) -> Registration:
    with _place(where):
        days = [date.fromisoformat(value) for value in row["days"]]
        if any(day < event.first_day for day in days):
            raise ValueError("a day before the edition's first day")
        registration = Registration(
            event=event,
            uid=row["uid"],
            category=categories[row["category"]],
            status=RegistrationStatus(row["status"]),
            first_name=row["first_name"],
            last_name=row["last_name"],
            email=row["email"],
            organisation=row["organisation"],
            organisation_type=OrganisationType(row["organisation_type"]),
            job_role=JobRole(row["job_role"]),
            days_mask=sum(1 << (day - event.first_day).days for day in set(days)),
            accessibility_needs=row["accessibility_needs"],
            dietary_needs=row["dietary_needs"],
            needs_consent_at=_datetime(row["needs_consent_at"]),
            privacy_consent_at=_required_datetime(row["privacy_consent_at"]),
            newsletter=bool(row["newsletter"]),
            language=row["language"],
            feed_generation=int(row["feed_generation"]),
            created_at=_required_datetime(row["created_at"]),
            updated_at=_required_datetime(row["updated_at"]),
            confirmed_at=_datetime(row["confirmed_at"]),
            waiting_since=_datetime(row["waiting_since"]),
            cancelled_at=_datetime(row["cancelled_at"]),
            erased_at=_datetime(row["erased_at"]),
        )
        registration.search_text = (
            "" if registration.erased_at is not None else registration_search_key(registration)
        )
        if registration.status is RegistrationStatus.CONFIRMED and registration.erased_at is None:
            registration.checkin_code_hash = tokens.hash_token(checkin_code(registration))
        registration.agenda = [
            AgendaItem(
                talk=talks[item["talk"]],
                holds_seat=bool(item["holds_seat"]),
                created_at=_required_datetime(item["created_at"]),
            )
            for item in row["agenda"]
        ]
        for item in row["check_ins"]:
            by = users[item["by"]] if item["by"] is not None else None
            db.session.add(
                CheckIn(
                    registration=registration,
                    day=date.fromisoformat(item["day"]),
                    checked_in_at=_required_datetime(item["checked_in_at"]),
                    by_user_id=by.id if by is not None else None,
                    by_label=item["by_label"],
                )
            )
    return registration


# -- helpers ----------------------------------------------------------------------------------


def _rows(document: Mapping[str, Any], key: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Each object of a top-level list with its place (``talks[3]``) for error messages."""
    rows = document.get(key)
    if not isinstance(rows, Sequence) or isinstance(rows, str):
        raise TransferError(f"{key}: a list is expected")
    for index, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise TransferError(f"{key}[{index}]: an object is expected")
        yield f"{key}[{index}]", row


@contextmanager
def _place(where: str) -> Iterator[None]:
    """Turn a missing or malformed field into a ``TransferError`` naming its place."""
    try:
        yield
    except KeyError as error:
        raise TransferError(f"{where}: missing or unknown {error.args[0]!r}") from error
    except (TypeError, ValueError, AttributeError) as error:
        if isinstance(error, TransferError):
            raise
        raise TransferError(f"{where}: {error}") from error


def _iso(moment: datetime | None) -> str | None:
    """UTC ISO 8601 with a ``Z``; microseconds kept so a reload is exact."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _datetime(value: object) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"a date-time string is expected, not {value!r}")
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError(f"{value!r} has no UTC offset")
    return moment.astimezone(UTC)


def _required_datetime(value: object) -> datetime:
    moment = _datetime(value)
    if moment is None:
        raise ValueError("a date-time is required")
    return moment
