"""The committee's forms: a review, an assignment, a theme's assignment, a decision,
a team member's organisation.

They check shape only. A score that is missing or out of range, a reviewer who
may not be assigned, are refusals of ``cfp.review``, shown beside their field;
so the choice fields here accept any value and leave the judging to it.
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length
from wtforms.widgets import CheckboxInput, ListWidget

from congress.cfp.labels import CRITERION_LABELS, DECISION_LABELS
from congress.cfp.models import CRITERIA, SCORE_MAX, SCORE_MIN, Decision
from congress.cfp.review import COMMENT_MAX
from congress.i18n import lazy_gettext as _l

ORGANISATION_MAX = 200


def whole_number(value: Any) -> int | None:
    """The number a control sent, or None for anything else (the service then refuses it)."""
    if value is None or isinstance(value, int):
        return value
    text = str(value).strip()
    return int(text) if text.isdigit() and len(text) < 10 else None


def _score_choices() -> list[SelectChoice]:
    choices: list[SelectChoice] = []
    for score in range(SCORE_MIN, SCORE_MAX + 1):
        if score == SCORE_MIN:
            label: Any = _l("%(n)d (weak)", n=score)
        elif score == SCORE_MAX:
            label = _l("%(n)d (excellent)", n=score)
        else:
            label = str(score)
        choices.append(SelectChoice(score, label))
    return choices


def _score(name: str) -> RadioField:
    return RadioField(
        CRITERION_LABELS[name],
        choices=_score_choices(),
        coerce=whole_number,
        validate_choice=False,
    )


class ReviewForm(FlaskForm):
    relevance = _score("relevance")
    originality = _score("originality")
    depth = _score("depth")
    clarity = _score("clarity")
    comment = TextAreaField(
        _l("Comment for the committee"),
        render_kw={"maxlength": COMMENT_MAX, "rows": 8},
    )

    def scores(self) -> dict[str, int | None]:
        return {name: getattr(self, name).data for name in CRITERIA}


class AssignForm(FlaskForm):
    reviewer = SelectField(_l("Reviewer"), coerce=whole_number, validate_choice=False)


class MultiCheckboxField(SelectMultipleField):
    """Several choices as a list of checkboxes (readable on a phone, unlike a multi-select)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class TrackAssignForm(FlaskForm):
    # "none": the proposals without a theme; otherwise a track's id.
    track = SelectField(_l("Theme"), validate_choice=False)
    reviewers = MultiCheckboxField(_l("Reviewers"), coerce=whole_number, validate_choice=False)


NO_DECISION = ""


def decision_choices() -> list[SelectChoice]:
    return [SelectChoice(NO_DECISION, str(_l("No decision")))] + [
        SelectChoice(decision.value, str(label)) for decision, label in DECISION_LABELS.items()
    ]


class DecisionForm(FlaskForm):
    decision = SelectField(_l("Decision"), choices=decision_choices)

    def chosen(self) -> Decision | None:
        value = self.decision.data or NO_DECISION
        return Decision(value) if value != NO_DECISION else None


class OrganisationForm(FlaskForm):
    """A team member's organisation: reviewers do not see proposals from it."""

    organisation = StringField(
        _l("Organisation"),
        validators=[
            Length(
                max=ORGANISATION_MAX,
                message=_l("This field may not exceed %(n)d characters.", n=ORGANISATION_MAX),
            )
        ],
        render_kw={"maxlength": ORGANISATION_MAX, "autocomplete": "organization"},
    )
