"""The health check's heads, parsed from the revision files, are alembic's heads."""

from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from congress.migrations_support import MIGRATIONS_DIRECTORY, heads_of, migration_heads

pytestmark = pytest.mark.unit


def test_parsed_heads_are_alembics_heads():
    expected = set(ScriptDirectory(str(MIGRATIONS_DIRECTORY)).get_heads())
    assert expected  # the project has migrations
    assert migration_heads() == expected


def _revision(versions: Path, name: str, revision: str, down: str, annotated: bool = False) -> None:
    kind = ": str" if annotated else ""
    (versions / f"{name}.py").write_text(
        f'"""{name}"""\nimport sqlalchemy as sa\n\n'
        f"revision{kind} = {revision!r}\ndown_revision = {down}\n"
        "branch_labels = None\ndepends_on = None\n\n\n"
        "def upgrade():\n    revision = 'not-module-level'\n\n\n"
        "def downgrade():\n    pass\n"
    )


def test_branches_and_merges_agree_with_alembic(tmp_path):
    versions = tmp_path / "versions"
    versions.mkdir()
    _revision(versions, "a", "aaa", "None")
    _revision(versions, "b", "bbb", "'aaa'")
    _revision(versions, "c", "ccc", "'aaa'", annotated=True)
    _revision(versions, "d", "ddd", "('bbb', 'ccc')")
    _revision(versions, "e", "eee", "'ddd'")
    _revision(versions, "f", "fff", "'ddd'")  # a second branch from the merge
    (versions / "__init__.py").write_text("")
    assert heads_of(versions) == {"eee", "fff"}
    assert heads_of(versions) == set(ScriptDirectory(str(tmp_path)).get_heads())
