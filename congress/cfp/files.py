"""The PDFs the call for papers receives: judged, rebuilt, encrypted, kept outside the web root.

A proposal's attachment may describe an unpatched vulnerability, and slides of
a TLP:AMBER session are for attendees only, so both are treated alike:

- **hostile until rebuilt**: the bytes must parse as an unencrypted PDF; only
  its pages are copied into a new document, so its scripts (``/OpenAction``,
  ``/JavaScript`` names, ``/AA`` actions), embedded files, forms, annotations
  and metadata are left behind. What is kept is what we wrote;
- **encrypted at rest** with Fernet (``cryptography``) under
  ``CONGRESS_CFP_FILES_KEY``: a copy of the disk or of a backup without the
  key yields nothing. Several keys may be listed, newest first, to rotate;
- **outside the web root**: ``<instance>/cfp-files/<random key>``, named by a
  random key the database holds, never by the sender's file name; no route
  serves the folder, only views that authorise, audit and decrypt.

Destroying a file unlinks it; the key alone no longer opens anything.
"""

from __future__ import annotations

import io
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app

from congress.core.errors import DomainError
from congress.i18n import lazy_gettext as _l

MAX_PAGES = 300
KEY_SHAPE = re.compile(r"[0-9a-f]{32}")


class UnreadableFile(DomainError):
    """The upload is not a PDF we can rebuild (a 400 keeping the rest of the form)."""


@dataclass(frozen=True, slots=True)
class CleanPdf:
    """A rebuilt PDF and what the pages say of it."""

    data: bytes
    pages: int
    name: str


def folder() -> Path:
    path = Path(current_app.config["INSTANCE_PATH"]) / "cfp-files"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def max_bytes() -> int:
    return int(current_app.config["CFP_FILE_MAX_BYTES"])


def _fernet() -> MultiFernet:
    keys = [part.strip() for part in current_app.config["CFP_FILES_KEY"].split(",") if part.strip()]
    return MultiFernet([Fernet(key.encode()) for key in keys])


def clean_name(name: str, default: str = "document.pdf") -> str:
    """A file name safe to show and to offer in a download header: letters, digits, -_."""
    base = unicodedata.normalize("NFKD", os.path.basename(name or "")).encode("ascii", "ignore")
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", base.decode()).strip(".-")[:80]
    if not stem:
        return default
    if not stem.lower().endswith(".pdf"):
        stem = f"{stem}.pdf"
    return stem


def rebuild_pdf(data: bytes, name: str = "") -> CleanPdf:
    """Check ``data`` is a PDF within the limits and copy its pages into a new one.

    Refusals are ``UnreadableFile`` with a sentence for the sender, decided
    before anything is stored.
    """
    # pypdf is imported here, not at module load: web workers that never take a
    # file do not pay for it.
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PyPdfError

    limit = max_bytes()
    if len(data) > limit:
        raise UnreadableFile(
            _l("The file is larger than %(n)d MB.", n=limit // (1024 * 1024)), field="attachment"
        )
    if not data.lstrip()[:5] == b"%PDF-":
        raise UnreadableFile(_l("Only PDF files are accepted."), field="attachment")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise UnreadableFile(
                _l("This PDF is protected by a password: send it without protection."),
                field="attachment",
            )
        count = len(reader.pages)
        if count == 0 or count > MAX_PAGES:
            raise UnreadableFile(
                _l("A PDF of 1 to %(n)d pages is accepted.", n=MAX_PAGES), field="attachment"
            )
        writer = PdfWriter()
        for page in reader.pages:
            added = writer.add_page(page)
            for key in ("/Annots", "/AA"):
                if key in added:
                    del added[key]
        out = io.BytesIO()
        writer.write(out)
    except UnreadableFile:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError):
        raise UnreadableFile(
            _l("This file could not be read as a PDF."), field="attachment"
        ) from None
    return CleanPdf(out.getvalue(), count, clean_name(name))


def store(data: bytes) -> str:
    """Encrypt ``data`` into a new file and return its key (32 hex digits, random)."""
    key = secrets.token_hex(16)
    target = folder() / key
    partial = target.with_suffix(".part")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(_fernet().encrypt(data))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, target)
    return key


def _path(key: str) -> Path:
    if not KEY_SHAPE.fullmatch(key or ""):
        raise FileNotFoundError(key)
    return folder() / key


def read(key: str) -> bytes:
    """The plain bytes of a stored file; ``FileNotFoundError`` if gone or undecryptable."""
    try:
        return _fernet().decrypt(_path(key).read_bytes())
    except InvalidToken:
        raise FileNotFoundError(key) from None


def destroy(key: str | None) -> bool:
    """Delete a stored file; True if there was one."""
    if not key:
        return False
    try:
        _path(key).unlink()
    except FileNotFoundError:
        return False
    return True
