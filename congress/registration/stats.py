"""Aggregate figures about an edition's registrations, for the statistics page.

Every function counts in SQL (GROUP BY or aggregate sums) and costs a fixed
number of statements whatever the number of registrations. The results are
small frozen dataclasses holding counts, enum members, days, category names
and session titles: never a name, an address or any other personal data.

"Active" means not cancelled (pending, confirmed or on the waiting list).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar

from sqlalchemy import case, func, literal
from sqlalchemy.orm import InstrumentedAttribute

from congress.edition.models import Event
from congress.extensions import db
from congress.programme.models import Talk, TalkStatus
from congress.registration.models import (
    CheckIn,
    JobRole,
    OrganisationType,
    Registration,
    RegistrationStatus,
    SeatCounter,
    TicketCategory,
)


@dataclass(frozen=True, slots=True)
class DayCount:
    """Active registrations created on ``day`` (edition's zone) and the running total."""

    day: date
    new: int
    total: int


@dataclass(frozen=True, slots=True)
class CategoryStat:
    name: str
    name_en: str
    public: bool
    capacity: int
    confirmed: int
    waiting: int
    pending: int

    def label(self, language: str) -> str:
        return self.name_en if language == "en" and self.name_en else self.name


@dataclass(frozen=True, slots=True)
class OrganisationTypeCount:
    organisation_type: OrganisationType
    count: int


@dataclass(frozen=True, slots=True)
class JobRoleCount:
    job_role: JobRole
    count: int


@dataclass(frozen=True, slots=True)
class DayAttendance:
    """Confirmed attendees expected on ``day`` and check-ins recorded that day."""

    day: date
    expected: int
    checked_in: int


@dataclass(frozen=True, slots=True)
class SeatFill:
    """Reserved seats of a confirmed session that has a seat limit (a workshop)."""

    title: str
    starts_at: datetime
    seat_limit: int
    taken: int

    @property
    def percent(self) -> int:
        """Share of the seats taken, in whole percent rounded half up."""
        return (self.taken * 200 + self.seat_limit) // (2 * self.seat_limit)


@dataclass(frozen=True, slots=True)
class EditionStats:
    timeline: list[DayCount]
    categories: list[CategoryStat]
    organisation_types: list[OrganisationTypeCount]
    job_roles: list[JobRoleCount]
    days: list[DayAttendance]
    workshops: list[SeatFill]


def _active(event: Event) -> tuple:
    return (
        Registration.event_id == event.id,
        Registration.status != RegistrationStatus.CANCELLED,
    )


def _count(condition) -> object:
    """SUM of 1 for the rows matching ``condition``; 0 rather than NULL on no row."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def registrations_over_time(event: Event, *, since: date | None = None) -> list[DayCount]:
    """Active registrations per day of creation in the edition's zone, cumulated.

    Every day from the first registration's to the last one's is listed, days
    without a registration included, so the series plots without gaps. Two
    statements: the first and last instants, then a GROUP BY on the local day,
    computed as a CASE over the UTC instants of each local midnight (exact
    across daylight-saving changes, and the same SQL on SQLite and PostgreSQL,
    which share no time-zone function).

    With ``since``, the series starts on that local day (the dashboard's last six
    weeks): earlier registrations fall in one bucket that only seeds the running
    total, so the statement stays as small as the window, not the whole history.
    """
    first, last = db.session.execute(
        db.select(func.min(Registration.created_at), func.max(Registration.created_at)).where(
            *_active(event)
        )
    ).one()
    if first is None or last is None:
        return []
    zone = event.zone
    first_day = first.astimezone(zone).date()
    last_day = last.astimezone(zone).date()
    earlier = since is not None and since > first_day
    if since is not None and earlier:
        first_day = min(since, last_day + timedelta(days=1))
    span = (last_day - first_day).days + 1
    days = [first_day + timedelta(days=offset) for offset in range(span)]

    def midnight(day: date) -> datetime:
        return datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)

    edges = [(midnight(day + timedelta(days=1)), index) for index, day in enumerate(days[:-1])]
    if earlier:
        edges.insert(0, (midnight(first_day), -1))
    if edges:
        bucket = case(
            *((Registration.created_at < edge, index) for edge, index in edges),
            else_=len(days) - 1,
        )
    else:
        bucket = literal(0)
    # The bucket is computed in a subquery so GROUP BY names a column, not a
    # second copy of the parametrised expression (PostgreSQL cannot tell them equal).
    inner = db.select(bucket.label("bucket")).where(*_active(event)).subquery()
    rows = db.session.execute(
        db.select(inner.c.bucket, func.count()).group_by(inner.c.bucket)
    ).all()
    per_day = {int(index): number for index, number in rows}
    series: list[DayCount] = []
    total = per_day.get(-1, 0)
    for index, day in enumerate(days):
        new = per_day.get(index, 0)
        total += new
        series.append(DayCount(day, new, total))
    return series


def by_category(event: Event) -> list[CategoryStat]:
    """Confirmed, waiting and pending registrations per category, and capacities (one statement)."""
    stmt = (
        db.select(
            TicketCategory.name,
            TicketCategory.name_en,
            TicketCategory.public,
            TicketCategory.capacity,
            _count(Registration.status == RegistrationStatus.CONFIRMED),
            _count(Registration.status == RegistrationStatus.WAITING),
            _count(Registration.status == RegistrationStatus.PENDING),
        )
        .outerjoin(Registration, Registration.category_id == TicketCategory.id)
        .where(TicketCategory.event_id == event.id)
        .group_by(
            TicketCategory.id,
            TicketCategory.position,
            TicketCategory.name,
            TicketCategory.name_en,
            TicketCategory.public,
            TicketCategory.capacity,
        )
        .order_by(TicketCategory.position, TicketCategory.id)
    )
    return [
        CategoryStat(name, name_en, bool(public), capacity, int(c), int(w), int(p))
        for name, name_en, public, capacity, c, w, p in db.session.execute(stmt)
    ]


def by_organisation_type(event: Event) -> list[OrganisationTypeCount]:
    """Active registrations per organisation type, every type listed in order (one statement)."""
    counts = _active_counts_by(event, Registration.organisation_type)
    return [OrganisationTypeCount(kind, counts.get(kind, 0)) for kind in OrganisationType]


def by_job_role(event: Event) -> list[JobRoleCount]:
    """Active registrations per job role, every role listed in order (one statement)."""
    counts = _active_counts_by(event, Registration.job_role)
    return [JobRoleCount(role, counts.get(role, 0)) for role in JobRole]


_Value = TypeVar("_Value", OrganisationType, JobRole)


def _active_counts_by(event: Event, column: InstrumentedAttribute[_Value]) -> dict[_Value, int]:
    """Active registrations per value of ``column``; values nobody chose are absent."""
    rows = db.session.execute(
        db.select(column, func.count()).where(*_active(event)).group_by(column)
    )
    return dict(rows.tuples().all())


def attendance_per_day(event: Event) -> list[DayAttendance]:
    """Per congress day: confirmed attendees who chose it, and check-ins of that day.

    Two statements: one row of per-day sums over ``days_mask & bit``, then
    check-ins grouped by day.
    """
    days = event.days
    expected_row = db.session.execute(
        db.select(
            *(_count(Registration.days_mask.op("&")(1 << index) != 0) for index in range(len(days)))
        ).where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
    ).one()
    rows = db.session.execute(
        db.select(CheckIn.day, func.count())
        .join(Registration, CheckIn.registration_id == Registration.id)
        .where(Registration.event_id == event.id)
        .group_by(CheckIn.day)
    )
    checked = dict(rows.tuples().all())
    return [
        DayAttendance(day, int(expected), checked.get(day, 0))
        for day, expected in zip(days, expected_row, strict=True)
    ]


def seat_fill(event: Event) -> list[SeatFill]:
    """Reserved seats of the confirmed sessions that have a seat limit, by start (one statement)."""
    stmt = (
        db.select(
            Talk.title,
            Talk.starts_at,
            Talk.seat_limit,
            func.coalesce(SeatCounter.taken, 0),
        )
        .outerjoin(SeatCounter, SeatCounter.talk_id == Talk.id)
        .where(
            Talk.event_id == event.id,
            Talk.seat_limit.is_not(None),
            Talk.status == TalkStatus.CONFIRMED,
        )
        .order_by(Talk.starts_at, Talk.id)
    )
    return [
        SeatFill(title, starts_at, seat_limit, int(taken))
        for title, starts_at, seat_limit, taken in db.session.execute(stmt)
    ]


def edition_stats(event: Event) -> EditionStats:
    """Every figure of the statistics page (eight statements)."""
    return EditionStats(
        timeline=registrations_over_time(event),
        categories=by_category(event),
        organisation_types=by_organisation_type(event),
        job_roles=by_job_role(event),
        days=attendance_per_day(event),
        workshops=seat_fill(event),
    )
