"""Registration rules: register, confirm, cancel, promote, agenda, GDPR rights.

Each public function is one unit of work: it checks the rules, changes rows,
queues the e-mails in the outbox (same transaction), commits once, or raises a
``DomainError`` having changed nothing.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy.orm import joinedload

from congress.audit.log import Actor, current_actor, diff, record, snapshot
from congress.core import tokens
from congress.core.clock import now
from congress.core.errors import CapacityReached, Conflict, DomainError, Expired, NotFound
from congress.core.text import fold
from congress.edition.models import Event
from congress.extensions import db
from congress.i18n import lazy_gettext as _l
from congress.mail.outbox import drop_queued, forget_registrations, render_and_queue
from congress.programme.models import Talk, TalkStatus
from congress.registration import agenda, billing_details, capacity, panels, signals, upsert
from congress.registration.agenda import AgendaClash, ClashChoice
from congress.registration.billing_details import BillingData
from congress.registration.invitation import invitation_attachment
from congress.registration.labels import JOB_ROLE_LABELS, ORGANISATION_TYPE_LABELS
from congress.registration.models import (
    AccessToken,
    AgendaItem,
    JobRole,
    OrganisationType,
    Registration,
    RegistrationStatus,
    TicketCategory,
    TokenPurpose,
)

NAME_MAX = 100
# Fields whose changes the audit log shows; health-revealing needs are logged as
# "changed" only (their values stay out of the log).
AUDITED_DETAILS = (
    "first_name",
    "last_name",
    "organisation",
    "organisation_type",
    "job_role",
    "days_mask",
    "newsletter",
)
ORGANISATION_MAX = 200
NEEDS_MAX = 1000


@dataclass(slots=True)
class RegistrationData:
    """What the attendee typed, already shaped by the form."""

    first_name: str
    last_name: str
    email: str
    organisation: str
    organisation_type: OrganisationType
    job_role: JobRole
    category_id: int
    days: list[date]
    privacy_consent: bool
    accessibility_needs: str = ""
    dietary_needs: str = ""
    needs_consent: bool = False
    newsletter: bool = False
    # Who pays and where the invoice goes; None (or all fields empty) leaves it for later.
    billing: BillingData | None = None


@dataclass(slots=True)
class ConfirmOutcome:
    registration: Registration
    manage_token: str | None  # None when the link had already been used
    already_confirmed: bool = False


# ---------------------------------------------------------------- helpers


def normalise_email(raw: str) -> str:
    """Syntax-checked, lower-cased address; hospitals' mixed-case addresses match."""
    try:
        result = validate_email(raw.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise DomainError(_l("Enter a valid e-mail address."), field="email") from error
    return result.normalized.lower()


def _clean(value: str, limit: int, field_name: str) -> str:
    """Trimmed single-line text without control characters, within its length."""
    cleaned = " ".join("".join(ch if ch.isprintable() else " " for ch in value).split())
    if len(cleaned) > limit:
        raise DomainError(
            _l("This field may not exceed %(n)d characters.", n=limit), field=field_name
        )
    return cleaned


def _clean_block(value: str, limit: int, field_name: str) -> str:
    lines = ["".join(ch for ch in line if ch.isprintable()) for line in value.splitlines()]
    cleaned = "\n".join(lines).strip()
    if len(cleaned) > limit:
        raise DomainError(
            _l("This field may not exceed %(n)d characters.", n=limit), field=field_name
        )
    return cleaned


def search_key(registration: Registration) -> str:
    """Accent- and case-free text the organisers' search matches against."""
    return _search_text(
        registration.first_name,
        registration.last_name,
        registration.email,
        registration.organisation,
    )


def _search_text(first_name: str, last_name: str, email: str, organisation: str) -> str:
    return fold(" ".join([first_name, last_name, email, organisation]))


def days_mask(event: Event, days: list[date]) -> int:
    mask = 0
    for day in days:
        if day not in event.days:
            raise DomainError(_l("Choose days of the congress."), field="days")
        mask |= 1 << (day - event.first_day).days
    if not mask:
        raise DomainError(_l("Choose at least one day."), field="days")
    return mask


def base_url() -> str:
    return current_app.config["BASE_URL"]


def _secret() -> str:
    return current_app.config["SECRET_KEY"]


def _issue(registration: Registration, purpose: TokenPurpose, hours: int | None = None) -> str:
    token, token_hash = tokens.new_token()
    expires = now() + timedelta(hours=hours) if hours else None
    db.session.add(
        AccessToken(
            registration=registration, purpose=purpose, token_hash=token_hash, expires_at=expires
        )
    )
    return token


def checkin_code(registration: Registration) -> str:
    """The opaque code in the attendee's QR: derived, no personal data, 128 bits."""
    return tokens.derived_token(_secret(), "checkin", registration.uid, nbytes=16)


def feed_token(registration: Registration) -> str:
    """The attendee's current agenda-feed token (recomputed, stored only as a hash)."""
    subject = f"{registration.uid}:{registration.feed_generation}"
    return tokens.derived_token(_secret(), "feed", subject)


def _issue_feed(registration: Registration) -> None:
    db.session.add(
        AccessToken(
            registration=registration,
            purpose=TokenPurpose.FEED,
            token_hash=tokens.hash_token(feed_token(registration)),
        )
    )


def _revoke(registration: Registration, purposes: tuple[TokenPurpose, ...]) -> None:
    moment = now()
    for token in registration.tokens:
        if token.purpose in purposes and token.revoked_at is None:
            token.revoked_at = moment


def find_by_token(token: str, purpose: TokenPurpose) -> Registration:
    """The registration a token opens for ``purpose``; 404 for anything else.

    Unknown, revoked, expired or wrong-purpose tokens all answer the same, so a
    probe learns nothing about which tokens exist.
    """
    row = tokens.live_row(db.session, AccessToken, token, purpose, label=purpose.value)
    if row is None:
        raise NotFound(_l("This link is not valid or no longer works."))
    if row.expires_at is not None and row.expires_at <= now():
        raise Expired(_l("This confirmation link has expired. Register again to get a new one."))
    return row.registration


def _mail(
    registration: Registration, template: str, *, kind: str, attachments: tuple = (), **context: Any
) -> None:
    render_and_queue(
        template,
        registration.email,
        kind=kind,
        language=registration.language,
        registration_id=registration.id,
        attachments=attachments,
        registration=registration,
        event=registration.event,
        base_url=base_url(),
        **context,
    )


# ---------------------------------------------------------------- registering


def public_categories(event: Event) -> list[TicketCategory]:
    stmt = (
        db.select(TicketCategory)
        .where(TicketCategory.event_id == event.id, TicketCategory.public.is_(True))
        .order_by(TicketCategory.position, TicketCategory.id)
    )
    return list(db.session.scalars(stmt))


class Submitted(enum.Enum):
    """What a submitted form led to. Never shown on the page, which is the same for all."""

    CREATED = "created"  # a new pending registration
    REPLACED = "replaced"  # a pending one, now holding the newer details
    KEPT = "kept"  # a confirmed or waiting one, its stored details kept


@dataclass(slots=True)
class Submission:
    registration: Registration
    outcome: Submitted


# What a re-submission may change on a registration that is still pending: all it
# typed. Once the address is confirmed, changes go through the private link.
REPLACEABLE_WHILE_PENDING = (
    "category_id",
    "first_name",
    "last_name",
    "organisation",
    "organisation_type",
    "job_role",
    "days_mask",
    "accessibility_needs",
    "dietary_needs",
    "needs_consent_at",
    "privacy_consent_at",
    "newsletter",
    "language",
    "search_text",
    "updated_at",
)


def register(
    event: Event, data: RegistrationData, *, language: str, allow_hidden: bool = False
) -> Registration | None:
    """Register an address, or answer its earlier registration, and queue one e-mail.

    Returns the new registration, or None when the address was already known;
    the caller shows the very same page either way, and the request does the
    same work either way, so neither the page nor the answer time tells whether
    an address is registered (see ``_submit``):

    * a new address gets a pending registration and a confirmation link;
    * a pending one takes the newer details and gets a second confirmation
      link; the first link keeps working (both confirm the one registration)
      and the e-mail lists the details now on record;
    * a confirmed or waiting one keeps its stored details and gets a new
      private link, with the details and how to change them.
    """
    submission = _submit(event, data, language=language, allow_hidden=allow_hidden)
    db.session.commit()
    return submission.registration if submission.outcome is Submitted.CREATED else None


def _submit(
    event: Event, data: RegistrationData, *, language: str, allow_hidden: bool
) -> Submission:
    """Check the form, then write and queue the same way for a new or a known address.

    Why one upsert (``upsert.insert_or_find_active``) rather than recording a
    bare request and letting the mail worker sort known from unknown: the
    upsert keeps every rule here, in the request's one transaction, with the
    worker unchanged, the confirmation link in the outbox as soon as the page
    answers (the load bench and the tests read it there) and the unique index
    still arbitrating simultaneous submissions. The price is that each path
    must be kept to the same statements, which a test compares:

    1. the address's active registration, if any, with its category (the
       "before" of the audit entry, and the category a kept registration's
       e-mail names);
    2. the upsert, which returns the row whatever happened;
    3. one audit entry, one token and one outbox message, rendered now, for
       every outcome (a confirmation token for a pending row, a management
       token for a confirmed one: the same INSERT), then one commit.

    Earlier confirmation tokens are not revoked: an attendee who registers
    twice may open either e-mail. No commit: callers decide.
    """
    if not event.registration_open(now()) and not allow_hidden:
        raise Conflict(_l("Registration is closed."))
    category = db.session.get(TicketCategory, data.category_id)
    if (
        category is None
        or category.event_id != event.id
        or (not category.public and not allow_hidden)
    ):
        raise DomainError(_l("Choose a ticket category from the list."), field="category")
    if not data.privacy_consent:
        raise DomainError(
            _l("You must accept the privacy notice to register."), field="privacy_consent"
        )
    email = normalise_email(data.email)
    first = _clean(data.first_name, NAME_MAX, "first_name")
    last = _clean(data.last_name, NAME_MAX, "last_name")
    organisation = _clean(data.organisation, ORGANISATION_MAX, "organisation")
    for value, name in ((first, "first_name"), (last, "last_name"), (organisation, "organisation")):
        if not value:
            raise DomainError(_l("This field is required."), field=name)
    accessibility = _clean_block(data.accessibility_needs, NEEDS_MAX, "accessibility_needs")
    dietary = _clean_block(data.dietary_needs, NEEDS_MAX, "dietary_needs")
    if (accessibility or dietary) and not data.needs_consent:
        raise DomainError(
            _l("Tick the consent box to let us keep your accessibility or dietary needs."),
            field="needs_consent",
        )
    mask = days_mask(event, data.days)
    moment = now()
    billing = billing_details.for_registering(
        category, data.billing, person_name=f"{first} {last}", at=moment
    )

    uid = str(uuid.uuid4())
    earlier = _active_registration(event, email)
    # The categories the outcome may name, kept referenced: the session's identity
    # map holds objects weakly, and a category it had dropped would cost a
    # statement of its own on some paths only.
    categories = {category.id: category}
    if earlier is not None:
        categories[earlier.category_id] = earlier.category
    before = _audited(earlier, earlier.category) if earlier is not None else {}
    needs_before = _needs(earlier) if earlier is not None else ("", "")
    registration = upsert.insert_or_find_active(
        {
            "uid": uid,
            "event_id": event.id,
            "category_id": category.id,
            "status": RegistrationStatus.PENDING,
            "first_name": first,
            "last_name": last,
            "email": email,
            "organisation": organisation,
            "organisation_type": data.organisation_type,
            "job_role": data.job_role,
            "days_mask": mask,
            "accessibility_needs": accessibility,
            "dietary_needs": dietary,
            "needs_consent_at": moment if accessibility or dietary else None,
            "privacy_consent_at": moment,
            "newsletter": data.newsletter,
            "language": language,
            "search_text": _search_text(first, last, email, organisation),
            "feed_generation": 0,
            "created_at": moment,
            "updated_at": moment,
        },
        replace_if_pending=REPLACEABLE_WHILE_PENDING,
    )
    if billing is not None:
        # One statement whatever the outcome: a kept registration keeps its details.
        billing_details.store_while_pending(registration.id, billing)
    ticket = categories.get(registration.category_id) or registration.category
    if registration.uid == uid:
        outcome = Submitted.CREATED
    elif registration.status is RegistrationStatus.PENDING:
        outcome = Submitted.REPLACED
    else:
        outcome = Submitted.KEPT
    if outcome is Submitted.CREATED:
        changes: dict[str, Any] = {"category": category.slug, "days_mask": mask}
        if billing is not None:
            changes["billing"] = ["…", "…"]  # entered, never what they say
        _audit(registration, "registration.created", changes)
    elif outcome is Submitted.REPLACED:
        changes = diff(before, _audited(registration, ticket))
        if _needs(registration) != needs_before:
            changes["needs"] = ["…", "…"]  # that they changed, never what they say
        if billing is not None:
            changes["billing"] = ["…", "…"]
        _audit(registration, "registration.resubmitted", changes)
    else:
        _audit(registration, "registration.link_resent")

    if outcome is Submitted.KEPT:
        token = _issue(registration, TokenPurpose.MANAGE)
        _mail(
            registration,
            "registration_manage_link",
            kind="manage_link",
            manage_url=f"{base_url()}/r/{token}",
            **_details_context(ticket),
        )
    else:
        hours = current_app.config["CONFIRMATION_HOURS"]
        token = _issue(registration, TokenPurpose.CONFIRM, hours)
        _mail(
            registration,
            "registration_confirm",
            kind="confirm",
            confirm_url=f"{base_url()}/register/confirm/{token}",
            hours=hours,
            category_full=ticket.seats_left == 0,
            replaced=outcome is Submitted.REPLACED,
            **_details_context(ticket),
        )
    return Submission(registration, outcome)


def _audit(registration: Registration, action: str, changes: dict[str, Any] | None = None) -> None:
    """An entry about the registration, made by its attendee or the organiser acting (no commit)."""
    record(
        action,
        object_type="registration",
        object_id=registration.uid,
        changes=changes,
        actor=_attendee_or_current(registration),
    )


def _audited(registration: Registration, category: TicketCategory) -> dict[str, Any]:
    """The details whose values an audit entry shows (the needs are compared apart)."""
    values = snapshot(registration, AUDITED_DETAILS)
    values["category"] = category.slug
    return values


def _needs(registration: Registration) -> tuple[str, str]:
    return registration.accessibility_needs, registration.dietary_needs


def _details_context(category: TicketCategory) -> dict[str, Any]:
    """What the e-mails' list of the details on record needs besides the registration."""
    return {
        "ticket": category,
        "organisation_types": ORGANISATION_TYPE_LABELS,
        "job_roles": JOB_ROLE_LABELS,
    }


def _attendee_or_current(registration: Registration) -> Actor:
    """An organiser acting keeps their name; otherwise the attendee acts on their own row."""
    actor = current_actor()
    if actor.type == "organiser":
        return actor
    return Actor("attendee", registration.uid, "")


def _active_registration(event: Event, email: str) -> Registration | None:
    """The address's registration that is not cancelled, with its category."""
    stmt = (
        db.select(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.email == email,
            Registration.status != RegistrationStatus.CANCELLED,
        )
        .options(joinedload(Registration.category))
    )
    return db.session.scalars(stmt).first()


def confirm(token: str) -> ConfirmOutcome:
    """Confirm an address: a seat if one is free, else the waiting list.

    A second use of the link changes nothing and says so.
    """
    registration = find_by_token(token, TokenPurpose.CONFIRM)
    token_row = next(t for t in registration.tokens if t.token_hash == tokens.hash_token(token))
    if registration.status is not RegistrationStatus.PENDING or token_row.used_at is not None:
        return ConfirmOutcome(registration, None, already_confirmed=True)
    token_row.used_at = now()
    manage = _allocate(registration)
    db.session.commit()
    return ConfirmOutcome(registration, manage)


# ---------------------------------------------------------------- managing


def update_details(registration: Registration, data: RegistrationData) -> None:
    """Edit one's own details and days; the e-mail address and category stay."""
    _require_active(registration)
    before = snapshot(registration, AUDITED_DETAILS)
    registration.first_name = _clean(data.first_name, NAME_MAX, "first_name")
    registration.last_name = _clean(data.last_name, NAME_MAX, "last_name")
    registration.organisation = _clean(data.organisation, ORGANISATION_MAX, "organisation")
    for name in ("first_name", "last_name", "organisation"):
        if not getattr(registration, name):
            db.session.rollback()
            raise DomainError(_l("This field is required."), field=name)
    registration.organisation_type = data.organisation_type
    registration.job_role = data.job_role
    registration.days_mask = days_mask(registration.event, data.days)
    accessibility = _clean_block(data.accessibility_needs, NEEDS_MAX, "accessibility_needs")
    dietary = _clean_block(data.dietary_needs, NEEDS_MAX, "dietary_needs")
    if (accessibility or dietary) and not data.needs_consent:
        db.session.rollback()
        raise DomainError(
            _l("Tick the consent box to let us keep your accessibility or dietary needs."),
            field="needs_consent",
        )
    needs_changed = (registration.accessibility_needs, registration.dietary_needs) != (
        accessibility,
        dietary,
    )
    registration.accessibility_needs = accessibility
    registration.dietary_needs = dietary
    registration.needs_consent_at = (
        (registration.needs_consent_at or now()) if accessibility or dietary else None
    )
    registration.newsletter = data.newsletter
    registration.updated_at = now()
    registration.search_text = search_key(registration)
    changes: dict[str, Any] = diff(before, snapshot(registration, AUDITED_DETAILS))
    if needs_changed:
        changes["needs"] = ["…", "…"]  # that they changed, never what they say
    if changes:
        _audit(registration, "registration.updated", changes)
    db.session.commit()


def _require_active(registration: Registration) -> None:
    if registration.status is RegistrationStatus.CANCELLED:
        raise Conflict(_l("This registration has been cancelled."))


def cancel(registration: Registration, *, notify: bool = True) -> None:
    """Cancel: free the seat and workshop seats, revoke every link, promote the next."""
    _cancel_rows(registration, notify=notify)
    db.session.commit()


def _cancel_rows(registration: Registration, *, notify: bool) -> None:
    _require_active(registration)
    held_seat = registration.status is RegistrationStatus.CONFIRMED
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now()
    registration.updated_at = now()
    registration.checkin_code_hash = None
    for item in registration.agenda:
        if item.holds_seat:
            capacity.release_talk_seat(item.talk_id)
    registration.agenda.clear()
    _revoke(registration, tuple(TokenPurpose))
    _audit(
        registration,
        "registration.cancelled",
        {"status": ["confirmed" if held_seat else "other", "cancelled"]},
    )
    signals.cancelled.send(registration)
    if notify:
        _mail(registration, "registration_cancelled", kind="cancelled")
    if held_seat:
        capacity.release_category_seat(registration.category_id)
        db.session.flush()
        promote_waiting(registration.category)


def promote_waiting(category: TicketCategory) -> list[Registration]:
    """Fill free seats from the waiting list, oldest first (no commit: caller's unit).

    ``SKIP LOCKED`` lets two concurrent promotions take different attendees;
    the seat itself is still taken by the conditional UPDATE.
    """
    promoted: list[Registration] = []
    while True:
        candidate = db.session.scalars(
            db.select(Registration)
            .where(
                Registration.category_id == category.id,
                Registration.status == RegistrationStatus.WAITING,
            )
            .order_by(Registration.waiting_since, Registration.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        ).first()
        if candidate is None or not capacity.take_category_seat(category.id):
            return promoted
        _promote(candidate)
        db.session.flush()
        promoted.append(candidate)


def _promote(registration: Registration) -> None:
    """A waiting attendee who has just been given a seat: confirm, audit, tell them."""
    registration.updated_at = now()
    _seat_or_wait(registration, True, registration.updated_at)
    record(
        "registration.promoted",
        object_type="registration",
        object_id=registration.uid,
        changes={"status": ["waiting", "confirmed"]},
    )
    manage = _issue(registration, TokenPurpose.MANAGE)
    _mail(
        registration,
        "registration_promoted",
        kind="promoted",
        manage_url=f"{base_url()}/r/{manage}",
        attachments=(invitation_attachment(registration),),
    )


def reissue_feed(registration: Registration) -> str:
    """Revoke the agenda feed link and make a new one (the old one then answers 404)."""
    _require_active(registration)
    _revoke(registration, (TokenPurpose.FEED,))
    registration.feed_generation += 1
    _issue_feed(registration)
    _audit(registration, "registration.feed_reissued")
    db.session.commit()
    return feed_token(registration)


def erase(registration: Registration) -> None:
    """Right to erasure: cancel if needed, then blank every personal field.

    The row stays with its category, organisation type, role and days, which
    are not personal on their own, so the statistics still add up. Queued and
    sent e-mails to the address are deleted too.
    """
    if registration.status is not RegistrationStatus.CANCELLED:
        _cancel_rows(registration, notify=False)
    blank_personal_data(registration, now())
    registration.updated_at = now()
    for token in list(registration.tokens):
        db.session.delete(token)
    forget_registrations([registration.id])
    _audit(registration, "registration.erased")
    db.session.commit()


def blank_personal_data(registration: Registration, moment: datetime) -> None:
    """Blank every field that names or describes the attendee, and mark the row erased.

    The one list of what erasure removes, shared by ``erase`` and the retention
    purge (``retention.purge``), so the attendee's own erasure and the
    scheduled one cannot drift apart. The check-in code goes too: its hash
    would otherwise still single out the row. So do the billing details' names,
    numbers and address (an invoice already issued keeps its own copy for its
    legal period). Status, category, organisation type, role and days stay.
    Tokens and e-mails are the caller's (one statement for a whole batch). No
    commit.
    """
    registration.first_name = ""
    registration.last_name = ""
    registration.email = f"erased-{registration.uid}"
    registration.organisation = ""
    registration.accessibility_needs = ""
    registration.dietary_needs = ""
    registration.needs_consent_at = None
    registration.newsletter = False
    registration.search_text = ""
    registration.checkin_code_hash = None
    if registration.billing is not None:
        billing_details.blank(registration.billing)
    registration.erased_at = moment


def export_data(registration: Registration) -> dict[str, Any]:
    """Everything stored about the attendee, for the right of access (JSON)."""
    return {
        "edition": registration.event.name,
        "registration_id": registration.uid,
        "status": registration.status.value,
        "category": registration.category.name,
        "first_name": registration.first_name,
        "last_name": registration.last_name,
        "email": registration.email,
        "organisation": registration.organisation,
        "organisation_type": registration.organisation_type.value,
        "job_role": registration.job_role.value,
        "days": [day.isoformat() for day in registration.days],
        "accessibility_needs": registration.accessibility_needs,
        "dietary_needs": registration.dietary_needs,
        "needs_consent_at": _iso(registration.needs_consent_at),
        "privacy_consent_at": _iso(registration.privacy_consent_at),
        "newsletter": registration.newsletter,
        "language": registration.language,
        "created_at": _iso(registration.created_at),
        "confirmed_at": _iso(registration.confirmed_at),
        "waiting_since": _iso(registration.waiting_since),
        "agenda": [
            {"session": item.talk.title, "starts_at": _iso(item.talk.starts_at)}
            for item in sorted(registration.agenda, key=lambda i: i.talk.starts_at)
        ],
        "billing": billing_details.export(registration.billing),
        **panels.data_for(registration),
    }


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


# ---------------------------------------------------------------- agenda


def add_to_agenda(
    registration: Registration, talk: Talk, *, on_clash: ClashChoice = ClashChoice.ASK
) -> None:
    """Put a session in the agenda; a session with a seat limit reserves a seat or refuses.

    A session that overlaps sessions already chosen (cancelled ones aside) is
    refused with ``AgendaClash`` unless ``on_clash`` says to keep both or to
    replace them (see ``registration.agenda``); a replacement whose seat
    cannot be taken leaves the agenda as it was.
    """
    if registration.status is not RegistrationStatus.CONFIRMED:
        raise Conflict(_l("Your registration must be confirmed to build an agenda."))
    if talk.event_id != registration.event_id or talk.status is not TalkStatus.CONFIRMED:
        raise NotFound(_l("This session is not available."))
    if any(item.talk_id == talk.id for item in registration.agenda):
        return
    chosen = [item.talk for item in registration.agenda if item.talk.status is TalkStatus.CONFIRMED]
    clashing = agenda.clashing_with(talk, chosen)
    if clashing and on_clash is ClashChoice.ASK:
        raise AgendaClash(clashing)
    if clashing and on_clash is ClashChoice.REPLACE:
        for item in [item for item in registration.agenda if item.talk in clashing]:
            if item.holds_seat:
                capacity.release_talk_seat(item.talk_id)
            registration.agenda.remove(item)
            _audit(
                registration, "agenda.removed", {"talk_id": item.talk_id, "replaced_by": talk.uid}
            )
    holds_seat = False
    if talk.seat_limit:
        if not capacity.take_talk_seat(talk.id, talk.seat_limit):
            db.session.rollback()
            raise CapacityReached(
                _l("“%(title)s” is full: no seat left.", title=talk.title), field="talk"
            )
        holds_seat = True
    registration.agenda.append(AgendaItem(talk=talk, holds_seat=holds_seat))
    _audit(registration, "agenda.added", {"talk": talk.uid, "seat": holds_seat})
    db.session.commit()


def remove_from_agenda(registration: Registration, talk_id: int) -> None:
    for item in list(registration.agenda):
        if item.talk_id == talk_id:
            if item.holds_seat:
                capacity.release_talk_seat(talk_id)
            registration.agenda.remove(item)
            _audit(registration, "agenda.removed", {"talk_id": talk_id})
    db.session.commit()


# ---------------------------------------------------------------- organisers


def add_by_organiser(event: Event, data: RegistrationData, *, language: str) -> Registration:
    """A registration typed in by an organiser (speaker, guest, hidden category).

    The address is taken as confirmed: the seat is allocated at once (or the
    waiting list), and the attendee receives their private link by e-mail.
    An address that already has a registration is refused and nothing is
    changed (the organiser may know; the public form answers otherwise).
    """
    submission = _submit(event, data, language=language, allow_hidden=True)
    if submission.outcome is not Submitted.CREATED:
        db.session.rollback()
        raise Conflict(_l("This address already has a registration."), field="email")
    registration = submission.registration
    token_row = next(t for t in registration.tokens if t.purpose is TokenPurpose.CONFIRM)
    token_row.revoked_at = now()
    # The confirmation link is moot: the address is taken as confirmed.
    drop_queued(registration.id, "confirm")
    _allocate(registration)
    db.session.commit()
    return registration


def _seat_or_wait(registration: Registration, got_seat: bool, moment: datetime) -> None:
    """Confirmed with a seat (and a check-in code), or on the waiting list since ``moment``."""
    if got_seat:
        registration.status = RegistrationStatus.CONFIRMED
        registration.waiting_since = None
        registration.checkin_code_hash = tokens.hash_token(checkin_code(registration))
        signals.seat_confirmed.send(registration)
    else:
        registration.status = RegistrationStatus.WAITING
        registration.waiting_since = moment
        registration.checkin_code_hash = None


def _allocate(registration: Registration) -> str:
    """Seat or waiting list for a registration whose address is known good.

    Issues the management link and queues the e-mail that carries it; returns
    the link's token.
    """
    got_seat = capacity.take_category_seat(registration.category_id)
    moment = now()
    registration.confirmed_at = moment
    registration.updated_at = moment
    _seat_or_wait(registration, got_seat, moment)
    _audit(registration, "registration.confirmed", {"status": registration.status.value})
    manage = _issue(registration, TokenPurpose.MANAGE)
    if not any(t.purpose is TokenPurpose.FEED for t in registration.tokens):
        _issue_feed(registration)
    _mail(
        registration,
        "registration_confirmed" if got_seat else "registration_waiting",
        kind="confirmed" if got_seat else "waiting",
        manage_url=f"{base_url()}/r/{manage}",
        attachments=(invitation_attachment(registration),) if got_seat else (),
    )
    return manage


def move_category(registration: Registration, category: TicketCategory) -> None:
    """Move to another category: its seat if free (else its waiting list); the old
    category's freed seat goes to the head of its waiting list."""
    _require_active(registration)
    if category.event_id != registration.event_id:
        raise DomainError(_l("Choose a ticket category from the list."), field="category")
    old = registration.category
    if old.id == category.id:
        return
    held_seat = registration.status is RegistrationStatus.CONFIRMED
    if held_seat:
        capacity.release_category_seat(old.id)
    registration.category = category
    record(
        "registration.moved",
        object_type="registration",
        object_id=registration.uid,
        changes={"category": [old.slug, category.slug]},
    )
    if registration.status is not RegistrationStatus.PENDING:
        _seat_or_wait(registration, capacity.take_category_seat(category.id), now())
    registration.updated_at = now()
    db.session.flush()
    if held_seat:
        promote_waiting(old)
    db.session.commit()


def promote_one(registration: Registration) -> None:
    """Promote one waiting attendee now, if their category has a free seat."""
    if registration.status is not RegistrationStatus.WAITING:
        raise Conflict(_l("Only a registration on the waiting list can be promoted."))
    if not capacity.take_category_seat(registration.category_id):
        db.session.rollback()
        raise CapacityReached(
            _l("This category is full: raise its capacity before promoting."), field="category"
        )
    _promote(registration)
    db.session.commit()


def set_capacity(category: TicketCategory, new_capacity: int) -> list[Registration]:
    """Change a category's capacity; seats gained go to the waiting list at once."""
    if new_capacity < 0 or new_capacity > 100_000:
        raise DomainError(_l("The capacity must be a positive number."), field="capacity")
    old = category.capacity
    category.capacity = new_capacity
    record(
        "category.capacity",
        object_type="category",
        object_id=category.slug,
        changes={"capacity": [old, new_capacity]},
    )
    db.session.flush()
    promoted = promote_waiting(category) if new_capacity > old else []
    db.session.commit()
    return promoted
