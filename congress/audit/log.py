"""Writing and verifying the audit chain.

``record`` adds an entry to the current transaction: it is committed with the
change it describes, or rolled back with it. Values are cleaned on the way in
(CR/LF stripped, secrets never accepted), so a log line can be trusted as text.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

from flask import g, has_request_context, request

from congress.audit.models import GENESIS, AuditEntry, AuditHead
from congress.core.clock import now
from congress.extensions import db

HEAD_ID = 1
# Field names whose values never enter the log, whatever a caller passes.
SECRET_FIELDS = frozenset(
    {"password", "password_hash", "token", "token_hash", "totp_secret", "recovery_codes"}
)
MAX_VALUE_LENGTH = 500
# The action of the entry a retention purge leaves behind; it anchors the rest.
TRUNCATED = "audit.truncated"


@dataclass(frozen=True, slots=True)
class Actor:
    type: str  # organiser, attendee, system
    id: str = ""
    label: str = ""


SYSTEM = Actor("system", "", "system")


def set_actor(actor: Actor) -> None:
    """Who acts in this request; views set it once (login guard, token lookup)."""
    g.audit_actor = actor


def current_actor() -> Actor:
    if has_request_context() and "audit_actor" in g:
        return g.audit_actor
    return SYSTEM


def _clean(value: Any) -> Any:
    """JSON-safe, single-line, bounded."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Enum):
        return _clean(value.value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return [_clean(item) for item in value]
    text = str(value).replace("\r", " ").replace("\n", " ")
    return text[:MAX_VALUE_LENGTH]


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{field: [before, after]}`` for the fields that changed (secrets dropped)."""
    return {
        name: [_clean(before.get(name)), _clean(after.get(name))]
        for name in sorted(set(before) | set(after))
        if name not in SECRET_FIELDS and _clean(before.get(name)) != _clean(after.get(name))
    }


def snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: _clean(getattr(obj, name)) for name in fields if name not in SECRET_FIELDS}


def _payload(entry: AuditEntry) -> bytes:
    document = {
        "seq": entry.seq,
        "created_at": _clean(entry.created_at),
        "actor_type": entry.actor_type,
        "actor_id": entry.actor_id,
        "actor_label": entry.actor_label,
        "address": entry.address,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "changes": entry.changes,
        "prev_hash": entry.prev_hash,
    }
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def entry_hash(entry: AuditEntry) -> str:
    return hashlib.sha256(_payload(entry)).hexdigest()


def _head() -> AuditHead:
    head = db.session.scalars(
        db.select(AuditHead).where(AuditHead.id == HEAD_ID).with_for_update()
    ).first()
    if head is None:
        head = AuditHead(id=HEAD_ID, seq=0, hash=GENESIS)
        db.session.add(head)
        db.session.flush()
    return head


def record(
    action: str,
    *,
    object_type: str = "",
    object_id: object = "",
    changes: Mapping[str, Any] | None = None,
    actor: Actor | None = None,
) -> AuditEntry:
    """Append an entry to the chain inside the caller's transaction (no commit)."""
    who = actor or current_actor()
    head = _head()
    entry = AuditEntry(
        seq=head.seq + 1,
        created_at=now(),
        actor_type=who.type,
        actor_id=_clean(who.id),
        actor_label=_clean(who.label),
        address=_clean(request.remote_addr or "") if has_request_context() else "",
        action=action,
        object_type=object_type,
        object_id=_clean(str(object_id)),
        changes={
            key: _clean(value) for key, value in (changes or {}).items() if key not in SECRET_FIELDS
        },
        prev_hash=head.hash,
    )
    entry.hash = entry_hash(entry)
    head.seq = entry.seq
    head.hash = entry.hash
    db.session.add(entry)
    return entry


@dataclass(frozen=True, slots=True)
class VerifyResult:
    ok: bool
    checked: int
    first_broken_id: int | None = None
    reason: str = ""


def _entries(after: int = 0, batch: int = 1000) -> Iterator[AuditEntry]:
    last = after
    while True:
        rows = db.session.scalars(
            db.select(AuditEntry).where(AuditEntry.seq > last).order_by(AuditEntry.seq).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].seq
        # Only the rows read here: a purge verifies in the caller's session.
        for row in rows:
            db.session.expunge(row)


def _anchor() -> tuple[int, str] | None:
    """Where the chain starts: ``(0, GENESIS)``, or the last entry the latest purge deleted.

    The anchor is read from the purge's own entry, which sits inside the chain it
    anchors (after the entries it deleted), so ``verify`` walks it too: changing it
    breaks its hash, deleting it leaves a gap. ``None`` when that entry does not
    hold a usable anchor, or one that would skip the entry itself.
    """
    entry = db.session.scalars(
        db.select(AuditEntry)
        .where(AuditEntry.action == TRUNCATED)
        .order_by(AuditEntry.seq.desc())
        .limit(1)
    ).first()
    if entry is None:
        return 0, GENESIS
    through_seq = entry.changes.get("through_seq") if isinstance(entry.changes, dict) else None
    through_hash = entry.changes.get("through_hash") if isinstance(entry.changes, dict) else None
    if (
        not isinstance(through_seq, int)
        or not isinstance(through_hash, str)
        or through_seq >= entry.seq
    ):
        return None
    return through_seq, through_hash


def verify() -> VerifyResult:
    """Walk the chain from its start (or purge anchor); name the first entry that does not fit."""
    anchor = _anchor()
    if anchor is None:
        return VerifyResult(False, 0, None, "the record of the last purge holds no anchor")
    start_seq, previous_hash = anchor
    expected_seq, checked = start_seq + 1, 0
    for entry in _entries(after=start_seq):
        if entry.seq != expected_seq:
            return VerifyResult(False, checked, entry.id, f"entry missing before seq {entry.seq}")
        if entry.prev_hash != previous_hash:
            return VerifyResult(False, checked, entry.id, "previous hash does not match")
        if entry_hash(entry) != entry.hash:
            return VerifyResult(False, checked, entry.id, "content does not match its hash")
        previous_hash, expected_seq, checked = entry.hash, expected_seq + 1, checked + 1
    head = db.session.get(AuditHead, HEAD_ID)
    if head is not None and (head.seq != expected_seq - 1 or head.hash != previous_hash):
        return VerifyResult(False, checked, None, "entries missing at the end of the chain")
    return VerifyResult(True, checked)


class ChainBroken(RuntimeError):
    """The chain does not verify: nothing may be deleted from it, evidence included."""

    def __init__(self, result: VerifyResult) -> None:
        super().__init__(
            f"audit chain broken at entry id {result.first_broken_id}: {result.reason}"
        )
        self.result = result


def forget_before(cutoff: datetime) -> int:
    """Delete the entries written before ``cutoff``; the caller commits.

    Retention: entries name organisers, network addresses and corrected names, so
    they cannot be kept for ever. The chain is one sequence across editions, so only
    its oldest part can go: every entry before the first one written at or after
    ``cutoff``. The deletion is itself recorded (``audit.truncated``) with the seq
    and hash of the last entry deleted, from which ``verify`` then starts. A chain
    that does not verify is left whole (``ChainBroken``): a purge must not erase
    the evidence of tampering. Returns how many entries were deleted.
    """
    result = verify()
    if not result.ok:
        raise ChainBroken(result)
    head = _head()  # the lock: no entry is appended while the prefix is cut
    anchor = _anchor()
    start_seq = anchor[0] if anchor is not None else 0
    first_kept = db.session.scalar(
        db.select(db.func.min(AuditEntry.seq)).where(
            AuditEntry.created_at >= cutoff, AuditEntry.seq > start_seq
        )
    )
    through_seq = head.seq if first_kept is None else first_kept - 1
    if through_seq <= start_seq:
        return 0
    through_hash = db.session.scalar(
        db.select(AuditEntry.hash).where(AuditEntry.seq == through_seq)
    )
    deleted = db.session.execute(
        db.delete(AuditEntry).where(AuditEntry.seq <= through_seq)
    ).rowcount
    record(
        TRUNCATED,
        object_type="audit",
        changes={
            "through_seq": through_seq,
            "through_hash": through_hash,
            "before": cutoff,
            "entries": deleted,
        },
        actor=SYSTEM,
    )
    return int(deleted)
