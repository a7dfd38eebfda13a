"""The programme committee's pages: reviewers' lists, a proposal, scores, assignments, ranking.

Who sees what of a proposal is ``cfp.review``'s decision (itself
``cfp.confidentiality``'s): these views ask it, and a proposal someone may not
see answers 404 like an unknown one. A reviewer sees their own review only;
administrators see every review, assign, decide and release the decisions
(``cfp.decisions``). The route's permission (``@needs``) is the first gate;
the proposal's own access the second.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import format_decimal
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from congress.accounts.models import User
from congress.accounts.permissions import Permission, can
from congress.cfp import decisions, labels, review
from congress.cfp.confidentiality import Access
from congress.cfp.labels import LANGUAGE_LABELS, STATUS_LABELS
from congress.cfp.models import CRITERIA, SCORE_MAX, Submission
from congress.core.errors import DomainError
from congress.core.forms import ButtonForm
from congress.dashboard.actions import button_action, run_flashed, save_form, show_refusal
from congress.dashboard.blueprint import bp, needs
from congress.dashboard.cfp_review_forms import (
    AssignForm,
    DecisionForm,
    ReviewForm,
    TrackAssignForm,
)
from congress.edition.queries import current_event_or_404
from congress.extensions import db
from congress.i18n import gettext as _
from congress.i18n import ngettext
from congress.programme import queries as programme_queries
from congress.programme.labels import DISCLOSURE_CODES, KIND_LABELS

NO_THEME = "none"


def _me() -> User:
    return current_user._get_current_object()


def _number(value: float | None) -> str:
    """A mean or deviation in the page's language (2 decimals), a dash when there is none."""
    return "—" if value is None else format_decimal(value, format="0.00")


def _labels() -> dict[str, Any]:
    return {
        "kind_labels": KIND_LABELS,
        "disclosure_codes": DISCLOSURE_CODES,
        "status_labels": STATUS_LABELS,
        "language_labels": LANGUAGE_LABELS,
        "decision_labels": labels.DECISION_LABELS,
        "criterion_labels": labels.CRITERION_LABELS,
        "criterion_questions": labels.CRITERION_QUESTIONS,
        "criteria": CRITERIA,
        "max_total": len(CRITERIA) * SCORE_MAX,
    }


# ---------------------------------------------------------------- reviewers' list


@bp.get("/cfp/reviews")
@needs(Permission.REVIEW_PROPOSALS)
def cfp_reviews() -> str:
    """The proposals this reviewer is asked to score, and whether they did (admins: all)."""
    event = current_event_or_404()
    return render_template(
        "dashboard/cfp_reviews.html",
        event=event,
        items=review.to_review(_me(), event),
        manages=can(_me(), Permission.MANAGE_CFP),
        **_labels(),
    )


# ---------------------------------------------------------------- one proposal


def _review_form(submission: Submission) -> ReviewForm:
    mine = review.my_review(_me(), submission)
    if mine is None:
        return ReviewForm(formdata=None)
    data = {name: getattr(mine, name) for name in CRITERIA}
    return ReviewForm(formdata=None, data={**data, "comment": mine.comment})


def _person(user: User) -> SelectChoice:
    """A reviewer as a choice: their name and address (two reviewers may share a name)."""
    label = f"{user.display_name} ({user.email})" if user.display_name else user.email
    return SelectChoice(user.id, label)


def _assign_form(submission: Submission, form: AssignForm | None = None) -> AssignForm:
    form = form or AssignForm(formdata=None)
    form.reviewer.choices = [_person(user) for user in review.assignable(submission)]
    return form


