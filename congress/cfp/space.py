"""The speakers' space: what an accepted speaker does through their own link (``/speaker/<token>``).

Each speaker of an accepted proposal holds a link of their own (a ``SPACE``
token, issued at acceptance by ``cfp.decisions``): no account, no password,
like a registration's private page. Through it they confirm or decline before
the call's ``respond_by``, keep their public profile up to date and upload
their session's slides.

Why the profile goes through the programme's services rather than being
written here: the speaker's biography, organisation and photo are the
programme's (``/speakers/<slug>``), so the programme's rules, audit entries and
version bump apply whoever edits them, an organiser or the speaker.

Slides follow the session's label (``cfp.slides``): TLP:RED slides are never
kept, the others are stored encrypted (``cfp.files``) and served from the
moment the session ends to the audience the label allows. Downloads of slides
that are not public are audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import has_request_context

from congress.audit.log import Actor, record, set_actor
from congress.cfp import files
from congress.cfp.models import (
    Participation,
    Slides,
    SubmissionSpeaker,
    SubmissionTokenPurpose,
)
from congress.cfp.services import call_for, find_token
from congress.cfp.slides import ATTENDEE_LABELS, audience, eventual_audience, keeps_slides
from congress.core.clock import now
from congress.core.errors import Conflict, DomainError, NotFound
from congress.core.field_errors import FieldChecks
from congress.edition.models import Event
from congress.extensions import db
from congress.i18n import lazy_gettext as _l
from congress.media.images import ImageRefused
from congress.programme import photos, queries
from congress.programme.models import Speaker, Talk, TalkStatus
from congress.programme.services import bump_programme_version, update_speaker
from congress.registration.models import Registration, RegistrationStatus

BIO_MAX = 3000
ORGANISATION_MAX = 200
POSITION_MAX = 200
# Slides may still be sent after the congress (corrected, or promised on stage).
SLIDES_DAYS_AFTER = 30

NOT_FOUND = _l("This link is not valid or no longer works.")


@dataclass(frozen=True, slots=True)
class SlidesFile:
    """A stored PDF ready to be sent: its row and its plain bytes."""

    slides: Slides
    data: bytes


@dataclass(frozen=True, slots=True)
class SlidesLink:
    """What the public session page says of a session's slides."""

    ended: bool  # False: the link works once the session has ended


# ---------------------------------------------------------------- the link


def actor_of(speaker: SubmissionSpeaker) -> Actor:
    """Audit entries made through a speaker's space name that speaker (no account)."""
    return Actor("attendee", speaker.submission.uid, speaker.name)


def speaker_for(token: str) -> SubmissionSpeaker:
    """The speaker a space link opens; 404 alike for unknown, revoked or other links.

    In a request it also names the speaker as the actor of the audit entries that
    follow, including those the programme's services write.
    """
    row = find_token(token, SubmissionTokenPurpose.SPACE)
    if row.speaker is None:  # pragma: no cover - a space link always names its speaker
        raise NotFound(NOT_FOUND)
    if has_request_context():
        set_actor(actor_of(row.speaker))
    return row.speaker


def talk_of(speaker: SubmissionSpeaker) -> Talk | None:
    """The programme session created at acceptance (None if the organisers deleted it)."""
    return speaker.submission.talk


# ---------------------------------------------------------------- answering


def respond_by(speaker: SubmissionSpeaker) -> datetime | None:
    call = call_for(speaker.submission.event)
    return call.respond_by if call else None


def may_respond(speaker: SubmissionSpeaker, moment: datetime | None = None) -> bool:
    """Before the call's deadline (or always, without one), an answer may change."""
    deadline = respond_by(speaker)
    return deadline is None or (moment or now()) < deadline


def respond(speaker: SubmissionSpeaker, participation: Participation) -> None:
    """Confirm or decline one's participation; refused once the deadline has passed.

    Changing one's mind before the deadline is allowed; the same answer twice
    changes nothing. A decline is an audit entry, which the organisers read in
    the proposals' list and the audit log (there is no organisers' address to
    write to).
    """
    if not isinstance(participation, Participation):
        raise DomainError(_l("Choose whether you confirm or decline."), field="participation")
    if not may_respond(speaker):
        raise Conflict(
            _l("The deadline to answer has passed: write to the organisers."),
            field="participation",
        )
    if speaker.participation is participation:
        return
    before = speaker.participation.value if speaker.participation else None
    speaker.participation = participation
    speaker.responded_at = now()
    changes = {"speaker": speaker.name, "participation": [before, participation.value]}
    where = {"object_type": "submission", "object_id": speaker.submission.uid}
    if participation is Participation.CONFIRMED:
        record("cfp.speaker_confirmed", **where, changes=changes, actor=actor_of(speaker))
    else:
        record("cfp.speaker_declined", **where, changes=changes, actor=actor_of(speaker))
    db.session.commit()


