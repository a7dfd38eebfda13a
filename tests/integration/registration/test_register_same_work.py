"""``POST /register`` does the same work for a new and a known address; re-sending is safe.

Nobody may learn from the form whether an address is registered: not from the
page (the same redirect for all), and not from the answer time, which follows
the work done. So a new address, a pending one and a confirmed one must run
the same SQL statements and queue the same work (one e-mail, rendered in the
request). And a second submission before confirming must keep the first
e-mail's link working, take the newer details and say which details are kept.
"""

import re
import threading
from datetime import date

import pytest

from congress.audit.models import AuditEntry
from congress.core.errors import Conflict
from congress.extensions import db
from congress.mail.models import OutboxMessage
from congress.registration import services
from congress.registration.models import (
    AccessToken,
    JobRole,
    OrganisationType,
    Registration,
    RegistrationStatus,
    TokenPurpose,
)
from tests.conftest import IS_POSTGRES
from tests.factories import (
    make_category,
    make_event,
    make_registration,
    registration_data,
)
from tests.http import csrf_from
from tests.sql import sql_statements

pytestmark = pytest.mark.integration

NNBSP = "\u202f"  # French narrow no-break space before a colon
CONFIRM_LINK = re.compile(r"http://congress\.test(/register/confirm/[A-Za-z0-9_-]+)")
MANAGE_LINK = re.compile(r"http://congress\.test/r/([A-Za-z0-9_-]+)")

# The newer details of a second submission: every field differs from the factory's.
NEWER_FORM = {
    "first_name": "Louise",
    "last_name": "Martin",
    "organisation": "Clinique du Parc",
    "organisation_type": "private_clinic",
    "job_role": "dpo",
    "days": ["2014-04-02", "2014-04-03"],
    "accessibility_needs": "Boucle magnétique",
    "needs_consent": "y",
    "newsletter": "y",
    "privacy_consent": "y",
}


@pytest.fixture
def edition(app):
    event = make_event()
    hospitals = make_category(event, capacity=1, name="Hôpitaux")
    industry = make_category(event, capacity=10, name="Industriels")
    return event, hospitals, industry


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def _post(client, form: dict) -> tuple[object, list[str]]:
    """GET the form page (not counted), then POST the form with its CSRF token (counted)."""
    page = client.get("/register")
    payload = {"csrf_token": csrf_from(page.get_data(as_text=True)), **form}
    with sql_statements(normalised=True) as sent:
        response = client.post("/register", data=payload)
    return response, sent


def _form(category_id: int, email: str) -> dict:
    return {**NEWER_FORM, "email": email, "category": category_id}


def _messages(registration_id: int) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            db.select(OutboxMessage)
            .where(OutboxMessage.registration_id == registration_id)
            .order_by(OutboxMessage.id)
        )
    )


def _audit_actions() -> list[str]:
    return list(db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.seq)))


# ---------------------------------------------------------------- the same work


def test_register_runs_the_same_statements_for_new_pending_confirmed_and_waiting(client, edition):
    event, hospitals, industry = edition
    make_registration(event, hospitals, "pending@chu-exemple.fr", confirm=False)
    # The seat holder and the waiting one are in the other category than the form's.
    make_registration(event, industry, "confirmed@chu-exemple.fr")
    make_registration(event, hospitals, "seat@chu-exemple.fr")
    waiting, _ = make_registration(event, hospitals, "waiting@chu-exemple.fr")
    assert waiting.status is RegistrationStatus.WAITING
    db.session.rollback()

    runs, answers = {}, set()
    for address in ("new", "pending", "confirmed", "waiting"):
        response, sent = _post(client, _form(industry.id, f"{address}@chu-exemple.fr"))
        answers.add((response.status_code, response.headers["Location"], response.data))
        runs[address] = sent

    assert [answer[:2] for answer in answers] == [(302, "/register/sent")]

    assert runs["pending"] == runs["new"]
    assert runs["confirmed"] == runs["new"]
    assert runs["waiting"] == runs["new"]
    writes = [
        found.group(0) for s in runs["new"] if (found := re.match(r"(INSERT INTO|UPDATE) \w+", s))
    ]
    assert writes == [
        "INSERT INTO registration",
        "INSERT INTO audit_entry",
        "UPDATE audit_head",
        "INSERT INTO outbox_message",
        "INSERT INTO access_token",
    ]


