"""Changes to partners: each one validated, audited and committed once, or refused.

A partner's link must be an absolute ``http`` or ``https`` address with a host:
it is printed as a link on public pages, so ``javascript:`` or ``data:`` would
run in visitors' browsers. The logo goes through ``congress.media`` like any
uploaded image.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from congress.audit.log import diff, record, snapshot
from congress.core.clock import now
from congress.core.errors import DomainError
from congress.edition.models import Event
from congress.extensions import db
from congress.i18n import lazy_gettext as _l
from congress.media.images import Purpose
from congress.media.models import MediaImage
from congress.media.store import accept_image
from congress.partners.models import URL_MAX, Partner, PartnerLevel

FIELDS = ("name", "level", "url", "description", "description_en", "position", "published")


@dataclass(frozen=True)
class PartnerData:
    name: str
    level: PartnerLevel
    url: str = ""
    description: str = ""
    description_en: str = ""
    position: int = 0
    published: bool = False


def check_url(url: str) -> str:
    """``url`` trimmed, if it is empty or an http(s) address with a host; else refused."""
    url = url.strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if (
        parts.scheme.lower() not in ("http", "https")
        or not parts.hostname
        or len(url) > URL_MAX
        or any(char.isspace() for char in url)
    ):
        raise DomainError(
            _l(
                "Give the address as http:// or https:// followed by the site, for example https://example.org."
            ),
            field="url",
        )
    return url


def _validate(data: PartnerData) -> dict[str, Any]:
    name = data.name.strip()
    if not name:
        raise DomainError(_l("This field is required."), field="name")
    return {
        "name": name,
        "level": PartnerLevel(data.level),
        "url": check_url(data.url),
        "description": data.description.strip(),
        "description_en": data.description_en.strip(),
        "position": data.position,
        "published": data.published,
    }


def _finish(commit: bool) -> None:
    if commit:
        db.session.commit()
    else:
        db.session.flush()


def create_partner(event: Event, data: PartnerData, *, commit: bool = True) -> Partner:
    partner = Partner(event=event, **_validate(data))
    db.session.add(partner)
    db.session.flush()
    record(
        "partner.created",
        object_type="partner",
        object_id=partner.id,
        changes={name: [None, value] for name, value in snapshot(partner, FIELDS).items()},
    )
    _finish(commit)
    return partner


def update_partner(partner: Partner, data: PartnerData) -> list[str]:
    values = _validate(data)
    before = snapshot(partner, FIELDS)
    for name, value in values.items():
        setattr(partner, name, value)
    changes = diff(before, snapshot(partner, FIELDS))
    if changes:
        partner.updated_at = now()
        record("partner.updated", object_type="partner", object_id=partner.id, changes=changes)
    db.session.commit()
    return sorted(changes)


def delete_partner(partner: Partner) -> None:
    record(
        "partner.deleted",
        object_type="partner",
        object_id=partner.id,
        changes={"name": partner.name},
    )
    db.session.delete(partner)
    db.session.commit()


def _logo_change(partner: Partner, key: str | None, action: str) -> None:
    before = partner.logo_key
    if before == key:
        return
    partner.logo_key = key
    partner.updated_at = now()
    record(action, object_type="partner", object_id=partner.id, changes={"logo": [before, key]})


def set_partner_logo(partner: Partner, upload: Any, *, commit: bool = True) -> MediaImage:
    """Store ``upload`` as the logo (transparency kept) and commit; ``ImageRefused`` otherwise."""
    image = accept_image(upload, Purpose.LOGO)
    _logo_change(partner, image.key, "partner.logo_set")
    _finish(commit)
    return image


def remove_partner_logo(partner: Partner) -> None:
    _logo_change(partner, None, "partner.logo_removed")
    db.session.commit()
