"""Database migrations, for the processes that run them and the health check that counts them.

Flask-Migrate imports alembic (and mako): about 10 MiB in every process that
imports it. A gunicorn worker serves pages and never migrates, so Flask-Migrate
is registered only when the application is built for a command line (``flask db
upgrade``, ``flask congress ...``), or when code asks for it with
``enable_migrations`` (tests, scripts that call ``flask_migrate.upgrade()``).

The health check needs the migrations' heads too: ``migration_heads`` reads them
from the revision files with ``ast`` rather than from alembic's ``ScriptDirectory``
(a test compares the two).
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import click
from flask import Flask

from congress.config import PROJECT_ROOT
from congress.extensions import db

MIGRATIONS_DIRECTORY = PROJECT_ROOT / "migrations"


def built_for_command_line() -> bool:
    """Whether Flask's CLI is loading the app (it pushes a click context around the load)."""
    return click.get_current_context(silent=True) is not None


def enable_migrations(app: Flask) -> None:
    """Register Flask-Migrate on ``app``: the ``flask db`` commands and ``flask_migrate``'s API.

    Idempotent: an app that already has it is left as it is.
    """
    if "migrate" in app.extensions:
        return
    from flask_migrate import Migrate

    Migrate(app, db, directory=str(MIGRATIONS_DIRECTORY), compare_type=True, render_as_batch=True)


def _assigned_value(tree: ast.Module, name: str) -> object:
    """The literal a module assigns to ``name`` at its top level (``None`` when absent)."""
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets = [node.target]
        else:
            continue
        if any(isinstance(target, ast.Name) and target.id == name for target in targets):
            return ast.literal_eval(node.value)  # type: ignore[arg-type]
    return None


def heads_of(versions: Path) -> frozenset[str]:
    """The revisions in ``versions/*.py`` that no other revision names as its ``down_revision``."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in sorted(versions.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        revision = _assigned_value(tree, "revision")
        if not isinstance(revision, str):
            continue
        revisions.add(revision)
        down = _assigned_value(tree, "down_revision")
        if isinstance(down, str):
            parents.add(down)
        elif isinstance(down, tuple | list):
            parents.update(str(parent) for parent in down)
    return frozenset(revisions - parents)


@cache
def migration_heads() -> frozenset[str]:
    """The heads of this project's migrations, read once per process."""
    return heads_of(MIGRATIONS_DIRECTORY / "versions")
