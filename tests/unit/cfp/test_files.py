"""cfp.files: hostile PDFs rebuilt, refused ones named, stored encrypted, keys rotated."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from flask import Flask
from flask_babel import Babel
from pypdf import PdfReader

from congress.cfp import files
from tests.factories import make_pdf

pytestmark = pytest.mark.unit

MARKER = "PLAINTEXT-MARKER-4242"
KEY = Fernet.generate_key().decode()
OTHER_KEY = Fernet.generate_key().decode()


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    """A bare application: ``files`` needs only its configuration."""
    application = Flask(__name__)
    application.config.update(
        INSTANCE_PATH=str(tmp_path),
        CFP_FILES_KEY=KEY,
        CFP_FILE_MAX_BYTES=64 * 1024,
    )
    Babel(application, default_locale="en")
    with application.app_context():
        yield application


def _refusal(data: bytes) -> str:
    with pytest.raises(files.UnreadableFile) as caught:
        files.rebuild_pdf(data, "x.pdf")
    assert caught.value.field == "attachment"
    return str(caught.value.message)


def test_hostile_pdf_is_rebuilt_without_scripts_files_or_annotations(app):
    hostile = make_pdf(MARKER, pages=2, hostile=True)
    for name in (b"/JavaScript", b"/OpenAction", b"/EmbeddedFile", b"/Annots"):
        assert name in hostile  # the test file really carries them

    clean = files.rebuild_pdf(hostile, "Mon exposé (final).pdf")

    for name in (b"/JavaScript", b"/OpenAction", b"/EmbeddedFile", b"/Annots", b"/AA"):
        assert name not in clean.data
    assert clean.pages == 2
    assert len(PdfReader(io.BytesIO(clean.data)).pages) == 2
    assert MARKER.encode() in clean.data  # the pages' content is kept
    assert clean.name == "Mon-expose-final-.pdf"  # no space, slash or accent in a header


@pytest.mark.parametrize(
    "data",
    [
        b"GIF89a not a pdf at all",
        b"",
        b"<html><body>%PDF-1.7</body></html>",
    ],
)
def test_non_pdf_bytes_are_refused(app, data):
    assert "PDF" in _refusal(data)


def test_encrypted_pdf_is_refused_asking_for_it_without_password(app):
    assert "password" in _refusal(make_pdf(MARKER, password="secret"))


@pytest.mark.parametrize(
    "damage",
    [
        lambda pdf: pdf[: len(pdf) // 3],
        lambda pdf: b"%PDF-1.7\n" + b"\x00garbage\xff" * 50,
        lambda pdf: b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n%%EOF",
    ],
    ids=["truncated", "garbage", "no-pages"],
)
def test_truncated_or_garbage_pdf_is_refused(app, damage):
    message = _refusal(damage(make_pdf(MARKER, pages=3)))

    assert "PDF" in message


def test_oversize_file_is_refused_before_it_is_parsed(app):
    app.config["CFP_FILE_MAX_BYTES"] = 1024 * 1024
    data = make_pdf(MARKER) + b"%" * (1024 * 1024)

    assert "1 MB" in _refusal(data)


def test_store_and_read_round_trip_and_file_on_disk_is_encrypted(app, tmp_path):
    clean = files.rebuild_pdf(make_pdf(MARKER), "a.pdf")
    assert MARKER.encode() in clean.data

    key = files.store(clean.data)

    assert files.KEY_SHAPE.fullmatch(key)
    on_disk = (tmp_path / "cfp-files" / key).read_bytes()
    assert MARKER.encode() not in on_disk
    assert b"%PDF" not in on_disk
    assert files.read(key) == clean.data
    assert (tmp_path / "cfp-files" / key).stat().st_mode & 0o077 == 0
    assert not list((tmp_path / "cfp-files").glob("*.part"))


def test_read_with_another_key_fails_as_missing(app):
    key = files.store(b"%PDF-1.7 secret")
    app.config["CFP_FILES_KEY"] = OTHER_KEY

    with pytest.raises(FileNotFoundError):
        files.read(key)


def test_rotation_reads_a_file_stored_under_the_old_key(app):
    key = files.store(b"%PDF-1.7 stored before the rotation")
    app.config["CFP_FILES_KEY"] = f"{OTHER_KEY},{KEY}"

    assert files.read(key) == b"%PDF-1.7 stored before the rotation"
    newer = files.store(b"%PDF-1.7 after")
    app.config["CFP_FILES_KEY"] = OTHER_KEY
    assert files.read(newer) == b"%PDF-1.7 after"


def test_destroy_removes_the_file_and_refuses_odd_keys(app, tmp_path):
    key = files.store(b"%PDF-1.7 x")

    assert files.destroy(key) is True
    assert not (tmp_path / "cfp-files" / key).exists()
    assert files.destroy(key) is False
    assert files.destroy(None) is False
    with pytest.raises(FileNotFoundError):
        files.read("../../etc/passwd")
