"""The programme committee's review: who sees which proposal, assignments, conflicts, scores.

What a person may see of a proposal is decided by ``confidentiality.access``
(pure); this module gathers the facts it needs (the permissions, the
assignment, the conflicts) and applies the answer: a proposal a reviewer may
not see does not exist for them (``NotFound``, a 404 like an unknown address),
so a conflicted reviewer cannot even learn that a colleague of theirs sent one.

Every read of a TLP:AMBER or RED proposal's content, and of its attachment, is
an audit entry carrying its title only; a review of such a proposal is audited
without its comment, which may quote the abstract. Reviews are the committee's:
submitters never see who reviewed them nor the scores, and reviewers do not see
each other's scores (the pages decide that, with ``Permission.MANAGE_CFP``).

Each changing function is one unit of work: it checks, changes, audits and
commits once, or raises a ``DomainError`` having changed nothing.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy.orm import joinedload, selectinload

from congress.accounts.models import Role, User
from congress.accounts.permissions import Permission, can
from congress.audit.log import record
from congress.cfp import files
from congress.cfp.confidentiality import (
    Access,
    access,
    content_may_leave,
    reads_are_audited,
    same_organisation,
)
from congress.cfp.decisions import speakers_on_stage
from congress.cfp.models import (
    CRITERIA,
    SCORE_MAX,
    SCORE_MIN,
    ConflictOfInterest,
    Decision,
    Review,
    ReviewAssignment,
    Submission,
    SubmissionStatus,
)
from congress.core.clock import now
from congress.core.errors import Conflict, DomainError, NotFound
from congress.core.field_errors import FieldChecks
from congress.edition.models import Event
from congress.extensions import db
from congress.i18n import lazy_gettext as _l
from congress.programme.models import Track

COMMENT_MAX = 5000

_NOT_FOUND = _l("This proposal does not exist or is not open to you.")


# ---------------------------------------------------------------- who sees what


def _speakers(submission: Submission) -> list[tuple[str, str]]:
    return [(person.organisation, person.email) for person in submission.speakers]


def declared_conflict(user: User, submission: Submission) -> bool:
    return (
        db.session.scalar(
            db.select(ConflictOfInterest.id).where(
                ConflictOfInterest.submission_id == submission.id,
                ConflictOfInterest.user_id == user.id,
            )
        )
        is not None
    )


def conflicted(user: User, submission: Submission) -> bool:
    """A declared conflict, or the reviewer works where one of the speakers does."""
    return declared_conflict(user, submission) or same_organisation(
        user.organisation, user.email, _speakers(submission)
    )


def _assignment(user: User, submission: Submission) -> ReviewAssignment | None:
    return db.session.scalars(
        db.select(ReviewAssignment).where(
            ReviewAssignment.submission_id == submission.id,
            ReviewAssignment.user_id == user.id,
        )
    ).first()


def is_assigned(user: User, submission: Submission) -> bool:
    """Assigned to a proposal still submitted (a withdrawn one leaves the committee's view)."""
    return (
        submission.status is SubmissionStatus.SUBMITTED
        and _assignment(user, submission) is not None
    )


def access_for(user: User, submission: Submission) -> Access:
    """How much of ``submission`` this organiser sees (``confidentiality.access``)."""
    return access(
        manages=can(user, Permission.MANAGE_CFP),
        reviews=can(user, Permission.REVIEW_PROPOSALS),
        edits_programme=can(user, Permission.EDIT_PROGRAMME),
        restricted=submission.disclosure.restricts_abstract,
        assigned=is_assigned(user, submission),
        conflicted=conflicted(user, submission),
    )


def proposal(event: Event, uid: str) -> Submission:
    """The edition's proposal with this uid, with its speakers and theme; else ``NotFound``."""
    submission = db.session.scalars(
        db.select(Submission)
        .where(Submission.event_id == event.id, Submission.uid == uid)
        .options(selectinload(Submission.speakers), joinedload(Submission.track))
    ).first()
    if submission is None:
        raise NotFound(_NOT_FOUND)
    return submission


def _audit_read(submission: Submission, action: str) -> None:
    """An entry naming the proposal by its title only, committed at once."""
    record(
        action,
        object_type="submission",
        object_id=submission.uid,
        changes={"title": submission.title},
    )
    db.session.commit()


def read(user: User, submission: Submission) -> Access:
    """What ``user`` may see of ``submission``, the read audited when it shows restricted content.

    ``NotFound`` when they may see nothing: the page answers as for an unknown
    proposal.
    """
    level = access_for(user, submission)
    if level is Access.NONE:
        raise NotFound(_NOT_FOUND)
    if level is Access.FULL and reads_are_audited(submission.disclosure):
        _audit_read(submission, "cfp.read")
    return level


def read_attachment(user: User, submission: Submission) -> bytes:
    """The attachment's plain bytes for someone with full access; the read audited if restricted."""
    if access_for(user, submission) is not Access.FULL or not submission.attachment_key:
        raise NotFound(_NOT_FOUND)
    try:
        data = files.read(submission.attachment_key)
    except FileNotFoundError:
        raise NotFound(_NOT_FOUND) from None
    if reads_are_audited(submission.disclosure):
        _audit_read(submission, "cfp.attachment_read")
    return data


def visible(user: User, event: Event) -> list[Submission]:
    """The proposals ``user`` may open, oldest first.

    Administrators and programme editors: all of the edition's. Reviewers: the
    submitted proposals assigned to them, less those they are in conflict with.
    """
    options = (selectinload(Submission.speakers), joinedload(Submission.track))
    order = (Submission.created_at, Submission.id)
    if can(user, Permission.MANAGE_CFP) or can(user, Permission.EDIT_PROGRAMME):
        return list(
            db.session.scalars(
                db.select(Submission)
                .where(Submission.event_id == event.id)
                .options(*options)
                .order_by(*order)
            )
        )
    if not can(user, Permission.REVIEW_PROPOSALS):
        return []
    declared = db.select(ConflictOfInterest.submission_id).where(
        ConflictOfInterest.user_id == user.id
    )
    assigned = db.session.scalars(
        db.select(Submission)
        .join(ReviewAssignment, ReviewAssignment.submission_id == Submission.id)
        .where(
            ReviewAssignment.user_id == user.id,
            Submission.event_id == event.id,
            Submission.status == SubmissionStatus.SUBMITTED,
            Submission.id.not_in(declared),
        )
        .options(*options)
        .order_by(*order)
    )
    return [
        submission
        for submission in assigned
        if not same_organisation(user.organisation, user.email, _speakers(submission))
    ]


@dataclass(frozen=True, slots=True)
class ToReview:
    """One line of a reviewer's list: the proposal, their review, how many reviews it has."""

    submission: Submission
    mine: Review | None
    reviews: int


def to_review(user: User, event: Event) -> list[ToReview]:
    """The submitted proposals ``user`` may open, each with their own review if any."""
    submissions = [
        submission
        for submission in visible(user, event)
        if submission.status is SubmissionStatus.SUBMITTED
    ]
    ids = [submission.id for submission in submissions]
    mine: dict[int, Review] = {}
    counts: dict[int, int] = {}
    if ids:
        mine = {
            review.submission_id: review
            for review in db.session.scalars(
                db.select(Review).where(Review.user_id == user.id, Review.submission_id.in_(ids))
            )
        }
        rows = db.session.execute(
            db.select(Review.submission_id, func.count(Review.id))
            .where(Review.submission_id.in_(ids))
            .group_by(Review.submission_id)
        ).tuples()
        counts = dict(rows.all())
    return [
        ToReview(submission, mine.get(submission.id), counts.get(submission.id, 0))
        for submission in submissions
    ]


# ---------------------------------------------------------------- the committee


def reviewers() -> list[User]:
    """The active reviewers' accounts, by name."""
    return list(
        db.session.scalars(
            db.select(User)
            .where(User.role == Role.REVIEWER, User.active.is_(True))
            .order_by(User.display_name, User.email)
        )
    )


def reviewer(user_id: int | None) -> User:
    """The active reviewer with this id; a refusal beside the reviewer's field otherwise."""
    user = db.session.get(User, user_id) if user_id else None
    if user is None or user.role is not Role.REVIEWER or not user.active:
        raise DomainError(_l("Choose one of the active reviewers."), field="reviewer")
    return user


def reviewers_by_id(ids: Iterable[int | None]) -> list[User]:
    """The active reviewers chosen in a list; one refusal for the list if any is not one."""
    wanted = set(ids)
    found = [user for user in reviewers() if user.id in wanted]
    if not wanted or len(found) != len(wanted):
        raise DomainError(_l("Choose one or more active reviewers."), field="reviewers")
    return found


def assigned_reviewers(submission: Submission) -> list[User]:
    return list(
        db.session.scalars(
            db.select(User)
            .join(ReviewAssignment, ReviewAssignment.user_id == User.id)
            .where(ReviewAssignment.submission_id == submission.id)
            .order_by(User.display_name, User.email)
        )
    )


def assignable(submission: Submission) -> list[User]:
    """Active reviewers who may be assigned: not yet assigned, not in conflict."""
    taken = {user.id for user in assigned_reviewers(submission)}
    return [
        user for user in reviewers() if user.id not in taken and not conflicted(user, submission)
    ]


def _is_reviewer(user: User) -> bool:
    return user.role is Role.REVIEWER and user.active


def _check_reviewer(user: User) -> None:
    if not _is_reviewer(user):
        raise DomainError(_l("Only an active reviewer can be assigned."), field="reviewer")


def _check_submitted(submission: Submission) -> None:
    if submission.status is not SubmissionStatus.SUBMITTED:
        raise Conflict(_l("Only a submitted proposal can be reviewed."))


_CONFLICTED = _l(
    "This reviewer has a conflict of interest with this proposal (they work where one of "
    "its speakers does, or they declared one): they cannot review it."
)


def _add_assignment(submission: Submission, user: User) -> None:
    db.session.add(ReviewAssignment(submission_id=submission.id, user_id=user.id))
    record(
        "cfp.assigned",
        object_type="submission",
        object_id=submission.uid,
        changes={"reviewer": [None, user.email]},
    )


def assign(submission: Submission, user: User) -> None:
    """Ask ``user`` to review ``submission``; assigning twice changes nothing."""
    _check_reviewer(user)
    _check_submitted(submission)
    if conflicted(user, submission):
        raise Conflict(_CONFLICTED, field="reviewer")
    if _assignment(user, submission) is not None:
        return
    _add_assignment(submission, user)
    db.session.commit()


def unassign(submission: Submission, user: User) -> None:
    """Withdraw the request; a review already written stays with the committee's work."""
    assignment = _assignment(user, submission)
    if assignment is None:
        raise NotFound(_l("This reviewer is not assigned to this proposal."))
    db.session.delete(assignment)
    record(
        "cfp.unassigned",
        object_type="submission",
        object_id=submission.uid,
        changes={"reviewer": [user.email, None]},
    )
    db.session.commit()


def assign_track(event: Event, track_id: int | None, users: Iterable[User]) -> int:
    """Assign ``users`` to every submitted proposal of a theme (``None``: without one).

    Conflicts are skipped, not refused: a reviewer from one speaker's hospital
    still reviews the rest of the theme. Existing assignments are kept, so
    running it again after new proposals arrived assigns only those. Returns
    how many assignments were made.
    """
    people = list(users)
    checks = FieldChecks()
    if not people or any(not _is_reviewer(user) for user in people):
        checks.refuse(DomainError(_l("Choose one or more active reviewers."), field="reviewers"))
    if track_id is not None:
        track = db.session.get(Track, track_id)
        if track is None or track.event_id != event.id:
            checks.refuse(DomainError(_l("Choose one of the themes."), field="track"))
    checks.raise_any()
    submissions = db.session.scalars(
        db.select(Submission)
        .where(
            Submission.event_id == event.id,
            Submission.status == SubmissionStatus.SUBMITTED,
            Submission.track_id.is_(None) if track_id is None else Submission.track_id == track_id,
        )
        .options(selectinload(Submission.speakers))
        .order_by(Submission.id)
    ).all()
    ids = [submission.id for submission in submissions]
    existing = set(
        db.session.execute(
            db.select(ReviewAssignment.submission_id, ReviewAssignment.user_id).where(
                ReviewAssignment.submission_id.in_(ids)
            )
        ).all()
        if ids
        else []
    )
    made = 0
    for submission in submissions:
        for user in people:
            if (submission.id, user.id) in existing or conflicted(user, submission):
                continue
            _add_assignment(submission, user)
            existing.add((submission.id, user.id))
            made += 1
    if made:
        db.session.commit()
    return made


def declare_conflict(user: User, submission: Submission) -> None:
    """A reviewer steps aside: the proposal disappears for them, their review with it."""
    if declared_conflict(user, submission):
        return
    if access_for(user, submission) is Access.NONE:
        raise NotFound(_NOT_FOUND)
    assignment = _assignment(user, submission)
    if assignment is not None:
        db.session.delete(assignment)
    mine = my_review(user, submission)
    if mine is not None:
        db.session.delete(mine)
    db.session.add(ConflictOfInterest(submission_id=submission.id, user_id=user.id))
    record(
        "cfp.conflict_declared",
        object_type="submission",
        object_id=submission.uid,
        changes={"reviewer": user.email, "review_removed": mine is not None},
    )
    db.session.commit()


# ---------------------------------------------------------------- reviews


def my_review(user: User, submission: Submission) -> Review | None:
    return db.session.scalars(
        db.select(Review).where(Review.submission_id == submission.id, Review.user_id == user.id)
    ).first()


def reviews_of(submission: Submission) -> list[Review]:
    """Every review of the proposal with its reviewer: for administrators' eyes only."""
    return list(
        db.session.scalars(
            db.select(Review)
            .where(Review.submission_id == submission.id)
            .options(joinedload(Review.user))
            .order_by(Review.created_at, Review.id)
        )
    )


def _score(name: str, value: object) -> int:
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not (SCORE_MIN <= value <= SCORE_MAX)
    ):
        raise DomainError(
            _l("Choose a score from %(low)d to %(high)d.", low=SCORE_MIN, high=SCORE_MAX),
            field=name,
        )
    return value


