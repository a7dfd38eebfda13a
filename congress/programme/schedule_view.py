"""Groups published talks into days and time slots for the programme page.

Pure functions over loaded talks: the page shows one section per day, each a
list of time slots; on wide screens CSS lays each slot out as a row with one
column per room, on narrow screens the same markup reads as a chronological list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from congress.edition.models import Event
from congress.programme.models import Room, Talk

MAX_GRID_COLUMNS = 8


@dataclass(slots=True)
class Slot:
    starts_at: datetime  # local time in the edition's zone
    talks: list[Talk] = field(default_factory=list)


@dataclass(slots=True)
class DaySchedule:
    day: date
    slots: list[Slot] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(slot.talks) for slot in self.slots)


def group_by_day(
    event: Event, talks: Sequence[Talk], days: Sequence[date] | None = None
) -> list[DaySchedule]:
    """One ``DaySchedule`` per requested day (all edition days by default), in order.

    Talks arrive sorted by start; talks starting at the same minute share a slot.
    """
    zone = event.zone
    wanted = list(days) if days is not None else event.days
    schedules = {day: DaySchedule(day) for day in wanted}
    for talk in talks:
        local_start = talk.starts_at.astimezone(zone)
        schedule = schedules.get(local_start.date())
        if schedule is None:
            continue
        if not schedule.slots or schedule.slots[-1].starts_at != local_start:
            schedule.slots.append(Slot(local_start))
        schedule.slots[-1].talks.append(talk)
    return [schedules[day] for day in wanted]


def grid_columns(rooms: Sequence[Room]) -> dict[int, int]:
    """Column (1-based) of each room in the wide-screen grid; extra rooms share the last."""
    return {room.id: min(index, MAX_GRID_COLUMNS) for index, room in enumerate(rooms, start=1)}
