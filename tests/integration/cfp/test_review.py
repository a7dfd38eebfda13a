"""The committee's rules (``cfp.review``): who sees a proposal, conflicts, assignments,
scores, the audit of restricted reads, and the ranking's figures."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from congress.accounts import team
from congress.accounts.models import Role
from congress.accounts.services import create_organiser
from congress.audit.models import AuditEntry
from congress.cfp import review
from congress.cfp import services as cfp_services
from congress.cfp.confidentiality import Access
from congress.cfp.models import ConflictOfInterest, Review, ReviewAssignment
from congress.core.errors import Conflict, DomainError, NotFound
from congress.core.field_errors import FieldErrors
from congress.extensions import db
from tests.cfp import ATTACHMENT, amber_from_rennes
from tests.conftest import ORGANISER_PASSWORD
from tests.factories import make_event, make_reviewer, make_submission, make_track

pytestmark = pytest.mark.integration

SECRET = "Indicateurs internes de la compromission du PACS"
COMMENT = "Le scénario d'attaque décrit est crédible et encore exploitable"
TOP = {"relevance": 5, "originality": 5, "depth": 5, "clarity": 5}


@pytest.fixture
def event(app):
    return make_event()


@pytest.fixture
def amber(event):
    """A TLP:AMBER proposal from the CHU de Rennes, with an attachment."""
    return amber_from_rennes(event, SECRET, "Ne pas diffuser.")


@pytest.fixture
def clear(event):
    return make_submission(
        event, "Sauvegardes hors ligne", email="bob@clinique.fr", organisation="Clinique"
    )


@pytest.fixture
def reviewer(app):
    return make_reviewer("rev@anssi.fr", "ANSSI", "Rita Relectrice")


def _user(email: str, role: Role):
    return create_organiser(email, ORGANISER_PASSWORD, role)


def _entries(action: str) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            db.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.seq)
        )
    )


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count(model.id)))


# ---------------------------------------------------------------- access


def test_unassigned_reviewer_sees_nothing_of_a_proposal(amber, clear, reviewer):
    for submission in (amber, clear):
        assert review.access_for(reviewer, submission) is Access.NONE
        with pytest.raises(NotFound):
            review.read(reviewer, submission)
    with pytest.raises(NotFound):
        review.read_attachment(reviewer, amber)
    assert review.visible(reviewer, amber.event) == []
    assert _entries("cfp.read") == []


def test_assigned_reviewer_reads_in_full_and_each_read_is_audited_by_title(amber, reviewer):
    review.assign(amber, reviewer)

    assert review.read(reviewer, amber) is Access.FULL
    assert review.read(reviewer, amber) is Access.FULL
    assert review.read_attachment(reviewer, amber) == ATTACHMENT

    reads = _entries("cfp.read")
    assert [(e.object_id, e.changes, e.actor_type) for e in reads] == [
        (amber.uid, {"title": "Analyse d'une attaque en cours"}, "system"),
    ] * 2
    [attachment] = _entries("cfp.attachment_read")
    assert attachment.changes == {"title": "Analyse d'une attaque en cours"}
    assert review.visible(reviewer, amber.event) == [amber]


def test_reads_of_a_clear_proposal_are_not_audited(clear, reviewer):
    review.assign(clear, reviewer)

    assert review.read(reviewer, clear) is Access.FULL
    assert _entries("cfp.read") == []


def test_reviewer_from_a_speakers_organisation_sees_nothing_even_when_assigned(amber, reviewer):
    review.assign(amber, reviewer)
    team.set_organisation(reviewer.id, "chu-de-rennes")  # learnt after the assignment

    assert review.conflicted(reviewer, amber) is True
    with pytest.raises(NotFound):
        review.read(reviewer, amber)
    with pytest.raises(NotFound):
        review.read_attachment(reviewer, amber)
    assert review.visible(reviewer, amber.event) == []
    with pytest.raises(NotFound):
        review.save_review(reviewer, amber, TOP, "")


def test_reviewer_from_a_speakers_organisation_cannot_be_assigned(amber):
    colleague = make_reviewer("rev@chu-rennes.fr")  # same employer's domain
    namesake = make_reviewer("rev@gmail.com", "chu-de-rennes")
    stranger = make_reviewer("other@gmail.com", "ARS Bretagne")

    for person in (colleague, namesake):
        with pytest.raises(Conflict) as refused:
            review.assign(amber, person)
        assert refused.value.field == "reviewer"
        assert "conflit d’intérêts" in str(refused.value.message)
    assert review.assignable(amber) == [stranger]
    assert _count(ReviewAssignment) == 0


def test_declared_conflict_removes_access_assignment_and_review(amber, reviewer):
    review.assign(amber, reviewer)
    review.save_review(reviewer, amber, TOP, "Très bien")

    review.declare_conflict(reviewer, amber)

    assert review.access_for(reviewer, amber) is Access.NONE
    with pytest.raises(NotFound):
        review.read(reviewer, amber)
    assert _count(ReviewAssignment) == 0
    assert _count(Review) == 0
    assert _count(ConflictOfInterest) == 1
    [entry] = _entries("cfp.conflict_declared")
    assert entry.changes == {"reviewer": "rev@anssi.fr", "review_removed": True}
    with pytest.raises(Conflict):
        review.assign(amber, reviewer)


def test_editor_sees_the_title_of_amber_and_all_of_clear(amber, clear):
    editor = _user("editor@apssis-orga.fr", Role.EDITOR)

    assert review.read(editor, amber) is Access.TITLE
    assert review.read(editor, clear) is Access.FULL
    with pytest.raises(NotFound):
        review.read_attachment(editor, amber)
    assert _entries("cfp.read") == []


def test_admin_sees_everything_and_each_read_of_amber_is_one_entry(amber, clear):
    admin = _user("admin@apssis-orga.fr", Role.ADMIN)
    team.set_organisation(admin.id, "CHU de Rennes")  # no conflict counts for the committee's chair

    assert review.read(admin, amber) is Access.FULL
    assert len(_entries("cfp.read")) == 1
    assert review.read(admin, amber) is Access.FULL
    assert len(_entries("cfp.read")) == 2
    assert review.read(admin, clear) is Access.FULL
    assert len(_entries("cfp.read")) == 2
    assert {s.uid for s in review.visible(admin, amber.event)} == {amber.uid, clear.uid}


def test_desk_sees_nothing(amber):
    desk = _user("desk@apssis-orga.fr", Role.DESK)

    with pytest.raises(NotFound):
        review.read(desk, amber)
    assert review.visible(desk, amber.event) == []


def test_a_withdrawn_proposal_leaves_its_reviewers_view(event, reviewer):
    submission = make_submission(event)
    review.assign(submission, reviewer)
    cfp_services.withdraw(submission)

    assert review.access_for(reviewer, submission) is Access.NONE
    assert review.visible(reviewer, event) == []


# ---------------------------------------------------------------- assignments


def test_only_an_active_reviewer_can_be_assigned(clear):
    editor = _user("editor@apssis-orga.fr", Role.EDITOR)
    gone = make_reviewer("gone@anssi.fr")
    team.disable(gone.id)

    for person in (editor, gone):
        with pytest.raises(DomainError) as refused:
            review.assign(clear, person)
        assert refused.value.field == "reviewer"
    assert _count(ReviewAssignment) == 0


def test_assigning_twice_changes_nothing_and_unassign_removes_it(clear, reviewer):
    review.assign(clear, reviewer)
    review.assign(clear, reviewer)

    assert _count(ReviewAssignment) == 1
    assert [e.changes for e in _entries("cfp.assigned")] == [{"reviewer": [None, "rev@anssi.fr"]}]

    review.unassign(clear, reviewer)

    assert _count(ReviewAssignment) == 0
    assert review.access_for(reviewer, clear) is Access.NONE
    with pytest.raises(NotFound):
        review.unassign(clear, reviewer)


def test_assign_track_skips_conflicts_and_is_idempotent(event):
    governance = make_track(event, "Gouvernance")
    first = make_submission(event, "Un", track=governance, email="a@chu-rennes.fr")
    second = make_submission(event, "Deux", track=governance, email="b@clinique.fr")
    untracked = make_submission(event, "Trois", email="c@clinique.fr")
    insider = make_reviewer("rev@chu-rennes.fr")
    outsider = make_reviewer("rev@anssi.fr")

    made = review.assign_track(event, governance.id, [insider, outsider])

    pairs = set(
        db.session.execute(db.select(ReviewAssignment.submission_id, ReviewAssignment.user_id))
    )
    assert made == 3
    assert pairs == {(first.id, outsider.id), (second.id, insider.id), (second.id, outsider.id)}
    assert review.assign_track(event, governance.id, [insider, outsider]) == 0
    assert review.assign_track(event, None, [outsider]) == 1
    assert review.is_assigned(outsider, untracked)


def test_assign_track_refuses_no_reviewer_and_another_editions_theme(event, reviewer):
    elsewhere = make_track(make_event(), "Ailleurs")
    editor = _user("editor@apssis-orga.fr", Role.EDITOR)

    with pytest.raises(FieldErrors) as refused:
        review.assign_track(event, elsewhere.id, [reviewer, editor])

    assert [e.field for e in refused.value.errors] == ["reviewers", "track"]
    with pytest.raises(FieldErrors):
        review.assign_track(event, None, [])


# ---------------------------------------------------------------- reviews


def test_scores_out_of_range_are_refused_per_field_and_nothing_is_stored(clear, reviewer):
    review.assign(clear, reviewer)

    with pytest.raises(FieldErrors) as refused:
        review.save_review(
            reviewer,
            clear,
            {"relevance": 0, "originality": 6, "depth": None, "clarity": 3},
            "x" * 5001,
        )

    assert [(e.field, str(e.message)) for e in refused.value.errors] == [
        ("relevance", "Choisissez une note de 1 à 5."),
        ("originality", "Choisissez une note de 1 à 5."),
        ("depth", "Choisissez une note de 1 à 5."),
        ("comment", "Ce champ ne peut pas dépasser 5000 caractères."),
    ]
    db.session.rollback()
    assert _count(Review) == 0
    assert _entries("cfp.reviewed") == []


def test_a_true_is_no_score(clear, reviewer):
    review.assign(clear, reviewer)

    with pytest.raises(FieldErrors) as refused:
        review.save_review(reviewer, clear, {**TOP, "clarity": True}, "")

    assert [e.field for e in refused.value.errors] == ["clarity"]


def test_a_review_is_stored_then_replaced(clear, reviewer):
    review.assign(clear, reviewer)

    review.save_review(reviewer, clear, TOP, "Bien")
    review.save_review(reviewer, clear, {**TOP, "depth": 2}, "  Moins bien  ")

    [stored] = db.session.scalars(db.select(Review)).all()
    assert (stored.relevance, stored.depth, stored.total, stored.comment) == (
        5,
        2,
        17,
        "Moins bien",
    )
    assert [e.changes for e in _entries("cfp.reviewed")][-1] == {
        **TOP,
        "depth": 2,
        "comment": "Moins bien",
    }


def test_the_comment_on_an_amber_proposal_stays_out_of_the_audit_log(amber, reviewer):
    review.assign(amber, reviewer)

    review.save_review(reviewer, amber, TOP, COMMENT)

    [entry] = _entries("cfp.reviewed")
    assert entry.changes == TOP
    everything = " ".join(str(e.changes) for e in db.session.scalars(db.select(AuditEntry)))
    assert COMMENT not in everything
    assert SECRET not in everything


def test_only_an_assigned_reviewer_scores(clear, reviewer):
    admin = _user("admin@apssis-orga.fr", Role.ADMIN)

    with pytest.raises(NotFound):
        review.save_review(reviewer, clear, TOP, "")
    with pytest.raises(Conflict):
        review.save_review(admin, clear, TOP, "")
    assert _count(Review) == 0


def test_reviews_close_once_the_decision_is_told(clear, reviewer):
    review.assign(clear, reviewer)
    clear.decision_released_at = datetime(2014, 2, 1, tzinfo=UTC)
    db.session.commit()

    with pytest.raises(Conflict):
        review.save_review(reviewer, clear, TOP, "")
    assert _count(Review) == 0


# ---------------------------------------------------------------- ranking


def _scores(total: int) -> dict[str, int]:
    """Four scores adding up to ``total`` (4..20)."""
    base, extra = divmod(total, 4)
    names = ("relevance", "originality", "depth", "clarity")
    return {name: base + (1 if index < extra else 0) for index, name in enumerate(names)}


def test_ranking_orders_by_mean_with_spread_and_deviation(event):
    governance = make_track(event, "Gouvernance")
    people = [make_reviewer(f"r{n}@anssi.fr") for n in range(3)]
    split = make_submission(event, "Partagé", track=governance, email="a@a.fr")
    steady = make_submission(event, "Constant", track=governance, email="b@b.fr")
    make_submission(event, "Pas lu", track=governance, email="c@c.fr")
    top = make_submission(event, "Excellent", track=governance, email="e@e.fr")
    alone = make_submission(event, "Sans thème", email="d@d.fr")
    marks = {split: [20, 12], steady: [13, 14, 15], top: [18], alone: [10]}
    for submission, totals in marks.items():
        for person, total in zip(people, totals, strict=False):
            review.assign(submission, person)
            review.save_review(person, submission, _scores(total), "")

    ranking = review.ranking(event)

    assert list(ranking) == [governance, None]
    assert [
        (row.submission.title, row.reviews, row.mean, row.low, row.high, row.spread, row.deviation)
        for row in ranking[governance]
    ] == [
        ("Excellent", 1, 18.0, 18, 18, 0, 0.0),
        ("Partagé", 2, 16.0, 12, 20, 8, 4.0),
        ("Constant", 3, 14.0, 13, 15, 2, 0.82),
        ("Pas lu", 0, None, None, None, None, None),
    ]
    assert [(row.submission.title, row.mean) for row in ranking[None]] == [("Sans thème", 10.0)]


def test_ranking_leaves_out_proposals_not_submitted(event):
    make_submission(event, "Soumise")
    cfp_services.submit(
        event,
        cfp_services.SubmissionData(
            title="En attente",
            abstract="x",
            kind="talk",
            track_id=None,
            duration_minutes=30,
            language="fr",
            disclosure="tlp_clear",
            name="Eve",
            email="eve@test.fr",
        ),
        language="fr",
    )

    assert [row.submission.title for row in review.ranking(event)[None]] == ["Soumise"]
