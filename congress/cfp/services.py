"""Call-for-papers rules: the window, submitting, confirming, editing, withdrawing.

Each public function is one unit of work: it checks the rules, changes rows,
audits, queues the e-mails in the outbox (same transaction) and commits once,
or raises a ``DomainError`` having changed nothing. No one creates a password:
the submitter proves their address by a single-use link, then holds a private
link to the proposal, like an attendee's registration; each co-speaker agrees
through a link of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app

from congress.audit.log import Actor, current_actor, diff, record, snapshot
from congress.cfp import files
from congress.cfp.confidentiality import content_may_leave, reads_are_audited
from congress.cfp.models import (
    DURATIONS,
    LANGUAGES,
    SUBMITTABLE_KINDS,
    CallForPapers,
    SpeakerRole,
    Submission,
    SubmissionSpeaker,
    SubmissionStatus,
    SubmissionToken,
    SubmissionTokenPurpose,
)
from congress.core import tokens
from congress.core.clock import now
from congress.core.errors import Conflict, DomainError, Expired, NotFound
from congress.core.field_errors import FieldChecks, FieldErrors
from congress.edition.models import Event
from congress.extensions import db
from congress.i18n import lazy_gettext as _l
from congress.mail.outbox import render_and_queue
from congress.programme.labels import KIND_LABELS
from congress.programme.models import Disclosure, TalkKind, Track
from congress.registration.services import normalise_email

MAX_CO_SPEAKERS = 4
TITLE_MAX = 200
ABSTRACT_MAX = 5000
NOTES_MAX = 3000
NAME_MAX = 100
ORGANISATION_MAX = 200
CONFIRM_HOURS = 7 * 24  # a proposal is often written over a weekend, confirmed later
# Proposal fields whose values an audit entry may show whatever the label: the
# attachment by its cleaned name and size only, never its content.
AUDITED = (
    "title",
    "kind",
    "track_id",
    "duration_minutes",
    "language",
    "disclosure",
    "attachment_name",
    "attachment_size",
)


@dataclass(slots=True)
class CoSpeakerData:
    name: str
    email: str
    organisation: str = ""


@dataclass(slots=True)
class SubmissionData:
    """What the submitter typed, shaped by the form (meaning is checked here)."""

    title: str
    abstract: str
    kind: str
    track_id: int | None
    duration_minutes: int
    language: str
    disclosure: str
    notes: str = ""
    name: str = ""
    email: str = ""
    organisation: str = ""
    co_speakers: list[CoSpeakerData] = field(default_factory=list)
    # The uploaded file's bytes (None or empty: no file chosen) and the name it had.
    attachment: bytes | None = None
    attachment_name: str = ""
    # On the private page: drop the current attachment (a new file replaces it anyway).
    remove_attachment: bool = False


@dataclass(frozen=True, slots=True)
class Proposal:
    """A proposal's checked values, ready to be stored."""

    title: str
    abstract: str
    kind: TalkKind
    track_id: int | None
    duration_minutes: int
    language: str
    disclosure: Disclosure
    notes: str


@dataclass(slots=True)
class ConfirmOutcome:
    submission: Submission
    manage_token: str | None  # None when the link had already been used


# ---------------------------------------------------------------- the call

CALL_AUDITED = ("opens_at", "closes_at", "respond_by")


@dataclass(frozen=True, slots=True)
class SpeakerDetails:
    """What accepted speakers are told: their answer's deadline, practical and technical notes."""

    respond_by: datetime | None = None
    info: str = ""
    info_en: str = ""
    technical: str = ""
    technical_en: str = ""


def call_for(event: Event) -> CallForPapers | None:
    return db.session.scalars(
        db.select(CallForPapers).where(CallForPapers.event_id == event.id)
    ).first()


def is_open(event: Event, moment: datetime | None = None) -> bool:
    call = call_for(event)
    return call is not None and call.is_open(moment or now())


