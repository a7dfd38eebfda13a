"""Exports that organisers open in a spreadsheet, and the page that lists them.

Each export is one declared ``Export`` (name, permission, file name, title)
and one view under ``/dashboard/exports/``: the view reads the rows, the
columns and values are written in the interface language (labels, never
codes; times in the edition's zone) and ``core.spreadsheet`` turns them into
a file French or English spreadsheets open as is. Every download is audited
(``export.downloaded``, with the export's name and the number of rows),
because each file carries personal data out of the application.

Health-revealing needs (accessibility, diet) are a column only for roles
with ``VIEW_NEEDS``; speakers' details are for the programme committee
(``EDIT_PROGRAMME``). The raw export of ``/dashboard/registrations.csv``
(codes, UTC) stays for tools that read it.

Reads: the dashboard owns no query module, and these reads exist only for
these files; each export costs a constant number of statements.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask import Response, render_template, request
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import func
from sqlalchemy.orm import joinedload, selectinload

from congress.accounts.permissions import Permission, can
from congress.audit.log import record
from congress.core.clock import now
from congress.core.spreadsheet import SheetFormat, sheet_format, write_csv
from congress.core.text import fold
from congress.dashboard.blueprint import bp, needs
from congress.dashboard.registrations import _filters as registration_filters
from congress.edition.models import Event
from congress.edition.queries import current_event_or_404, day_of_edition_or_400
from congress.extensions import db
from congress.i18n import gettext as _
from congress.i18n import lazy_gettext as _l
from congress.programme.labels import KIND_LABELS, ROLE_LABELS
from congress.programme.models import Speaker, TalkSpeaker, TalkStatus
from congress.programme.models import Talk as ProgrammeTalk
from congress.registration import queries
from congress.registration.labels import (
    JOB_ROLE_LABELS,
    ORGANISATION_TYPE_LABELS,
    STATUS_LABELS,
)
from congress.registration.models import (
    AgendaItem,
    CheckIn,
    Registration,
    RegistrationStatus,
    TicketCategory,
)


@dataclass(frozen=True, slots=True)
class Export:
    """One file of the exports page."""

    name: str  # the audit entry's ``export`` value
    endpoint: str
    permission: Permission
    title: Any  # lazy label
    description: Any
    file_stem: Any  # translated, ASCII: "inscriptions" in French


EXPORTS: tuple[Export, ...] = (
    Export(
        "registrations",
        "dashboard.export_registrations",
        Permission.EXPORT_REGISTRATIONS,
        _l("Registrations"),
        _l("Every registration with its status, category, days and dates."),
        _l("registrations"),
    ),
    Export(
        "waiting_list",
        "dashboard.export_waiting_list",
        Permission.EXPORT_REGISTRATIONS,
        _l("Waiting list"),
        _l("People waiting for a seat, per category, in the order seats will be offered."),
        _l("waiting-list"),
    ),
    Export(
        "checkins",
        "dashboard.export_checkins",
        Permission.EXPORT_REGISTRATIONS,
        _l("Check-ins"),
        _l("Who arrived, on which day and at what time, and who recorded the arrival."),
        _l("check-ins"),
    ),
    Export(
        "session_attendance",
        "dashboard.export_session_attendance",
        Permission.EXPORT_REGISTRATIONS,
        _l("Workshop attendance"),
        _l("For each session with a seat limit, the attendees who put it in their agenda."),
        _l("session-attendance"),
    ),
    Export(
        "speakers",
        "dashboard.export_speakers",
        Permission.EDIT_PROGRAMME,
        _l("Speakers"),
        _l(
            "Speakers with their organisation, position, contact details and sessions, "
            "for the programme committee."
        ),
        _l("speakers"),
    ),
)
_BY_ENDPOINT = {export.endpoint: export for export in EXPORTS}


# ---------------------------------------------------------------- the page


@bp.get("/exports")
@needs(Permission.VIEW_DASHBOARD)
def exports() -> str:
    """The exports this organiser's role may download."""
    event = current_event_or_404()
    allowed = [export for export in EXPORTS if can(current_user, export.permission)]
    return render_template(
        "dashboard/exports.html",
        event=event,
        exports=allowed,
        with_needs=can(current_user, Permission.VIEW_NEEDS),
    )


# ---------------------------------------------------------------- the files


def _language() -> str:
    return str(get_locale() or "fr")


def _sheet(event: Event) -> SheetFormat:
    return sheet_format(_language(), event.zone, yes=_("Yes"), no=_("No"))


