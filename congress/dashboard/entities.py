"""Organisers' pages for rooms, tracks, speakers and the edition's facts.

Each view parses a form, calls one ``programme.services`` function (which
audits, bumps the programme version and commits) and redirects; a refusal
(``DomainError``) is shown beside its field with the service's status code, or
flashed for a refused deletion. Every object is looked up within the current
edition: an id from another edition answers 404, like an unknown one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from congress.accounts.permissions import Permission
from congress.core.errors import DomainError
from congress.core.text import fold
from congress.dashboard.blueprint import bp, needs
from congress.dashboard.entity_forms import (
    Q_MAX,
    EventForm,
    RoomForm,
    SpeakerForm,
    SpeakerSearchForm,
    TrackForm,
)
from congress.edition.models import Event
from congress.edition.queries import request_event
from congress.extensions import db
from congress.i18n import gettext as _
from congress.programme import queries, services
from congress.programme.models import Room, Speaker, Track
from congress.registration.forms import ButtonForm

M = TypeVar("M", Room, Track, Speaker)
Page = tuple[str, int] | Response


def _event() -> Event:
    event = request_event()
    if event is None:
        abort(404)
    return event


def _owned(model: type[M], object_id: int, event: Event) -> M:
    """The object if it belongs to the current edition; otherwise 404."""
    obj = db.session.get(model, object_id)
    if obj is None or obj.event_id != event.id:
        abort(404)
    return obj


def _refused(form: FlaskForm, error: DomainError) -> int:
    """Show a service's refusal beside its field (or above the form); its 4xx status."""
    db.session.rollback()
    field = getattr(form, error.field or "", None)
    if field is not None and hasattr(field, "errors"):
        field.errors = [*list(field.errors or []), error.message]
    else:
        form.form_errors.append(error.message)
    return error.status_code


def _save(
    form: FlaskForm, action: Callable[[], object], done: Callable[[], str], target: str
) -> Page | int:
    """Validate, run one service call, flash and redirect; else the status to render with.

    ``done`` builds the message once the change is made, with the eager ``gettext``:
    a lazy string would be flashed as markup, and a name typed in the form would
    then reach the page unescaped.
    """
    if not form.validate_on_submit():
        return 400
    try:
        action()
    except DomainError as error:
        return _refused(form, error)
    flash(done(), "success")
    return redirect(target)


def _delete(obj: Any, action: Callable[[Any], None], done: str, back: str, edit: str) -> Response:
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        action(obj)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(edit)
    flash(done, "success")
    return redirect(back)


# Rooms ---------------------------------------------------------------------------------


@bp.route("/rooms", methods=["GET", "POST"])
@needs(Permission.EDIT_PROGRAMME)
def rooms() -> Page:
    event = _event()
    form = RoomForm()
    status = 200
    if request.method == "POST":
        result = _save(
            form,
            lambda: services.create_room(event, form.name.data, form.capacity.data),
            lambda: _("Room “%(name)s” added.", name=form.name.data),
            url_for("dashboard.rooms"),
        )
        if not isinstance(result, int):
            return result
        status = result
    return render_template(
        "dashboard/rooms.html", event=event, rooms=queries.rooms(event), form=form
    ), status


@bp.route("/rooms/<int:room_id>", methods=["GET", "POST"])
@needs(Permission.EDIT_PROGRAMME)
def room_edit(room_id: int) -> Page:
    event = _event()
    room = _owned(Room, room_id, event)
    form = RoomForm(obj=room)
    status = 200
    if request.method == "POST":
        result = _save(
            form,
            lambda: services.update_room(room, name=form.name.data, capacity=form.capacity.data),
            lambda: _("Room “%(name)s” saved.", name=form.name.data),
            url_for("dashboard.rooms"),
        )
        if not isinstance(result, int):
            return result
        status = result
    return render_template(
        "dashboard/room_form.html", event=event, room=room, form=form, button=ButtonForm()
    ), status


@bp.post("/rooms/<int:room_id>/delete")
@needs(Permission.EDIT_PROGRAMME)
def room_delete(room_id: int) -> Response:
    room = _owned(Room, room_id, _event())
    return _delete(
        room,
        services.delete_room,
        _("Room “%(name)s” deleted.", name=room.name),
        url_for("dashboard.rooms"),
        url_for("dashboard.room_edit", room_id=room_id),
    )


# Tracks --------------------------------------------------------------------------------


@bp.route("/tracks", methods=["GET", "POST"])
@needs(Permission.EDIT_PROGRAMME)
def tracks() -> Page:
    event = _event()
    form = TrackForm()
    status = 200
    if request.method == "POST":
        result = _save(
            form,
            lambda: services.create_track(
                event, form.name.data, form.colour.data, form.description.data or ""
            ),
            lambda: _("Track “%(name)s” added.", name=form.name.data),
            url_for("dashboard.tracks"),
        )
        if not isinstance(result, int):
            return result
        status = result
    return render_template(
        "dashboard/tracks.html", event=event, tracks=queries.tracks(event), form=form
    ), status