def test_register_queues_the_same_work_for_new_pending_and_confirmed(client, edition):
    event, hospitals, industry = edition
    make_registration(event, hospitals, "pending@chu-exemple.fr", confirm=False)
    make_registration(event, hospitals, "confirmed@chu-exemple.fr")
    db.session.rollback()

    added = {}
    for address in ("new", "pending", "confirmed"):
        before = (_count(Registration), _count(AccessToken), _count(AuditEntry))
        messages_before = _count(OutboxMessage)
        _post(client, _form(industry.id, f"{address}@chu-exemple.fr"))
        db.session.rollback()
        after = (_count(Registration), _count(AccessToken), _count(AuditEntry))
        (message,) = db.session.scalars(
            db.select(OutboxMessage).order_by(OutboxMessage.id).offset(messages_before)
        ).all()
        added[address] = (
            [b - a for a, b in zip(before, after, strict=True)],
            message.kind,
            message.to_address,
        )

    assert added == {
        "new": ([1, 1, 1], "confirm", "new@chu-exemple.fr"),
        "pending": ([0, 1, 1], "confirm", "pending@chu-exemple.fr"),
        "confirmed": ([0, 1, 1], "manage_link", "confirmed@chu-exemple.fr"),
    }


# ---------------------------------------------------------------- registering twice


