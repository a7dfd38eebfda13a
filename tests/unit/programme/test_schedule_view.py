from datetime import UTC, date, datetime

import pytest

from congress.edition.models import Event
from congress.programme.models import Room, Talk
from congress.programme.schedule_view import MAX_GRID_COLUMNS, grid_columns, group_by_day

pytestmark = pytest.mark.unit


def _event() -> Event:
    return Event(
        slug="e",
        name="E",
        venue="V",
        address="A",
        city="C",
        timezone="Europe/Paris",
        first_day=date(2014, 4, 1),
        last_day=date(2014, 4, 3),
    )


def _talk(talk_id: int, start: datetime) -> Talk:
    return Talk(id=talk_id, starts_at=start, ends_at=start.replace(hour=start.hour + 1))


def test_talks_are_grouped_by_local_day_and_start_minute():
    talks = [
        _talk(1, datetime(2014, 4, 1, 7, 0, tzinfo=UTC)),  # 09:00 Paris
        _talk(2, datetime(2014, 4, 1, 7, 0, tzinfo=UTC)),
        _talk(3, datetime(2014, 4, 1, 8, 0, tzinfo=UTC)),
        _talk(4, datetime(2014, 4, 2, 22, 30, tzinfo=UTC)),  # 00:30 on April 3 in Paris
    ]
    days = group_by_day(_event(), talks)
    assert [d.day for d in days] == [date(2014, 4, 1), date(2014, 4, 2), date(2014, 4, 3)]
    assert [[t.id for t in slot.talks] for slot in days[0].slots] == [[1, 2], [3]]
    assert days[0].slots[0].starts_at.strftime("%H:%M") == "09:00"
    assert days[1].count == 0
    assert [t.id for t in days[2].slots[0].talks] == [4]


def test_only_requested_days_are_returned():
    talks = [_talk(1, datetime(2014, 4, 1, 7, 0, tzinfo=UTC))]
    days = group_by_day(_event(), talks, [date(2014, 4, 2)])
    assert [d.day for d in days] == [date(2014, 4, 2)]
    assert days[0].slots == []


def test_grid_columns_follow_room_order_and_cap():
    rooms = [Room(id=10 + i) for i in range(MAX_GRID_COLUMNS + 2)]
    columns = grid_columns(rooms)
    assert columns[10] == 1
    assert columns[11] == 2
    assert columns[10 + MAX_GRID_COLUMNS + 1] == MAX_GRID_COLUMNS
