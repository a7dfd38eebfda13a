"""A gunicorn worker does not import what only password changes, migrations and PDFs need.

zxcvbn (~12 MiB) and Flask-Migrate with alembic and mako (~10 MiB) would take a
worker over its 100 MiB budget; ``import wsgi`` is what gunicorn does.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
# The PDF stack (WeasyPrint, fontTools, factur-x, pypdf, lxml: about 43 MiB) is imported
# by the first document a process renders, not by every worker.
HEAVY = (
    "zxcvbn",
    "alembic",
    "flask_migrate",
    "mako",
    "weasyprint",
    "fontTools",
    "facturx",
    "pypdf",
    "lxml",
)

SCRIPT = f"""
import sys
import wsgi
assert wsgi.app.url_map is not None
print(",".join(sorted(name for name in {HEAVY!r} if name in sys.modules)))
"""


def test_a_production_worker_imports_no_heavy_module(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith("CONGRESS_")}
    env.update(
        CONGRESS_ENV="production",
        CONGRESS_SECRET_KEY=secrets.token_urlsafe(48),
        CONGRESS_CFP_FILES_KEY=Fernet.generate_key().decode(),
        CONGRESS_DATABASE_URL=f"sqlite:///{tmp_path / 'worker.sqlite'}",
        CONGRESS_INSTANCE_PATH=str(tmp_path),
    )
    completed = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "", f"a web worker imported {completed.stdout.strip()}"


def test_scoring_a_password_still_imports_zxcvbn_when_needed(tmp_path):
    script = (
        "import sys\n"
        "from congress.accounts.password_policy import check_password\n"
        "assert 'zxcvbn' not in sys.modules\n"
        "from congress.core.errors import DomainError\n"
        "try:\n"
        "    check_password('password12345')\n"
        "except DomainError:\n"
        "    print('refused')\n"
        "check_password('correct horse battery staple')\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, "CONGRESS_INSTANCE_PATH": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "refused"
