"""Changes to the site's editable content: validate, change, audit, commit once.

Organisers write Markdown; it is stored as typed and only ever shown through
``core.markup.render_markdown`` (sanitised), so nothing here cleans HTML.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from congress.audit.log import record
from congress.core.clock import now
from congress.core.errors import DomainError, NotFound
from congress.edition.models import Event
from congress.extensions import db
from congress.i18n import lazy_gettext as _l
from congress.site.models import SiteSection
from congress.site.sections import BY_KEY

#: Longest text of a section in one language: a page's section, not a book.
BODY_MAX = 20_000


@dataclass(frozen=True, slots=True)
class Position:
    """The venue's WGS 84 position in decimal degrees."""

    latitude: float
    longitude: float


def save_section(
    event: Event,
    key: str,
    *,
    body: str,
    body_en: str,
    position: Position | None = None,
    clear_position: bool = False,
    commit: bool = True,
) -> list[str]:
    """Write a section's French and English text; the names of the fields that changed.

    The venue section also carries the edition's coordinates (``position``, or
    ``clear_position`` to remove them): one form, one unit of work. Nothing is
    written (and nothing audited) when nothing changed. ``commit=False`` leaves
    the commit to a caller that loads a whole edition in one transaction (the
    demo loader).
    """
    if key not in BY_KEY:
        raise NotFound(_l("This section does not exist."))
    for name, text in (("body", body), ("body_en", body_en)):
        if len(text) > BODY_MAX:
            raise DomainError(_l("At most %(count)d characters.", count=BODY_MAX), field=name)
    if position is not None:
        _check_position(position)
    section = db.session.scalars(
        db.select(SiteSection).where(SiteSection.event_id == event.id, SiteSection.key == key)
    ).first()
    if section is None:
        section = SiteSection(event=event, key=key, body="", body_en="")
        db.session.add(section)
    changes: dict[str, list[object]] = {}
    for name, value in (("body", body), ("body_en", body_en)):
        if getattr(section, name) != value:
            changes[name] = [getattr(section, name), value]
            setattr(section, name, value)
    if key == "venue" and (position is not None or clear_position):
        wanted = (position.latitude, position.longitude) if position else (None, None)
        if (event.latitude, event.longitude) != wanted:
            changes["position"] = [
                _position_text(event.latitude, event.longitude),
                _position_text(*wanted),
            ]
            event.latitude, event.longitude = wanted
    if not changes:
        if section.id is None:
            db.session.expunge(section)
        return []
    section.updated_at = now()
    record("site_section.updated", object_type="site_section", object_id=key, changes=changes)
    if commit:
        db.session.commit()
    return sorted(changes)


def _check_position(position: Position) -> None:
    if not (math.isfinite(position.latitude) and -90 <= position.latitude <= 90):
        raise DomainError(_l("A latitude lies between -90 and 90 degrees."), field="latitude")
    if not (math.isfinite(position.longitude) and -180 <= position.longitude <= 180):
        raise DomainError(_l("A longitude lies between -180 and 180 degrees."), field="longitude")


def _position_text(latitude: float | None, longitude: float | None) -> str:
    return "" if latitude is None or longitude is None else f"{latitude:.6f},{longitude:.6f}"