def _download(
    event: Event,
    endpoint: str,
    header: Sequence[Any],
    rows: list[list[object]],
    *,
    sheet: SheetFormat,
    with_needs: bool | None = None,
) -> Response:
    """The file, audited and committed before it leaves; named after today's local date."""
    export = _BY_ENDPOINT[endpoint]
    body = write_csv([str(name) for name in header], rows, sheet)
    changes: dict[str, object] = {"export": export.name, "rows": len(rows)}
    if with_needs is not None:
        changes["needs"] = with_needs
    record("export.downloaded", object_type="event", object_id=event.slug, changes=changes)
    db.session.commit()
    today = now().astimezone(event.zone).date()
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{export.file_stem}-{today.isoformat()}.csv"'
    )
    return response


def _day_columns(event: Event, sheet: SheetFormat) -> list[str]:
    return [_("Present on %(day)s", day=sheet.cell(day)) for day in event.days]


def _person(registration: Registration, language: str) -> list[object]:
    """The columns every list of people starts with."""
    return [
        registration.last_name,
        registration.first_name,
        registration.email,
        registration.organisation,
        str(ORGANISATION_TYPE_LABELS[registration.organisation_type]),
        str(JOB_ROLE_LABELS[registration.job_role]),
        registration.category.label(language),
    ]


def _person_header() -> list[str]:
    return [
        _("Last name"),
        _("First name"),
        _("E-mail"),
        _("Organisation"),
        _("Type of organisation"),
        _("Job"),
        _("Category"),
    ]


def _needs_header() -> list[str]:
    return [_("Accessibility needs"), _("Dietary needs")]


def _needs(registration: Registration) -> list[object]:
    return [registration.accessibility_needs, registration.dietary_needs]


@bp.get("/exports/registrations.csv")
@needs(Permission.EXPORT_REGISTRATIONS)
def export_registrations() -> Response:
    """Every registration (or those matching the registrations page's filters)."""
    event = current_event_or_404()
    language = _language()
    sheet = _sheet(event)
    with_needs = can(current_user, Permission.VIEW_NEEDS)
    header = [
        *_person_header(),
        _("Status"),
        *_day_columns(event, sheet),
        _("Registered on"),
        _("Confirmed on"),
        *(_needs_header() if with_needs else []),
    ]
    rows = [
        [
            *_person(registration, language),
            str(STATUS_LABELS[registration.status]),
            *[registration.attends(day) for day in event.days],
            registration.created_at,
            registration.confirmed_at,
            *(_needs(registration) if with_needs else []),
        ]
        for registration in queries.all_matching(event, registration_filters(event))
    ]
    return _download(
        event, "dashboard.export_registrations", header, rows, sheet=sheet, with_needs=with_needs
    )


@bp.get("/exports/waiting-list.csv")
@needs(Permission.EXPORT_REGISTRATIONS)
def export_waiting_list() -> Response:
    """Per category, in the order ``promote_waiting`` offers seats, with each one's place."""
    event = current_event_or_404()
    language = _language()
    sheet = _sheet(event)
    waiting = db.session.scalars(
        db.select(Registration)
        .join(TicketCategory, TicketCategory.id == Registration.category_id)
        .where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.WAITING,
        )
        .options(joinedload(Registration.category))
        .order_by(
            TicketCategory.position,
            TicketCategory.id,
            Registration.waiting_since,
            Registration.id,
        )
    ).all()
    header = [
        _("Category"),
        _("Place in the queue"),
        *_person_header()[:-1],
        *_day_columns(event, sheet),
        _("Waiting since"),
    ]
    rows: list[list[object]] = []
    place = 0
    previous: int | None = None
    for registration in waiting:
        place = place + 1 if registration.category_id == previous else 1
        previous = registration.category_id
        rows.append(
            [
                registration.category.label(language),
                place,
                *_person(registration, language)[:-1],
                *[registration.attends(day) for day in event.days],
                registration.waiting_since,
            ]
        )
    return _download(event, "dashboard.export_waiting_list", header, rows, sheet=sheet)


@bp.get("/exports/check-ins.csv")
@needs(Permission.EXPORT_REGISTRATIONS)
def export_checkins() -> Response:
    """Arrivals by day and time (``?day=`` one day of the edition), with who recorded them."""
    event = current_event_or_404()
    language = _language()
    sheet = _sheet(event)
    stmt = (
        db.select(CheckIn, Registration)
        .join(Registration, Registration.id == CheckIn.registration_id)
        .where(Registration.event_id == event.id)
        .options(joinedload(Registration.category))
        .order_by(CheckIn.day, CheckIn.checked_in_at, CheckIn.id)
    )
    wanted = request.args.get("day")
    if wanted:
        day = day_of_edition_or_400(event, wanted)
        stmt = stmt.where(CheckIn.day == day)
    header = [
        _("Day"),
        _("Time"),
        _("Last name"),
        _("First name"),
        _("Organisation"),
        _("Category"),
        _("Checked in by"),
    ]
    rows: list[list[object]] = [
        [
            checkin.day,
            checkin.checked_in_at.astimezone(event.zone).time(),
            registration.last_name,
            registration.first_name,
            registration.organisation,
            registration.category.label(language),
            checkin.by_label,
        ]
        for checkin, registration in db.session.execute(stmt).unique()
    ]
    return _download(event, "dashboard.export_checkins", header, rows, sheet=sheet)


