"""Dashboard pages for rooms, tracks, speakers and the edition: forms, access, audit, CSRF."""

from datetime import UTC, date, datetime

import icalendar
import pytest

from congress.audit.models import AuditEntry
from congress.edition.models import Event
from congress.extensions import db
from congress.programme.models import Room, Speaker, TalkStatus, Track
from tests.factories import make_event, make_room, make_speaker, make_talk, make_track, paris
from tests.http import csrf_from, submit

pytestmark = pytest.mark.integration

EDITOR_EMAIL = "editor-6@apssis-orga.fr"  # the account login_as("editor") creates


@pytest.fixture
def event(app):
    return make_event()


@pytest.fixture
def editor(client, login_as, event):
    return login_as("editor")


def post(client, page: str, path: str, data: dict):
    """POST ``data`` to ``path`` with the CSRF token of the form page ``page``."""
    token = csrf_from(client.get(page).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data})


def audit_actions() -> list[str]:
    return list(db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.seq)))


def audited(action: str) -> AuditEntry:
    entries = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == action)).all()
    assert len(entries) == 1, [e.action for e in entries]
    return entries[0]


def version(event: Event) -> int:
    db.session.expire_all()
    return db.session.get(Event, event.id).programme_version


def room_names(event: Event) -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(Room.name).where(Room.event_id == event.id)))


def ics_locations(body: bytes) -> list[str]:
    calendar = icalendar.Calendar.from_ical(body)
    return [str(component["LOCATION"]) for component in calendar.walk("VEVENT")]


def field_error(field: str, message: str) -> str:
    return f'<p class="field-error" id="{field}-error">{message}</p>'


# Rooms ---------------------------------------------------------------------------------


def test_room_created_through_the_form_is_listed_and_audited(editor, event):
    before = version(event)

    response = submit(editor, "/dashboard/rooms", {"name": "  Amphi Bollée ", "capacity": "350"})

    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard/rooms"
    db.session.expire_all()
    room = db.session.scalars(db.select(Room).where(Room.event_id == event.id)).one()
    assert (room.name, room.capacity, room.slug) == ("Amphi Bollée", 350, "amphi-bollee")
    assert version(event) == before + 1
    entry = audited("room.created")
    assert (entry.actor_type, entry.actor_label) == ("organiser", EDITOR_EMAIL)
    assert entry.changes["name"] == [None, "Amphi Bollée"]
    page = editor.get("/dashboard/rooms").get_data(as_text=True)
    assert "Salle «\u202fAmphi Bollée\u202f» ajoutée." in page
    assert f'<a href="/dashboard/rooms/{room.id}">Amphi Bollée</a>' in page


def test_room_without_capacity_is_stored_with_none(editor, event):
    response = submit(editor, "/dashboard/rooms", {"name": "Hall", "capacity": ""})

    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalars(db.select(Room.capacity)).all() == [None]


def test_renamed_room_reaches_the_programme_and_the_room_feed(editor, event):
    room = make_room(event, "Salle 1", capacity=80)
    make_talk(event, "Rançongiciels à l'hôpital", room=room, status=TalkStatus.CONFIRMED)
    path = f"/dashboard/rooms/{room.id}"

    response = submit(editor, path, {"name": "Amphi Bollée", "capacity": "120"})

    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(Room, room.id)
    assert (saved.name, saved.capacity, saved.slug) == ("Amphi Bollée", 120, room.slug)
    entry = audited("room.updated")
    assert entry.object_id == str(room.id)
    assert entry.changes == {"name": ["Salle 1", "Amphi Bollée"], "capacity": [80, 120]}
    programme = editor.get("/programme").get_data(as_text=True)
    assert "Amphi Bollée" in programme
    assert "Salle 1" not in programme
    feed = editor.get(f"/rooms/{room.slug}.ics")
    assert feed.status_code == 200
    assert ics_locations(feed.data) == ["Amphi Bollée, Centre des congrès, Le Mans"]