def set_call(
    event: Event,
    opens_at: datetime | None,
    closes_at: datetime | None,
    rules: str = "",
    rules_en: str = "",
    *,
    speakers: SpeakerDetails | None = None,
    commit: bool = True,
) -> CallForPapers:
    """Open (or move) the edition's call for papers between two instants.

    Both instants are required (a call without an end would never close); every
    refusal is reported at once, beside its field. ``commit=False`` leaves the
    commit to a caller loading a whole edition (the demo).
    """
    if opens_at is None or closes_at is None:
        missing = [
            DomainError(message, field=name)
            for name, value, message in (
                ("opens_at", opens_at, _l("Enter the opening date and time.")),
                ("closes_at", closes_at, _l("Enter the closing date and time.")),
            )
            if value is None
        ]
        raise FieldErrors(missing)
    if closes_at <= opens_at:
        raise DomainError(
            _l("The closing date must come after the opening date."), field="closes_at"
        )
    if speakers and speakers.respond_by is not None and speakers.respond_by <= closes_at:
        raise DomainError(
            _l("Speakers can only answer after the call for papers has closed."),
            field="respond_by",
        )
    call = call_for(event) or CallForPapers(event=event)
    db.session.add(call)
    before = snapshot(call, CALL_AUDITED) if call.id else {}
    call.opens_at, call.closes_at = opens_at, closes_at
    call.rules, call.rules_en = rules.strip(), rules_en.strip()
    if speakers is not None:
        call.respond_by = speakers.respond_by
        call.speaker_info, call.speaker_info_en = speakers.info.strip(), speakers.info_en.strip()
        call.technical_setup = speakers.technical.strip()
        call.technical_setup_en = speakers.technical_en.strip()
    record(
        "cfp.call_set",
        object_type="event",
        object_id=event.id,
        changes=diff(before, snapshot(call, CALL_AUDITED)),
    )
    if commit:
        db.session.commit()
    return call


def _require_open(event: Event) -> CallForPapers:
    call = call_for(event)
    moment = now()
    if call is None or moment < call.opens_at:
        raise Conflict(_l("The call for papers is not open yet."))
    if moment >= call.closes_at:
        raise Conflict(_l("The call for papers is closed: proposals are no longer accepted."))
    return call


# ---------------------------------------------------------------- checks


def _line(value: str, limit: int, field_name: str, *, required: bool = False) -> str:
    cleaned = " ".join("".join(ch if ch.isprintable() else " " for ch in value).split())
    if required and not cleaned:
        raise DomainError(_l("This field is required."), field=field_name)
    if len(cleaned) > limit:
        raise DomainError(
            _l("This field may not exceed %(n)d characters.", n=limit), field=field_name
        )
    return cleaned


def _block(value: str, limit: int, field_name: str, *, required: bool = False) -> str:
    lines = ["".join(ch for ch in line if ch.isprintable()) for line in value.splitlines()]
    cleaned = "\n".join(lines).strip()
    if required and not cleaned:
        raise DomainError(_l("This field is required."), field=field_name)
    if len(cleaned) > limit:
        raise DomainError(
            _l("This field may not exceed %(n)d characters.", n=limit), field=field_name
        )
    return cleaned


def _kind(value: str) -> TalkKind:
    if value not in {kind.value for kind in SUBMITTABLE_KINDS}:
        raise DomainError(_l("Choose one of the kinds of proposal."), field="kind")
    return TalkKind(value)


def _disclosure(value: str) -> Disclosure:
    try:
        return Disclosure(value)
    except ValueError:
        raise DomainError(_l("Choose one of the disclosure labels."), field="disclosure") from None


def _duration(value: int) -> int:
    if value not in DURATIONS:
        raise DomainError(_l("Choose one of the proposed durations."), field="duration_minutes")
    return value


def _language(value: str) -> str:
    if value not in LANGUAGES:
        raise DomainError(_l("Choose French or English."), field="language")
    return value


