"""The audit log for admins: read as sentences, filtered, paged; its chain checked on demand.

Nothing here edits or deletes an entry. Checking the chain appends an
``audit.verified`` entry with the result, so the page can say when the chain
was last checked and what was found, and the check itself is on record.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from congress.accounts.permissions import Permission
from congress.audit.log import record, verify
from congress.audit.models import AuditEntry
from congress.core.forms import ButtonForm
from congress.dashboard.audit_trail import SENTENCES, readable
from congress.dashboard.blueprint import bp, needs
from congress.edition.queries import display_zone
from congress.extensions import db
from congress.i18n import lazy_gettext as _l

PER_PAGE = 50
MAX_PAGE = 100_000
VERIFIED = "audit.verified"


@bp.app_template_filter("tojson_readable")
def tojson_readable(value: Any) -> str:
    """JSON with accents as written ("é", not "\\u00e9"), indented; escaped by Jinja."""
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)


def _day(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name) or "")
    except ValueError:
        return None


@bp.get("/audit")
@needs(Permission.VIEW_AUDIT)
def audit() -> str:
    zone = display_zone()
    action = (request.args.get("action") or "")[:64]
    actor = (request.args.get("actor") or "")[:254]
    obj = (request.args.get("object") or "")[:64]
    since, until = _day("from"), _day("to")
    page = max(1, min(request.args.get("page", 1, type=int) or 1, MAX_PAGE))
    criteria: list[Any] = []
    if action:
        criteria.append(AuditEntry.action == action)
    if actor:
        pattern = actor.replace("\\", "").replace("%", "").replace("_", "")
        criteria.append(AuditEntry.actor_label.like(f"%{pattern}%"))
    if obj:
        criteria.append(AuditEntry.object_id == obj)
    if since:
        criteria.append(AuditEntry.created_at >= _start(since, zone))
    if until:
        criteria.append(AuditEntry.created_at < _start(until + timedelta(days=1), zone))
    total = db.session.scalar(db.select(db.func.count(AuditEntry.id)).where(*criteria)) or 0
    entries = db.session.scalars(
        db.select(AuditEntry)
        .where(*criteria)
        .order_by(AuditEntry.seq.desc())
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    ).all()
    last_check = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == VERIFIED).order_by(AuditEntry.seq.desc())
    ).first()
    return render_template(
        "dashboard/audit.html",
        entries=readable(entries, zone),
        raw=request.args.get("raw") == "1",
        actions=sorted(
            ((code, str(text) % {"actor": "…", "object": "…"}) for code, text in SENTENCES.items()),
            key=lambda pair: pair[1],
        ),
        action=action,
        actor=actor,
        obj=obj,
        since=since,
        until=until,
        page=page,
        pages=max(1, -(-total // PER_PAGE)),
        total=total,
        last_check=readable([last_check], zone)[0] if last_check else None,
        form=ButtonForm(),
    )


def _start(day: date, zone: ZoneInfo) -> datetime:
    """Local midnight of ``day`` in the zone the page shows times in."""
    return datetime.combine(day, time.min, tzinfo=zone)


@bp.post("/audit/verify")
@needs(Permission.VIEW_AUDIT)
def audit_verify() -> Response:
    """Walk the whole chain now and put the result on record."""
    if not ButtonForm().validate_on_submit():
        flash(_l("The form expired; try again."), "error")
        return redirect(url_for("dashboard.audit"))
    result = verify()
    record(
        VERIFIED,
        changes={
            "ok": result.ok,
            "checked": result.checked,
            "first_broken_id": result.first_broken_id,
            "reason": result.reason,
        },
    )
    db.session.commit()
    if result.ok:
        flash(_l("The chain is intact: %(n)d entries verified.", n=result.checked), "success")
    else:
        flash(
            _l(
                "The chain is broken at entry %(id)s: %(reason)s "
                "(%(n)d entries verified before it).",
                id=result.first_broken_id or "?",
                reason=result.reason,
                n=result.checked,
            ),
            "error",
        )
    return redirect(url_for("dashboard.audit"))
