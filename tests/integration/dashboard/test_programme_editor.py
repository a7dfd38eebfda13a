import pytest

from congress.audit.models import AuditEntry
from congress.extensions import db
from congress.programme.models import Talk, TalkStatus
from tests.factories import make_event, make_room, make_speaker, make_talk, paris
from tests.http import csrf_from, submit

pytestmark = pytest.mark.integration


@pytest.fixture
def plan(app):
    event = make_event()
    amphi = make_room(event, "Amphi", capacity=100)
    salle = make_room(event, "Salle B", capacity=20)
    alice = make_speaker(event, "Alice")
    existing = make_talk(
        event, "Ouverture", starts_at=paris(1, "09:00"), room=amphi, speakers=[alice]
    )
    return event, amphi, salle, alice, existing


def _form(room, **overrides):
    values = {
        "title": "Menaces 2014",
        "kind": "talk",
        "status": "confirmed",
        "disclosure": "tlp_green",
        "language": "fr",
        "day": "2014-04-01",
        "starts_at": "09:15",
        "ends_at": "10:00",
        "room": room.id,
        "track": 0,
        "seat_limit": "",
        "moderator": 0,
        "abstract": "Un résumé.",
    }
    values.update(overrides)
    return values


def test_room_conflict_blocks_saving_then_fixed_talk_is_published(client, plan, login_as):
    _event, amphi, salle, _, _ = plan
    login_as("editor")
    clash = submit(client, "/dashboard/talks/new", _form(amphi))
    assert clash.status_code == 409
    html = clash.get_data(as_text=True)
    assert "Salle déjà occupée par «\u202fOuverture\u202f» de 09:00 à 09:45." in html
    assert 'value="Menaces 2014"' in html
    assert db.session.scalar(db.select(db.func.count()).select_from(Talk)) == 1

    saved = submit(client, "/dashboard/talks/new", _form(salle))
    assert saved.status_code == 302
    talk = db.session.scalars(db.select(Talk).where(Talk.title == "Menaces 2014")).one()
    assert talk.starts_at == paris(1, "09:15")
    assert "Menaces 2014" in client.get("/programme").get_data(as_text=True)
    feed = client.get("/programme.ics").get_data(as_text=True)
    assert "SUMMARY:Menaces 2014" in feed
    assert "DTSTART;TZID=Europe/Paris:20140401T091500" in feed


def test_speaker_conflict_and_seat_limit_are_shown_beside_fields(client, plan, login_as):
    _event, _amphi, salle, alice, _ = plan
    login_as("admin")
    response = submit(
        client,
        "/dashboard/talks/new",
        _form(salle, speakers=[alice.id], seat_limit="30", kind="workshop"),
    )
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Alice intervient déjà dans «\u202fOuverture\u202f»" in html
    assert "dépasse la capacité de la salle" in html


def test_end_before_start_and_outside_days(client, plan, login_as):
    _event, _amphi, salle, _, _ = plan
    login_as("editor")
    backwards = submit(client, "/dashboard/talks/new", _form(salle, ends_at="09:00"))
    assert backwards.status_code == 409
    assert "Une session doit se terminer après son début." in backwards.get_data(as_text=True)
    outside = submit(client, "/dashboard/talks/new", _form(salle, day="2014-05-01"))
    assert outside.status_code == 400


def test_moving_raises_sequence_and_cancel_keeps_talk(client, plan, login_as):
    _event, _amphi, salle, alice, existing = plan
    login_as("editor")
    response = submit(
        client,
        f"/dashboard/talks/{existing.id}",
        _form(salle, title="Ouverture", speakers=[alice.id], starts_at="11:00", ends_at="11:45"),
    )
    assert response.status_code == 302
    db.session.expire_all()
    moved = db.session.get(Talk, existing.id)
    assert moved.sequence == 1
    assert moved.room_id == salle.id
    page = client.get(f"/dashboard/talks/{existing.id}").get_data(as_text=True)
    client.post(f"/dashboard/talks/{existing.id}/cancel", data={"csrf_token": csrf_from(page)})
    db.session.expire_all()
    assert db.session.get(Talk, existing.id).status is TalkStatus.CANCELLED
    assert "STATUS:CANCELLED" in client.get("/programme.ics").get_data(as_text=True)
    actions = set(db.session.scalars(db.select(AuditEntry.action)))
    assert {"talk.created", "talk.updated"} <= actions


def test_editor_grid_marks_conflicts(client, plan, login_as):
    event, amphi, _, _, _ = plan
    make_talk(event, "Doublon", starts_at=paris(1, "09:30"), room=amphi, status=TalkStatus.DRAFT)
    login_as("editor")
    html = client.get("/dashboard/programme?day=2014-04-01").get_data(as_text=True)
    assert "2 sessions présentent des conflits" in html
    assert html.count("has-conflict") == 2


def test_only_drafts_can_be_deleted(client, plan, login_as):
    event, _, _, _, existing = plan
    draft = make_talk(event, "Brouillon", starts_at=paris(2, "09:00"), status=TalkStatus.DRAFT)
    login_as("editor")
    existing_id, draft_id = existing.id, draft.id
    token = csrf_from(client.get("/dashboard/programme").get_data(as_text=True))
    client.post(f"/dashboard/talks/{existing_id}/delete", data={"csrf_token": token})
    client.post(f"/dashboard/talks/{draft_id}/delete", data={"csrf_token": token})
    db.session.expire_all()
    assert db.session.get(Talk, existing_id) is not None
    assert db.session.get(Talk, draft_id) is None