def _track(event: Event, track_id: int | None) -> int | None:
    if not track_id:
        return None
    track = db.session.get(Track, track_id)
    if track is None or track.event_id != event.id:
        raise DomainError(_l("Choose one of the themes of the call."), field="track_id")
    return track.id


def _email(value: str, field_name: str) -> str:
    try:
        return normalise_email(value)
    except DomainError as error:
        raise DomainError(error.message, field=field_name) from None


def _proposal(event: Event, data: SubmissionData, checks: FieldChecks) -> Proposal:
    return Proposal(
        title=checks.run(lambda: _line(data.title, TITLE_MAX, "title", required=True), ""),
        abstract=checks.run(
            lambda: _block(data.abstract, ABSTRACT_MAX, "abstract", required=True), ""
        ),
        kind=checks.run(lambda: _kind(data.kind), TalkKind.TALK),
        track_id=checks.run(lambda: _track(event, data.track_id), None),
        duration_minutes=checks.run(lambda: _duration(data.duration_minutes), 0),
        language=checks.run(lambda: _language(data.language), "fr"),
        disclosure=checks.run(lambda: _disclosure(data.disclosure), Disclosure.NONE),
        notes=checks.run(lambda: _block(data.notes, NOTES_MAX, "notes"), ""),
    )


def _attachment(data: SubmissionData, checks: FieldChecks) -> files.CleanPdf | None:
    """The uploaded PDF rebuilt, or None when no file was chosen or it was refused.

    Judged with the other fields so that every refusal is shown at once; nothing
    is written to disk here.
    """
    if not data.attachment:
        return None
    upload = data.attachment
    return checks.run(lambda: files.rebuild_pdf(upload, data.attachment_name), None)


def _attach(submission: Submission, clean: files.CleanPdf) -> str:
    """Store ``clean`` encrypted and point the proposal at it; the new file's key."""
    key = files.store(clean.data)
    submission.attachment_key = key
    submission.attachment_name = clean.name
    submission.attachment_size = len(clean.data)
    return key


def _detach(submission: Submission) -> None:
    submission.attachment_key = None
    submission.attachment_name = ""
    submission.attachment_size = None


def _commit_or_forget(new_key: str | None) -> None:
    """Commit; if that fails, the file stored for this unit of work is deleted again."""
    try:
        db.session.commit()
    except BaseException:
        db.session.rollback()
        files.destroy(new_key)
        raise


def _co_speakers(
    data: SubmissionData, submitter_email: str, checks: FieldChecks
) -> list[CoSpeakerData]:
    """The co-speakers typed, checked; a blank line of the form is no co-speaker."""
    found: list[CoSpeakerData] = []
    seen = {submitter_email}
    for number, person in enumerate(data.co_speakers, start=1):
        prefix = f"cospeaker_{number}_"
        if not (person.name.strip() or person.email.strip() or person.organisation.strip()):
            continue
        if number > MAX_CO_SPEAKERS:
            checks.refuse(
                DomainError(
                    _l("A proposal has at most %(n)d co-speakers.", n=MAX_CO_SPEAKERS),
                    field=f"{prefix}name",
                )
            )
            continue
        person = _co_speaker(person, prefix, checks)
        email = person.email
        if email and email in seen:
            checks.refuse(
                DomainError(
                    _l("Each speaker needs an e-mail address of their own."),
                    field=f"{prefix}email",
                )
            )
        seen.add(email)
        found.append(person)
    return found


def _co_speaker(person: CoSpeakerData, prefix: str, checks: FieldChecks) -> CoSpeakerData:
    """One co-speaker's fields checked; each refusal names its own field."""
    return CoSpeakerData(
        name=checks.run(lambda: _line(person.name, NAME_MAX, f"{prefix}name", required=True), ""),
        email=checks.run(lambda: _email(person.email, f"{prefix}email"), ""),
        organisation=checks.run(
            lambda: _line(person.organisation, ORGANISATION_MAX, f"{prefix}organisation"), ""
        ),
    )


# ---------------------------------------------------------------- links and mail


def _base_url() -> str:
    return current_app.config["BASE_URL"]


