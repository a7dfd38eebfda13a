"""Billing details: entered with the registration, edited from the private link until invoiced.

Who pays, the organisation's numbers and address are stored with the
registration in the same transaction; a wrong number answers 400 with its
message and keeps what was typed; once billing sets ``invoiced_at`` the details
are frozen; erasure blanks them and the data export shows them.
"""

import json
import re
from datetime import UTC, datetime

import pytest

from congress.audit.models import AuditEntry
from congress.core.errors import Conflict
from congress.extensions import db
from congress.registration import billing_details, services
from congress.registration.billing_details import BillingData
from congress.registration.models import BillingDetails, Payer, Registration
from tests.factories import make_category, make_event, make_registration
from tests.http import csrf_from, submit
from tests.sql import sql_statements

pytestmark = pytest.mark.integration

NNBSP = "\u202f"
HOSPITAL_SIRET = "26750045200011"
COMPANY_SIRET = "73282932000074"

PERSON = {
    "first_name": "Marie",
    "last_name": "Curie",
    "organisation": "CH de Nulle-Part",
    "organisation_type": "public_hospital",
    "job_role": "ciso",
    "days": ["2014-04-01"],
    "privacy_consent": "y",
}
HOSPITAL_BILLING = {
    "payer": "employer",
    "public_body": "y",
    "legal_name": "Centre hospitalier de Nulle-Part",
    "siret": "267 500 452 00011",
    "street": "1 rue de l'Hôpital",
    "postcode": "72000",
    "city": "Le Mans",
    "country_code": "FR",
    "service_code": "FACTURES_CONGRES",
    "order_number": "EJ-2014-0042",
    "invoice_email": "Factures@CH-Nulle-Part.fr",
}
PAGE_FIELDS = {**dict.fromkeys(billing_details.TYPED, ""), "payer": "employer"}


@pytest.fixture
def edition(app):
    event = make_event()
    return event, make_category(event, capacity=10, name="Hôpitaux")


def _register(client, category, email: str, billing: dict) -> object:
    return submit(
        client, "/register", {**PERSON, "email": email, "category": category.id, **billing}
    )


def _row(registration_id: int) -> BillingDetails | None:
    return db.session.scalars(
        db.select(BillingDetails).where(BillingDetails.registration_id == registration_id)
    ).first()


def _last_audit() -> AuditEntry:
    return db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.seq.desc())).first()


def _company(**overrides: object) -> BillingData:
    values: dict[str, object] = {
        "payer": Payer.EMPLOYER,
        "legal_name": "Sécurité Santé SAS",
        "siret": COMPANY_SIRET,
        "vat_number": "FR44732829320",
        "street": "3 avenue de la Santé",
        "postcode": "75013",
        "city": "Paris",
    }
    values.update(overrides)
    return BillingData(**values)


# ---------------------------------------------------------------- at registration


def test_register_stores_a_public_hospitals_billing_details(client, edition):
    _, category = edition
    response = _register(client, category, "marie@ch-nulle-part.fr", HOSPITAL_BILLING)
    assert response.status_code == 302
    registration = db.session.scalars(db.select(Registration)).one()
    row = _row(registration.id)
    assert (
        row.payer,
        row.public_body,
        row.legal_name,
        row.siret,
        row.postcode,
        row.city,
        row.country_code,
        row.service_code,
        row.order_number,
        row.invoice_email,
        row.invoiced_at,
    ) == (
        Payer.EMPLOYER,
        True,
        "Centre hospitalier de Nulle-Part",
        HOSPITAL_SIRET,
        "72000",
        "Le Mans",
        "FR",
        "FACTURES_CONGRES",
        "EJ-2014-0042",
        "factures@ch-nulle-part.fr",
        None,
    )
    entry = _last_audit()
    assert entry.action == "registration.created"
    assert entry.changes["billing"] == ["…", "…"]
    assert HOSPITAL_SIRET not in json.dumps(entry.changes)


def test_register_with_a_bad_siret_answers_400_with_the_message_and_keeps_the_input(
    client, edition
):
    _, category = edition
    typed = {**HOSPITAL_BILLING, "siret": "267 500 452 00012"}
    response = _register(client, category, "marie@ch-nulle-part.fr", typed)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert f"Ce numéro SIRET n’est pas valide{NNBSP}: son dernier chiffre ne correspond" in html
    assert 'value="267 500 452 00012"' in html
    assert 'value="EJ-2014-0042"' in html
    assert 'value="FACTURES_CONGRES"' in html
    assert re.search(r'<input aria-describedby="siret-hint siret-error" aria-invalid="true"', html)
    assert db.session.scalar(db.select(db.func.count()).select_from(Registration)) == 0