@bp.route("/tracks/<int:track_id>", methods=["GET", "POST"])
@needs(Permission.EDIT_PROGRAMME)
def track_edit(track_id: int) -> Page:
    event = _event()
    track = _owned(Track, track_id, event)
    form = TrackForm(obj=track)
    status = 200
    if request.method == "POST":
        result = _save(
            form,
            lambda: services.update_track(
                track,
                name=form.name.data,
                colour=form.colour.data,
                description=form.description.data or "",
            ),
            lambda: _("Track “%(name)s” saved.", name=form.name.data),
            url_for("dashboard.tracks"),
        )
        if not isinstance(result, int):
            return result
        status = result
    return render_template(
        "dashboard/track_form.html", event=event, track=track, form=form, button=ButtonForm()
    ), status


@bp.post("/tracks/<int:track_id>/delete")
@needs(Permission.EDIT_PROGRAMME)
def track_delete(track_id: int) -> Response:
    track = _owned(Track, track_id, _event())
    return _delete(
        track,
        services.delete_track,
        _("Track “%(name)s” deleted.", name=track.name),
        url_for("dashboard.tracks"),
        url_for("dashboard.track_edit", track_id=track_id),
    )


# Speakers ------------------------------------------------------------------------------


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


@bp.route("/speakers", methods=["GET", "POST"])
@needs(Permission.EDIT_PROGRAMME)
def speakers() -> Page:
    event = _event()
    search = SpeakerSearchForm(request.args)
    q = (search.q.data or "").strip()[:Q_MAX]
    form = SpeakerForm()
    status = 200
    if request.method == "POST":
        result = _save(
            form,
            lambda: services.create_speaker(
                event,
                form.name.data,
                affiliation=form.affiliation.data or "",
                position_title=form.position_title.data or "",
                bio=form.bio.data or "",
            ),
            lambda: _("Speaker “%(name)s” added.", name=form.name.data),
            url_for("dashboard.speakers"),
        )
        if not isinstance(result, int):
            return result
        status = result
    return render_template(
        "dashboard/speakers.html",
        event=event,
        speakers=_matching_speakers(event, q),
        q=q,
        search=search,
        form=form,
    ), status


@bp.route("/speakers/<int:speaker_id>", methods=["GET", "POST"])
@needs(Permission.EDIT_PROGRAMME)
def speaker_edit(speaker_id: int) -> Page:
    event = _event()
    speaker = _owned(Speaker, speaker_id, event)
    form = SpeakerForm(obj=speaker)
    status = 200
    if request.method == "POST":
        result = _save(
            form,
            lambda: services.update_speaker(
                speaker,
                name=form.name.data,
                affiliation=form.affiliation.data or "",
                position_title=form.position_title.data or "",
                bio=form.bio.data or "",
            ),
            lambda: _("Speaker “%(name)s” saved.", name=form.name.data),
            url_for("dashboard.speakers"),
        )
        if not isinstance(result, int):
            return result
        status = result
    return render_template(
        "dashboard/speaker_form.html", event=event, speaker=speaker, form=form, button=ButtonForm()
    ), status


@bp.post("/speakers/<int:speaker_id>/delete")
@needs(Permission.EDIT_PROGRAMME)
def speaker_delete(speaker_id: int) -> Response:
    speaker = _owned(Speaker, speaker_id, _event())
    return _delete(
        speaker,
        services.delete_speaker,
        _("Speaker “%(name)s” deleted.", name=speaker.name),
        url_for("dashboard.speakers"),
        url_for("dashboard.speaker_edit", speaker_id=speaker_id),
    )


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


def _local(moment: datetime | None, zone: ZoneInfo) -> datetime | None:
    """An aware UTC instant as the naive wall-clock time a datetime-local control shows."""
    return moment.astimezone(zone).replace(tzinfo=None) if moment else None


def _utc(wall: datetime | None, zone: ZoneInfo) -> datetime | None:
    """A wall-clock time typed in the edition's zone, as an aware UTC instant."""
    return wall.replace(tzinfo=zone).astimezone(UTC) if wall else None


def _event_initial(event: Event) -> dict[str, object]:
    """The form's starting values: the registration window shown in the edition's zone."""
    values: dict[str, object] = {name: getattr(event, name) for name in EVENT_TEXT_FIELDS}
    values["first_day"] = event.first_day
    values["last_day"] = event.last_day
    values["registration_opens_at"] = _local(event.registration_opens_at, event.zone)
    values["registration_closes_at"] = _local(event.registration_closes_at, event.zone)
    return values


def _event_values(form: EventForm) -> dict[str, object]:
    zone = ZoneInfo(form.timezone.data)
    values: dict[str, object] = {name: form[name].data or "" for name in EVENT_TEXT_FIELDS}
    values["first_day"] = form.first_day.data
    values["last_day"] = form.last_day.data
    values["registration_opens_at"] = _utc(form.registration_opens_at.data, zone)
    values["registration_closes_at"] = _utc(form.registration_closes_at.data, zone)
    return values


@bp.route("/event", methods=["GET", "POST"])
@needs(Permission.EDIT_EVENT)
def edit_event() -> Page:
    event = _event()
    form = EventForm() if request.method == "POST" else EventForm(data=_event_initial(event))
    status = 200
    if request.method == "POST":
        result = _save(
            form,
            lambda: services.update_event(event, _event_values(form)),
            lambda: _("The edition's details are saved."),
            url_for("dashboard.edit_event"),
        )
        if not isinstance(result, int):
            return result
        status = result
    return render_template("dashboard/event_form.html", event=event, form=form), status
