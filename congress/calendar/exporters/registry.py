"""The explicit list of export formats: a new format is one file and one line here."""

from __future__ import annotations

from congress.calendar.exporters.base import Exporter
from congress.calendar.exporters.frab import FrabJsonExporter, FrabXmlExporter
from congress.calendar.exporters.ics import IcsExporter

EXPORTERS: dict[str, Exporter] = {
    exporter.name: exporter for exporter in (IcsExporter(), FrabXmlExporter(), FrabJsonExporter())
}


def exporter_for(name: str) -> Exporter:
    return EXPORTERS[name]