def test_register_with_empty_billing_fields_leaves_them_for_later(client, edition):
    _, category = edition
    response = _register(client, category, "marie@ch-nulle-part.fr", {"payer": "self"})
    assert response.status_code == 302
    registration = db.session.scalars(db.select(Registration)).one()
    assert _row(registration.id) is None


def test_free_ticket_takes_no_billing_details_and_the_form_marks_it(client, edition):
    event, _ = edition
    free = make_category(event, name="Invités")
    free.price_cents = 0
    db.session.commit()
    html = client.get("/register").get_data(as_text=True)
    assert f'data-free-categories="{free.id}"' in html
    assert '<script src="/static/js/billing.js" defer></script>' in html
    response = _register(client, free, "guest@ch-nulle-part.fr", HOSPITAL_BILLING)
    assert response.status_code == 302
    registration = db.session.scalars(db.select(Registration)).one()
    assert _row(registration.id) is None


def test_register_with_billing_runs_the_same_statements_for_new_pending_and_confirmed(
    client, edition
):
    event, category = edition
    pending, _ = make_registration(event, category, "pending@ch-nulle-part.fr", confirm=False)
    confirmed, _ = make_registration(event, category, "confirmed@ch-nulle-part.fr")
    ids = {"pending": pending.id, "confirmed": confirmed.id}
    db.session.rollback()

    runs = {}
    for address in ("new", "pending", "confirmed"):
        page = client.get("/register")
        payload = {
            "csrf_token": csrf_from(page.get_data(as_text=True)),
            **PERSON,
            **HOSPITAL_BILLING,
            "email": f"{address}@ch-nulle-part.fr",
            "category": category.id,
        }
        with sql_statements(normalised=True) as sent:
            assert client.post("/register", data=payload).status_code == 302
        runs[address] = sent
    assert runs["pending"] == runs["new"]
    assert runs["confirmed"] == runs["new"]
    assert any(s.startswith("INSERT INTO billing_details") for s in runs["new"])

    db.session.expire_all()
    assert _row(ids["pending"]).siret == HOSPITAL_SIRET  # a pending one takes the newer details
    assert _row(ids["confirmed"]) is None  # a confirmed one changes them from its private link


def test_pending_resubmission_does_not_touch_invoiced_details(app, edition):
    event, category = edition
    registration, _ = make_registration(
        event, category, "p@ch-nulle-part.fr", confirm=False, billing=_company()
    )
    row = _row(registration.id)
    row.invoiced_at = datetime(2014, 3, 1, tzinfo=UTC)
    db.session.commit()
    services.register(
        event,
        services.RegistrationData(
            first_name="Marie",
            last_name="Curie",
            email="p@ch-nulle-part.fr",
            organisation="CH",
            organisation_type=registration.organisation_type,
            job_role=registration.job_role,
            category_id=category.id,
            days=registration.days,
            privacy_consent=True,
            billing=_company(legal_name="Autre SAS"),
        ),
        language="fr",
    )
    db.session.expire_all()
    assert _row(registration.id).legal_name == "Sécurité Santé SAS"


# ---------------------------------------------------------------- the private link


def test_manage_page_links_to_the_prefilled_billing_page(client, edition):
    event, category = edition
    _, token = make_registration(event, category, "m@ch-nulle-part.fr", billing=_company())
    manage = client.get(f"/r/{token}").get_data(as_text=True)
    assert f'href="/r/{token}/billing"' in manage
    assert "Saisir ou modifier mes informations de facturation" in manage
    page = client.get(f"/r/{token}/billing")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert 'value="Sécurité Santé SAS"' in html
    assert f'value="{COMPANY_SIRET}"' in html
    assert 'value="FR44732829320"' in html
    assert '<option selected value="FR">France</option>' in html


def test_billing_page_saves_the_details_and_audits_only_field_names(client, edition):
    event, category = edition
    registration, token = make_registration(event, category, "m@ch-nulle-part.fr")
    registration_id, uid = registration.id, registration.uid
    response = submit(client, f"/r/{token}/billing", {**PAGE_FIELDS, **HOSPITAL_BILLING})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/r/{token}"
    row = _row(registration_id)
    assert (row.siret, row.service_code, row.order_number, row.public_body) == (
        HOSPITAL_SIRET,
        "FACTURES_CONGRES",
        "EJ-2014-0042",
        True,
    )
    entry = _last_audit()
    assert (entry.action, entry.object_id, entry.actor_type) == (
        "registration.billing_updated",
        uid,
        "attendee",
    )
    assert set(entry.changes) == {
        "payer",
        "public_body",
        "country_code",
        "legal_name",
        "siret",
        "street",
        "postcode",
        "city",
        "service_code",
        "order_number",
        "invoice_email",
    }
    assert "Le Mans" not in json.dumps(entry.changes)

    changed = submit(
        client, f"/r/{token}/billing", {**PAGE_FIELDS, **HOSPITAL_BILLING, "city": "Allonnes"}
    )
    assert changed.status_code == 302
    assert _last_audit().changes == {"city": ["…", "…"]}