def test_room_edit_without_change_writes_no_audit_entry(editor, event):
    room = make_room(event, "Salle 1", capacity=80)
    before = version(event)

    response = submit(editor, f"/dashboard/rooms/{room.id}", {"name": "Salle 1", "capacity": "80"})

    assert response.status_code == 302
    assert "room.updated" not in audit_actions()
    assert version(event) == before


def test_unused_room_is_deleted(editor, event):
    room = make_room(event, "Salle 9")
    before = version(event)

    response = post(editor, f"/dashboard/rooms/{room.id}", f"/dashboard/rooms/{room.id}/delete", {})

    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard/rooms"
    assert room_names(event) == []
    assert version(event) == before + 1
    assert audited("room.deleted").changes == {"name": "Salle 9"}
    assert "Salle «\u202fSalle 9\u202f» supprimée." in editor.get("/dashboard/rooms").get_data(
        as_text=True
    )


def test_deleting_a_room_that_holds_sessions_is_refused_and_changes_nothing(editor, event):
    room = make_room(event, "Salle 1")
    make_talk(event, room=room)
    before = version(event)
    path = f"/dashboard/rooms/{room.id}"

    response = post(editor, path, f"{path}/delete", {})

    assert response.status_code == 302
    assert response.headers["Location"] == path
    page = editor.get(path).get_data(as_text=True)
    assert (
        '<p class="flash flash-error">'
        "Cette salle accueille encore des sessions\u202f: déplacez-les d&#39;abord.</p>"
    ) in page
    assert room_names(event) == ["Salle 1"]
    assert version(event) == before
    assert "room.deleted" not in audit_actions()


@pytest.mark.parametrize("capacity", ["-5", "0", "douze", "100001"])
def test_room_with_a_bad_capacity_is_refused_beside_the_field(editor, event, capacity):
    actions = audit_actions()

    response = submit(editor, "/dashboard/rooms", {"name": "Amphi", "capacity": capacity})

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="capacity-error"' in html
    assert 'aria-invalid="true"' in html
    assert 'value="Amphi"' in html
    assert f'value="{capacity}"' in html
    assert room_names(event) == []
    assert audit_actions() == actions


def test_negative_capacity_message_is_exact(editor, event):
    response = submit(editor, "/dashboard/rooms", {"name": "Amphi", "capacity": "-5"})

    assert field_error("capacity", "La capacité doit être un nombre positif.") in (
        response.get_data(as_text=True)
    )


def test_room_with_an_empty_name_is_refused_and_keeps_its_old_name(editor, event):
    room = make_room(event, "Salle 1", capacity=80)

    response = submit(editor, f"/dashboard/rooms/{room.id}", {"name": "   ", "capacity": "90"})

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert field_error("name", "Ce champ est obligatoire.") in html
    assert 'value="90"' in html
    db.session.expire_all()
    assert (db.session.get(Room, room.id).name, db.session.get(Room, room.id).capacity) == (
        "Salle 1",
        80,
    )
    assert "room.updated" not in audit_actions()


def test_room_name_with_markup_is_escaped_in_the_flash(editor, event):
    submit(editor, "/dashboard/rooms", {"name": "<b>Salle</b>", "capacity": ""})

    page = editor.get("/dashboard/rooms").get_data(as_text=True)

    assert "<b>Salle</b>" not in page
    assert "Salle «\u202f&lt;b&gt;Salle&lt;/b&gt;\u202f» ajoutée." in page


# Tracks --------------------------------------------------------------------------------