def _proposal_page(
    submission: Submission,
    level: Access,
    *,
    review_form: ReviewForm | None = None,
    assign_form: AssignForm | None = None,
    status: int = 200,
) -> tuple[str, int]:
    me = _me()
    manages = can(me, Permission.MANAGE_CFP)
    assigned = review.is_assigned(me, submission)
    context: dict[str, Any] = {
        "event": submission.event,
        "submission": submission,
        "full": level is Access.FULL,
        "manages": manages,
        "assigned": assigned,
        "released": submission.decision_released_at is not None,
        "button": ButtonForm(),
        **_labels(),
    }
    if assigned:
        context["review_form"] = review_form or _review_form(submission)
        context["mine"] = review.my_review(me, submission)
    if manages:
        context["assign_form"] = _assign_form(submission, assign_form)
        context["assigned_reviewers"] = review.assigned_reviewers(submission)
        context["reviews"] = review.reviews_of(submission)
    return render_template("dashboard/cfp_proposal.html", **context), status


@bp.get("/cfp/<submission_uid>")
@needs(Permission.VIEW_DASHBOARD)
def cfp_proposal(submission_uid: str) -> tuple[str, int]:
    """One proposal as far as this organiser may see it; every restricted read audited."""
    submission = review.proposal(current_event_or_404(), submission_uid)
    level = review.read(_me(), submission)
    return _proposal_page(submission, level)


@bp.get("/cfp/<submission_uid>/attachment.pdf")
@needs(Permission.VIEW_DASHBOARD)
def cfp_proposal_attachment(submission_uid: str) -> Response:
    """The proposal's PDF, as a download, for those who see it in full."""
    submission = review.proposal(current_event_or_404(), submission_uid)
    data = review.read_attachment(_me(), submission)
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{submission.attachment_name or "attachment.pdf"}"'
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/cfp/<submission_uid>/review")
@needs(Permission.REVIEW_PROPOSALS)
def cfp_proposal_review(submission_uid: str) -> Response | tuple[str, int]:
    submission = review.proposal(current_event_or_404(), submission_uid)
    form = ReviewForm()
    result = save_form(
        form,
        lambda: review.save_review(_me(), submission, form.scores(), form.comment.data or ""),
        lambda: _("Your review is saved."),
        url_for("dashboard.cfp_proposal", submission_uid=submission.uid),
    )
    if not isinstance(result, int):
        return result
    if form.csrf_token.errors:
        abort(400)
    # The page shown again is a read like any other (404 if it is no longer theirs).
    level = review.read(_me(), submission)
    return _proposal_page(submission, level, review_form=form, status=result)


@bp.post("/cfp/<submission_uid>/conflict")
@needs(Permission.REVIEW_PROPOSALS)
def cfp_proposal_conflict(submission_uid: str) -> Response:
    submission = review.proposal(current_event_or_404(), submission_uid)
    return button_action(
        lambda: review.declare_conflict(_me(), submission),
        _("Your conflict of interest is recorded: this proposal is no longer yours to review."),
        url_for("dashboard.cfp_reviews"),
        refused_target=url_for("dashboard.cfp_proposal", submission_uid=submission.uid),
    )


@bp.post("/cfp/<submission_uid>/assign")
@needs(Permission.MANAGE_CFP)
def cfp_proposal_assign(submission_uid: str) -> Response | tuple[str, int]:
    submission = review.proposal(current_event_or_404(), submission_uid)
    form = AssignForm()
    target = url_for("dashboard.cfp_proposal", submission_uid=submission.uid)
    if not form.validate_on_submit():
        abort(400)
    try:
        review.assign(submission, review.reviewer(form.reviewer.data))
    except DomainError as error:
        status = show_refusal(form, error)
        return _proposal_page(
            submission, review.read(_me(), submission), assign_form=form, status=status
        )
    flash(_("The reviewer is assigned."), "success")
    return redirect(target + "#committee")


@bp.post("/cfp/<submission_uid>/unassign/<int:user_id>")
@needs(Permission.MANAGE_CFP)
def cfp_proposal_unassign(submission_uid: str, user_id: int) -> Response:
    submission = review.proposal(current_event_or_404(), submission_uid)
    if not ButtonForm().validate_on_submit():
        abort(400)
    run_flashed(
        lambda: review.unassign(submission, _assigned(submission, user_id)),
        _("The reviewer is no longer assigned."),
    )
    return redirect(url_for("dashboard.cfp_proposal", submission_uid=submission.uid) + "#committee")


