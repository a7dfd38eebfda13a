"""Partners of an edition: who, at which level, their logo, link and short text."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from congress.core.clock import now
from congress.core.models import Base, intpk, str200, str_enum
from congress.edition.models import Event
from congress.media.models import MediaImage


class PartnerLevel(enum.StrEnum):
    """Levels in the order the partners page shows them."""

    PLATINUM = "platinum"
    GOLD = "gold"
    SILVER = "silver"
    INSTITUTIONAL = "institutional"
    MEDIA = "media"

    @property
    def rank(self) -> int:
        return list(PartnerLevel).index(self)


URL_MAX = 500


class Partner(Base):
    __tablename__ = "partner"

    id: Mapped[intpk]
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    name: Mapped[str200]
    level: Mapped[PartnerLevel] = mapped_column(str_enum(PartnerLevel, "partner_level"))
    url: Mapped[str] = mapped_column(String(URL_MAX), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    logo_key: Mapped[str | None] = mapped_column(ForeignKey("media_image.key", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)

    event: Mapped[Event] = relationship()
    logo: Mapped[MediaImage | None] = relationship(foreign_keys=[logo_key])

    def text(self, language: str) -> str:
        """The short text in ``language``, the French one when there is no English."""
        return (self.description_en if language == "en" else "") or self.description

    def __repr__(self) -> str:
        return f"<Partner {self.name}>"
