"""Reminders of missing answers: due three days before each deadline, sent once each."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from congress.cfp import decisions, reminders, services
from congress.cfp.models import Decision, Participation
from congress.extensions import db
from tests.cfp import CLOSES, mails
from tests.integration.cfp.test_decisions import AFTER, agree, proposal

pytestmark = pytest.mark.integration


def test_a_silent_co_speaker_is_reminded_once(event, moment):
    submission = proposal(event)
    agree(submission, "bruno@anssi-test.fr")

    moment[0] = CLOSES - timedelta(days=4)
    assert reminders.send_due() == 0  # not yet due
    moment[0] = CLOSES - timedelta(days=2)
    assert reminders.send_due() == 1
    assert reminders.send_due() == 0  # once

    (sent,) = mails("cfp_reminder_cospeaker")
    assert sent.to_address == "chloe@ailleurs.fr"
    token = re.search(r"/cfp/speaker-confirm/([A-Za-z0-9_-]+)", sent.body_text).group(1)
    assert services.confirm_co_speaker(token).confirmed_at is not None


def test_a_silent_accepted_speaker_is_reminded_once(event, moment):
    call = services.call_for(event)
    call.respond_by = datetime(2014, 3, 1, 17, 0, tzinfo=UTC)
    db.session.commit()
    submission = proposal(event, co_speakers=[services.CoSpeakerData("Bruno Petit", "b@x-test.fr")])
    agree(submission, "b@x-test.fr")
    moment[0] = AFTER
    decisions.decide(submission, Decision.ACCEPTED)
    decisions.release(event)
    submission.speakers[1].participation = Participation.CONFIRMED  # Bruno answered
    db.session.commit()

    moment[0] = call.respond_by - timedelta(days=2)
    assert reminders.send_due() == 1
    assert reminders.send_due() == 0
    (sent,) = mails("cfp_reminder_respond")
    assert sent.to_address == "alice@chu-test.fr"
    assert re.search(r"/speaker/[A-Za-z0-9_-]{22,}", sent.body_text)

    moment[0] = call.respond_by + timedelta(hours=1)
    assert reminders.send_due() == 0  # past the deadline: nothing
