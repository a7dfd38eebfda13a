"""Decisions: taken quietly, released once, an accepted proposal becoming a draft session."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from congress.audit.models import AuditEntry
from congress.cfp import decisions, services
from congress.cfp.models import Decision, Submission, SubmissionTokenPurpose
from congress.core.errors import Conflict
from congress.edition.models import Event
from congress.extensions import db
from congress.programme import services as programme
from congress.programme.models import Disclosure, Talk, TalkStatus
from tests.cfp import mails

pytestmark = pytest.mark.integration

AFTER = datetime(2014, 2, 1, 9, 0, tzinfo=UTC)
SECRET = "Chiffrement-des-PACS-indicateurs-internes-7f3a"


def proposal(event: Event, **overrides: object) -> Submission:
    values: dict[str, object] = {
        "title": "Rançongiciel au CH de test : chronologie",
        "abstract": f"Analyse détaillée. {SECRET}",
        "kind": "attack_analysis",
        "track_id": None,
        "duration_minutes": 45,
        "language": "fr",
        "disclosure": "tlp_amber",
        "notes": f"Notes {SECRET}",
        "name": "Alice Martin",
        "email": "alice@chu-test.fr",
        "organisation": "CHU de test",
        "co_speakers": [
            services.CoSpeakerData("Bruno Petit", "bruno@anssi-test.fr", "Agence"),
            services.CoSpeakerData("Chloé Durand", "chloe@ailleurs.fr", "Ailleurs"),
        ],
    }
    values.update(overrides)
    submission = services.submit(event, services.SubmissionData(**values), language="fr")  # type: ignore[arg-type]
    token = re.search(r"/cfp/confirm/([A-Za-z0-9_-]+)", mails("cfp_confirm")[-1].body_text)
    services.confirm(token.group(1))
    return submission


def agree(submission: Submission, email: str) -> None:
    for message in mails("cfp_cospeaker"):
        if message.to_address == email:
            token = re.search(r"/cfp/speaker-confirm/([A-Za-z0-9_-]+)", message.body_text)
            services.confirm_co_speaker(token.group(1))


def test_a_decision_tells_nobody_until_the_release(event, moment):
    submission = proposal(event)
    moment[0] = AFTER

    decisions.decide(submission, Decision.ACCEPTED)

    assert mails("cfp_accepted") == []
    assert submission.talk_id is None
    assert decisions.unreleased(event) == 1


def test_release_creates_the_draft_with_its_label_and_speakers_and_mails_each_once(event, moment):
    submission = proposal(event)
    agree(submission, "bruno@anssi-test.fr")  # Chloé never agrees: she is not on stage
    moment[0] = AFTER
    decisions.decide(submission, Decision.ACCEPTED)

    assert decisions.release(event) == 1
    assert decisions.release(event) == 0  # a second press sends nothing

    talk = db.session.get(Talk, submission.talk_id)
    assert talk.status is TalkStatus.DRAFT
    assert talk.disclosure is Disclosure.TLP_AMBER
    assert talk.title == submission.title
    assert talk.abstract == ""  # the committee's abstract stays with the committee
    assert [s.name for s in talk.speakers] == ["Alice Martin", "Bruno Petit"]
    assert talk.duration_minutes == 45
    assert programme.slot_conflicts(event, programme.talk_data(talk), talk) == []
    sent = mails("cfp_accepted")
    assert sorted(m.to_address for m in sent) == ["alice@chu-test.fr", "bruno@anssi-test.fr"]
    links = {re.search(r"/speaker/([A-Za-z0-9_-]{22,})", m.body_text).group(1) for m in sent}
    assert len(links) == 2
    spaces = [t for t in submission.tokens if t.purpose is SubmissionTokenPurpose.SPACE]
    assert {t.speaker.email for t in spaces} == {"alice@chu-test.fr", "bruno@anssi-test.fr"}
    for message in sent:
        assert SECRET not in message.body_text
        assert SECRET not in (message.body_html or "")
    assert not any(
        SECRET in str(entry.changes) for entry in db.session.scalars(db.select(AuditEntry))
    )


def test_a_clear_proposal_brings_its_abstract_to_the_programme(event, moment):
    submission = proposal(event, disclosure="tlp_clear", co_speakers=[])
    moment[0] = AFTER
    decisions.decide(submission, Decision.ACCEPTED)
    decisions.release(event)

    assert db.session.get(Talk, submission.talk_id).abstract == submission.abstract


def test_two_accepted_proposals_of_one_speaker_share_a_page_and_never_clash(event, moment):
    first = proposal(event, co_speakers=[])
    second = proposal(event, title="Deuxième analyse", co_speakers=[])
    moment[0] = AFTER
    decisions.decide(first, Decision.ACCEPTED)
    decisions.decide(second, Decision.ACCEPTED)
    decisions.release(event)

    talks = [db.session.get(Talk, s.talk_id) for s in (first, second)]
    assert talks[0].speakers[0].id == talks[1].speakers[0].id
    assert talks[0].ends_at <= talks[1].starts_at or talks[1].ends_at <= talks[0].starts_at
    assert programme.programme_conflicts(event, talks) == []


def test_rejection_and_waiting_list_are_told_once_and_a_waiting_one_may_be_accepted(event, moment):
    rejected = proposal(event, title="Refusée", co_speakers=[])
    waiting = proposal(event, title="En attente", email="bob@ch-test.fr", co_speakers=[])
    moment[0] = AFTER
    decisions.decide(rejected, Decision.REJECTED)
    decisions.decide(waiting, Decision.WAITING)
    assert decisions.release(event) == 2
    assert [m.to_address for m in mails("cfp_rejected")] == ["alice@chu-test.fr"]
    assert [m.to_address for m in mails("cfp_waiting")] == ["bob@ch-test.fr"]

    with pytest.raises(Conflict):
        decisions.decide(rejected, Decision.ACCEPTED)
    decisions.decide(waiting, Decision.ACCEPTED)
    assert decisions.release(event) == 1
    assert [m.to_address for m in mails("cfp_accepted")] == ["bob@ch-test.fr"]
    assert len(mails("cfp_rejected")) == 1
    assert len(mails("cfp_waiting")) == 1


def test_a_withdrawn_proposal_cannot_be_decided(event, moment):
    submission = proposal(event, co_speakers=[])
    services.withdraw(submission)

    with pytest.raises(Conflict):
        decisions.decide(submission, Decision.ACCEPTED)
