"""Labels of the call for papers' values in the visitor's language."""

from __future__ import annotations

from flask_babel import LazyString

from congress.cfp.models import Decision, Participation, SubmissionStatus
from congress.i18n import lazy_gettext as _l

STATUS_LABELS: dict[SubmissionStatus, LazyString] = {
    SubmissionStatus.PENDING: _l("Waiting for e-mail confirmation"),
    SubmissionStatus.SUBMITTED: _l("Submitted"),
    SubmissionStatus.WITHDRAWN: _l("Withdrawn"),
}

LANGUAGE_LABELS: dict[str, LazyString] = {
    "fr": _l("French"),
    "en": _l("English"),
}

CRITERION_LABELS: dict[str, LazyString] = {
    "relevance": _l("Relevance"),
    "originality": _l("Originality"),
    "depth": _l("Depth"),
    "clarity": _l("Clarity"),
}
# The question each criterion answers, shown beside its score so that every
# reviewer scores the same thing.
CRITERION_QUESTIONS: dict[str, LazyString] = {
    "relevance": _l(
        "Does the proposal matter to the people who secure health-care information systems?"
    ),
    "originality": _l(
        "Does it bring something new: unpublished work, a fresh angle, first-hand experience?"
    ),
    "depth": _l("Is the subject treated with enough technical or practical substance?"),
    "clarity": _l("Is the proposal clear and well built, and does it fit its duration?"),
}
DECISION_LABELS: dict[Decision, LazyString] = {
    Decision.ACCEPTED: _l("Accepted"),
    Decision.REJECTED: _l("Rejected"),
    Decision.WAITING: _l("Waiting list"),
}

PARTICIPATION_LABELS: dict[Participation | None, LazyString] = {
    Participation.CONFIRMED: _l("participation confirmed"),
    Participation.DECLINED: _l("participation declined"),
    None: _l("no answer yet"),
}
