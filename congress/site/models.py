"""Editable content of the public site: one Markdown text per section and language."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from congress.core.clock import now
from congress.core.models import Base, intpk
from congress.edition.models import Event


class SiteSection(Base):
    """A section of the home or practical page (``key`` from ``sections.SECTIONS``).

    French is the text of record; ``body_en`` may stay empty, and the page then
    shows the French text and says so.
    """

    __tablename__ = "site_section"
    __table_args__ = (UniqueConstraint("event_id", "key", name="uq_site_section_event_key"),)

    id: Mapped[intpk]
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    body: Mapped[str] = mapped_column(Text, default="")
    body_en: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=now)

    event: Mapped[Event] = relationship()

    def text(self, language: str) -> tuple[str, bool]:
        """The text shown in ``language`` and whether it fell back to French."""
        if language == "en" and not self.body_en.strip():
            return self.body, bool(self.body.strip())
        return (self.body_en if language == "en" else self.body), False

    def __repr__(self) -> str:
        return f"<SiteSection {self.key}>"
