"""The audit log for admins: browse and filter; nothing here edits or deletes."""

from __future__ import annotations

from flask import render_template, request

from congress.accounts.permissions import Permission
from congress.audit.log import verify
from congress.audit.models import AuditEntry
from congress.dashboard.blueprint import bp, needs
from congress.extensions import db

PER_PAGE = 100


@bp.get("/audit")
@needs(Permission.VIEW_AUDIT)
def audit() -> str:
    action = (request.args.get("action") or "")[:64]
    actor = (request.args.get("actor") or "")[:254]
    obj = (request.args.get("object") or "")[:64]
    page = max(1, min(request.args.get("page", 1, type=int) or 1, 100_000))
    stmt = db.select(AuditEntry)
    if action:
        stmt = stmt.where(AuditEntry.action.like(f"{action.replace('%', '')}%"))
    if actor:
        stmt = stmt.where(AuditEntry.actor_label.like(f"%{actor.replace('%', '')}%"))
    if obj:
        stmt = stmt.where(AuditEntry.object_id == obj)
    entries = db.session.scalars(
        stmt.order_by(AuditEntry.seq.desc()).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    ).all()
    return render_template(
        "dashboard/audit.html",
        entries=entries,
        action=action,
        actor=actor,
        obj=obj,
        page=page,
        per_page=PER_PAGE,
    )


@bp.get("/audit/verify")
@needs(Permission.VIEW_AUDIT)
def audit_verify() -> str:
    return render_template("dashboard/audit_verify.html", result=verify())
