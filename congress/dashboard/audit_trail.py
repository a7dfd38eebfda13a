"""The audit log as people read it: a sentence per entry, values side by side, links.

Why in the dashboard: the log stores codes and raw values on purpose (a hash
chain must not change with a translation), and turning them into "Claire
Martin a déplacé « PGSSI-S… » de 10:45 à 14:00" needs every domain's names
(a talk's title, a registration's holder), which only the organisers' layer
may read. ``SENTENCES`` names every action the code records; a test walks the
code to keep it so, and an unknown code still shows, as itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import url_for
from flask_babel import get_locale
from markupsafe import Markup, escape

from congress.accounts.models import Invitation, User
from congress.audit.models import AuditEntry
from congress.cfp.models import Submission
from congress.extensions import db
from congress.i18n import gettext
from congress.i18n import lazy_gettext as _l
from congress.partners.models import Partner
from congress.programme.models import Room, Speaker, Talk, Track
from congress.registration.models import Registration, TicketCategory
from congress.typography import long_date

# %(actor)s: who; %(object)s: what it acted on (a name, linked when it still exists).
SENTENCES: dict[str, Any] = {
    "talk.created": _l("%(actor)s created the session %(object)s"),
    "talk.updated": _l("%(actor)s changed the session %(object)s"),
    "talk.moved": _l("%(actor)s moved the session %(object)s"),
    "talk.deleted": _l("%(actor)s deleted the session %(object)s"),
    "room.created": _l("%(actor)s created the room %(object)s"),
    "room.updated": _l("%(actor)s changed the room %(object)s"),
    "room.deleted": _l("%(actor)s deleted the room %(object)s"),
    "track.created": _l("%(actor)s created the track %(object)s"),
    "track.updated": _l("%(actor)s changed the track %(object)s"),
    "track.deleted": _l("%(actor)s deleted the track %(object)s"),
    "speaker.created": _l("%(actor)s added the speaker %(object)s"),
    "speaker.updated": _l("%(actor)s changed the speaker %(object)s"),
    "speaker.deleted": _l("%(actor)s deleted the speaker %(object)s"),
    "speaker.photo_set": _l("%(actor)s set the photo of %(object)s"),
    "speaker.photo_removed": _l("%(actor)s removed the photo of %(object)s"),
    "event.created": _l("%(actor)s created the edition %(object)s"),
    "event.updated": _l("%(actor)s changed the edition %(object)s"),
    "partner.created": _l("%(actor)s added the partner %(object)s"),
    "partner.updated": _l("%(actor)s changed the partner %(object)s"),
    "partner.deleted": _l("%(actor)s deleted the partner %(object)s"),
    "site_section.updated": _l("%(actor)s edited the page section %(object)s"),
    "programme.imported": _l("%(actor)s imported a programme"),
    "edition.imported": _l("%(actor)s imported a whole edition"),
    "registration.created": _l("%(actor)s registered %(object)s"),
    "registration.resubmitted": _l(
        "%(actor)s submitted the registration form again for %(object)s"
    ),
    "registration.confirmed": _l("%(actor)s confirmed the registration of %(object)s"),
    "registration.updated": _l("%(actor)s changed the registration of %(object)s"),
    "registration.cancelled": _l("%(actor)s cancelled the registration of %(object)s"),
    "registration.promoted": _l("%(actor)s gave a seat from the waiting list to %(object)s"),
    "registration.moved": _l("%(actor)s moved %(object)s to another ticket category"),
    "registration.erased": _l("%(actor)s erased the personal data of a registration"),
    "registration.link_resent": _l("%(actor)s sent a new private link to %(object)s"),
    "registration.feed_reissued": _l("%(actor)s renewed the agenda feed link of %(object)s"),
    "registration.viewed": _l("%(actor)s viewed the registration of %(object)s"),
    "registrations.exported": _l("%(actor)s exported the registrations"),
    "export.downloaded": _l("%(actor)s downloaded a spreadsheet export"),
    "category.capacity": _l("%(actor)s changed the capacity of a ticket category"),
    "category.created": _l("%(actor)s added the ticket category %(object)s"),
    "category.updated": _l("%(actor)s changed the ticket category %(object)s"),
    "organiser.updated": _l("%(actor)s changed the organiser's identity on invoices"),
    "agenda.added": _l("%(actor)s added a session to the agenda of %(object)s"),
    "agenda.removed": _l("%(actor)s removed a session from the agenda of %(object)s"),
    "checkin": _l("%(actor)s checked in %(object)s"),
    "checkin.refused": _l("%(actor)s was refused a check-in for %(object)s"),
    "checkin.sheet_printed": _l("%(actor)s printed the desk sheet"),
    "badges.printed": _l("%(actor)s printed badges"),
    "badge.printed": _l("%(actor)s printed the badge of %(object)s"),
    "registration.billing_updated": _l("%(actor)s changed the billing details of %(object)s"),
    "invoice.issued": _l("%(actor)s issued invoice %(object)s"),
    "invoice.forgotten": _l("%(actor)s deleted invoices and credit notes past their ten years"),
    "invoice.credited": _l("%(actor)s issued credit note %(object)s"),
    "invoice.reminded": _l("%(actor)s sent a payment reminder for invoice %(object)s"),
    "payment.recorded": _l("%(actor)s recorded a payment on invoice %(object)s"),
    "message.drafted": _l("%(actor)s wrote a message to attendees"),
    "message.test_sent": _l("%(actor)s sent themselves a test of a message to attendees"),
    "message.sent": _l("%(actor)s sent a message to attendees"),
    "retention.purged": _l("%(actor)s purged personal data past its retention period"),
    "account.created": _l("%(actor)s created the organiser account %(object)s"),
    "account.password_set": _l("%(actor)s set the password of %(object)s"),
    "account.password_changed": _l("%(actor)s changed their password"),
    "account.totp_enabled": _l("%(actor)s enrolled a second factor"),
    "account.totp_disabled": _l("%(actor)s removed a second factor"),
    "account.recovery_codes_renewed": _l("%(actor)s renewed their recovery codes"),
    "account.invited": _l("%(actor)s invited an organiser (%(object)s)"),
    "account.organisation_changed": _l(
        "%(actor)s changed the organisation of the organiser account %(object)s"
    ),
    "account.role_changed": _l("%(actor)s changed the role of the organiser account %(object)s"),
    "account.disabled": _l("%(actor)s disabled the organiser account %(object)s"),
    "account.enabled": _l("%(actor)s enabled the organiser account %(object)s again"),
    "account.second_factor_reset": _l(
        "%(actor)s reset the second factor of the organiser account %(object)s"
    ),
    "invitation.revoked": _l("%(actor)s withdrew an invitation (%(object)s)"),
    "invitation.accepted": _l("%(actor)s accepted an invitation and joined the team"),
    "login.succeeded": _l("%(actor)s logged in"),
    "login.failed": _l("A login as %(actor)s failed"),
    "login.locked": _l("Logins as %(actor)s were locked after repeated failures"),
    "login.second_factor_failed": _l("A second-factor code for %(actor)s was wrong"),
    "login.second_factor_locked": _l(
        "The second factor of %(actor)s was locked after repeated failures"
    ),
    "login.recovery_code_used": _l("%(actor)s logged in with a recovery code"),
    "logout": _l("%(actor)s logged out"),
    "ratelimit.hit": _l("%(actor)s reached a rate limit"),
    "audit.verified": _l("%(actor)s verified the audit chain"),
    "cfp.call_set": _l("%(actor)s set the dates and rules of the call for papers"),
    "cfp.submitted": _l("%(actor)s sent the proposal %(object)s"),
    "cfp.confirmed": _l("%(actor)s confirmed and submitted the proposal %(object)s"),
    "cfp.co_speaker_confirmed": _l("%(actor)s confirmed being a co-speaker on %(object)s"),
    "cfp.updated": _l("%(actor)s changed the proposal %(object)s"),
    "cfp.withdrawn": _l("%(actor)s withdrew the proposal %(object)s"),
    "cfp.read": _l("%(actor)s read the restricted proposal %(object)s"),
    "cfp.attachment_read": _l("%(actor)s downloaded the attachment of the proposal %(object)s"),
    "cfp.assigned": _l("%(actor)s assigned a reviewer to the proposal %(object)s"),
    "cfp.unassigned": _l("%(actor)s removed a reviewer from the proposal %(object)s"),
    "cfp.conflict_declared": _l(
        "%(actor)s declared a conflict of interest with the proposal %(object)s"
    ),
    "cfp.reviewed": _l("%(actor)s reviewed the proposal %(object)s"),
    "cfp.decided": _l("%(actor)s recorded the committee's decision on the proposal %(object)s"),
    "cfp.released": _l("%(actor)s told the speakers of the proposal %(object)s its decision"),
    "cfp.accepted": _l("%(actor)s turned the accepted proposal %(object)s into a draft session"),
    "cfp.speaker_confirmed": _l("%(actor)s confirmed speaking at %(object)s"),
    "cfp.speaker_declined": _l("%(actor)s declined to speak at %(object)s"),
    "cfp.slides_uploaded": _l("%(actor)s sent the slides of %(object)s"),
    "cfp.slides_downloaded": _l("%(actor)s downloaded the slides of %(object)s"),
    "cfp.red_destroyed": _l("%(actor)s destroyed the TLP:RED material of the proposal %(object)s"),
    "cfp.purged": _l("%(actor)s deleted the proposal %(object)s at the end of its retention"),
}

# Names of the fields a change lists, in the interface language.
FIELDS: dict[str, Any] = {
    "title": _l("Title"),
    "name": _l("Name"),
    "starts_at": _l("Start"),
    "ends_at": _l("End"),
    "room": _l("Room"),
    "room_name": _l("Room"),
    "room_id": _l("Room"),
    "track": _l("Track"),
    "track_id": _l("Track"),
    "status": _l("Status"),
    "kind": _l("Kind"),
    "abstract": _l("Abstract"),
    "speakers": _l("Speakers"),
    "capacity": _l("Capacity"),
    "seat_limit": _l("Seat limit"),
    "category": _l("Category"),
    "days": _l("Days"),
    "email": _l("E-mail"),
    "phone": _l("Telephone"),
    "organisation": _l("Organisation"),
    "day": _l("Day"),
    "reason": _l("Reason"),
    "lines": _l("Lines"),
    "total": _l("Total incl. VAT"),
    "amount": _l("Amount"),
    "method": _l("Means of payment"),
    "invoice": _l("Invoice"),
    "owed": _l("Still owed"),
    "documents": _l("Documents"),
    "export": _l("Export"),
    "disclosure": _l("Disclosure"),
    "subject": _l("Subject"),
    "audience": _l("Recipients"),
    "recipients": _l("People"),
    "badges": _l("Badges"),
    "sort": _l("Order"),
    "name_en": _l("Name (English)"),
    "price_cents": _l("Price before tax (cents)"),
    "early_price_cents": _l("Early-bird price before tax (cents)"),
    "early_until": _l("End of the early-bird price"),
    "public": _l("Public"),
    "position": _l("Display order"),
    "legal_name": _l("Legal name"),
    "siret": _l("SIRET number"),
    "vat_number": _l("VAT number"),
    "iban": _l("IBAN"),
    "bic": _l("BIC"),
    "late_payment_rate": _l("Late-payment rate (percent a year)"),
    "payment_days": _l("Payment term (days)"),
    "quote_validity_days": _l("Validity of quotes (days)"),
    "invoice_on_confirmation": _l(
        "Issue the invoice automatically when a paying registration is confirmed"
    ),
    "training_declaration": _l("Training body's declaration number (NDA)"),
}

# Models whose audit entries name them, how the entry identifies them, and their page.
_OBJECTS: dict[str, tuple[Any, str, str | None, str]] = {
    # object_type: (model, identifying column, edit endpoint or None, its URL argument)
    "talk": (Talk, "uid", "dashboard.talk_edit", "talk_id"),
    "speaker": (Speaker, "uid", "dashboard.speaker_edit", "speaker_id"),
    "room": (Room, "id", "dashboard.room_edit", "room_id"),
    "track": (Track, "id", "dashboard.track_edit", "track_id"),
    "registration": (Registration, "uid", "dashboard.registration_detail", "uid"),
    "category": (TicketCategory, "slug", "dashboard.category_edit", "category_id"),
    "partner": (Partner, "id", None, ""),
    "user": (User, "id", None, ""),
    "invitation": (Invitation, "id", None, ""),
    "submission": (Submission, "uid", None, ""),
}


@dataclass(frozen=True, slots=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class ReadableEntry:
    entry: AuditEntry
    when: str
    sentence: Markup
    changes: list[Change]
    known: bool  # the action has a sentence; else the raw code is shown


@dataclass(frozen=True, slots=True)
class _Named:
    label: str
    url: str | None


def readable(entries: Sequence[AuditEntry], zone: ZoneInfo) -> list[ReadableEntry]:
    """The entries of a page as sentences, with one statement per kind of object named."""
    names = _names(entries)
    return [_readable(entry, names, zone) for entry in entries]


def _names(entries: Iterable[AuditEntry]) -> dict[tuple[str, str], _Named]:
    wanted: dict[str, set[str]] = {}
    for entry in entries:
        if entry.object_type in _OBJECTS and entry.object_id:
            wanted.setdefault(entry.object_type, set()).add(entry.object_id)
    found: dict[tuple[str, str], _Named] = {}
    for kind, ids in wanted.items():
        model, column, endpoint, argument = _OBJECTS[kind]
        key = getattr(model, column)
        values = [int(i) for i in ids if i.isdigit()] if column == "id" else list(ids)
        for obj in db.session.scalars(db.select(model).where(key.in_(values))):
            label = _label(kind, obj)
            url = None
            if endpoint:
                url = url_for(endpoint, **{argument: obj.uid if argument == "uid" else obj.id})
            found[(kind, str(getattr(obj, column)))] = _Named(label, url)
    return found


def _label(kind: str, obj: Any) -> str:
    if kind in ("talk", "submission"):
        return f"«\u202f{obj.title}\u202f»" if _french() else f"“{obj.title}”"
    if kind == "registration":
        return obj.full_name or gettext("an erased registration")
    if kind == "user":
        return f"{obj.display_name} <{obj.email}>" if obj.display_name else obj.email
    if kind == "invitation":
        return obj.email
    return str(getattr(obj, "name", "") or getattr(obj, "full_name", ""))


def _french() -> bool:
    return str(get_locale() or "fr").startswith("fr")


def _readable(
    entry: AuditEntry, names: dict[tuple[str, str], _Named], zone: ZoneInfo
) -> ReadableEntry:
    named = names.get((entry.object_type, entry.object_id))
    if named is not None and named.url:
        obj = Markup('<a href="{}">{}</a>').format(named.url, named.label)
    elif named is not None:
        obj = escape(named.label)
    elif entry.changes.get("title") or entry.changes.get("name"):
        gone = entry.changes.get("title") or entry.changes.get("name")
        obj = escape(_last(gone))  # deleted since: the name the entry kept
    else:
        obj = escape(f"{entry.object_type} {entry.object_id}".strip())
    actor = escape(_actor(entry))
    action = entry.action
    if action == "talk.updated" and "starts_at" in entry.changes:
        action = "talk.moved"
    template = SENTENCES.get(action)
    if template is None:
        sentence = Markup("{} · <code>{}</code> {}").format(actor, entry.action, obj)
    else:
        # A translation is trusted markup (``congress.i18n``): escape keeps it as it is.
        sentence = escape(template) % {"actor": actor, "object": obj}
    changes = [
        Change(str(FIELDS.get(field, field)), *_before_after(value, zone))
        for field, value in entry.changes.items()
    ]
    return ReadableEntry(
        entry, _moment(entry.created_at, zone), sentence, changes, template is not None
    )


def _actor(entry: AuditEntry) -> str:
    if entry.actor_type == "system":
        return gettext("The system")
    if entry.actor_type == "attendee":
        return entry.actor_label or gettext("An attendee")
    return entry.actor_label or gettext("An organiser")


def _last(value: Any) -> str:
    if isinstance(value, list) and value:
        return str(value[-1] if value[-1] is not None else value[0])
    return str(value)


def _before_after(value: Any, zone: ZoneInfo) -> tuple[str, str]:
    """A ``[before, after]`` pair side by side; any other value is an "after" alone."""
    if isinstance(value, list) and len(value) == 2 and not isinstance(value[0], list | dict):
        return _value(value[0], zone), _value(value[1], zone)
    return "", _value(value, zone)


def _value(value: Any, zone: ZoneInfo) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, list):
        return ", ".join(_value(item, zone) for item in value)
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] == "T":
        try:
            return _moment(datetime.fromisoformat(value), zone)
        except ValueError:
            return value
    return str(value)


def _moment(moment: datetime, zone: ZoneInfo) -> str:
    local = moment.astimezone(zone)
    return f"{long_date(local.date())}, {local:%H:%M}"
