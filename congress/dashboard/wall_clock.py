"""Instants shown and typed in ``datetime-local`` controls, in the edition's zone.

A browser's ``datetime-local`` control has no zone: organisers read and type the
edition's wall-clock time. Stored instants are aware UTC (DESIGN: times converted
only at the edges). One pair of functions for every dashboard form that has such
a control (the edition's registration window, the call for papers' window).
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo


def wall_time(moment: datetime | None, zone: ZoneInfo) -> datetime | None:
    """An aware UTC instant as the naive wall-clock time a datetime-local control shows."""
    return moment.astimezone(zone).replace(tzinfo=None) if moment else None


def utc_instant(wall: datetime | None, zone: ZoneInfo) -> datetime | None:
    """A wall-clock time typed in the edition's zone, as an aware UTC instant."""
    return wall.replace(tzinfo=zone).astimezone(UTC) if wall else None
