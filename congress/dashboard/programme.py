"""The programme editor: a day grid with conflicts marked, and the session form.

A save goes through the programme services, which refuse a slot breaking a
conflict rule (``services.SlotConflicts``, answered 409): nothing is saved and
each conflict is shown beside the field it concerns. The view decides nothing
itself. Times are typed in the edition's zone and stored in UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from wtforms import SelectChoice

from congress.accounts.permissions import Permission
from congress.core.errors import DomainError
from congress.core.text import parse_day
from congress.dashboard.actions import button_action, show_error, show_refusal
from congress.dashboard.blueprint import bp, needs
from congress.dashboard.programme_forms import TalkForm
from congress.edition.models import Event
from congress.edition.queries import current_event_or_404
from congress.extensions import db
from congress.i18n import lazy_gettext as _l
from congress.programme import conflicts, queries, services
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
from congress.programme.schedule_view import grid_columns, group_by_day

NONE = 0


def _speakers(event: Event) -> list[Speaker]:
    stmt = db.select(Speaker).where(Speaker.event_id == event.id).order_by(Speaker.name)
    return list(db.session.scalars(stmt))


@bp.get("/programme")
@needs(Permission.EDIT_PROGRAMME)
def programme() -> str:
    event = current_event_or_404()
    day = parse_day(request.args.get("day", "")) or event.first_day
    if day not in event.days:
        day = event.first_day
    talks = queries.all_talks(event)
    rooms = queries.rooms(event)
    speakers = {s.id: s.name for t in talks for s in t.speakers}
    found = conflicts.conflicts_by_talk(
        conflicts.slots_for(event),
        event=event,
        room_capacities={room.id: room.capacity for room in rooms},
        speaker_names=speakers,
    )
    return render_template(
        "dashboard/programme.html",
        event=event,
        day=day,
        schedule=group_by_day(event, talks, [day])[0],
        rooms=rooms,
        columns=grid_columns(rooms),
        conflicts=found,
        conflict_count=len(found),
    )


def _talk(event: Event, talk_id: int) -> Talk:
    """The edition's talk, or 404 (an id of another edition is not found either)."""
    talk = db.session.get(Talk, talk_id)
    if talk is None or talk.event_id != event.id:
        abort(404)
    return talk


def _form(event: Event, talk: Talk | None) -> TalkForm:
    form = TalkForm(obj=None)
    form.day.choices = [SelectChoice(d.isoformat(), d.isoformat()) for d in event.days]
    form.room.choices = [
        SelectChoice(NONE, _l("No room (common areas)")),
        *(SelectChoice(r.id, r.name) for r in queries.rooms(event)),
    ]
    form.track.choices = [
        SelectChoice(NONE, _l("No track")),
        *(SelectChoice(t.id, t.name) for t in queries.tracks(event)),
    ]
    people = [SelectChoice(s.id, s.name) for s in _speakers(event)]
    form.speakers.choices = people
    form.moderator.choices = [SelectChoice(NONE, _l("None")), *people]
    if request.method == "GET" and talk is not None:
        local_start = talk.starts_at.astimezone(event.zone)
        form.title.data = talk.title
        form.kind.data = talk.kind.value
        form.status.data = talk.status.value
        form.disclosure.data = talk.disclosure.value
        form.language.data = talk.language
        form.day.data = local_start.date().isoformat()
        form.starts_at.data = local_start.time()
        form.ends_at.data = talk.ends_at.astimezone(event.zone).time()
        form.room.data = talk.room_id or NONE
        form.track.data = talk.track_id or NONE
        form.seat_limit.data = talk.seat_limit
        form.speakers.data = [
            link.speaker_id for link in talk.speaker_links if link.role is not SpeakerRole.MODERATOR
        ]
        moderators = [
            link.speaker_id for link in talk.speaker_links if link.role is SpeakerRole.MODERATOR
        ]
        form.moderator.data = moderators[0] if moderators else NONE
        form.abstract.data = talk.abstract
    return form