def issue_link(
    submission: Submission,
    purpose: SubmissionTokenPurpose,
    *,
    speaker: SubmissionSpeaker | None = None,
    hours: int | None = None,
) -> str:
    token, token_hash = tokens.new_token()
    db.session.add(
        SubmissionToken(
            submission=submission,
            speaker=speaker,
            purpose=purpose,
            token_hash=token_hash,
            expires_at=now() + timedelta(hours=hours) if hours else None,
        )
    )
    return token


def find_token(token: str, purpose: SubmissionTokenPurpose) -> SubmissionToken:
    """The live link row for ``token`` and ``purpose``; 404 for anything else.

    Unknown, revoked and wrong-purpose tokens answer alike, so a probe learns
    nothing about which links exist.
    """
    row = tokens.live_row(db.session, SubmissionToken, token, purpose, label=f"cfp_{purpose.value}")
    if row is None:
        raise NotFound(_l("This link is not valid or no longer works."))
    if row.expires_at is not None and row.expires_at <= now():
        raise Expired(_l("This confirmation link has expired. Submit your proposal again."))
    return row


def mail_about(
    submission: Submission, to: str, template: str, *, kind: str, **context: Any
) -> None:
    """Queue an e-mail about ``submission``; its content only when its label allows.

    Every e-mail of the call for papers goes through here (decisions and reminders too),
    so the label's rule is applied in one place.
    """
    render_and_queue(
        template,
        to,
        kind=kind,
        language=submission.mail_language,
        submission=submission,
        event=submission.event,
        show_content=content_may_leave(submission.disclosure),
        kind_label=KIND_LABELS[submission.kind],
        base_url=_base_url(),
        **context,
    )


def _audit(submission: Submission, action: str, changes: dict[str, Any] | None = None) -> None:
    """An entry about the proposal; its abstract and notes only when its label allows."""
    actor = current_actor()
    if actor.type != "organiser":
        actor = Actor("attendee", submission.uid, submission.submitter.name)
    record(action, object_type="submission", object_id=submission.uid, changes=changes, actor=actor)


def _audited_fields(submission: Submission) -> tuple[str, ...]:
    if content_may_leave(submission.disclosure):
        return (*AUDITED, "abstract", "notes")
    return AUDITED


# ---------------------------------------------------------------- submitting


def submit(event: Event, data: SubmissionData, *, language: str) -> Submission:
    """Store a proposal awaiting its address's confirmation, and send the link."""
    _require_open(event)
    checks = FieldChecks()
    proposal = _proposal(event, data, checks)
    name = checks.run(lambda: _line(data.name, NAME_MAX, "name", required=True), "")
    email = checks.run(lambda: _email(data.email, "email"), "")
    organisation = checks.run(
        lambda: _line(data.organisation, ORGANISATION_MAX, "organisation"), ""
    )
    co_speakers = _co_speakers(data, email, checks)
    clean = _attachment(data, checks)
    checks.raise_any()
    submission = Submission(
        event=event,
        email=email,
        mail_language=language if language in LANGUAGES else "fr",
        **vars_of(proposal),
    )
    submission.speakers.append(
        SubmissionSpeaker(
            role=SpeakerRole.SUBMITTER,
            position=0,
            name=name,
            email=email,
            organisation=organisation,
        )
    )
    for position, person in enumerate(co_speakers, start=1):
        submission.speakers.append(
            SubmissionSpeaker(
                role=SpeakerRole.CO_SPEAKER,
                position=position,
                name=person.name,
                email=person.email,
                organisation=person.organisation,
            )
        )
    db.session.add(submission)
    db.session.flush()
    token = issue_link(submission, SubmissionTokenPurpose.CONFIRM, hours=CONFIRM_HOURS)
    mail_about(
        submission,
        email,
        "cfp_confirm",
        kind="cfp_confirm",
        confirm_url=f"{_base_url()}/cfp/confirm/{token}",
        hours=CONFIRM_HOURS,
    )
    # The file is written last, once every check has passed, so a refusal leaves
    # nothing on disk; a failed commit deletes it again.
    new_key = _attach(submission, clean) if clean is not None else None
    _audit(submission, "cfp.submitted", snapshot(submission, _audited_fields(submission)))
    _commit_or_forget(new_key)
    return submission


