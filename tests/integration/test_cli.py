import os
import subprocess
import sys
from pathlib import Path

import pytest

from congress.accounts.models import Role, User
from congress.accounts.passwords import verify_password
from congress.extensions import db

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


def test_seed_demo_command_loads_then_is_idempotent(cli):
    first = cli.invoke(args=["congress", "seed-demo"])
    assert first.exit_code == 0, first.output
    assert "demo edition loaded" in first.output
    second = cli.invoke(args=["congress", "seed-demo"])
    assert second.exit_code == 0
    assert "already loaded" in second.output


def test_seed_demo_if_empty_skips_a_filled_database(cli):
    cli.invoke(args=["congress", "seed-demo"])
    result = cli.invoke(args=["congress", "seed-demo", "--if-empty"])
    assert result.exit_code == 0
    assert "not loaded" in result.output


def test_create_organiser_reads_password_from_stdin(cli):
    result = cli.invoke(
        args=["congress", "create-organiser", "RSSI@Apssis.test", "--role", "admin"],
        input="correct horse battery staple\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalars(db.select(User)).one()
    assert user.email == "rssi@apssis.test"
    assert user.role is Role.ADMIN
    assert user.password_hash.startswith("$argon2id$")
    assert verify_password(user.password_hash, "correct horse battery staple")
    assert "correct horse" not in result.output


def test_create_organiser_refuses_short_password(cli):
    result = cli.invoke(
        args=["congress", "create-organiser", "desk@apssis.test", "--role", "desk"],
        input="short\n",
    )
    assert result.exit_code != 0
    assert "12" in result.output
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


def test_create_organiser_refuses_unknown_role(cli):
    result = cli.invoke(
        args=["congress", "create-organiser", "x@apssis.test", "--role", "root"],
        input="long enough password\n",
    )
    assert result.exit_code == 2


def test_production_without_secret_exits_with_one_clear_line(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith("CONGRESS_")}
    env.update(CONGRESS_ENV="production", CONGRESS_INSTANCE_PATH=str(tmp_path))
    completed = subprocess.run(
        [sys.executable, "-c", "import wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode != 0
    assert "refusing to start" in completed.stderr
    assert "CONGRESS_SECRET_KEY" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_set_password_from_stdin_and_policy(cli):
    cli.invoke(
        args=["congress", "create-organiser", "desk@apssis.fr", "--role", "desk"],
        input="correct horse battery staple\n",
    )
    weak = cli.invoke(args=["congress", "set-password", "desk@apssis.fr"], input="password1234\n")
    assert weak.exit_code != 0
    done = cli.invoke(
        args=["congress", "set-password", "DESK@apssis.fr"], input="une autre phrase de passe\n"
    )
    assert done.exit_code == 0, done.output
    user = db.session.scalars(db.select(User)).one()
    db.session.refresh(user)
    assert verify_password(user.password_hash, "une autre phrase de passe")
    unknown = cli.invoke(args=["congress", "set-password", "x@apssis.fr"], input="whatever 1234\n")
    assert unknown.exit_code != 0


def test_audit_verify_names_the_tampered_row(cli):
    from sqlalchemy import text

    from congress.audit.models import AuditEntry

    cli.invoke(args=["congress", "seed-demo"])
    assert cli.invoke(args=["congress", "audit-verify"]).exit_code == 0
    entries = db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.seq)).all()
    target = entries[len(entries) // 2]
    db.session.execute(
        text("UPDATE audit_entry SET action = 'talk.forged' WHERE id = :id"), {"id": target.id}
    )
    db.session.commit()
    result = cli.invoke(args=["congress", "audit-verify"])
    assert result.exit_code != 0
    assert f"entry id {target.id}" in result.output
    assert "content does not match its hash" in result.output


def test_audit_verify_detects_a_deleted_row(cli):
    from sqlalchemy import text

    from congress.audit.models import AuditEntry

    cli.invoke(args=["congress", "seed-demo"])
    entries = db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.seq)).all()
    removed, following = entries[3], entries[4]
    db.session.execute(text("DELETE FROM audit_entry WHERE id = :id"), {"id": removed.id})
    db.session.commit()
    result = cli.invoke(args=["congress", "audit-verify"])
    assert result.exit_code != 0
    assert f"entry id {following.id}" in result.output
