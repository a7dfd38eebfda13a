"""The committee's decisions: taken one by one, told to the speakers in one release.

Deciding and telling are apart on purpose: the committee may weigh, change its
mind and balance the tracks, and nobody learns anything until an
administrator releases the decisions. A release sends each decided proposal's
e-mail exactly once (the row's ``decision_released_at`` is claimed by a
conditional UPDATE, so two presses or two workers cannot send twice) and, for
an accepted proposal, creates its session in the programme as a draft with its
speakers and label, and a private link to each speaker's space.

A proposal on the waiting list may later be accepted or rejected: the new
decision is released like any other. An accepted or rejected proposal, once
told, stays so (the talk exists; a speaker was told no).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from flask import current_app
from sqlalchemy import func, update

from congress.audit.log import record
from congress.cfp import services
from congress.cfp.confidentiality import content_may_leave
from congress.cfp.models import (
    Decision,
    SpeakerRole,
    Submission,
    SubmissionSpeaker,
    SubmissionStatus,
    SubmissionTokenPurpose,
)
from congress.core.clock import now
from congress.core.errors import Conflict
from congress.edition.models import Event
from congress.extensions import db
from congress.i18n import lazy_gettext as _l
from congress.programme import services as programme
from congress.programme.models import Speaker, Talk, TalkStatus, Track
from congress.programme.models import SpeakerRole as TalkRole

# Where a draft is first put: the first quarter-hour of the edition's days, from
# this local time, where it breaks no conflict rule (no room, so only its
# speakers can clash). The editor then moves it into the grid.
DRAFT_DAY_STARTS = time(9, 0)
DRAFT_DAY_ENDS = time(18, 0)
DRAFT_STEP = timedelta(minutes=15)
FINAL = (Decision.ACCEPTED, Decision.REJECTED)


def decide(submission: Submission, decision: Decision | None) -> None:
    """Record (or clear) the committee's decision; nobody is told until the release."""
    if submission.status is not SubmissionStatus.SUBMITTED:
        raise Conflict(_l("Only a submitted proposal can be decided."))
    if submission.decision_released_at is not None and submission.decision in FINAL:
        raise Conflict(_l("This decision has been told to the speakers: it can no longer change."))
    before = submission.decision
    if before is decision:
        return
    submission.decision = decision
    submission.decided_at = now() if decision is not None else None
    submission.decision_released_at = None
    record(
        "cfp.decided",
        object_type="submission",
        object_id=submission.uid,
        changes={"decision": [_value(before), _value(decision)]},
    )
    db.session.commit()


def _value(decision: Decision | None) -> str | None:
    return decision.value if decision is not None else None


def _unreleased_clause(event: Event) -> list[object]:
    return [
        Submission.event_id == event.id,
        Submission.status == SubmissionStatus.SUBMITTED,
        Submission.decision.is_not(None),
        Submission.decision_released_at.is_(None),
    ]


def unreleased(event: Event) -> int:
    """How many decided proposals the next release would tell."""
    return (
        db.session.scalar(db.select(func.count(Submission.id)).where(*_unreleased_clause(event)))
        or 0
    )


def release(event: Event) -> int:
    """Tell every decided, untold proposal's speakers; one transaction; returns how many.

    Each row is claimed by ``UPDATE ... WHERE decision_released_at IS NULL``:
    a release running at the same moment (a double click, a second worker)
    finds nothing left to claim, so no e-mail ever goes twice.
    """
    moment = now()
    candidates = list(
        db.session.scalars(
            db.select(Submission).where(*_unreleased_clause(event)).order_by(Submission.id)
        )
    )
    told = 0
    for submission in candidates:
        claimed = db.session.execute(
            update(Submission)
            .where(Submission.id == submission.id, Submission.decision_released_at.is_(None))
            .values(decision_released_at=moment)
            .execution_options(synchronize_session=False)
        ).rowcount
        if not claimed:
            continue
        submission.decision_released_at = moment
        decision = submission.decision
        if decision is Decision.ACCEPTED:
            _accept(submission)
        else:
            _mail(
                submission,
                submission.submitter,
                "cfp_rejected" if decision is Decision.REJECTED else "cfp_waiting",
            )
        record(
            "cfp.released",
            object_type="submission",
            object_id=submission.uid,
            changes={"decision": decision.value if decision else None},
        )
        told += 1
    db.session.commit()
    return told


