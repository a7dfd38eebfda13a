"""Speakers' photos: one service call each to set or remove, audited, like every change.

The image itself is checked, re-encoded and stored by ``congress.media``; a
refused file raises there (``ImageRefused``) before the speaker is touched.
The programme version is raised because the public pages that show the photo
are cached by that version.
"""

from __future__ import annotations

from typing import Any

from congress.audit.log import record
from congress.extensions import db
from congress.media.images import Purpose
from congress.media.models import MediaImage
from congress.media.store import accept_image
from congress.programme.models import Speaker
from congress.programme.services import bump_programme_version


def _change(speaker: Speaker, key: str | None, action: str) -> None:
    before = speaker.photo_key
    if before == key:
        return
    speaker.photo_key = key
    record(
        f"speaker.{action}",
        object_type="speaker",
        object_id=speaker.uid,
        changes={"photo": [before, key]},
    )
    bump_programme_version(speaker.event)


def set_speaker_photo(speaker: Speaker, upload: Any) -> MediaImage:
    """Store ``upload`` (bytes or an uploaded file) as the speaker's photo and commit."""
    image = accept_image(upload, Purpose.PHOTO)
    _change(speaker, image.key, "photo_set")
    db.session.commit()
    return image


def remove_speaker_photo(speaker: Speaker) -> None:
    """Back to the initials; the files stay, as cached pages may still cite them."""
    _change(speaker, None, "photo_removed")
    db.session.commit()