@bp.get("/exports/session-attendance.csv")
@needs(Permission.EXPORT_REGISTRATIONS)
def export_session_attendance() -> Response:
    """Sessions with a seat limit (not cancelled) and the active registrations holding them.

    A row per attendee and session, sessions by start: a workshop's list is
    the rows that share its title, ready to print or filter.
    """
    event = current_event_or_404()
    language = _language()
    sheet = _sheet(event)
    with_needs = can(current_user, Permission.VIEW_NEEDS)
    stmt = (
        db.select(AgendaItem, Registration, ProgrammeTalk)
        .join(Registration, Registration.id == AgendaItem.registration_id)
        .join(ProgrammeTalk, ProgrammeTalk.id == AgendaItem.talk_id)
        .where(
            ProgrammeTalk.event_id == event.id,
            ProgrammeTalk.seat_limit.is_not(None),
            ProgrammeTalk.status != TalkStatus.CANCELLED,
            Registration.status != RegistrationStatus.CANCELLED,
        )
        .options(joinedload(Registration.category), joinedload(ProgrammeTalk.room))
        .order_by(
            ProgrammeTalk.starts_at,
            ProgrammeTalk.id,
            func.lower(Registration.last_name),
            func.lower(Registration.first_name),
            Registration.id,
        )
    )
    found = db.session.execute(stmt).unique().all()
    taken: dict[int, int] = {}
    for _item, _registration, talk in found:
        taken[talk.id] = taken.get(talk.id, 0) + 1
    header = [
        _("Session"),
        _("Kind"),
        _("Start"),
        _("Room"),
        _("Seat limit"),
        _("Attendees"),
        *_person_header(),
        _("Status"),
        _("Added to the agenda on"),
        *(_needs_header() if with_needs else []),
    ]
    rows: list[list[object]] = [
        [
            talk.title,
            str(KIND_LABELS[talk.kind]),
            talk.starts_at,
            talk.room_name,
            talk.seat_limit,
            taken[talk.id],
            *_person(registration, language),
            str(STATUS_LABELS[registration.status]),
            item.created_at,
            *(_needs(registration) if with_needs else []),
        ]
        for item, registration, talk in found
    ]
    return _download(
        event,
        "dashboard.export_session_attendance",
        header,
        rows,
        sheet=sheet,
        with_needs=with_needs,
    )


@bp.get("/exports/speakers.csv")
@needs(Permission.EDIT_PROGRAMME)
def export_speakers() -> Response:
    """A row per speaker, alphabetical, their sessions (not cancelled) in one cell.

    With their private contact details (e-mail, telephone), which only the
    programme committee sees: the permission of this view is the one of the
    speaker form that edits them. A speaker without them has empty cells.
    """
    event = current_event_or_404()
    sheet = _sheet(event)
    speakers = db.session.scalars(
        db.select(Speaker)
        .where(Speaker.event_id == event.id)
        .options(
            selectinload(Speaker.talk_links)
            .joinedload(TalkSpeaker.talk)
            .joinedload(ProgrammeTalk.room)
        )
    ).all()
    speakers = sorted(speakers, key=lambda speaker: (fold(speaker.name), speaker.id))
    header = [
        _("Name"),
        _("Affiliation"),
        _("Position"),
        _("E-mail"),
        _("Telephone"),
        _("Sessions"),
    ]
    rows: list[list[object]] = []
    for speaker in speakers:
        links = sorted(
            (link for link in speaker.talk_links if link.talk.status != TalkStatus.CANCELLED),
            key=lambda link: (link.talk.starts_at, link.talk.id),
        )
        sessions = "\n".join(_session_line(link, sheet) for link in links)
        rows.append(
            [
                speaker.name,
                speaker.affiliation,
                speaker.position_title,
                speaker.email,
                speaker.phone,
                sessions,
            ]
        )
    return _download(event, "dashboard.export_speakers", header, rows, sheet=sheet)


def _session_line(link: TalkSpeaker, sheet: SheetFormat) -> str:
    """ "Title (Speaker, 01/04/2014 09:00, Room)": one line of the sessions cell."""
    talk = link.talk
    details = [str(ROLE_LABELS[link.role]), sheet.cell(talk.starts_at)]
    if talk.room_name:
        details.append(talk.room_name)
    return f"{talk.title} ({', '.join(details)})"
