import pytest

from congress.audit.models import AuditEntry
from congress.extensions import db
from congress.mail.models import OutboxMessage
from congress.registration import services
from congress.registration.models import Registration, RegistrationStatus, TicketCategory
from tests.factories import make_category, make_event, registration_data
from tests.http import csrf_from, submit

pytestmark = pytest.mark.integration


@pytest.fixture
def edition(app):
    event = make_event()
    small = make_category(event, capacity=1, name="Hôpitaux")
    other = make_category(event, capacity=5, name="Industriels")
    return event, small, other


def _register(event, category, email, **overrides):
    registration = services.register(
        event, registration_data(category, email, **overrides), language="fr"
    )
    from tests.factories import confirm_token_for

    return services.confirm(confirm_token_for(registration)).registration


def test_search_ignores_accents_and_case(client, edition, login_as):
    event, small, _ = edition
    _register(event, small, "helene@chu-exemple.fr", first_name="Hélène", last_name="Dupré")
    login_as("desk")
    for query in ("helene", "Hélène", "DUPRE", "chu-exemple"):
        html = client.get("/dashboard/registrations", query_string={"q": query}).get_data(
            as_text=True
        )
        assert "Hélène Dupré" in html, query
    assert "Hélène" not in client.get("/dashboard/registrations?q=zzz").get_data(as_text=True)


def test_filters_by_status_and_category(client, edition, login_as):
    event, small, _ = edition
    _register(event, small, "a@chu-exemple.fr", last_name="Premier")
    _register(event, small, "b@chu-exemple.fr", last_name="Second")
    login_as("admin")
    waiting = client.get(f"/dashboard/registrations?status=waiting&category={small.id}")
    html = waiting.get_data(as_text=True)
    assert "Marie Second" in html
    assert "Marie Premier" not in html
    assert "1 inscription." in html


def test_detail_is_audited_and_needs_shown_to_desk_only(client, edition, login_as):
    event, small, _ = edition
    registration = _register(
        event,
        small,
        "n@chu-exemple.fr",
        dietary_needs="Sans gluten",
        needs_consent=True,
    )
    login_as("desk")
    html = client.get(f"/dashboard/registrations/{registration.uid}").get_data(as_text=True)
    assert "Sans gluten" in html
    viewed = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "registration.viewed")
    ).all()
    assert [entry.object_id for entry in viewed] == [registration.uid]


def test_manual_registration_in_a_hidden_category(client, edition, login_as):
    event, _, _ = edition
    hidden = make_category(event, capacity=3, public=False, name="Intervenants")
    login_as("admin")
    response = submit(
        client,
        "/dashboard/registrations/new",
        {
            "first_name": "Invitée",
            "last_name": "Spéciale",
            "email": "invitee@chu-exemple.fr",
            "organisation": "ANSSI-like",
            "organisation_type": "agency",
            "job_role": "ciso",
            "category": hidden.id,
            "days": ["2014-04-01"],
            "privacy_consent": "y",
        },
    )
    assert response.status_code == 302
    registration = db.session.scalars(db.select(Registration)).one()
    assert registration.status is RegistrationStatus.CONFIRMED
    kinds = list(db.session.scalars(db.select(OutboxMessage.kind)))
    assert kinds == ["confirmed"]


def test_raising_capacity_promotes_the_waiting_list(client, edition, login_as):
    event, small, _ = edition
    _register(event, small, "first@chu-exemple.fr")
    second = _register(event, small, "second@chu-exemple.fr")
    assert second.status is RegistrationStatus.WAITING
    login_as("admin")
    page = client.get("/dashboard/registrations").get_data(as_text=True)
    client.post(
        f"/dashboard/categories/{small.id}/capacity",
        data={"csrf_token": csrf_from(page), "capacity": "2"},
    )
    db.session.expire_all()
    assert db.session.get(Registration, second.id).status is RegistrationStatus.CONFIRMED
    assert db.session.get(TicketCategory, small.id).seats_taken == 2


def test_move_between_categories_frees_the_old_seat(client, edition, login_as):
    event, small, other = edition
    first = _register(event, small, "mover@chu-exemple.fr")
    waiting = _register(event, small, "next@chu-exemple.fr")
    login_as("admin")
    page = client.get(f"/dashboard/registrations/{first.uid}").get_data(as_text=True)
    client.post(
        f"/dashboard/registrations/{first.uid}/move",
        data={"csrf_token": csrf_from(page), "category": other.id},
    )
    db.session.expire_all()
    assert db.session.get(Registration, first.id).category_id == other.id
    assert db.session.get(Registration, waiting.id).status is RegistrationStatus.CONFIRMED


def test_editor_cannot_see_registrations(client, edition, login_as):
    login_as("editor")
    assert client.get("/dashboard/registrations").status_code == 403
    assert client.get("/dashboard/registrations.csv").status_code == 403