def test_billing_page_refuses_a_mismatched_vat_number_and_keeps_the_input(client, edition):
    event, category = edition
    registration, token = make_registration(event, category, "m@ch-nulle-part.fr")
    typed = {**PAGE_FIELDS, **HOSPITAL_BILLING, "vat_number": "FR 44 732 829 320"}
    response = submit(client, f"/r/{token}/billing", typed)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert f"Ce numéro de TVA ne correspond pas au SIRET{NNBSP}:" in html
    assert 'value="FR 44 732 829 320"' in html
    assert _row(registration.id) is None


def test_billing_page_without_csrf_is_refused(client, edition):
    event, category = edition
    registration, token = make_registration(event, category, "m@ch-nulle-part.fr")
    response = client.post(f"/r/{token}/billing", data={**PAGE_FIELDS, **HOSPITAL_BILLING})
    assert response.status_code == 400
    assert _row(registration.id) is None


def test_details_are_frozen_once_invoiced(client, edition):
    event, category = edition
    registration, token = make_registration(
        event, category, "m@ch-nulle-part.fr", billing=_company()
    )
    registration_id = registration.id
    _row(registration_id).invoiced_at = datetime(2014, 3, 1, tzinfo=UTC)
    db.session.commit()

    with pytest.raises(Conflict) as refused:
        billing_details.set_billing_details(registration, _company(city="Lyon"))
    assert refused.value.message is billing_details.FROZEN

    page = client.get(f"/r/{token}/billing").get_data(as_text=True)
    message = (
        f"Les informations de facturation ne peuvent plus être modifiées{NNBSP}: "
        f"une facture a été émise{NNBSP}; contactez les organisateurs"
    )
    assert message in page
    assert "Sécurité Santé SAS" in page
    assert "<form" not in page.split("<main", 1)[-1]
    assert "Voir mes informations de facturation" in client.get(f"/r/{token}").get_data(
        as_text=True
    )

    csrf = csrf_from(client.get(f"/r/{token}/edit").get_data(as_text=True))
    response = client.post(
        f"/r/{token}/billing",
        data={"csrf_token": csrf, **PAGE_FIELDS, **HOSPITAL_BILLING},
    )
    assert response.status_code == 409
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert _row(registration_id).city == "Paris"


def test_free_ticket_billing_page_says_none_is_needed(client, edition):
    event, _ = edition
    free = make_category(event, name="Invités")
    free.price_cents = 0
    db.session.commit()
    registration, token = make_registration(event, free, "g@ch-nulle-part.fr")
    assert "/billing" not in client.get(f"/r/{token}").get_data(as_text=True)
    page = client.get(f"/r/{token}/billing").get_data(as_text=True)
    assert "Un billet gratuit ne demande pas d’informations de facturation." in page
    with pytest.raises(Conflict):
        billing_details.set_billing_details(registration, _company())


# ---------------------------------------------------------------- erasure and access


def test_erasure_blanks_the_billing_details(app, edition):
    event, category = edition
    registration, _ = make_registration(
        event, category, "m@ch-nulle-part.fr", billing=_company(order_number="BC-7")
    )
    registration_id = registration.id
    services.erase(registration)
    db.session.expire_all()
    row = _row(registration_id)
    assert [getattr(row, name) for name in billing_details.TYPED] == [""] * 9
    assert (row.payer, row.country_code) == (Payer.EMPLOYER, "FR")


def test_retention_purge_blanks_the_billing_details_too(app, edition):
    from congress.registration.retention import purge

    event, category = edition  # the 2014 edition, long past
    registration, _ = make_registration(event, category, "m@ch-nulle-part.fr", billing=_company())
    registration_id = registration.id
    assert purge(365).registrations == 1
    db.session.expire_all()
    row = _row(registration_id)
    assert (row.legal_name, row.siret, row.vat_number, row.street, row.city) == ("",) * 5


def test_data_export_includes_the_billing_details(client, edition):
    event, category = edition
    _, token = make_registration(event, category, "m@ch-nulle-part.fr", billing=_company())
    data = json.loads(client.get(f"/r/{token}/data.json").data)
    assert data["billing"] == {
        "payer": "employer",
        "public_body": False,
        "country_code": "FR",
        "legal_name": "Sécurité Santé SAS",
        "siret": COMPANY_SIRET,
        "vat_number": "FR44732829320",
        "street": "3 avenue de la Santé",
        "postcode": "75013",
        "city": "Paris",
        "service_code": "",
        "order_number": "",
        "invoice_email": "",
        "invoiced_at": None,
        "updated_at": data["billing"]["updated_at"],
    }
    assert data["billing"]["updated_at"].startswith("20")
