"""Loads the 2014 demo edition through the programme services.

The loader is all-or-nothing: one transaction, so an interrupted load leaves
an empty database that the next ``make run`` fills again. Its sessions obey
the conflict rules like any other save (``services.create_talk``): a clash
in ``demo_data`` refuses the load rather than showing a muddled programme.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from congress.cfp import services as cfp_services
from congress.edition.models import Event, Organiser
from congress.extensions import db
from congress.interchange import demo_data, demo_partners, demo_site
from congress.programme import services
from congress.programme.models import Disclosure, SpeakerRole, TalkKind, TalkStatus
from congress.registration.models import TicketCategory


class DatabaseNotEmpty(RuntimeError):
    """Another edition is already loaded; loading would mix two congresses."""


@dataclass(frozen=True, slots=True)
class SeedResult:
    loaded: bool
    talks: int
    message: str


def database_is_empty() -> bool:
    return db.session.scalar(db.select(db.func.count()).select_from(Event)) == 0


def seed_demo(*, force: bool = False) -> SeedResult:
    """Load the demo edition once; loading again changes nothing.

    With ``force`` the existing editions (and everything that hangs off them)
    are deleted first: this is how a developer resets a muddled database.
    """
    existing = db.session.scalars(db.select(Event)).all()
    if existing and not force:
        if any(event.slug == demo_data.EVENT["slug"] for event in existing):
            return SeedResult(False, 0, "demo edition already loaded; nothing changed")
        raise DatabaseNotEmpty(
            "the database already holds another edition; use --force to replace it"
        )
    for event in existing:
        db.session.delete(event)
    db.session.flush()
    try:
        talks = _load()
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return SeedResult(True, talks, f"demo edition loaded: {talks} sessions")


def _load() -> int:
    event = Event(**demo_data.EVENT)
    db.session.add(event)
    db.session.flush()
    zone = ZoneInfo(event.timezone)
    rooms = {
        spec["slug"]: services.create_room(
            event, spec["name"], spec["capacity"], slug=spec["slug"], commit=False
        )
        for spec in demo_data.ROOMS
    }
    tracks = {
        spec["slug"]: services.create_track(
            event,
            spec["name"],
            spec["colour"],
            spec["description"],
            slug=spec["slug"],
            commit=False,
        )
        for spec in demo_data.TRACKS
    }
    speakers = {
        spec["slug"]: services.create_speaker(
            event,
            spec["name"],
            affiliation=spec["affiliation"],
            position_title=spec["position_title"],
            bio=spec["bio"],
            slug=spec["slug"],
            commit=False,
        )
        for spec in demo_data.SPEAKERS
    }
    for spec in demo_data.TALKS:
        day = event.first_day + timedelta(days=spec["day"] - 1)
        data = services.TalkData(
            title=spec["title"],
            slug=spec["slug"],
            abstract=spec["abstract"],
            kind=TalkKind(spec["kind"]),
            status=TalkStatus(spec["status"]),
            disclosure=Disclosure(spec["disclosure"]),
            language=spec["language"],
            starts_at=_utc(day, spec["start"], zone),
            ends_at=_utc(day, spec["end"], zone),
            room=rooms[spec["room"]] if spec["room"] else None,
            track=tracks[spec["track"]] if spec["track"] else None,
            seat_limit=spec["seat_limit"],
            speakers=[(speakers[slug], SpeakerRole(role)) for slug, role in spec["speakers"]],
        )
        services.create_talk(event, data, commit=False)
    for position, spec in enumerate(demo_data.CATEGORIES, start=1):
        db.session.add(TicketCategory(event=event, position=position, **spec))
    db.session.add(Organiser(event=event, **demo_data.ORGANISER))
    demo_site.load_site_texts(event)
    demo_partners.load_partners(event)
    call = demo_data.CALL_FOR_PAPERS
    cfp_services.set_call(
        event,
        call["opens"].astimezone(UTC),
        call["closes"].astimezone(UTC),
        call["rules"],
        call["rules_en"],
        commit=False,
    )
    event.programme_version = 1
    return len(demo_data.TALKS)


def _utc(day: date, hhmm: str, zone: ZoneInfo) -> datetime:
    local = datetime.combine(day, time.fromisoformat(hhmm), tzinfo=zone)
    return local.astimezone(UTC)
