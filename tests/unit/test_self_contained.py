"""A fresh clone with nothing beside it runs the whole suite.

The first release's tests read schemas from a folder next to the repository, so a
fresh clone failed ``make test``. No code, test, script or build file may reach
outside the repository by a relative path; third-party data the tests need lives
under ``tests/fixtures/`` with its licence.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
CHECKED = re.compile(r"(\.py|\.sh|\.toml|\.cfg|\.ini|\.conf|\.json|Makefile|/run)$")
# The folder beside the repository, by a relative path or a Path walking above the root
# (as the first release's tests did: ``parents[3].parent / "shared"``).
OUTSIDE = re.compile(r"""\.\./shared\b|parents\[\d\]\.parent\b|\.parent\s*/\s*["']shared["']""")


def _tracked_files() -> list[str]:
    result = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        pytest.skip("not a git checkout")
    names = result.stdout.splitlines()
    # A file deleted in the work tree but not yet committed is no longer there to read.
    return [name for name in names if CHECKED.search(name) and (ROOT / name).is_file()]


def test_tracked_files_reach_nothing_outside_the_repository() -> None:
    offenders = []
    for name in _tracked_files():
        if name == "tests/unit/test_self_contained.py":
            continue
        text = (ROOT / name).read_text(encoding="utf-8", errors="replace")
        offenders += [f"{name}: {m.group(0)}" for m in OUTSIDE.finditer(text)]
    assert offenders == []


def test_schedule_schemas_ship_with_their_licence() -> None:
    folder = ROOT / "tests" / "fixtures" / "schedule-schemas"
    names = {path.name for path in folder.iterdir()}
    assert {"schedule.xml.xsd", "schedule.schema.json", "LICENSE-EUPL-1.2.txt"} <= names
    assert "EUPL" in (folder / "README.md").read_text(encoding="utf-8")
