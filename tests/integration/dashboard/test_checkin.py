"""The check-in desk: outcomes, access, CSRF, audit, races and statement counts."""

from collections.abc import Iterator
from datetime import date, datetime

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import insert

from congress.audit.log import verify
from congress.audit.models import AuditEntry
from congress.core import tokens
from congress.core.clock import now, set_clock
from congress.extensions import db
from congress.registration import services
from congress.registration.checkin import Outcome, Reason, check_in_code
from congress.registration.models import (
    CheckIn,
    JobRole,
    OrganisationType,
    Registration,
    RegistrationStatus,
)
from tests.factories import make_category, make_event, make_registration, paris
from tests.http import csrf_from
from tests.sql import sql_statements

pytestmark = pytest.mark.integration

URL = "/dashboard/checkin"
CHECK_IN_BUTTON = "aria-label=\"Enregistrer l'arrivée de "
DESK_LABEL = "desk-4"  # display name of login_as("desk"): the local part of desk-4@apssis-orga.fr


@pytest.fixture
def clock() -> Iterator[list[datetime]]:
    """Now is 2014-04-01 09:00 in Le Mans (first day of the edition); tests may move it."""
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
    return make_category(event, capacity=50, name="Plein tarif")


@pytest.fixture
def attendee(event, category) -> Registration:
    registration, _ = make_registration(event, category, "marie@chu-exemple.fr")
    assert registration.status is RegistrationStatus.CONFIRMED
    return registration


@pytest.fixture
def desk(client, login_as):
    return login_as("desk")


def scan(client, code: str):
    page = client.get(URL)
    return client.post(
        URL, data={"csrf_token": csrf_from(page.get_data(as_text=True)), "code": code}
    )


def pick(client, registration_id: int, q: str = ""):
    page = client.get(URL)
    token = csrf_from(page.get_data(as_text=True))
    return client.post(URL, data={"csrf_token": token, "registration_id": registration_id, "q": q})


def checkins() -> list[tuple[int, date, str]]:
    db.session.expire_all()
    rows = db.session.scalars(db.select(CheckIn).order_by(CheckIn.id))
    return [(row.registration_id, row.day, row.by_label) for row in rows]


def audit_entries() -> list[tuple[str, str, dict]]:
    db.session.expire_all()
    rows = db.session.scalars(
        db.select(AuditEntry)
        .where(AuditEntry.action.in_(["checkin", "checkin.refused"]))
        .order_by(AuditEntry.seq)
    )
    return [(row.action, row.object_id, row.changes) for row in rows]


# ------------------------------------------------------------------ access


def test_checkin_page_sends_anonymous_visitors_to_login(client, event):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/dashboard/checkin"


def test_checkin_page_opens_for_desk(client, event, attendee, desk):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "0 arrivée(s) aujourd'hui / 1 attendue(s)" in html
    assert 'name="code"' in html
    assert "autofocus" in html
    assert 'autocomplete="off"' in html
    assert 'inputmode="text"' in html
    assert '<script src="/static/js/checkin.js" defer></script>' in html
    assert "<script>" not in html


def test_checkin_page_opens_for_admin(client, event, login_as):
    login_as("admin")
    assert client.get(URL).status_code == 200


def test_checkin_page_refuses_editor(client, event, attendee, login_as):
    login_as("editor")
    assert client.get(URL).status_code == 403
    token = csrf_from(client.get("/dashboard/").get_data(as_text=True))
    response = client.post(URL, data={"csrf_token": token, "code": services.checkin_code(attendee)})
    assert response.status_code == 403
    assert checkins() == []


def test_checkin_post_needs_csrf(client, event, attendee, desk):
    response = client.post(URL, data={"code": services.checkin_code(attendee)})
    assert response.status_code == 400
    assert checkins() == []
    response = client.post(URL, data={"registration_id": attendee.id})
    assert response.status_code == 400
    assert checkins() == []


def test_checkin_post_without_code_asks_for_one(client, event, desk):
    response = scan(client, "   ")
    assert response.status_code == 400
    assert "Scannez ou saisissez le code." in response.get_data(as_text=True)
    assert audit_entries() == []


# ------------------------------------------------------------------ outcomes