def test_first_link_still_confirms_after_a_second_submission(client, edition):
    _, hospitals, industry = edition
    first = {**_form(hospitals.id, "Louise.Martin@Clinique.fr"), "first_name": "Lou"}
    _post(client, first)
    first_link = CONFIRM_LINK.search(
        db.session.scalars(db.select(OutboxMessage.body_text)).one()
    ).group(1)
    _post(client, _form(industry.id, "louise.martin@clinique.fr"))
    db.session.rollback()
    second_mail = db.session.scalars(
        db.select(OutboxMessage.body_text).order_by(OutboxMessage.id.desc())
    ).first()
    second_link = CONFIRM_LINK.search(second_mail).group(1)
    assert second_link != first_link

    page = client.get(first_link)
    assert page.status_code == 200
    confirmed = client.post(first_link, data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert confirmed.status_code == 302
    assert confirmed.headers["Location"].startswith("/r/")
    db.session.rollback()
    registration = db.session.scalars(db.select(Registration)).one()
    assert registration.status is RegistrationStatus.CONFIRMED
    assert (registration.first_name, registration.category_id) == ("Louise", industry.id)
    again = client.get(second_link)
    assert again.status_code == 200
    assert "Déjà confirmée" in again.get_data(as_text=True)


def test_pending_resubmission_takes_the_newer_details_and_the_mail_lists_them(client, edition):
    event, hospitals, industry = edition
    registration, _ = make_registration(event, hospitals, "louise@clinique.fr", confirm=False)
    registration_id, uid = registration.id, registration.uid
    db.session.rollback()

    response, _ = _post(client, _form(industry.id, "louise@clinique.fr"))
    assert response.status_code == 302
    db.session.rollback()

    stored = db.session.get(Registration, registration_id)
    assert stored.status is RegistrationStatus.PENDING
    assert (
        stored.first_name,
        stored.last_name,
        stored.organisation,
        stored.organisation_type,
        stored.job_role,
        stored.category_id,
        stored.days,
        stored.accessibility_needs,
        stored.newsletter,
    ) == (
        "Louise",
        "Martin",
        "Clinique du Parc",
        OrganisationType.PRIVATE_CLINIC,
        JobRole.DPO,
        industry.id,
        [date(2014, 4, 2), date(2014, 4, 3)],
        "Boucle magnétique",
        True,
    )
    assert stored.needs_consent_at is not None
    assert "louise martin" in stored.search_text

    first, second = _messages(registration_id)
    assert (first.kind, second.kind) == ("confirm", "confirm")
    assert "Vous avez renvoyé le formulaire d'inscription avec cette adresse" in second.body_text
    assert "précédent e-mail reste valable jusqu'à son expiration" in second.body_text
    assert "Vous avez renvoyé" not in first.body_text
    details = second.body_text.split(f"Informations enregistrées{NNBSP}:\n")[1].split("\n\n")[0]
    assert details.splitlines() == [
        f"- Nom{NNBSP}: Louise Martin",
        f"- Organisme{NNBSP}: Clinique du Parc (Clinique privée)",
        f"- Fonction{NNBSP}: Délégué à la protection des données (DPO/CIL)",
        f"- Billet{NNBSP}: Industriels",
        f"- Jours{NNBSP}: mercredi 2 avril 2014, jeudi 3 avril 2014",
        f"- Besoins d'accessibilité ou alimentaires{NNBSP}: indiqués (non repris dans cet e-mail)",
        f"- Nouvelles des prochaines éditions{NNBSP}: oui",
    ]
    assert "Boucle magnétique" not in second.body_text + second.body_html

    entry = db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    assert (entry.action, entry.object_id, entry.actor_type) == (
        "registration.resubmitted",
        uid,
        "attendee",
    )
    assert entry.changes == {
        "category": [hospitals.slug, industry.slug],
        "days_mask": [1, 6],
        "first_name": ["Marie", "Louise"],
        "job_role": ["ciso", "dpo"],
        "last_name": ["Curie", "Martin"],
        "needs": ["…", "…"],
        "newsletter": [False, True],
        "organisation": ["CHU de Nulle-Part", "Clinique du Parc"],
        "organisation_type": ["public_hospital", "private_clinic"],
    }


def test_confirmed_resubmission_keeps_the_details_and_mails_the_manage_link(client, edition):
    event, hospitals, industry = edition
    registration, _ = make_registration(event, hospitals, "marie@chu-exemple.fr")
    registration_id, uid = registration.id, registration.uid
    db.session.rollback()

    response, _ = _post(client, _form(industry.id, "Marie@CHU-Exemple.fr"))
    assert response.status_code == 302
    db.session.rollback()

    stored = db.session.get(Registration, registration_id)
    assert (
        stored.status,
        stored.first_name,
        stored.organisation,
        stored.category_id,
        stored.days_mask,
        stored.newsletter,
        stored.accessibility_needs,
    ) == (RegistrationStatus.CONFIRMED, "Marie", "CHU de Nulle-Part", hospitals.id, 1, False, "")
    message = _messages(registration_id)[-1]
    assert message.kind == "manage_link"
    token = MANAGE_LINK.search(message.body_text).group(1)
    assert services.find_by_token(token, TokenPurpose.MANAGE).id == registration_id
    assert "Nous avons gardé les informations déjà enregistrées" in message.body_text
    assert f"- Nom{NNBSP}: Marie Curie" in message.body_text
    assert f"- Billet{NNBSP}: Hôpitaux" in message.body_text
    assert f"- Nouvelles des prochaines éditions{NNBSP}: non" in message.body_text
    assert client.get(f"/r/{token}").status_code == 200
    assert _audit_actions()[-1] == "registration.link_resent"
    entry = db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    assert (entry.object_id, entry.changes) == (uid, {})


def test_new_registration_mail_lists_the_details_sent(client, edition):
    _, hospitals, _ = edition
    _post(client, _form(hospitals.id, "new@chu-exemple.fr"))
    (message,) = db.session.scalars(db.select(OutboxMessage)).all()
    assert message.kind == "confirm"
    assert "Vous avez renvoyé" not in message.body_text
    assert f"- Billet{NNBSP}: Hôpitaux" in message.body_text
    assert f"<li>Nom{NNBSP}: Louise Martin</li>" in message.body_html
    assert _audit_actions() == ["registration.created"]


def test_organiser_adding_a_known_pending_address_changes_nothing(edition):
    event, hospitals, industry = edition
    registration, _ = make_registration(event, hospitals, "known@chu-exemple.fr", confirm=False)
    registration_id = registration.id
    messages = _count(OutboxMessage)
    with pytest.raises(Conflict):
        services.add_by_organiser(
            event,
            registration_data(industry, "known@chu-exemple.fr", first_name="Autre"),
            language="fr",
        )
    db.session.expire_all()
    stored = db.session.get(Registration, registration_id)
    assert (stored.first_name, stored.category_id) == ("Marie", hospitals.id)
    assert _count(OutboxMessage) == messages
    assert _audit_actions() == ["registration.created"]


@pytest.mark.skipif(not IS_POSTGRES, reason="needs PostgreSQL's concurrent writers")
def test_simultaneous_submissions_of_one_address_make_one_registration(app, edition):
    event, hospitals, _ = edition
    event_id, category_id = event.id, hospitals.id
    db.session.rollback()
    submissions = 8
    barrier = threading.Barrier(submissions)
    outcomes: list[object] = [None] * submissions

    def submit(index: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                registered = services.register(
                    db.session.get(type(event), event_id),
                    registration_data(
                        db.session.get(type(hospitals), category_id),
                        "rush@chu-exemple.fr",
                        first_name=f"Essai{index}",
                    ),
                    language="fr",
                )
                outcomes[index] = registered is not None
            except Exception as error:  # reported by the assertion below
                outcomes[index] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(submissions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes, key=str) == [False] * (submissions - 1) + [True]
    (registration,) = db.session.scalars(db.select(Registration)).all()
    mails = _messages(registration.id)
    assert [m.kind for m in mails] == ["confirm"] * submissions
    # Every e-mail's link opens the one registration: none was revoked by a later one.
    links = [CONFIRM_LINK.search(m.body_text).group(1).rsplit("/", 1)[1] for m in mails]
    assert {services.find_by_token(t, TokenPurpose.CONFIRM).id for t in links} == {registration.id}
    assert services.confirm(links[0]).registration.status is RegistrationStatus.CONFIRMED
