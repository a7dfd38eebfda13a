"""The one place that writes and finds image files: ``<instance>/media/<key>-<variant>.webp``.

Files are written before the row is committed, each through a temporary file
renamed into place, so a reader never sees half a file. A transaction that
fails afterwards leaves files no row names: harmless, as the same content gets
the same name next time, and they are never served under another name.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

from flask import current_app

from congress.extensions import db
from congress.media import images
from congress.media.images import Limits, Processed, Purpose, file_name, process
from congress.media.models import MediaImage

# The only names served: a key and a variant. Anything else (dots, slashes) is a 404.
SERVED_NAME = re.compile(r"[0-9a-f]{32}-(small|large)\.webp")
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
# The multipart envelope around the file: boundary lines, the CSRF token, headers.
REQUEST_MARGIN = 64 * 1024


def media_dir() -> Path:
    return Path(current_app.config["INSTANCE_PATH"]) / "media"


def limits() -> Limits:
    """The limits of this application (``MEDIA_MAX_BYTES``, ``MEDIA_MAX_PIXELS``)."""
    config = current_app.config
    base = Limits()
    return Limits(
        max_bytes=int(config.get("MEDIA_MAX_BYTES", DEFAULT_MAX_BYTES)),
        max_pixels=int(config.get("MEDIA_MAX_PIXELS", base.max_pixels)),
        max_side=base.max_side,
        min_side=base.min_side,
    )


def upload_request_limit() -> int:
    """The largest request an upload form may send: the file limit plus its envelope."""
    return limits().max_bytes + REQUEST_MARGIN


def too_large_message() -> Any:
    return images.too_large_message(limits())


def read_upload(upload: Any, max_bytes: int) -> bytes:
    """At most ``max_bytes + 1`` bytes of an uploaded file (enough to see it is too large)."""
    if isinstance(upload, bytes):
        return upload[: max_bytes + 1]
    stream = getattr(upload, "stream", upload)
    data: bytes = stream.read(max_bytes + 1)
    return data


def _write(directory: Path, name: str, data: bytes) -> None:
    target = directory / name
    if target.is_file() and target.stat().st_size == len(data):
        return  # same name, same content: already there
    fd, temporary = tempfile.mkstemp(dir=directory, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, 0o644)  # public images: nginx may read them
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def save(processed: Processed) -> MediaImage:
    """Write the files and add (or find) their row, flushed but not committed."""
    directory = media_dir()
    directory.mkdir(parents=True, exist_ok=True)
    for variant in processed.variants:
        _write(directory, file_name(processed.key, variant.name), variant.data)
    row = db.session.scalars(db.select(MediaImage).where(MediaImage.key == processed.key)).first()
    if row is None:
        small, large = processed.variant("small"), processed.variant("large")
        row = MediaImage(
            key=processed.key,
            purpose=processed.purpose,
            small_width=small.width,
            small_height=small.height,
            large_width=large.width,
            large_height=large.height,
            byte_size=sum(len(v.data) for v in processed.variants),
        )
        db.session.add(row)
        db.session.flush()
    return row


class RecentResults:
    """The last few encodings by digest of their input, so the same file is not encoded twice.

    Why: re-encoding costs tens of milliseconds per image, and the demo edition
    (loaded by hundreds of tests, and by ``seed-demo --force``) sends the same
    logos every time; an organiser's double submit is the other case. Only the
    outputs are kept (tens of KB each), never the uploaded bytes.
    """

    def __init__(self, size: int = 32) -> None:
        self._size = size
        self._items: OrderedDict[tuple[str, Purpose, Limits], Processed] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_process(self, data: bytes, purpose: Purpose, current: Limits) -> Processed:
        key = (hashlib.sha256(data).hexdigest(), purpose, current)
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found
        processed = process(data, purpose, current)  # raises before anything is kept
        with self._lock:
            self._items[key] = processed
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return processed


RECENT = RecentResults()


def accept_image(upload: Any, purpose: Purpose) -> MediaImage:
    """Read, check, re-encode and store an upload; raise ``ImageRefused`` and store nothing."""
    current = limits()
    data = read_upload(upload, current.max_bytes)
    return save(RECENT.get_or_process(data, purpose, current))


def served_file(name: str) -> Path | None:
    """The file behind a ``/media/<name>`` address, or None: only stored variants are served."""
    if not SERVED_NAME.fullmatch(name):
        return None
    path = media_dir() / name
    return path if path.is_file() else None
