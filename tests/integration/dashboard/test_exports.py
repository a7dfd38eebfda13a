"""Spreadsheet exports: languages, labels, local times, injection, roles, audit.

"Now" is 2014-04-01 09:00 in Le Mans (07:00 UTC), the first day of the
edition, unless a test moves the clock; French is the interface's default.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest

from congress.accounts import permissions
from congress.accounts.models import Role
from congress.accounts.permissions import Permission
from congress.accounts.services import create_organiser
from congress.audit.models import AuditEntry
from congress.core.clock import set_clock
from congress.extensions import db
from congress.programme.models import SpeakerRole, TalkKind
from congress.programme.services import cancel_talk
from congress.registration import services
from congress.registration.checkin import check_in_registration
from congress.registration.models import JobRole, Registration, RegistrationStatus
from tests.conftest import ORGANISER_PASSWORD
from tests.factories import (
    make_category,
    make_event,
    make_registration,
    make_room,
    make_speaker,
    make_talk,
    paris,
)
from tests.sql import sql_statements

pytestmark = pytest.mark.integration

BOM = "\ufeff"
REGISTRATIONS = "/dashboard/exports/registrations.csv"
WAITING = "/dashboard/exports/waiting-list.csv"
CHECKINS = "/dashboard/exports/check-ins.csv"
ATTENDANCE = "/dashboard/exports/session-attendance.csv"
SPEAKERS = "/dashboard/exports/speakers.csv"
PEOPLE_EXPORTS = (REGISTRATIONS, WAITING, CHECKINS, ATTENDANCE)

FRENCH_REGISTRATIONS_HEADER = [
    "Nom",
    "Prénom",
    "E-mail",
    "Organisme",
    "Type d'organisme",
    "Fonction",
    "Catégorie",
    "Statut",
    "Présence le 01/04/2014",
    "Présence le 02/04/2014",
    "Présence le 03/04/2014",
    "Inscrit le",
    "Confirmé le",
    "Besoins d'accessibilité",
    "Régime alimentaire",
]


@pytest.fixture
def clock() -> Iterator[list[datetime]]:
    moment = [paris(1, "09:00")]
    set_clock(lambda: moment[0])
    try:
        yield moment
    finally:
        set_clock(None)


@pytest.fixture
def event(app, clock):
    return make_event()


@pytest.fixture
def category(event):
    category = make_category(event, capacity=50, name="Hôpitaux")
    category.name_en = "Hospitals"
    db.session.commit()
    return category


def _rows(response, delimiter: str) -> list[list[str]]:
    body = response.data.decode("utf-8")
    assert body.startswith(BOM)
    return list(csv.reader(io.StringIO(body[1:], newline=""), delimiter=delimiter))


def _audited() -> list[AuditEntry]:
    return list(
        db.session.scalars(
            db.select(AuditEntry)
            .where(AuditEntry.action == "export.downloaded")
            .order_by(AuditEntry.seq)
        )
    )


def _curie(event, category, **overrides) -> Registration:
    values = {
        "dietary_needs": "Sans gluten",
        "needs_consent": True,
        "days": [paris(1, "09:00").date(), paris(3, "09:00").date()],
    }
    values.update(overrides)
    registration, _ = make_registration(event, category, "marie@chu-exemple.fr", **values)
    return registration


# ---------------------------------------------------------------- registrations


def test_registrations_in_french_for_french_spreadsheets(client, event, category, login_as):
    _curie(event, category)
    login_as("desk")
    response = client.get(REGISTRATIONS)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="inscriptions-2014-04-01.csv"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    body = response.data.decode("utf-8")
    assert body.startswith(BOM + "Nom;Prénom;E-mail;")
    assert body.count("\r\n") == 2
    assert body.endswith("\r\n")
    assert "\n" not in body.replace("\r\n", "")
    header, row = _rows(response, ";")
    assert header == FRENCH_REGISTRATIONS_HEADER
    assert row == [
        "Curie",
        "Marie",
        "marie@chu-exemple.fr",
        "CHU de Nulle-Part",
        "Établissement public de santé",
        "RSSI",
        "Hôpitaux",
        "Confirmée",
        "Oui",
        "Non",
        "Oui",
        "01/04/2014 09:00",
        "01/04/2014 09:00",
        "",
        "Sans gluten",
    ]


def test_registrations_in_english_with_commas_iso_dates_and_labels(
    client, event, category, login_as, clock
):
    clock[0] = paris(1, "23:30")  # 21:30 UTC: the local date and time, not the UTC ones
    _curie(event, category, job_role=JobRole.ENGINEER)
    login_as("desk")
    response = client.get(REGISTRATIONS + "?lang=en")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="registrations-2014-04-01.csv"'
    )
    header, row = _rows(response, ",")
    assert header == [
        "Last name",
        "First name",
        "E-mail",
        "Organisation",
        "Type of organisation",
        "Job",
        "Category",
        "Status",
        "Present on 2014-04-01",
        "Present on 2014-04-02",
        "Present on 2014-04-03",
        "Registered on",
        "Confirmed on",
        "Accessibility needs",
        "Dietary needs",
    ]
    assert row[4:11] == [
        "Public hospital",
        "Engineer",
        "Hospitals",
        "Confirmed",
        "Yes",
        "No",
        "Yes",
    ]
    assert row[11:13] == ["2014-04-01 23:30", "2014-04-01 23:30"]


def test_registrations_follow_the_registrations_page_filters(client, event, category, login_as):
    _curie(event, category)
    make_registration(event, category, "autre@chu-exemple.fr", last_name="Pasteur")
    login_as("admin")
    _, *rows = _rows(client.get(REGISTRATIONS + "?q=pasteur"), ";")
    assert [row[0] for row in rows] == ["Pasteur"]


def test_formula_cells_are_neutralised_and_kept(client, event, category, login_as):
    _curie(
        event,
        category,
        first_name='=HYPERLINK("http://x")',
        last_name="+33 6 12",
        organisation="@SUM(A1)",
        accessibility_needs="-2+3",
        dietary_needs="=1+1\n=2+2",
    )
    login_as("desk")
    _, row = _rows(client.get(REGISTRATIONS), ";")
    assert row[:4] == ["'+33 6 12", '\'=HYPERLINK("http://x")', "marie@chu-exemple.fr", "'@SUM(A1)"]
    assert row[-2:] == ["'-2+3", "'=1+1\n=2+2"]


def test_the_first_address_leads_to_the_readable_export_with_its_filters(
    client, event, category, login_as
):
    login_as("desk")
    response = client.get("/dashboard/registrations.csv?status=confirmed&q=curie")
    assert response.status_code == 308
    assert response.headers["Location"] == f"{REGISTRATIONS}?status=confirmed&q=curie"
    login_as("editor")
    assert client.get("/dashboard/registrations.csv").status_code == 403


# ---------------------------------------------------------------- roles and audit


def test_each_download_is_audited_with_the_exports_name(client, event, category, login_as):
    _curie(event, category)
    login_as("desk")
    client.get(REGISTRATIONS)
    client.get(WAITING)
    entries = _audited()
    assert [(entry.object_id, entry.changes) for entry in entries] == [
        (event.slug, {"export": "registrations", "rows": 1, "needs": True}),
        (event.slug, {"export": "waiting_list", "rows": 0}),
    ]
    assert entries[0].actor_label == "desk-4@apssis-orga.fr"


def test_an_editor_gets_the_speakers_only(client, event, category, login_as):
    _curie(event, category)
    login_as("editor")
    for url in PEOPLE_EXPORTS:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "marie@chu-exemple.fr" not in response.get_data(as_text=True)
    assert client.get(SPEAKERS).status_code == 200
    page = client.get("/dashboard/exports").get_data(as_text=True)
    assert SPEAKERS in page
    assert REGISTRATIONS not in page
    assert [entry.changes["export"] for entry in _audited()] == ["speakers"]


def test_the_desk_gets_the_people_but_not_the_speakers(client, event, category, login_as):
    login_as("desk")
    assert client.get(SPEAKERS).status_code == 403
    for url in PEOPLE_EXPORTS:
        assert client.get(url).status_code == 200, url
    page = client.get("/dashboard/exports").get_data(as_text=True)
    assert '<a href="/dashboard/exports" aria-current="page">Exports</a>' in page
    assert SPEAKERS not in page
    for url in PEOPLE_EXPORTS:
        assert url in page


def test_needs_are_left_out_for_a_role_without_view_needs(
    client, event, category, login_as, monkeypatch
):
    marie = _curie(event, category)
    workshop = make_talk(event, "Atelier", kind=TalkKind.WORKSHOP, seat_limit=5)
    services.add_to_agenda(marie, workshop)
    without_needs = permissions.MATRIX[Role.DESK] - {Permission.VIEW_NEEDS}
    monkeypatch.setitem(permissions.MATRIX, Role.DESK, without_needs)
    login_as("desk")
    for url in (REGISTRATIONS, ATTENDANCE):
        response = client.get(url)
        assert "Sans gluten" not in response.data.decode("utf-8"), url
        header = _rows(response, ";")[0]
        assert "Régime alimentaire" not in header, url
        assert "Besoins d'accessibilité" not in header, url
    assert [entry.changes["needs"] for entry in _audited()] == [False, False]


def test_anonymous_visitors_are_sent_to_login(client, event):
    for url in (*PEOPLE_EXPORTS, SPEAKERS, "/dashboard/exports"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/login"), url


# ---------------------------------------------------------------- waiting list


def test_waiting_list_in_order_with_places_per_category(client, event, login_as, clock):
    full = make_category(event, capacity=1, name="Hôpitaux")
    other = make_category(event, capacity=0, name="Industriels")
    make_registration(event, full, "seat@chu-exemple.fr", last_name="Assise")
    for minutes, (category, name) in enumerate(
        [(full, "Deuxième"), (other, "Seule"), (full, "Troisième")], start=1
    ):
        clock[0] = paris(1, "09:00") + timedelta(minutes=minutes)
        registration, _ = make_registration(
            event, category, f"{name.lower()}@chu-exemple.fr", last_name=name
        )
        assert registration.status is RegistrationStatus.WAITING
    login_as("desk")
    header, *rows = _rows(client.get(WAITING), ";")
    assert header == [
        "Catégorie",
        "Rang dans la file",
        "Nom",
        "Prénom",
        "E-mail",
        "Organisme",
        "Type d'organisme",
        "Fonction",
        "Présence le 01/04/2014",
        "Présence le 02/04/2014",
        "Présence le 03/04/2014",
        "En attente depuis le",
    ]
    assert [(row[0], row[1], row[2], row[-1]) for row in rows] == [
        ("Hôpitaux", "1", "Deuxième", "01/04/2014 09:01"),
        ("Hôpitaux", "2", "Troisième", "01/04/2014 09:03"),
        ("Industriels", "1", "Seule", "01/04/2014 09:02"),
    ]


# ---------------------------------------------------------------- check-ins


def test_checkins_by_day_and_time_with_who_recorded_them(client, event, category, login_as, clock):
    desk = create_organiser("accueil@apssis-orga.fr", ORGANISER_PASSWORD, Role.DESK, "Accueil 1")
    day_two = paris(2, "09:00").date()
    marie = _curie(event, category)
    louis, _ = make_registration(
        event,
        category,
        "louis@chu-exemple.fr",
        first_name="Louis",
        last_name="Pasteur",
        days=[paris(1, "09:00").date(), day_two],
    )
    clock[0] = paris(1, "08:05")
    check_in_registration(event, louis.id, user=desk)
    clock[0] = paris(1, "08:47")
    check_in_registration(event, marie.id, user=desk)
    clock[0] = paris(2, "10:15")
    check_in_registration(event, louis.id, user=desk)
    login_as("desk")
    header, *rows = _rows(client.get(CHECKINS), ";")
    assert header == [
        "Jour",
        "Heure",
        "Nom",
        "Prénom",
        "Organisme",
        "Catégorie",
        "Arrivée enregistrée par",
    ]
    assert rows == [
        ["01/04/2014", "08:05", "Pasteur", "Louis", "CHU de Nulle-Part", "Hôpitaux", "Accueil 1"],
        ["01/04/2014", "08:47", "Curie", "Marie", "CHU de Nulle-Part", "Hôpitaux", "Accueil 1"],
        ["02/04/2014", "10:15", "Pasteur", "Louis", "CHU de Nulle-Part", "Hôpitaux", "Accueil 1"],
    ]
    _, *second_day = _rows(client.get(CHECKINS + "?day=2014-04-02"), ";")
    assert [row[:3] for row in second_day] == [["02/04/2014", "10:15", "Pasteur"]]
    assert client.get(CHECKINS + "?day=2015-01-01").status_code == 400
    assert client.get(CHECKINS + "?day=demain").status_code == 400


# ---------------------------------------------------------------- workshops


def test_session_attendance_lists_who_holds_each_limited_session(client, event, category, login_as):
    room = make_room(event, "Salle Atelier")
    workshop = make_talk(
        event,
        "Atelier EBIOS",
        kind=TalkKind.WORKSHOP,
        starts_at=paris(2, "14:00"),
        seat_limit=12,
        room=room,
    )
    open_talk = make_talk(event, "Plénière", starts_at=paris(1, "10:00"))
    marie = _curie(event, category)
    louis, _ = make_registration(
        event, category, "louis@chu-exemple.fr", first_name="Louis", last_name="Pasteur"
    )
    gone, _ = make_registration(event, category, "gone@chu-exemple.fr", last_name="Partie")
    for registration in (louis, marie, gone):
        services.add_to_agenda(registration, workshop)
    services.add_to_agenda(marie, open_talk)
    services.cancel(gone)
    login_as("admin")
    header, *rows = _rows(client.get(ATTENDANCE), ";")
    assert header == [
        "Session",
        "Type",
        "Début",
        "Salle",
        "Jauge",
        "Participants",
        "Nom",
        "Prénom",
        "E-mail",
        "Organisme",
        "Type d'organisme",
        "Fonction",
        "Catégorie",
        "Statut",
        "Ajoutée à l’agenda le",
        "Besoins d'accessibilité",
        "Régime alimentaire",
    ]
    expected_start = ["Atelier EBIOS", "Atelier", "02/04/2014 14:00", "Salle Atelier", "12", "2"]
    assert [row[:8] for row in rows] == [
        [*expected_start, "Curie", "Marie"],
        [*expected_start, "Pasteur", "Louis"],
    ]
    assert rows[0][-4:] == ["Confirmée", "01/04/2014 09:00", "", "Sans gluten"]


# ---------------------------------------------------------------- speakers


def test_speakers_alphabetical_with_their_sessions(client, event, login_as):
    room = make_room(event, "Auditorium")
    zoe = make_speaker(event, "Zoé Martin", affiliation="ANSSI")
    emile = make_speaker(
        event,
        "Émile Durand",
        affiliation="=CHU",
        position_title="RSSI",
        email="emile.durand@chu-exemple.fr",
        phone="+33 2 43 00 00 01",
    )
    keynote = make_talk(
        event, "Ouverture", starts_at=paris(1, "09:30"), room=room, speakers=[emile, zoe]
    )
    make_talk(event, "Clôture", starts_at=paris(3, "17:00"), speakers=[emile])
    dropped = make_talk(event, "Annulée", starts_at=paris(2, "11:00"), speakers=[emile])
    cancel_talk(dropped)
    assert keynote.speaker_links[1].role is SpeakerRole.SPEAKER
    login_as("editor")
    response = client.get(SPEAKERS)
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="intervenants-2014-04-01.csv"'
    )
    header, *rows = _rows(response, ";")
    assert header == ["Nom", "Établissement", "Fonction", "E-mail", "Téléphone", "Sessions"]
    assert rows == [
        [
            "Émile Durand",
            "'=CHU",
            "RSSI",
            "emile.durand@chu-exemple.fr",
            "'+33 2 43 00 00 01",  # a leading "+" is neutralised like a formula
            "Ouverture (Intervenant, 01/04/2014 09:30, Auditorium)\n"
            "Clôture (Intervenant, 03/04/2014 17:00)",
        ],
        [
            "Zoé Martin",
            "ANSSI",
            "",
            "",
            "",
            "Ouverture (Intervenant, 01/04/2014 09:30, Auditorium)",
        ],
    ]


def test_speakers_contact_columns_in_english(client, event, login_as):
    make_speaker(event, "Ada Lovelace", email="ada@example.org", phone="(0)2 43 00.00.02")
    login_as("editor")
    response = client.get(SPEAKERS + "?lang=en")
    header, *rows = _rows(response, ",")
    assert header == ["Name", "Affiliation", "Position", "E-mail", "Telephone", "Sessions"]
    assert rows == [["Ada Lovelace", "", "", "ada@example.org", "(0)2 43 00.00.02", ""]]


# ---------------------------------------------------------------- cost


def _costs(client) -> dict[str, int]:
    costs = {}
    for url in (*PEOPLE_EXPORTS, SPEAKERS):
        with sql_statements() as statements:
            response = client.get(url)
        assert response.status_code == 200, url
        costs[url] = len(statements)
    return costs


def _people(event, category, workshop, desk, speaker_names: list[str]) -> None:
    for name in speaker_names:
        speaker = make_speaker(event, name)
        make_talk(event, f"Session {name}", starts_at=paris(2, "09:00"), speakers=[speaker])
        registration, _ = make_registration(
            event, category, f"{name.lower()}@chu-exemple.fr", last_name=name
        )
        services.add_to_agenda(registration, workshop)
        check_in_registration(event, registration.id, user=desk)


def test_each_export_costs_the_same_statements_whatever_its_rows(client, event, category, login_as):
    desk = create_organiser("accueil@apssis-orga.fr", ORGANISER_PASSWORD, Role.DESK, "Accueil 1")
    workshop = make_talk(event, "Atelier", kind=TalkKind.WORKSHOP, seat_limit=50)
    _people(event, category, workshop, desk, ["Un"])
    login_as("admin")
    few = _costs(client)
    _people(event, category, workshop, desk, ["Deux", "Trois", "Quatre"])
    assert _costs(client) == few
