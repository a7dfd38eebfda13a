"""frab/Pentabarf ``schedule.xml`` and its ``schedule.json`` twin, for conference apps."""

from __future__ import annotations

import json
from typing import ClassVar

from congress.calendar.exporters.base import Exporter, ExportScope
from congress.calendar.schedule import ScheduleContext, build_schedule_json, build_schedule_xml


def _context(scope: ExportScope) -> ScheduleContext:
    return ScheduleContext(
        event=scope.event,
        rooms=scope.rooms,
        tracks=scope.tracks,
        talks=scope.talks,
        base_url=scope.base_url,
        version=str(scope.event.programme_version),
        uid_domain=scope.uid_domain,
    )


class _FrabExporter(Exporter):
    """Both frab files cover the whole programme, named as conference apps expect."""

    def filename(self, scope: ExportScope) -> str:
        return f"{scope.event.slug}-schedule.{self.extension}"


class FrabXmlExporter(_FrabExporter):
    name: ClassVar[str] = "schedule.xml"
    media_type: ClassVar[str] = "application/xml; charset=utf-8"
    extension: ClassVar[str] = "xml"

    def render(self, scope: ExportScope) -> bytes:
        return build_schedule_xml(_context(scope))


class FrabJsonExporter(_FrabExporter):
    name: ClassVar[str] = "schedule.json"
    media_type: ClassVar[str] = "application/json"
    extension: ClassVar[str] = "json"

    def render(self, scope: ExportScope) -> bytes:
        document = build_schedule_json(_context(scope))
        return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
