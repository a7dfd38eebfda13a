"""Every user-facing string extracted from the code has a French translation."""

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
PO_FILE = ROOT / "congress" / "translations" / "fr" / "LC_MESSAGES" / "messages.po"


def test_french_catalog_translates_every_extracted_string(tmp_path):
    template = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "--ignore-dirs",
            ".* __pycache__ node_modules",
            "-o",
            str(template),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with template.open("rb") as handle:
        extracted = {message.id for message in read_po(handle) if message.id}
    with PO_FILE.open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    translated = {
        message.id
        for message in catalog
        if message.id
        and "fuzzy" not in message.flags
        and (all(message.string) if isinstance(message.string, tuple | list) else message.string)
    }
    missing = sorted(str(item) for item in extracted - translated)
    assert len(extracted) > 100  # the extraction itself found the code's strings
    assert missing == []