def test_checkin_code_ok_records_time_staff_and_audit(client, event, attendee, desk):
    code = services.checkin_code(attendee)
    response = scan(client, f"  {code}\n")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<div class="checkin-result result-ok" role="status">' in html
    assert "Arrivée enregistrée\u202f: Marie Curie" in html
    assert f"À 09:00 par {DESK_LABEL}." in html
    assert "1 arrivée(s) aujourd'hui / 1 attendue(s)" in html
    assert checkins() == [(attendee.id, date(2014, 4, 1), DESK_LABEL)]
    row = db.session.scalars(db.select(CheckIn)).one()
    assert row.checked_in_at == paris(1, "09:00")
    assert row.by_user_id is not None
    assert audit_entries() == [("checkin", attendee.uid, {"day": "2014-04-01"})]
    entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "checkin")).one()
    assert (entry.object_type, entry.actor_type, entry.actor_label) == (
        "registration",
        "organiser",
        "desk-4@apssis-orga.fr",
    )
    assert verify().ok


def test_checkin_code_twice_is_already_with_first_time_and_staff(
    client, event, attendee, desk, clock
):
    code = services.checkin_code(attendee)
    clock[0] = paris(1, "08:42")
    assert scan(client, code).status_code == 200
    clock[0] = paris(1, "10:15")
    response = scan(client, code)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<div class="checkin-result notice" role="alert">' in html
    assert f"Marie Curie\u202f: déjà arrivé·e à 08:42, enregistré·e par {DESK_LABEL}." in html
    assert checkins() == [(attendee.id, date(2014, 4, 1), DESK_LABEL)]
    assert [action for action, _, _ in audit_entries()] == ["checkin"]


def test_checkin_next_day_is_a_new_checkin(client, event, category, desk, clock):
    registration, _ = make_registration(event, category)
    registration.days_mask = 0b011
    db.session.commit()
    code = services.checkin_code(registration)
    assert "result-ok" in scan(client, code).get_data(as_text=True)
    clock[0] = paris(2, "08:30")
    assert "result-ok" in scan(client, code).get_data(as_text=True)
    assert [day for _, day, _ in checkins()] == [date(2014, 4, 1), date(2014, 4, 2)]


def test_checkin_today_is_the_local_date_of_the_edition(client, event, attendee, desk, clock):
    clock[0] = paris(1, "00:30")  # still March 31st in UTC
    assert clock[0].date() == date(2014, 3, 31)
    assert "result-ok" in scan(client, services.checkin_code(attendee)).get_data(as_text=True)
    assert checkins() == [(attendee.id, date(2014, 4, 1), DESK_LABEL)]


def test_checkin_unknown_code_is_refused_and_audited_without_the_code(client, event, desk):
    code = "A" * 22
    response = scan(client, code)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<div class="checkin-result result-refused" role="alert">' in html
    assert "Code inconnu" in html
    assert checkins() == []
    entries = audit_entries()
    assert entries == [("checkin.refused", "", {"day": "2014-04-01", "reason": "unknown_code"})]
    assert code not in str(entries)


def test_checkin_junk_input_is_an_unknown_code(client, event, desk):
    html = scan(client, "<script>alert(1)</script>").get_data(as_text=True)
    assert "Code inconnu" in html
    assert "<script>alert(1)" not in html
    assert audit_entries() == [
        ("checkin.refused", "", {"day": "2014-04-01", "reason": "unknown_code"})
    ]


def test_checkin_waiting_registration_is_refused(client, event, desk):
    full = make_category(event, capacity=0)
    registration, _ = make_registration(event, full)
    assert registration.status is RegistrationStatus.WAITING
    html = pick(client, registration.id).get_data(as_text=True)
    assert "Refusé\u202f: cette personne est sur liste d'attente et n'a pas de place." in html
    assert checkins() == []
    assert audit_entries() == [
        ("checkin.refused", registration.uid, {"day": "2014-04-01", "reason": "waiting"})
    ]


def test_checkin_pending_registration_is_refused(client, event, category, desk):
    registration, _ = make_registration(event, category, confirm=False)
    html = pick(client, registration.id).get_data(as_text=True)
    assert "Refusé\u202f: cette inscription n'a jamais été confirmée par e-mail." in html
    assert checkins() == []
    assert audit_entries()[-1][2]["reason"] == "pending"


def test_checkin_cancelled_registration_is_refused(client, event, attendee, desk):
    code = services.checkin_code(attendee)
    services.cancel(attendee)
    html = pick(client, attendee.id).get_data(as_text=True)
    assert "Refusé\u202f: cette inscription a été annulée." in html
    # Cancelling clears the code's hash: the badge itself is now unknown.
    assert "Code inconnu" in scan(client, code).get_data(as_text=True)
    assert checkins() == []
    assert [changes["reason"] for _, _, changes in audit_entries()] == [
        "cancelled",
        "unknown_code",
    ]