def _comment(value: str) -> str:
    lines = ["".join(ch for ch in line if ch.isprintable()) for line in value.splitlines()]
    cleaned = "\n".join(lines).strip()
    if len(cleaned) > COMMENT_MAX:
        raise DomainError(
            _l("This field may not exceed %(n)d characters.", n=COMMENT_MAX), field="comment"
        )
    return cleaned


def save_review(
    user: User, submission: Submission, scores: Mapping[str, int | None], comment: str
) -> Review:
    """Store (or replace) ``user``'s scores and comment on ``submission``.

    Only a reviewer assigned to it, in no conflict, may score; every wrong
    score is refused beside its criterion at once. Once the decision has been
    told to the speakers the reviews are the record of it and stay as they are.
    """
    level = access_for(user, submission)
    if level is Access.NONE:
        raise NotFound(_NOT_FOUND)
    if level is not Access.FULL or not is_assigned(user, submission):
        raise Conflict(_l("Only a reviewer assigned to this proposal can score it."))
    if submission.decision_released_at is not None:
        raise Conflict(
            _l("The decision on this proposal has been told to its speakers: reviews are closed.")
        )
    checks = FieldChecks()
    values = {
        name: checks.run(lambda name=name: _score(name, scores.get(name)), 0) for name in CRITERIA
    }
    text = checks.run(lambda: _comment(comment or ""), "")
    checks.raise_any()
    review = my_review(user, submission)
    moment = now()
    if review is None:
        review = Review(submission_id=submission.id, user_id=user.id, created_at=moment)
        db.session.add(review)
    for name, value in values.items():
        setattr(review, name, value)
    review.comment = text
    review.updated_at = moment
    changes: dict[str, object] = dict(values)
    if content_may_leave(submission.disclosure):
        changes["comment"] = text
    record("cfp.reviewed", object_type="submission", object_id=submission.uid, changes=changes)
    db.session.commit()
    return review