def _assigned(submission: Submission, user_id: int) -> User:
    for user in review.assigned_reviewers(submission):
        if user.id == user_id:
            return user
    abort(404)


# ---------------------------------------------------------------- ranking and decisions


def _track_choices(event: Any) -> list[tuple[str, str]]:
    return [(str(track.id), track.name) for track in programme_queries.tracks(event)] + [
        (NO_THEME, _("Without a theme"))
    ]


def _track_form(event: Any, form: TrackAssignForm | None = None) -> TrackAssignForm:
    form = form or TrackAssignForm(formdata=None)
    form.track.choices = _track_choices(event)
    form.reviewers.choices = [_person(user) for user in review.reviewers()]
    return form


def _ranking_page(track_form: TrackAssignForm | None = None, status: int = 200) -> tuple[str, int]:
    event = current_event_or_404()
    proposals, mails = review.release_preview(event)
    decision_form = DecisionForm(formdata=None)
    return render_template(
        "dashboard/cfp_ranking.html",
        event=event,
        ranking=review.ranking(event),
        number=_number,
        track_form=_track_form(event, track_form),
        decision_form=decision_form,
        decision_choices=decision_form.decision.choices,
        final=decisions.FINAL,
        to_release=proposals,
        release_mails=mails,
        button=ButtonForm(),
        **_labels(),
    ), status


@bp.get("/cfp/ranking")
@needs(Permission.MANAGE_CFP)
def cfp_ranking() -> tuple[str, int]:
    """Each theme's proposals by mean score, with the committee's disagreement beside it."""
    return _ranking_page()


@bp.post("/cfp/assign-track")
@needs(Permission.MANAGE_CFP)
def cfp_assign_track() -> Response | tuple[str, int]:
    """Assign reviewers to every submitted proposal of a theme, skipping their conflicts."""
    event = current_event_or_404()
    form = _track_form(event, TrackAssignForm())
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        return _ranking_page(form, 400)
    track_id = None if form.track.data == NO_THEME else _track_id(form.track.data)
    try:
        people = review.reviewers_by_id(form.reviewers.data or [])
        made = review.assign_track(event, track_id, people)
    except DomainError as error:
        return _ranking_page(form, show_refusal(form, error))
    flash(
        ngettext(
            "%(num)d assignment made (conflicts of interest skipped).",
            "%(num)d assignments made (conflicts of interest skipped).",
            made,
        ),
        "success",
    )
    return redirect(url_for("dashboard.cfp_ranking"))


def _track_id(value: str | None) -> int:
    """A theme's id from the form; 0 (no theme of this edition) for junk, refused by the service."""
    return int(value) if value and value.isdigit() and len(value) < 10 else 0


@bp.post("/cfp/<submission_uid>/decision")
@needs(Permission.MANAGE_CFP)
def cfp_proposal_decision(submission_uid: str) -> Response:
    submission = review.proposal(current_event_or_404(), submission_uid)
    form = DecisionForm()
    target = url_for("dashboard.cfp_ranking") + f"#proposal-{submission.uid}"
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        flash(_("Choose a decision."), "error")
        return redirect(target)
    run_flashed(
        lambda: decisions.decide(submission, form.chosen()),
        _(
            "The decision on “%(title)s” is saved; nobody is told until the release.",
            title=submission.title,
        ),
    )
    return redirect(target)


@bp.post("/cfp/release")
@needs(Permission.MANAGE_CFP)
def cfp_release() -> Response:
    """Tell every decided proposal's speakers at once (each e-mail goes once)."""
    event = current_event_or_404()
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        told = decisions.release(event)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("dashboard.cfp_ranking"))
    flash(
        ngettext(
            "The decision on %(num)d proposal has been told to its speakers.",
            "The decisions on %(num)d proposals have been told to their speakers.",
            told,
        ),
        "success",
    )
    return redirect(url_for("dashboard.cfp_ranking"))