def test_checkin_not_registered_for_today_is_refused(client, event, attendee, desk):
    attendee.days_mask = 0b110  # April 2nd and 3rd
    db.session.commit()
    html = scan(client, services.checkin_code(attendee)).get_data(as_text=True)
    assert "Refusé\u202f: cette personne n'est pas inscrite pour aujourd'hui." in html
    assert "Inscrit·e pour\u202f: mercredi 2 avril 2014, jeudi 3 avril 2014." in html
    assert checkins() == []
    assert audit_entries() == [
        ("checkin.refused", attendee.uid, {"day": "2014-04-01", "reason": "not_registered_today"})
    ]


def test_checkin_outside_the_congress_days_is_refused(client, event, attendee, desk, clock):
    clock[0] = paris(4, "09:00")  # the day after the last day
    response = scan(client, services.checkin_code(attendee))
    html = response.get_data(as_text=True)
    assert "Refusé\u202f: aujourd'hui n'est pas un jour du congrès." in html
    assert "Aujourd'hui (vendredi 4 avril 2014) n'est pas un jour du congrès." in html
    assert checkins() == []
    assert audit_entries() == [
        ("checkin.refused", attendee.uid, {"day": "2014-04-04", "reason": "not_a_congress_day"})
    ]


def test_checkin_registration_of_another_edition_is_unknown(client, event, desk, clock):
    older = make_event(first_day=date(2013, 4, 2), last_day=date(2013, 4, 4))
    registration = _bulk_registrations(older, make_category(older), 1, prefix="old")[0]
    html = pick(client, registration).get_data(as_text=True)
    assert "Inscription inconnue." in html
    assert checkins() == []


# ------------------------------------------------------------------ search


def test_checkin_search_lists_confirmed_first_and_checks_in_by_button(
    client, event, category, attendee, desk
):
    full = make_category(event, capacity=0, name="Étudiants")
    waiting, _ = make_registration(event, full)
    waiting.first_name = "Anne"
    db.session.commit()
    page = client.get(URL, query_string={"q": "curie"})
    html = page.get_data(as_text=True)
    assert html.index("Marie Curie") < html.index("Anne Curie")
    assert html.count(CHECK_IN_BUTTON) == 2
    response = client.post(
        URL,
        data={"csrf_token": csrf_from(html), "registration_id": attendee.id, "q": "curie"},
    )
    html = response.get_data(as_text=True)
    assert "Arrivée enregistrée\u202f: Marie Curie" in html
    # The list is shown again, with the new check-in instead of a button.
    assert f"Arrivé·e à 09:00, enregistré·e par {DESK_LABEL}" in html
    assert html.count(CHECK_IN_BUTTON) == 1
    assert checkins() == [(attendee.id, date(2014, 4, 1), DESK_LABEL)]


def test_checkin_search_by_organisation_and_limit(app, event, category, clock):
    from congress.registration.checkin import SEARCH_LIMIT, search

    _bulk_registrations(event, category, 30, prefix="bulk")
    assert len(search(event, "hopital  test")) == SEARCH_LIMIT
    assert search(event, "") == []
    assert search(event, "nobody-matches") == []
    assert [r.last_name for r in search(event, "Bulk-00007")] == ["Bulk-00007"]


def test_checkin_search_without_match_says_so(client, event, desk):
    html = client.get(URL, query_string={"q": "Personne"}).get_data(as_text=True)
    assert "Aucune inscription ne correspond à «\u202fPersonne\u202f»." in html


# ------------------------------------------------------------------ races