# ---------------------------------------------------------------- profile


def _text(value: str, limit: int, field: str, *, lines: bool = False) -> str:
    """Printable text within ``limit`` characters; one line unless ``lines``."""
    if lines:
        kept = "\n".join(
            "".join(ch for ch in line if ch.isprintable()) for line in value.splitlines()
        ).strip()
    else:
        kept = " ".join("".join(ch if ch.isprintable() else " " for ch in value).split())
    if len(kept) > limit:
        raise DomainError(_l("This field may not exceed %(n)d characters.", n=limit), field=field)
    return kept


def programme_speaker(speaker: SubmissionSpeaker) -> Speaker:
    if speaker.speaker is None:
        raise Conflict(_l("Your speaker profile is not ready yet: write to the organisers."))
    return speaker.speaker


def update_profile(
    speaker: SubmissionSpeaker,
    bio: str,
    organisation: str,
    position_title: str,
    photo: bytes | None = None,
) -> list[str]:
    """Change the speaker's public profile; returns the names of the fields changed.

    Every field is checked before anything is written; the photo is then judged
    and stored by ``congress.media`` (a refused file raises with ``field="photo"``
    and changes nothing), and the text goes through ``programme.services.update_speaker``.
    """
    person = programme_speaker(speaker)
    checks = FieldChecks()
    bio = checks.run(lambda: _text(bio, BIO_MAX, "bio", lines=True), "")
    organisation = checks.run(lambda: _text(organisation, ORGANISATION_MAX, "organisation"), "")
    position_title = checks.run(lambda: _text(position_title, POSITION_MAX, "position_title"), "")
    checks.raise_any()
    changed: list[str] = []
    if photo:
        before = person.photo_key
        try:
            photos.set_speaker_photo(person, photo)
        except ImageRefused as error:
            refused = type(error)(error.message, field="photo")
            raise refused from None
        if person.photo_key != before:
            changed.append("photo")
    speaker.organisation = organisation  # the proposal's copy, saved with the programme's
    changed += update_speaker(
        person,
        name=person.name,
        affiliation=organisation,
        position_title=position_title,
        bio=bio,
        email=person.email,
        phone=person.phone,
    )
    return changed


# ---------------------------------------------------------------- slides


def slides_of(talk: Talk | None) -> Slides | None:
    if talk is None:
        return None
    return db.session.scalars(db.select(Slides).where(Slides.talk_id == talk.id)).first()


def slides_last_day(event: Event) -> date:
    """The last day slides are accepted: the 30th after the edition's last day."""
    return event.last_day + timedelta(days=SLIDES_DAYS_AFTER)


def slides_deadline(event: Event) -> datetime:
    """The end of ``slides_last_day``, in the edition's zone."""
    return datetime.combine(slides_last_day(event) + timedelta(days=1), time(0), tzinfo=event.zone)


def may_upload(speaker: SubmissionSpeaker, moment: datetime | None = None) -> bool:
    talk = talk_of(speaker)
    return (
        talk is not None
        and keeps_slides(talk.disclosure)
        and (moment or now()) < slides_deadline(speaker.submission.event)
    )


