from datetime import timedelta

import pytest

from congress.core.errors import DomainError
from congress.extensions import db
from congress.programme import services
from congress.programme.models import TalkStatus
from tests.factories import make_event, make_room, make_speaker, make_talk, paris

pytestmark = pytest.mark.integration


@pytest.fixture
def setting(app):
    event = make_event()
    room = make_room(event, "Amphi")
    other = make_room(event, "Salle B")
    talk = make_talk(event, "Menaces", starts_at=paris(1, "09:00"), room=room)
    return event, room, other, talk


def test_new_talk_has_stable_uid_and_sequence_zero(setting):
    _, _, _, talk = setting
    assert len(talk.uid) == 36
    assert talk.sequence == 0


def test_moving_raises_sequence_once_and_keeps_uid(setting):
    event, _, other, talk = setting
    uid, version = talk.uid, event.programme_version
    changed = services.move_talk(
        talk, talk.starts_at + timedelta(hours=1), talk.ends_at + timedelta(hours=1), other
    )
    assert changed == ["starts_at", "ends_at", "room"]
    assert talk.sequence == 1
    assert talk.uid == uid
    assert event.programme_version == version + 1


def test_title_edit_does_not_raise_sequence(setting):
    _event, _, _, talk = setting
    data = services.talk_data(talk)
    data.title = "Menaces émergentes"
    assert services.update_talk(talk, data) == ["title"]
    assert talk.sequence == 0
    assert " emergent" in talk.search_text


def test_edit_without_change_is_a_no_op(setting):
    event, _, _, talk = setting
    version = event.programme_version
    assert services.update_talk(talk, services.talk_data(talk)) == []
    assert event.programme_version == version


def test_cancel_keeps_talk_and_raises_sequence(setting):
    _, _, _, talk = setting
    services.cancel_talk(talk)
    services.cancel_talk(talk)
    db.session.expire_all()
    assert talk.status is TalkStatus.CANCELLED
    assert talk.sequence == 1


def test_speaker_change_is_recorded(setting):
    event, _, _, talk = setting
    speaker = make_speaker(event, "Zoé Martin")
    data = services.talk_data(talk)
    data.speakers = [(speaker, services.SpeakerRole.SPEAKER)]
    assert services.update_talk(talk, data) == ["speakers"]
    assert [s.name for s in talk.speakers] == ["Zoé Martin"]
    assert " zo martin " in talk.search_text


def test_end_before_start_is_refused_and_nothing_changes(setting):
    _, _, _, talk = setting
    data = services.talk_data(talk)
    data.ends_at = data.starts_at - timedelta(minutes=5)
    with pytest.raises(DomainError):
        services.update_talk(talk, data)
    db.session.rollback()
    assert talk.ends_at > talk.starts_at


def test_slugs_are_unique_within_the_edition(setting):
    event, _, _, _ = setting
    twin = make_talk(event, "Menaces")
    assert twin.slug == "menaces-2"