def test_track_created_edited_and_deleted_through_the_forms(editor, event):
    response = submit(
        editor,
        "/dashboard/tracks",
        {"name": "Gouvernance", "colour": "#1D4ED8", "description": "Pilotage de la SSI"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    track = db.session.scalars(db.select(Track).where(Track.event_id == event.id)).one()
    assert (track.name, track.colour, track.description) == (
        "Gouvernance",
        "#1d4ed8",
        "Pilotage de la SSI",
    )
    assert audited("track.created").changes["colour"] == [None, "#1d4ed8"]

    path = f"/dashboard/tracks/{track.id}"
    response = submit(
        editor, path, {"name": "Gouvernance SSI", "colour": "#b91c1c", "description": ""}
    )
    assert response.status_code == 302
    assert audited("track.updated").changes == {
        "name": ["Gouvernance", "Gouvernance SSI"],
        "colour": ["#1d4ed8", "#b91c1c"],
        "description": ["Pilotage de la SSI", ""],
    }

    response = post(editor, path, f"{path}/delete", {})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalars(db.select(Track)).all() == []
    assert audited("track.deleted").changes == {"name": "Gouvernance SSI"}


def test_renamed_track_reaches_the_programme_and_its_feed(editor, event):
    track = make_track(event, "Gouvernance")
    make_talk(event, "Analyse d'une attaque", track=track)

    submit(
        editor,
        f"/dashboard/tracks/{track.id}",
        {"name": "Gouvernance SSI", "colour": "#1d4ed8", "description": ""},
    )

    programme = editor.get("/programme").get_data(as_text=True)
    assert f'<option value="{track.slug}">Gouvernance SSI</option>' in programme
    calendar = icalendar.Calendar.from_ical(editor.get(f"/tracks/{track.slug}.ics").data)
    categories = [component.get("CATEGORIES").cats for component in calendar.walk("VEVENT")]
    assert categories == [["Conférence", "Gouvernance SSI"]]


@pytest.mark.parametrize("colour", ["blue", "#12345", "#12345g", "1d4ed8", ""])
def test_track_with_a_bad_colour_is_refused(editor, event, colour):
    response = submit(editor, "/dashboard/tracks", {"name": "Gouvernance", "colour": colour})

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="colour-error"' in html
    assert 'value="Gouvernance"' in html
    db.session.expire_all()
    assert db.session.scalars(db.select(Track)).all() == []
    assert "track.created" not in audit_actions()


def test_bad_colour_message_is_exact(editor, event):
    response = submit(editor, "/dashboard/tracks", {"name": "Gouvernance", "colour": "blue"})

    assert field_error(
        "colour", "Donnez la couleur sous la forme #rrvvbb, par exemple #1d4ed8."
    ) in response.get_data(as_text=True)


def test_deleting_a_track_that_has_sessions_is_refused(editor, event):
    track = make_track(event, "Gouvernance")
    make_talk(event, track=track)
    path = f"/dashboard/tracks/{track.id}"

    response = post(editor, path, f"{path}/delete", {})

    assert response.headers["Location"] == path
    assert "Ce parcours a encore des sessions\u202f: modifiez-les d&#39;abord." in (
        editor.get(path).get_data(as_text=True)
    )
    db.session.expire_all()
    assert db.session.get(Track, track.id) is not None
    assert "track.deleted" not in audit_actions()


# Speakers ------------------------------------------------------------------------------


def test_speaker_created_edited_and_deleted_through_the_forms(editor, event):
    response = submit(
        editor,
        "/dashboard/speakers",
        {
            "name": "Hélène Durand",
            "position_title": "RSSI",
            "affiliation": "CHU de Rennes",
            "bio": "Vingt ans de **sécurité**.",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    speaker = db.session.scalars(db.select(Speaker)).one()
    assert (speaker.name, speaker.position_title, speaker.affiliation, speaker.bio) == (
        "Hélène Durand",
        "RSSI",
        "CHU de Rennes",
        "Vingt ans de **sécurité**.",
    )
    uid = speaker.uid
    assert audited("speaker.created").object_id == uid

    path = f"/dashboard/speakers/{speaker.id}"
    response = submit(
        editor,
        path,
        {
            "name": "Hélène Durand-Morel",
            "position_title": "RSSI",
            "affiliation": "GHT 35",
            "bio": "",
        },
    )
    assert response.status_code == 302
    assert audited("speaker.updated").changes == {
        "name": ["Hélène Durand", "Hélène Durand-Morel"],
        "affiliation": ["CHU de Rennes", "GHT 35"],
        "bio": ["Vingt ans de **sécurité**.", ""],
    }

    response = post(editor, path, f"{path}/delete", {})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalars(db.select(Speaker)).all() == []
    assert audited("speaker.deleted").object_id == uid


def test_renamed_speaker_reaches_the_public_speakers_page(editor, event):
    speaker = make_speaker(event, "Hélène Durand", affiliation="CHU de Rennes")
    make_talk(event, speakers=[speaker])

    submit(
        editor,
        f"/dashboard/speakers/{speaker.id}",
        {"name": "Hélène Morel", "affiliation": "CHU de Rennes", "position_title": "", "bio": ""},
    )

    page = editor.get("/speakers").get_data(as_text=True)
    assert "Hélène Morel" in page
    assert "Hélène Durand" not in page


def test_deleting_a_speaker_with_sessions_is_refused(editor, event):
    speaker = make_speaker(event, "Hélène Durand")
    make_talk(event, speakers=[speaker])
    path = f"/dashboard/speakers/{speaker.id}"

    response = post(editor, path, f"{path}/delete", {})

    assert response.headers["Location"] == path
    assert (
        "Cette personne intervient encore dans des sessions\u202f: "
        "retirez-la d&#39;abord de celles-ci." in (editor.get(path).get_data(as_text=True))
    )
    db.session.expire_all()
    assert db.session.get(Speaker, speaker.id) is not None


def test_speaker_with_an_empty_name_is_refused(editor, event):
    response = submit(editor, "/dashboard/speakers", {"name": "", "affiliation": "ANSSI"})

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert field_error("name", "Ce champ est obligatoire.") in html
    assert 'value="ANSSI"' in html
    db.session.expire_all()
    assert db.session.scalars(db.select(Speaker)).all() == []


def test_speaker_search_ignores_accents_and_case(editor, event):
    helene = make_speaker(event, "Hélène Durand", affiliation="CHU de Rennes")
    marc = make_speaker(event, "Marc Petit", affiliation="ANSSI")

    by_name = editor.get("/dashboard/speakers?q=HELENE").get_data(as_text=True)
    by_affiliation = editor.get("/dashboard/speakers?q=anssi").get_data(as_text=True)
    everyone = editor.get("/dashboard/speakers").get_data(as_text=True)

    assert f"/dashboard/speakers/{helene.id}" in by_name
    assert f"/dashboard/speakers/{marc.id}" not in by_name
    assert f"/dashboard/speakers/{marc.id}" in by_affiliation
    assert f"/dashboard/speakers/{helene.id}" not in by_affiliation
    assert "2 intervenants." in everyone


# The edition ---------------------------------------------------------------------------

EVENT_FORM = {
    "name": "APSSIS 2014",
    "acronym": "APSSIS",
    "venue": "Palais des congrès",
    "address": "Rue d'Arcole",
    "city": "Le Mans",
    "timezone": "America/Montreal",
    "first_day": "2014-04-01",
    "last_day": "2014-04-03",
    "description": "Le congrès **SSI** santé.",
    "description_en": "The **health** security congress.",
    "registration_opens_at": "2014-03-01T09:00",
    "registration_closes_at": "",
}


def test_admin_edits_the_edition_with_local_registration_times(client, login_as, event):
    admin = login_as("admin")
    assert admin.get("/dashboard/event").status_code == 200

    response = submit(admin, "/dashboard/event", EVENT_FORM)

    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(Event, event.id)
    assert (saved.name, saved.venue, saved.timezone, saved.description_en) == (
        "APSSIS 2014",
        "Palais des congrès",
        "America/Montreal",
        "The **health** security congress.",
    )
    # 09:00 in Montreal on 1 March 2014 (EST, UTC-5).
    assert saved.registration_opens_at == datetime(2014, 3, 1, 14, 0, tzinfo=UTC)
    assert saved.registration_closes_at is None
    changes = audited("event.updated").changes
    assert changes["timezone"] == ["Europe/Paris", "America/Montreal"]
    assert changes["registration_opens_at"] == [None, "2014-03-01T14:00:00+00:00"]
    page = admin.get("/dashboard/event").get_data(as_text=True)
    assert 'value="2014-03-01T09:00"' in page


def test_registration_window_is_shown_in_the_editions_zone(client, login_as, app):
    make_event(
        registration_opens_at=datetime(2014, 2, 1, 8, 0, tzinfo=UTC),
        registration_closes_at=datetime(2014, 3, 31, 21, 59, tzinfo=UTC),
    )
    admin = login_as("admin")

    page = admin.get("/dashboard/event").get_data(as_text=True)

    assert 'name="registration_opens_at" type="datetime-local" value="2014-02-01T09:00"' in page
    assert 'value="2014-03-31T23:59"' in page


def test_unknown_time_zone_is_refused_and_nothing_is_stored(client, login_as, event):
    admin = login_as("admin")
    actions = audit_actions()

    response = submit(admin, "/dashboard/event", {**EVENT_FORM, "timezone": "Europe/Lemans"})

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    message = "Fuseau horaire inconnu\u202f: donnez un nom IANA comme Europe/Paris."
    assert field_error("timezone", message) in html
    assert 'value="Europe/Lemans"' in html
    assert 'value="APSSIS 2014"' in html
    db.session.expire_all()
    assert db.session.get(Event, event.id).timezone == "Europe/Paris"
    assert db.session.get(Event, event.id).name == "Congrès de test"
    assert audit_actions() == actions


@pytest.mark.parametrize("zone", ["../../etc/passwd", "Europe", "/etc/localtime", "Paris"])
def test_malformed_time_zone_names_are_refused(client, login_as, event, zone):
    admin = login_as("admin")

    response = submit(admin, "/dashboard/event", {**EVENT_FORM, "timezone": zone})

    assert response.status_code == 400
    assert 'id="timezone-error"' in response.get_data(as_text=True)


def test_last_day_before_the_first_is_refused_by_the_service(client, login_as, event):
    admin = login_as("admin")

    response = submit(
        admin,
        "/dashboard/event",
        {**EVENT_FORM, "first_day": "2014-04-03", "last_day": "2014-04-01"},
    )

    assert response.status_code == 400
    assert field_error("last_day", "Le dernier jour ne peut pas précéder le premier.") in (
        response.get_data(as_text=True)
    )
    db.session.expire_all()
    assert db.session.get(Event, event.id).last_day == date(2014, 4, 3)


def test_days_that_would_strand_sessions_are_refused(client, login_as, event):
    make_talk(event, starts_at=paris(3, "10:00"))
    admin = login_as("admin")

    response = submit(
        admin,
        "/dashboard/event",
        {**EVENT_FORM, "timezone": "Europe/Paris", "last_day": "2014-04-02"},
    )

    assert response.status_code == 400
    assert 'id="first_day-error"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Event, event.id).last_day == date(2014, 4, 3)
    assert "event.updated" not in audit_actions()


def test_event_form_requires_its_fields(client, login_as, event):
    admin = login_as("admin")

    response = submit(
        admin, "/dashboard/event", {**EVENT_FORM, "venue": "", "first_day": "", "city": "x" * 81}
    )

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert field_error("venue", "Ce champ est obligatoire.") in html
    assert field_error("first_day", "Ce champ est obligatoire.") in html
    assert 'id="city-error"' in html


def test_editor_may_not_edit_the_edition(editor, event):
    assert editor.get("/dashboard/event").status_code == 403
    token = csrf_from(editor.get("/dashboard/rooms").get_data(as_text=True))
    response = editor.post("/dashboard/event", data={"csrf_token": token, **EVENT_FORM})
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Event, event.id).name == "Congrès de test"


# Access, editions, CSRF ----------------------------------------------------------------


def _routes(room: Room, track: Track, speaker: Speaker) -> list[tuple[str, str]]:
    return [
        ("GET", "/dashboard/rooms"),
        ("POST", "/dashboard/rooms"),
        ("GET", f"/dashboard/rooms/{room.id}"),
        ("POST", f"/dashboard/rooms/{room.id}"),
        ("POST", f"/dashboard/rooms/{room.id}/delete"),
        ("GET", "/dashboard/tracks"),
        ("POST", "/dashboard/tracks"),
        ("GET", f"/dashboard/tracks/{track.id}"),
        ("POST", f"/dashboard/tracks/{track.id}"),
        ("POST", f"/dashboard/tracks/{track.id}/delete"),
        ("GET", "/dashboard/speakers"),
        ("POST", "/dashboard/speakers"),
        ("GET", f"/dashboard/speakers/{speaker.id}"),
        ("POST", f"/dashboard/speakers/{speaker.id}"),
        ("POST", f"/dashboard/speakers/{speaker.id}/delete"),
        ("GET", "/dashboard/event"),
        ("POST", "/dashboard/event"),
    ]


@pytest.fixture
def objects(event):
    return make_room(event, "Salle 1"), make_track(event, "Gouvernance"), make_speaker(event)


def test_desk_role_is_refused_every_route(client, login_as, objects):
    desk = login_as("desk")
    token = csrf_from(desk.get("/dashboard/").get_data(as_text=True))
    data = {"csrf_token": token, "name": "Pris", "capacity": "5", "colour": "#000000"}

    for method, path in _routes(*objects):
        response = desk.open(path, method=method, data=data if method == "POST" else None)
        assert response.status_code == 403, (method, path)
    assert room_names(objects[0].event) == ["Salle 1"]


def test_anonymous_visitors_are_sent_to_login(client, objects):
    for method, path in _routes(*objects):
        if method == "GET":
            response = client.get(path)
            assert response.status_code == 302, path
            assert response.headers["Location"] == f"/login?next={path}"
    token = csrf_from(client.get("/login").get_data(as_text=True))
    for method, path in _routes(*objects):
        if method == "POST":
            response = client.post(path, data={"csrf_token": token, "name": "Pris"})
            assert response.status_code == 302, path
            assert response.headers["Location"].startswith("/login?next=")
    assert room_names(objects[0].event) == ["Salle 1"]


def test_objects_of_another_edition_answer_404(client, login_as):
    old = make_event(first_day=date(2013, 4, 2), last_day=date(2013, 4, 4))
    make_event()  # the current edition: the latest
    room, track, speaker = make_room(old, "Ancienne"), make_track(old), make_speaker(old)
    editor = login_as("editor")
    token = csrf_from(editor.get("/dashboard/rooms").get_data(as_text=True))

    for kind, obj in (("rooms", room), ("tracks", track), ("speakers", speaker)):
        assert editor.get(f"/dashboard/{kind}/{obj.id}").status_code == 404
        edited = editor.post(
            f"/dashboard/{kind}/{obj.id}", data={"csrf_token": token, "name": "Volée"}
        )
        assert edited.status_code == 404
        deleted = editor.post(f"/dashboard/{kind}/{obj.id}/delete", data={"csrf_token": token})
        assert deleted.status_code == 404
    assert editor.get("/dashboard/rooms/999999").status_code == 404
    assert room_names(old) == ["Ancienne"]
    assert "Ancienne" not in editor.get("/dashboard/rooms").get_data(as_text=True)


def test_posts_without_csrf_token_are_refused(client, login_as, objects):
    room = objects[0]
    admin = login_as("admin")
    admin.get("/dashboard/rooms")

    for method, path in _routes(*objects):
        if method == "POST":
            response = admin.post(path, data={"name": "Sans jeton", "colour": "#000000"})
            assert response.status_code == 400, path
    db.session.expire_all()
    assert db.session.get(Room, room.id).name == "Salle 1"
    assert room_names(room.event) == ["Salle 1"]
    assert [a for a in audit_actions() if a.endswith((".updated", ".deleted"))] == []


def test_list_pages_render_for_an_editor(editor, objects):
    for path in ("/dashboard/rooms", "/dashboard/tracks", "/dashboard/speakers"):
        response = editor.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store"