def upload_slides(speaker: SubmissionSpeaker, data: bytes, name: str) -> Slides:
    """Store the session's slides (one file per session; a new upload replaces it).

    Refused for a TLP:RED session: those slides are neither published nor kept.
    The PDF is rebuilt (``files.rebuild_pdf``), encrypted and stored before the
    row is committed; the replaced file is destroyed only once the commit has
    succeeded, so a failure leaves the previous slides intact. The programme's
    version is raised because the public session page shows the link.
    """
    talk = talk_of(speaker)
    if talk is None:
        raise Conflict(_l("Your session is not in the programme yet."), field="slides")
    if not keeps_slides(talk.disclosure):
        raise Conflict(
            _l(
                "This session is TLP:RED: its slides are never published nor kept here. "
                "Bring them on your own device."
            ),
            field="slides",
        )
    if now() >= slides_deadline(talk.event):
        raise Conflict(_l("Slides are accepted until 30 days after the congress."), field="slides")
    try:
        clean = files.rebuild_pdf(data, name or "slides.pdf")
    except files.UnreadableFile as error:
        raise files.UnreadableFile(error.message, field="slides") from None
    key = files.store(clean.data)
    try:
        row = slides_of(talk)
        old_key = row.file_key if row else None
        if row is None:
            row = Slides(talk=talk)
            db.session.add(row)
        row.file_key = key
        row.file_name = clean.name
        row.size = len(clean.data)
        row.uploaded_at = now()
        row.uploaded_by_id = speaker.id
        record(
            "cfp.slides_uploaded",
            object_type="talk",
            object_id=talk.uid,
            changes={"file_name": clean.name, "size": len(clean.data), "replaced": bool(old_key)},
            actor=actor_of(speaker),
        )
        bump_programme_version(talk.event)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        files.destroy(key)
        raise
    if old_key and old_key != key:
        files.destroy(old_key)
    return row


def _read(row: Slides) -> SlidesFile:
    try:
        return SlidesFile(row, files.read(row.file_key))
    except FileNotFoundError:
        raise NotFound(_l("These slides are not available.")) from None


def own_slides(speaker: SubmissionSpeaker) -> SlidesFile:
    """The speaker's own session's slides, whatever the label and the time."""
    row = slides_of(talk_of(speaker))
    if row is None:
        raise NotFound(_l("These slides are not available."))
    return _read(row)


def _published(event: Event, slug: str) -> Talk:
    talk = queries.published_talk(event, slug)
    if talk is None or talk.status is not TalkStatus.CONFIRMED:
        raise NotFound(_l("These slides are not available."))
    return talk


def public_slides(event: Event, slug: str) -> SlidesFile:
    """A session's slides for anyone: only when its label allows and it has ended."""
    talk = _published(event, slug)
    row = slides_of(talk)
    if row is None or audience(talk.disclosure, talk.ends_at, now()) != "public":
        raise NotFound(_l("These slides are not available."))
    return _read(row)


def attendee_slides(registration: Registration, slug: str) -> SlidesFile:
    """A session's slides for a confirmed attendee of its edition, once it has ended.

    Slides for attendees only (TLP:AMBER, Chatham House) are audited at every
    download: who (the registration), which session, when.
    """
    if registration.status is not RegistrationStatus.CONFIRMED:
        raise NotFound(_l("These slides are not available."))
    talk = _published(registration.event, slug)
    row = slides_of(talk)
    allowed = audience(talk.disclosure, talk.ends_at, now())
    if row is None or allowed == "nobody":
        raise NotFound(_l("These slides are not available."))
    found = _read(row)
    if allowed == "attendees":
        record(
            "cfp.slides_downloaded",
            object_type="talk",
            object_id=talk.uid,
            changes={"file_name": row.file_name, "registration": registration.id},
            actor=Actor("attendee", str(registration.id), registration.email),
        )
        db.session.commit()
    return found


def slides_for_attendee(registration: Registration) -> list[tuple[Talk, Slides]]:
    """Ended sessions of the edition whose slides are for attendees only, in time order."""
    if registration.status is not RegistrationStatus.CONFIRMED:
        return []
    rows = db.session.execute(
        db.select(Talk, Slides)
        .join(Slides, Slides.talk_id == Talk.id)
        .where(
            Talk.event_id == registration.event_id,
            Talk.status == TalkStatus.CONFIRMED,
            Talk.disclosure.in_(ATTENDEE_LABELS),
            Talk.ends_at <= now(),
        )
        .order_by(Talk.starts_at, Talk.id)
    ).all()
    return [(talk, slides) for talk, slides in rows]


def public_link(talk: Talk) -> SlidesLink | None:
    """For the public session page: whether to link its slides, and whether they are out yet.

    The page is cached by programme version, not by time, so an upload raises the
    version, and a page built before the session ended says the slides come
    "after the session": the download route checks the time itself.
    """
    if eventual_audience(talk.disclosure) != "public" or talk.status is not TalkStatus.CONFIRMED:
        return None
    if slides_of(talk) is None:
        return None
    return SlidesLink(ended=now() >= talk.ends_at)