def _data(event: Event, form: TalkForm) -> services.TalkData:
    """Form values to a TalkData, local times converted to UTC here, at the edge."""
    day = parse_day(form.day.data or "")
    if day is None or day not in event.days:
        raise DomainError(_l("Choose a day of the congress."), field="day")
    starts = datetime.combine(day, form.starts_at.data, tzinfo=event.zone).astimezone(UTC)
    ends = datetime.combine(day, form.ends_at.data, tzinfo=event.zone).astimezone(UTC)
    room = db.session.get(Room, form.room.data) if form.room.data else None
    track = db.session.get(Track, form.track.data) if form.track.data else None
    if (room and room.event_id != event.id) or (track and track.event_id != event.id):
        raise DomainError(_l("Choose from the list."), field="room")
    chosen: list[tuple[Speaker, SpeakerRole]] = []
    moderator_id = form.moderator.data or NONE
    if moderator_id:
        moderator = db.session.get(Speaker, moderator_id)
        if moderator is not None and moderator.event_id == event.id:
            chosen.append((moderator, SpeakerRole.MODERATOR))
    kind = TalkKind(form.kind.data)
    role = SpeakerRole.PANELIST if kind is TalkKind.ROUND_TABLE else SpeakerRole.SPEAKER
    for speaker_id in form.speakers.data or []:
        speaker = db.session.get(Speaker, speaker_id)
        if speaker is not None and speaker.event_id == event.id and speaker_id != moderator_id:
            chosen.append((speaker, role))
    return services.TalkData(
        title=(form.title.data or "").strip(),
        kind=kind,
        starts_at=starts,
        ends_at=ends,
        abstract=form.abstract.data or "",
        status=TalkStatus(form.status.data),
        disclosure=Disclosure(form.disclosure.data),
        language=form.language.data or "fr",
        room=room,
        track=track,
        seat_limit=form.seat_limit.data,
        speakers=chosen,
    )


def _save(event: Event, form: TalkForm, talk: Talk | None) -> tuple[Talk | None, int]:
    """Validate the form, save through the services; on refusal put messages beside fields."""
    if not form.validate_on_submit():
        return None, 400
    try:
        data = _data(event, form)
    except DomainError as error:
        show_error(form, error.field, error.message)
        return None, 400
    try:
        if talk is None:
            talk = services.create_talk(event, data)
        else:
            data.slug = talk.slug
            services.update_talk(talk, data)
    except services.SlotConflicts as error:
        db.session.rollback()
        for found in error.found:
            show_error(form, found.conflict.field, found.conflict.message)
        return None, error.status_code
    except DomainError as error:
        return None, show_refusal(form, error)
    return talk, 200


@bp.route("/talks/new", methods=["GET", "POST"])
@needs(Permission.EDIT_PROGRAMME)
def talk_new() -> Any:
    event = current_event_or_404()
    form = _form(event, None)
    if request.method == "GET":
        form.day.data = request.args.get("day") or event.first_day.isoformat()
        form.room.data = NONE
        form.track.data = NONE
        form.moderator.data = NONE
    return _talk_page(event, form, None)


@bp.route("/talks/<int:talk_id>", methods=["GET", "POST"])
@needs(Permission.EDIT_PROGRAMME)
def talk_edit(talk_id: int) -> Any:
    event = current_event_or_404()
    talk = _talk(event, talk_id)
    return _talk_page(event, _form(event, talk), talk)


def _talk_page(event: Event, form: TalkForm, talk: Talk | None) -> Any:
    """The talk form: shown, or saved then back to the grid at the talk's day."""
    status = 200
    if request.method == "POST":
        saved, status = _save(event, form, talk)
        if saved is not None:
            flash(_l("Session saved."), "success")
            return redirect(url_for("dashboard.programme", day=form.day.data))
    return render_template("dashboard/talk_form.html", event=event, form=form, talk=talk), status


def _talk_action(talk_id: int, action: Any, message: Any) -> Any:
    event = current_event_or_404()
    talk = _talk(event, talk_id)
    day = talk.starts_at.astimezone(event.zone).date().isoformat()
    return button_action(lambda: action(talk), message, url_for("dashboard.programme", day=day))


@bp.post("/talks/<int:talk_id>/cancel")
@needs(Permission.EDIT_PROGRAMME)
def talk_cancel(talk_id: int) -> Any:
    return _talk_action(talk_id, services.cancel_talk, _l("Session cancelled."))


@bp.post("/talks/<int:talk_id>/delete")
@needs(Permission.EDIT_PROGRAMME)
def talk_delete(talk_id: int) -> Any:
    return _talk_action(talk_id, services.delete_talk, _l("Draft deleted."))