def test_concurrent_double_scan_keeps_one_row_and_answers_already(app, event, attendee, clock):
    """Another desk inserts the same check-in between our lookup and our insert."""
    from congress.accounts.models import Role
    from congress.accounts.services import create_organiser

    staff = create_organiser(
        "desk-a@apssis-orga.fr", "plusieurs mots de passe solides 2014", Role.DESK, "Desk A"
    )
    other = create_organiser(
        "desk-b@apssis-orga.fr", "plusieurs mots de passe solides 2014", Role.DESK, "Desk B"
    )
    staff_id, other_id, attendee_id = staff.id, other.id, attendee.id
    fired = []

    def other_desk_first(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO CHECK_IN") and not fired:
            fired.append(True)
            with db.engine.begin() as separate:
                separate.execute(
                    insert(CheckIn).values(
                        registration_id=attendee_id,
                        day=date(2014, 4, 1),
                        checked_in_at=paris(1, "08:59"),
                        by_user_id=other_id,
                        by_label="Desk B",
                    )
                )

    sa_event.listen(db.engine, "before_cursor_execute", other_desk_first)
    try:
        result = check_in_code(event, services.checkin_code(attendee), user=staff)
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", other_desk_first)
    assert fired == [True]
    assert result.outcome is Outcome.ALREADY
    assert (result.checked_in_at, result.by_label) == (paris(1, "08:59"), "Desk B")
    assert checkins() == [(attendee_id, date(2014, 4, 1), "Desk B")]
    assert audit_entries() == []
    assert staff_id != other_id
    assert verify().ok


def test_checkin_service_reasons_without_http(app, event, attendee, clock):
    from congress.accounts.models import Role
    from congress.accounts.services import create_organiser

    staff = create_organiser(
        "svc@apssis-orga.fr", "plusieurs mots de passe solides 2014", Role.DESK, "Accueil 1"
    )
    code = services.checkin_code(attendee)
    first = check_in_code(event, code, user=staff)
    assert (first.outcome, first.checked_in_at, first.by_label) == (
        Outcome.OK,
        paris(1, "09:00"),
        "Accueil 1",
    )
    again = check_in_code(event, code, user=staff)
    assert (again.outcome, again.checked_in_at, again.by_label) == (
        Outcome.ALREADY,
        paris(1, "09:00"),
        "Accueil 1",
    )
    unknown = check_in_code(event, "", user=staff)
    assert (unknown.outcome, unknown.reason) == (Outcome.REFUSED, Reason.UNKNOWN_CODE)


# ------------------------------------------------------------------ statement counts


def _bulk_registrations(event, category, count: int, *, prefix: str) -> list[int]:
    """``count`` confirmed registrations for every day, inserted in one statement."""
    moment = now()
    rows = [
        {
            "event_id": event.id,
            "category_id": category.id,
            "status": RegistrationStatus.CONFIRMED,
            "first_name": "Pierre",
            "last_name": f"{prefix.capitalize()}-{index:05d}",
            "email": f"{prefix}-{index}@hopital-test.fr",
            "organisation": "Hôpital test",
            "organisation_type": OrganisationType.PUBLIC_HOSPITAL,
            "job_role": JobRole.ENGINEER,
            "days_mask": 0b111,
            "privacy_consent_at": moment,
            "confirmed_at": moment,
            "checkin_code_hash": tokens.hash_token(f"{prefix}-{index}"),
        }
        for index in range(count)
    ]
    db.session.execute(insert(Registration), rows)
    db.session.commit()
    return list(
        db.session.scalars(
            db.select(Registration.id)
            .where(Registration.email.like(f"{prefix}-%"))
            .order_by(Registration.id)
        )
    )


def _check_in_some(ids: list[int]) -> None:
    """Half of them already checked in today, in one statement."""
    rows = [
        {"registration_id": rid, "day": date(2014, 4, 1), "checked_in_at": now(), "by_label": "x"}
        for rid in ids[::2]
    ]
    db.session.execute(insert(CheckIn), rows)
    db.session.commit()


def _costs(client, event, category, round_name: str) -> dict[str, int]:
    fresh, _ = make_registration(event, category, f"{round_name}-1@chu-exemple.fr")
    picked, _ = make_registration(event, category, f"{round_name}-2@chu-exemple.fr")
    code, picked_id = services.checkin_code(fresh), picked.id
    html = client.get(URL).get_data(as_text=True)
    token = csrf_from(html)
    requests = {
        "page": lambda: client.get(URL),
        "search": lambda: client.get(URL, query_string={"q": "hopital"}),
        "scan ok": lambda: client.post(URL, data={"csrf_token": token, "code": code}),
        "scan already": lambda: client.post(URL, data={"csrf_token": token, "code": code}),
        "scan unknown": lambda: client.post(URL, data={"csrf_token": token, "code": "B" * 22}),
        "pick ok": lambda: client.post(
            URL, data={"csrf_token": token, "registration_id": picked_id, "q": "hopital"}
        ),
    }
    costs = {}
    for name, send in requests.items():
        with sql_statements() as statements:
            response = send()
        assert response.status_code == 200, name
        costs[name] = len(statements)
    return costs


def test_checkin_statement_count_does_not_grow_with_attendees(client, event, desk, clock):
    category = make_category(event, capacity=5000)
    _check_in_some(_bulk_registrations(event, category, 10, prefix="small"))
    small = _costs(client, event, category, "small")
    _check_in_some(_bulk_registrations(event, category, 990, prefix="large"))
    assert db.session.scalar(db.select(db.func.count()).select_from(Registration)) == 1002
    large = _costs(client, event, category, "large")
    assert large == small
    assert max(small.values()) <= 14, small