def vars_of(proposal: Proposal) -> dict[str, Any]:
    return {name: getattr(proposal, name) for name in Proposal.__dataclass_fields__}


def confirm(token: str) -> ConfirmOutcome:
    """Confirm the submitter's address: the proposal is submitted, co-speakers are asked.

    A second use of the link changes nothing and says so.
    """
    row = find_token(token, SubmissionTokenPurpose.CONFIRM)
    submission = row.submission
    if row.used_at is not None or submission.status is not SubmissionStatus.PENDING:
        return ConfirmOutcome(submission, None)
    moment = now()
    row.used_at = moment
    submission.status = SubmissionStatus.SUBMITTED
    submission.confirmed_at = moment
    submission.submitter.confirmed_at = moment
    manage = issue_link(submission, SubmissionTokenPurpose.MANAGE)
    mail_about(
        submission,
        submission.email,
        "cfp_received",
        kind="cfp_received",
        manage_url=f"{_base_url()}/cfp/s/{manage}",
        closes_at=_closes_at(submission),
    )
    for speaker in submission.co_speakers:
        link = issue_link(submission, SubmissionTokenPurpose.COSPEAKER, speaker=speaker)
        mail_about(
            submission,
            speaker.email,
            "cfp_cospeaker",
            kind="cfp_cospeaker",
            speaker=speaker,
            confirm_url=f"{_base_url()}/cfp/speaker-confirm/{link}",
        )
    _audit(submission, "cfp.confirmed")
    db.session.commit()
    return ConfirmOutcome(submission, manage)


def _closes_at(submission: Submission) -> datetime | None:
    call = call_for(submission.event)
    return call.closes_at if call else None


def confirm_co_speaker(token: str) -> SubmissionSpeaker:
    """A co-speaker agrees to appear on the proposal; a second press changes nothing."""
    row = find_token(token, SubmissionTokenPurpose.COSPEAKER)
    speaker = row.speaker
    if speaker is None:  # pragma: no cover - a co-speaker link always names its speaker
        raise NotFound(_l("This link is not valid or no longer works."))
    if row.submission.status is SubmissionStatus.WITHDRAWN:
        raise Conflict(_l("This proposal has been withdrawn."))
    if speaker.confirmed_at is None:
        speaker.confirmed_at = now()
        row.used_at = speaker.confirmed_at
        record(
            "cfp.co_speaker_confirmed",
            object_type="submission",
            object_id=row.submission.uid,
            actor=Actor("attendee", row.submission.uid, speaker.name),
        )
        db.session.commit()
    return speaker


# ---------------------------------------------------------------- managing


def editable(submission: Submission, moment: datetime | None = None) -> bool:
    """Whether the proposal may still change: not withdrawn, and before the deadline."""
    if submission.status is SubmissionStatus.WITHDRAWN:
        return False
    closes_at = _closes_at(submission)
    return closes_at is None or (moment or now()) < closes_at