def _mail(
    submission: Submission, person: SubmissionSpeaker, template: str, **context: object
) -> None:
    services.mail_about(
        submission,
        person.email,
        template,
        kind=template,
        person=person,
        call=services.call_for(submission.event),
        **context,
    )


def speakers_on_stage(submission: Submission) -> list[SubmissionSpeaker]:
    """Who the session will name: the submitter and the co-speakers who agreed."""
    return [
        person
        for person in submission.speakers
        if person.role is SpeakerRole.SUBMITTER or person.confirmed_at is not None
    ]


def _programme_speaker(event: Event, person: SubmissionSpeaker) -> Speaker:
    """The edition's speaker with this address, or a new one (one person, one page)."""
    existing = db.session.scalars(
        db.select(Speaker).where(
            Speaker.event_id == event.id, func.lower(Speaker.email) == person.email.lower()
        )
    ).first()
    if existing is not None:
        return existing
    return programme.create_speaker(
        event, person.name, affiliation=person.organisation, email=person.email, commit=False
    )


def _draft_slot(event: Event, data: programme.TalkData) -> tuple[datetime, datetime, bool]:
    """The first quarter-hour of the edition where the draft breaks no rule.

    Returns the slot and whether it is free; when none is (every speaker busy
    all days), the first morning, kept with its conflicts for the editor.
    """
    zone = event.zone
    length = data.ends_at - data.starts_at
    day = event.first_day
    first: tuple[datetime, datetime] | None = None
    while day <= event.last_day:
        start = datetime.combine(day, DRAFT_DAY_STARTS, zone)
        last = datetime.combine(day, DRAFT_DAY_ENDS, zone)
        while start + length <= last:
            begins = start.astimezone(UTC)
            ends = begins + length
            first = first or (begins, ends)
            data.starts_at, data.ends_at = begins, ends
            if not programme.slot_conflicts(event, data):
                return begins, ends, True
            start += DRAFT_STEP
        day += timedelta(days=1)
    if first is None:  # an edition shorter than one session: the first morning anyway
        begins = datetime.combine(event.first_day, DRAFT_DAY_STARTS, zone).astimezone(UTC)
        first = (begins, begins + length)
    return first[0], first[1], False


def _accept(submission: Submission) -> Talk:
    """Create the draft session, its speakers and their spaces' links, and tell each."""
    event = submission.event
    people = speakers_on_stage(submission)
    speakers = []
    for person in people:
        speaker = _programme_speaker(event, person)
        person.speaker = speaker
        speakers.append(speaker)
    db.session.flush()
    track = db.session.get(Track, submission.track_id) if submission.track_id else None
    placeholder = datetime.combine(event.first_day, DRAFT_DAY_STARTS, event.zone).astimezone(UTC)
    data = programme.TalkData(
        title=submission.title,
        kind=submission.kind,
        starts_at=placeholder,
        ends_at=placeholder + timedelta(minutes=submission.duration_minutes),
        # A restricted abstract was written for the committee, not for the
        # programme: the session starts without one and the editor writes it.
        abstract=submission.abstract if content_may_leave(submission.disclosure) else "",
        status=TalkStatus.DRAFT,
        disclosure=submission.disclosure,
        language=submission.language,
        track=track,
        speakers=[(speaker, TalkRole.SPEAKER) for speaker in speakers],
    )
    starts_at, ends_at, free = _draft_slot(event, data)
    data.starts_at, data.ends_at = starts_at, ends_at
    talk = programme.create_talk(event, data, commit=False, allow_conflicts=not free)
    submission.talk = talk
    for person in people:
        token = services.issue_link(submission, SubmissionTokenPurpose.SPACE, speaker=person)
        _mail(
            submission,
            person,
            "cfp_accepted",
            space_url=f"{current_app.config['BASE_URL']}/speaker/{token}",
        )
    record(
        "cfp.accepted",
        object_type="submission",
        object_id=submission.uid,
        changes={"talk": talk.uid, "speakers": len(people)},
    )
    return talk
