"""What is stored of an uploaded image: one row per content-hashed pair of files."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from congress.core.clock import now
from congress.core.models import Base, intpk, str_enum
from congress.media.images import Purpose, file_name


class MediaImage(Base):
    """Two WebP files under ``instance/media``: ``<key>-small.webp`` and ``<key>-large.webp``.

    The key is a hash of the files' content, so the same upload gives the same
    row, and a changed image always gets a new address (served as immutable).
    Speakers and partners refer to ``key``: a page needs no join to link a photo.
    """

    __tablename__ = "media_image"

    id: Mapped[intpk]
    key: Mapped[str] = mapped_column(String(32), unique=True)
    purpose: Mapped[Purpose] = mapped_column(str_enum(Purpose, "media_purpose"))
    small_width: Mapped[int] = mapped_column(Integer)
    small_height: Mapped[int] = mapped_column(Integer)
    large_width: Mapped[int] = mapped_column(Integer)
    large_height: Mapped[int] = mapped_column(Integer)
    byte_size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=now)

    def name(self, variant: str) -> str:
        return file_name(self.key, variant)

    def __repr__(self) -> str:
        return f"<MediaImage {self.key}>"