def update(submission: Submission, data: SubmissionData) -> None:
    """Change the proposal's own fields; refused once withdrawn or past the deadline.

    A new file replaces the attachment, ``remove_attachment`` drops it. The
    previous file is deleted only after the commit succeeded: a failed commit
    leaves the proposal pointing at its old file, still there (and deletes the
    new one). A crash between the commit and the deletion leaves the old file
    behind, encrypted and referenced by no row: an accepted leftover, rarer and
    less harmful than a proposal whose file is gone.
    """
    if submission.status is SubmissionStatus.WITHDRAWN:
        raise Conflict(_l("This proposal has been withdrawn: it can no longer be changed."))
    if not editable(submission):
        raise Conflict(_l("The call for papers is closed: proposals can no longer be changed."))
    checks = FieldChecks()
    proposal = _proposal(submission.event, data, checks)
    clean = _attachment(data, checks)
    checks.raise_any()
    before = snapshot(submission, _audited_fields(submission))
    for name, value in vars_of(proposal).items():
        setattr(submission, name, value)
    old_key = submission.attachment_key
    new_key: str | None = None
    if clean is not None:
        new_key = _attach(submission, clean)
    elif data.remove_attachment and old_key:
        _detach(submission)
    after = snapshot(submission, _audited_fields(submission))
    changes = diff({k: v for k, v in before.items() if k in after}, after)
    if new_key is not None and "attachment_name" not in changes:
        # A new file under the same name and size is still a change worth a line.
        changes["attachment_name"] = [before["attachment_name"], submission.attachment_name]
    if not changes:
        return
    submission.updated_at = now()
    _audit(submission, "cfp.updated", changes)
    _commit_or_forget(new_key)
    if old_key and submission.attachment_key != old_key:
        files.destroy(old_key)


def read_attachment(submission: Submission) -> bytes:
    """The attachment's plain bytes for its submitter; the read audited if the label asks.

    The audit entry names the proposal by its title only (``confidentiality``).
    """
    if not submission.attachment_key:
        raise NotFound(_l("This proposal has no attachment."))
    try:
        data = files.read(submission.attachment_key)
    except FileNotFoundError:
        raise NotFound(_l("This proposal has no attachment.")) from None
    if reads_are_audited(submission.disclosure):
        _audit(submission, "cfp.attachment_read", {"title": submission.title})
        db.session.commit()
    return data


def export_data(submission: Submission) -> dict[str, Any]:
    """What the site holds on the proposal, for its submitter (GDPR access and portability).

    The committee's decision only once released to the speakers; the attachment
    by name and size (its content is downloaded on its own).
    """
    released = submission.decision_released_at is not None and submission.decision is not None
    return {
        "uid": submission.uid,
        "edition": submission.event.name,
        "title": submission.title,
        "abstract": submission.abstract,
        "kind": submission.kind.value,
        "theme": submission.track.name if submission.track else None,
        "duration_minutes": submission.duration_minutes,
        "language": submission.language,
        "disclosure": submission.disclosure.value,
        "notes": submission.notes,
        "status": submission.status.value,
        "email": submission.email,
        "mail_language": submission.mail_language,
        "created_at": submission.created_at.isoformat(),
        "updated_at": submission.updated_at.isoformat(),
        "confirmed_at": _iso(submission.confirmed_at),
        "withdrawn_at": _iso(submission.withdrawn_at),
        "destroyed_at": _iso(submission.destroyed_at),
        "decision": submission.decision.value if released and submission.decision else None,
        "decision_released_at": _iso(submission.decision_released_at) if released else None,
        "attachment": (
            {"name": submission.attachment_name, "size": submission.attachment_size}
            if submission.attachment_key
            else None
        ),
        "speakers": [
            {
                "role": speaker.role.value,
                "name": speaker.name,
                "email": speaker.email,
                "organisation": speaker.organisation,
                "confirmed_at": _iso(speaker.confirmed_at),
            }
            for speaker in submission.speakers
        ],
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def withdraw(submission: Submission) -> None:
    """Withdraw the proposal, at any time; final. Co-speakers' pending links stop working.

    The attachment stays (the committee may have read it); the purge after the
    congress deletes it (``cfp.retention``).
    """
    if submission.status is SubmissionStatus.WITHDRAWN:
        raise Conflict(_l("This proposal has already been withdrawn."))
    moment = now()
    submission.status = SubmissionStatus.WITHDRAWN
    submission.withdrawn_at = moment
    for row in submission.tokens:
        if row.purpose is not SubmissionTokenPurpose.MANAGE and row.revoked_at is None:
            row.revoked_at = moment
    _audit(submission, "cfp.withdrawn")
    db.session.commit()
