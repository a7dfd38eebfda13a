"""What every exporter shares: the scope it renders and who may fetch it."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from congress.edition.models import Event
from congress.programme.listing import TalkRecord
from congress.programme.models import Room, Talk, Track


class Audience(enum.StrEnum):
    """Who may fetch an export; decides whether restricted abstracts are included."""

    PUBLIC = "public"
    ATTENDEE = "attendee"
    ORGANISER = "organiser"

    @property
    def sees_restricted(self) -> bool:
        return self is not Audience.PUBLIC


@dataclass(frozen=True, slots=True)
class ExportScope:
    """What part of the programme a request covers, and how to name it."""

    key: str  # e.g. "programme", "day-2014-04-01", "track-menaces"
    title: str  # human name shown by calendar apps
    event: Event
    talks: Sequence[Talk | TalkRecord]  # records for whole scopes, see programme.listing
    rooms: Sequence[Room]
    tracks: Sequence[Track]
    base_url: str
    uid_domain: str
    generated_at: datetime
    audience: Audience = Audience.PUBLIC


class Exporter:
    """A format: a media type, a file extension and a pure ``render``."""

    name: ClassVar[str]
    media_type: ClassVar[str]
    extension: ClassVar[str]
    audiences: ClassVar[frozenset[Audience]] = frozenset({Audience.PUBLIC})

    def filename(self, scope: ExportScope) -> str:
        return f"{scope.event.slug}-{scope.key}.{self.extension}"

    def render(self, scope: ExportScope) -> bytes:
        raise NotImplementedError