# ---------------------------------------------------------------- ranking


@dataclass(frozen=True, slots=True)
class Row:
    """One proposal in the ranking: its reviews' totals (4 criteria, 4 to 20 each)."""

    submission: Submission
    reviews: int
    mean: float | None  # rounded to 2 decimals
    low: int | None
    high: int | None
    spread: int | None  # high - low: a large one says the committee disagrees
    deviation: float | None  # population standard deviation of the totals, rounded to 2


def _row(submission: Submission, totals: list[int]) -> Row:
    if not totals:
        return Row(submission, 0, None, None, None, None, None)
    low, high = min(totals), max(totals)
    return Row(
        submission,
        len(totals),
        round(statistics.fmean(totals), 2),
        low,
        high,
        high - low,
        round(statistics.pstdev(totals), 2),
    )


def _rank_key(row: Row) -> tuple[bool, float, int, str, int]:
    return (
        row.mean is None,
        -(row.mean or 0.0),
        -row.reviews,
        row.submission.title.casefold(),
        row.submission.id,
    )


def ranking(event: Event) -> dict[Track | None, list[Row]]:
    """The submitted proposals per theme, best mean total first; unreviewed ones last.

    Themes in their programme order, proposals without a theme last. The
    standard deviation is the population's (the reviews are all there is, not
    a sample), so one review has a deviation of 0.
    """
    submissions = db.session.scalars(
        db.select(Submission)
        .where(Submission.event_id == event.id, Submission.status == SubmissionStatus.SUBMITTED)
        .options(joinedload(Submission.track))
    ).all()
    totals: dict[int, list[int]] = {submission.id: [] for submission in submissions}
    if totals:
        for review in db.session.scalars(
            db.select(Review).where(Review.submission_id.in_(list(totals)))
        ):
            totals[review.submission_id].append(review.total)
    groups: dict[Track | None, list[Row]] = {}
    for submission in submissions:
        groups.setdefault(submission.track, []).append(_row(submission, totals[submission.id]))

    def track_order(track: Track | None) -> tuple[bool, int, int]:
        return (track is None, track.position if track else 0, track.id if track else 0)

    return {
        track: sorted(groups[track], key=_rank_key) for track in sorted(groups, key=track_order)
    }


def release_preview(event: Event) -> tuple[int, int]:
    """(proposals, e-mails) the next release would tell: one e-mail per rejected or
    waiting proposal, one per speaker on stage of an accepted one."""
    pending = db.session.scalars(
        db.select(Submission)
        .where(
            Submission.event_id == event.id,
            Submission.status == SubmissionStatus.SUBMITTED,
            Submission.decision.is_not(None),
            Submission.decision_released_at.is_(None),
        )
        .options(selectinload(Submission.speakers))
    ).all()
    mails = sum(
        len(speakers_on_stage(submission)) if submission.decision is Decision.ACCEPTED else 1
        for submission in pending
    )
    return len(pending), mails
