"""Organisers' pages for rooms, tracks, speakers and the edition's facts.

Rooms, tracks and speakers are declared here and served by the generic pages of
``entity_admin`` (list and add, edit, delete); the edition has its own form.
Each change is one ``programme.services`` call, which audits, bumps the
programme version and commits; a refusal (``DomainError``) is shown beside its
field with the service's status code, or flashed for a refused deletion.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from flask import render_template, request, url_for

from congress.accounts.permissions import Permission
from congress.core.text import fold
from congress.dashboard.actions import save_form
from congress.dashboard.blueprint import bp, needs
from congress.dashboard.entity_admin import EntityAdmin, ImageSlot, Page, register
from congress.dashboard.entity_forms import (
    Q_MAX,
    EventForm,
    PhotoForm,
    RoomForm,
    SpeakerForm,
    SpeakerSearchForm,
    TrackForm,
)
from congress.dashboard.wall_clock import utc_instant, wall_time
from congress.edition.models import Event
from congress.edition.queries import current_event_or_404
from congress.extensions import db
from congress.i18n import gettext as _
from congress.programme import photos, queries, services
from congress.programme.models import Room, Speaker, Track
from congress.registration import fees

ROOMS = EntityAdmin[Room](
    name="room",
    plural="rooms",
    model=Room,
    form=RoomForm,
    listing=lambda event: {"rooms": queries.rooms(event)},
    create=lambda event, form: services.create_room(event, form.name.data, form.capacity.data),
    update=lambda room, form: services.update_room(
        room, name=form.name.data, capacity=form.capacity.data
    ),
    delete=services.delete_room,
    added=lambda name: _("Room “%(name)s” added.", name=name),
    saved=lambda name: _("Room “%(name)s” saved.", name=name),
    deleted=lambda name: _("Room “%(name)s” deleted.", name=name),
)

TRACKS = EntityAdmin[Track](
    name="track",
    plural="tracks",
    model=Track,
    form=TrackForm,
    listing=lambda event: {"tracks": queries.tracks(event)},
    create=lambda event, form: services.create_track(
        event, form.name.data, form.colour.data, form.description.data or ""
    ),
    update=lambda track, form: services.update_track(
        track, name=form.name.data, colour=form.colour.data, description=form.description.data or ""
    ),
    delete=services.delete_track,
    added=lambda name: _("Track “%(name)s” added.", name=name),
    saved=lambda name: _("Track “%(name)s” saved.", name=name),
    deleted=lambda name: _("Track “%(name)s” deleted.", name=name),
)


# Speakers: a search over the list, and more fields -------------------------------------


def _matching_speakers(event: Event, q: str) -> list[Speaker]:
    """The edition's speakers whose name or affiliation holds ``q``, accents and case aside.

    One statement; the filtering is done here rather than in SQL because
    SQLite cannot fold accents, and an edition has hundreds of speakers at most.
    """
    stmt = db.select(Speaker).where(Speaker.event_id == event.id).order_by(Speaker.name, Speaker.id)
    everyone = db.session.scalars(stmt).all()
    terms = fold(q).split()
    if not terms:
        return list(everyone)
    return [
        speaker
        for speaker in everyone
        if all(term in fold(f"{speaker.name} {speaker.affiliation}") for term in terms)
    ]


def _speaker_listing(event: Event) -> dict[str, Any]:
    """The speakers matching ``?q=`` (all of them without it), with the search form."""
    search = SpeakerSearchForm(request.args)
    q = (search.q.data or "").strip()[:Q_MAX]
    return {"speakers": _matching_speakers(event, q), "q": q, "search": search}


def _speaker_details(form: SpeakerForm) -> dict[str, str]:
    return {
        "affiliation": form.affiliation.data or "",
        "position_title": form.position_title.data or "",
        "bio": form.bio.data or "",
        "email": form.email.data or "",
        "phone": form.phone.data or "",
    }


SPEAKERS = EntityAdmin[Speaker](
    name="speaker",
    plural="speakers",
    model=Speaker,
    form=SpeakerForm,
    listing=_speaker_listing,
    create=lambda event, form: services.create_speaker(
        event, form.name.data, **_speaker_details(form)
    ),
    update=lambda speaker, form: services.update_speaker(
        speaker, name=form.name.data, **_speaker_details(form)
    ),
    delete=services.delete_speaker,
    added=lambda name: _("Speaker “%(name)s” added.", name=name),
    saved=lambda name: _("Speaker “%(name)s” saved.", name=name),
    deleted=lambda name: _("Speaker “%(name)s” deleted.", name=name),
    image=ImageSlot[Speaker](
        form=PhotoForm,
        field="photo",
        store=photos.set_speaker_photo,
        remove=photos.remove_speaker_photo,
        stored=lambda name: _("Photo of %(name)s saved.", name=name),
        removed=lambda name: _("Photo of %(name)s removed.", name=name),
    ),
)

register(ROOMS)
register(TRACKS)
register(SPEAKERS)


# The edition ---------------------------------------------------------------------------

EVENT_TEXT_FIELDS = (
    "name",
    "acronym",
    "venue",
    "address",
    "city",
    "timezone",
    "description",
    "description_en",
)


def _event_initial(event: Event) -> dict[str, object]:
    """The form's starting values: the registration window shown in the edition's zone."""
    values: dict[str, object] = {name: getattr(event, name) for name in EVENT_TEXT_FIELDS}
    values["first_day"] = event.first_day
    values["last_day"] = event.last_day
    values["registration_opens_at"] = wall_time(event.registration_opens_at, event.zone)
    values["registration_closes_at"] = wall_time(event.registration_closes_at, event.zone)
    values["vat_rate"] = format(Decimal(event.vat_rate).normalize(), "f")
    values["vat_exemption"] = event.vat_exemption
    return values


def _save_event(event: Event, form: EventForm) -> None:
    """VAT first (no commit), then the facts, whose service commits both at once.

    An empty rate keeps the edition's current one (a form posted without the field).
    """
    typed = (form.vat_rate.data or "").replace(",", ".")
    rate = Decimal(typed) if typed else Decimal(event.vat_rate)
    fees.set_vat(event, rate, form.vat_exemption.data or "")
    services.update_event(event, _event_values(form))


def _event_values(form: EventForm) -> dict[str, object]:
    zone = ZoneInfo(form.timezone.data)
    values: dict[str, object] = {name: form[name].data or "" for name in EVENT_TEXT_FIELDS}
    values["first_day"] = form.first_day.data
    values["last_day"] = form.last_day.data
    values["registration_opens_at"] = utc_instant(form.registration_opens_at.data, zone)
    values["registration_closes_at"] = utc_instant(form.registration_closes_at.data, zone)
    return values


@bp.route("/event", methods=["GET", "POST"])
@needs(Permission.EDIT_EVENT)
def edit_event() -> Page:
    event = current_event_or_404()
    form = EventForm() if request.method == "POST" else EventForm(data=_event_initial(event))
    status = 200
    if request.method == "POST":
        result = save_form(
            form,
            lambda: _save_event(event, form),
            lambda: _("The edition's details are saved."),
            url_for("dashboard.edit_event"),
        )
        if not isinstance(result, int):
            return result
        status = result
    return render_template("dashboard/event_form.html", event=event, form=form), status
