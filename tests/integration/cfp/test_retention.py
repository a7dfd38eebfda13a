"""After the congress: TLP:RED material destroyed, rejected and withdrawn proposals deleted."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from congress.accounts.models import Role, User
from congress.audit.models import AuditEntry
from congress.cfp import files, retention
from congress.cfp.models import (
    Decision,
    Review,
    ReviewAssignment,
    Slides,
    SpeakerRole,
    Submission,
    SubmissionSpeaker,
    SubmissionStatus,
)
from congress.edition.models import Event
from congress.extensions import db
from congress.programme.models import Disclosure, TalkKind
from tests.factories import make_event, make_pdf, make_talk

pytestmark = pytest.mark.integration

LAST_DAY = date(2014, 4, 3)  # make_event's
ABSTRACT = "Chaîne d’exploitation d’un automate de perfusion, non corrigée."
NOTES = "Le fabricant n’a pas encore publié de correctif."
COMMENT = "Démonstration convaincante du contournement."
# Paris time: the 30th day after the last one ends at 2014-05-03 24:00 (22:00 UTC).
BEFORE_RED = datetime(2014, 5, 3, 21, 59, tzinfo=UTC)
AFTER_RED = datetime(2014, 5, 3, 22, 1, tzinfo=UTC)
AFTER_RETENTION = datetime(2015, 4, 5, 12, 0, tzinfo=UTC)
CLOCK_START = datetime(2014, 4, 10, 12, 0, tzinfo=UTC)  # a week after the congress


@pytest.fixture
def event(app, moment) -> Event:
    return make_event()


def _proposal(
    event: Event,
    disclosure: Disclosure = Disclosure.TLP_RED,
    *,
    title: str = "Automates de perfusion",
    status: SubmissionStatus = SubmissionStatus.SUBMITTED,
    decision: Decision | None = None,
) -> Submission:
    key = files.store(files.rebuild_pdf(make_pdf(ABSTRACT[:20]), "a.pdf").data)
    submission = Submission(
        event=event,
        title=title,
        abstract=ABSTRACT,
        notes=NOTES,
        kind=TalkKind.TALK,
        duration_minutes=45,
        language="fr",
        disclosure=disclosure,
        status=status,
        decision=decision,
        email="alice@chu-test.fr",
        attachment_key=key,
        attachment_name="a.pdf",
        attachment_size=1234,
    )
    submission.speakers.append(
        SubmissionSpeaker(role=SpeakerRole.SUBMITTER, name="Alice", email="alice@chu-test.fr")
    )
    db.session.add(submission)
    db.session.flush()
    reviewer = User(
        email=f"relecteur-{submission.id}@anssi-test.fr", password_hash="x", role=Role.REVIEWER
    )
    db.session.add(reviewer)
    db.session.flush()
    db.session.add(ReviewAssignment(submission_id=submission.id, user_id=reviewer.id))
    db.session.add(
        Review(
            submission_id=submission.id,
            user_id=reviewer.id,
            relevance=5,
            originality=4,
            depth=5,
            clarity=4,
            comment=COMMENT,
        )
    )
    db.session.commit()
    return submission


def _with_slides(event: Event, submission: Submission) -> Slides:
    talk = make_talk(event, submission.title)
    submission.talk_id = talk.id
    slides = Slides(
        talk_id=talk.id,
        file_key=files.store(b"%PDF-1.7 slides"),
        file_name="slides.pdf",
        size=15,
    )
    db.session.add(slides)
    db.session.commit()
    return slides


def _entries(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == action)))


def _fresh(submission_id: int) -> Submission | None:
    db.session.expire_all()
    return db.session.get(Submission, submission_id)


def test_red_material_is_destroyed_after_its_period(event, folder):
    submission = _proposal(event)
    slides = _with_slides(event, submission)
    attachment_key, slides_key, slides_id = submission.attachment_key, slides.file_key, slides.id
    assert (folder / attachment_key).exists()
    assert (folder / slides_key).exists()

    assert retention.destroy_red(AFTER_RED) == 1

    row = _fresh(submission.id)
    assert (row.abstract, row.notes) == ("", "")
    assert (row.attachment_key, row.attachment_name, row.attachment_size) == (None, "", None)
    assert row.destroyed_at is not None
    assert row.title == "Automates de perfusion"
    assert not (folder / attachment_key).exists()
    assert not (folder / slides_key).exists()
    assert db.session.get(Slides, slides_id) is None
    assert db.session.scalars(db.select(Review.comment)).all() == [""]
    assert db.session.scalars(db.select(Review.relevance)).all() == [5]
    (entry,) = _entries("cfp.red_destroyed")
    assert (entry.object_type, entry.object_id) == ("submission", row.uid)
    assert entry.changes["title"] == "Automates de perfusion"
    assert set(entry.changes["destroyed"]) == {
        "abstract",
        "notes",
        "attachment",
        "review_comments",
        "slides",
    }
    dumped = json.dumps(entry.changes, ensure_ascii=False)
    for secret in (ABSTRACT, NOTES, COMMENT):
        assert secret not in dumped
    # Done once: a second run finds nothing more.
    assert retention.destroy_red(AFTER_RED) == 0
    assert len(_entries("cfp.red_destroyed")) == 1


def test_red_before_its_date_and_amber_after_it_are_untouched(event, folder):
    red = _proposal(event)
    amber = _proposal(event, Disclosure.TLP_AMBER, title="Autre")

    assert retention.destroy_red(BEFORE_RED) == 0
    assert retention.destroy_red(AFTER_RED) == 1

    kept = _fresh(amber.id)
    assert (kept.abstract, kept.notes, kept.destroyed_at) == (ABSTRACT, NOTES, None)
    assert (folder / kept.attachment_key).exists()
    assert _fresh(red.id).destroyed_at is not None
    comments = db.session.scalars(
        db.select(Review.comment).where(Review.submission_id == amber.id)
    ).all()
    assert comments == [COMMENT]


def test_red_days_come_from_the_configuration(app, event):
    submission = _proposal(event)
    app.config["CFP_RED_DAYS"] = 60

    assert retention.destroy_red(AFTER_RED) == 0
    assert _fresh(submission.id).abstract == ABSTRACT


def test_rejected_and_withdrawn_proposals_are_deleted_after_retention(app, event, folder):
    rejected = _proposal(event, Disclosure.NONE, title="Refusée", decision=Decision.REJECTED)
    withdrawn = _proposal(
        event, Disclosure.TLP_GREEN, title="Retirée", status=SubmissionStatus.WITHDRAWN
    )
    accepted = _proposal(event, Disclosure.NONE, title="Acceptée", decision=Decision.ACCEPTED)
    waiting = _proposal(event, Disclosure.NONE, title="En attente")
    gone_files = [rejected.attachment_key, withdrawn.attachment_key]
    ids = (rejected.id, withdrawn.id, accepted.id, waiting.id)

    assert retention.delete_expired(AFTER_RED) == 0
    assert retention.delete_expired(AFTER_RETENTION) == 2

    assert [_fresh(i) is None for i in ids] == [True, True, False, False]
    for key in gone_files:
        assert not (folder / key).exists()
    assert (folder / accepted.attachment_key).exists()
    assert sorted(entry.changes["title"] for entry in _entries("cfp.purged")) == [
        "Refusée",
        "Retirée",
    ]
    assert db.session.scalar(db.select(db.func.count(Review.id))) == 2
    assert db.session.scalar(db.select(db.func.count(SubmissionSpeaker.id))) == 2


def test_purge_command_destroys_red_material_and_says_how_many(cli, event, moment, folder):
    red = _proposal(event)
    moment[0] = AFTER_RED

    result = cli.invoke(args=["congress", "purge"])

    assert result.exit_code == 0, result.output
    assert "1 TLP:RED proposals' content destroyed" in result.output
    assert "0 rejected or withdrawn proposals deleted" in result.output
    assert _fresh(red.id).abstract == ""
    assert _stored_count(folder) == 0


def _stored_count(folder: Path) -> int:
    return len(list(folder.iterdir())) if folder.exists() else 0


def test_privacy_notice_states_the_configured_periods_in_both_languages(app, client, event):
    app.config.update(RETENTION_DAYS=400, CFP_RED_DAYS=45)

    french = client.get("/privacy").get_data(as_text=True)
    english = client.get("/privacy?lang=en").get_data(as_text=True)

    assert "Propositions à l’appel à communications" in french
    assert "supprimées, avec leur pièce jointe et leurs évaluations, 400 jours après" in french
    assert "TLP:RED sont détruits 45 jours après le dernier jour du congrès" in french
    assert "conservée chiffrée" in french
    assert "deleted, with their attachment and reviews, 400 days after" in english
    assert "TLP:RED are destroyed 45 days after the last day of the congress" in english
