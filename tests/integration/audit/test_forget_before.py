"""Old audit entries can be deleted while what remains still proves it was not tampered with."""

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from congress.audit.log import ChainBroken, forget_before, record, verify
from congress.audit.models import AuditEntry
from congress.core.clock import set_clock
from congress.extensions import db

pytestmark = pytest.mark.integration


def at(month: int) -> datetime:
    return datetime(2014, month, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def clock(app) -> Iterator[list[datetime]]:
    moment = [at(1)]
    set_clock(lambda: moment[0])
    try:
        yield moment
    finally:
        set_clock(None)


def write(count: int, action: str) -> None:
    for index in range(count):
        record(action, object_type="talk", object_id=index)
    db.session.commit()


def actions() -> list[tuple[int, str]]:
    return db.session.execute(
        db.select(AuditEntry.seq, AuditEntry.action).order_by(AuditEntry.seq)
    ).all()


def test_forget_before_deletes_the_old_prefix_and_reanchors_each_time(clock):
    write(5, "talk.january")
    clock[0] = at(2)
    write(3, "talk.february")
    clock[0] = at(3)
    assert forget_before(at(2)) == 5
    db.session.commit()
    assert actions() == [
        (6, "talk.february"),
        (7, "talk.february"),
        (8, "talk.february"),
        (9, "audit.truncated"),
    ]
    assert (verify().ok, verify().checked) == (True, 4)
    anchor = db.session.scalars(db.select(AuditEntry).where(AuditEntry.seq == 9)).one()
    assert anchor.changes["through_seq"] == 5
    assert anchor.changes["entries"] == 5
    assert anchor.actor_type == "system"

    clock[0] = at(4)
    write(2, "talk.april")
    clock[0] = at(5)
    # The first purge's own record goes with the rest of the old part; a new one anchors.
    assert forget_before(at(4)) == 4
    db.session.commit()
    assert actions() == [(10, "talk.april"), (11, "talk.april"), (12, "audit.truncated")]
    result = verify()
    assert (result.ok, result.checked) == (True, 3)
    # Nothing old enough: nothing deleted, nothing recorded.
    assert forget_before(at(4)) == 0
    db.session.commit()
    assert len(actions()) == 3


def test_verify_detects_a_deleted_purge_record(clock):
    write(3, "talk.january")
    clock[0] = at(3)
    forget_before(at(2))
    db.session.commit()
    db.session.execute(text("DELETE FROM audit_entry WHERE action = 'audit.truncated'"))
    db.session.commit()
    result = verify()
    assert (result.ok, result.reason) == (False, "entries missing at the end of the chain")


def test_verify_refuses_an_anchor_moved_past_its_own_record(clock):
    """Moving the anchor forward to hide more deleted entries must not verify."""
    write(3, "talk.january")
    clock[0] = at(3)
    forget_before(at(2))
    db.session.commit()
    clock[0] = at(4)
    write(2, "talk.april")
    hidden = db.session.scalars(db.select(AuditEntry).where(AuditEntry.seq == 5)).one()
    forged = {"through_seq": 5, "through_hash": hidden.hash, "entries": 5, "before": "x"}
    truncated = db.session.scalars(db.select(AuditEntry).where(AuditEntry.seq == 4)).one()
    truncated.changes = forged
    db.session.execute(text("DELETE FROM audit_entry WHERE seq = 5"))
    db.session.commit()
    result = verify()
    assert (result.ok, result.reason) == (False, "the record of the last purge holds no anchor")


def test_forget_before_leaves_a_broken_chain_whole(clock):
    write(4, "talk.january")
    db.session.execute(text("UPDATE audit_entry SET action = 'talk.forged' WHERE seq = 2"))
    db.session.commit()
    clock[0] = at(3)
    with pytest.raises(ChainBroken, match="content does not match its hash"):
        forget_before(at(2))
    db.session.rollback()
    assert [seq for seq, _ in actions()] == [1, 2, 3, 4]
