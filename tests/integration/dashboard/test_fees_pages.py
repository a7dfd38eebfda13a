"""The fees pages of the dashboard: the seller's identity and the ticket categories.

Who may open them, what a good form stores, and how a bad one answers: 400, the
typed values kept, a message beside each refused field.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from congress.edition.models import Organiser
from congress.edition.queries import organiser_of
from congress.extensions import db
from congress.registration.models import TicketCategory
from tests.factories import make_category, make_event, make_organiser, make_registration
from tests.http import submit

pytestmark = pytest.mark.integration

IDENTITY = {
    "legal_name": "APSSIS",
    "legal_form": "Association loi 1901",
    "share_capital": "",
    "registry": "",
    "siret": "812 345 676 00017",
    "vat_number": "FR 19 812345676",
    "street": "12 rue de l'Exemple",
    "postcode": "72000",
    "city": "Le Mans",
    "country_code": "FR",
    "email": "congres@apssis.example",
    "phone": "",
    "iban": "FR76 3000 6000 0112 3456 7890 189",
    "bic": "AGRIFRPP",
    "bank_name": "",
    "late_payment_rate": "10",
    "payment_days": "30",
    "quote_validity_days": "30",
    "training_declaration": "",
    "signatory": "",
}
CATEGORY = {
    "name": "Établissements de santé",
    "name_en": "Healthcare providers",
    "price": "280,00",
    "early_price": "230",
    "early_last_day": "2014-03-30",
    "capacity": "100",
    "public": "y",
    "position": "",
}


@pytest.fixture
def event(app):
    return make_event()


# ---------------------------------------------------------------- who may open them


@pytest.mark.parametrize("role", ["editor", "desk"])
def test_organiser_page_is_for_admins_only(client, login_as, event, role):
    login_as(role)
    assert client.get("/dashboard/organiser").status_code == 403
    assert client.post("/dashboard/organiser", data=IDENTITY).status_code in (400, 403)
    assert organiser_of(event) is None


@pytest.mark.parametrize("role", ["editor", "desk"])
def test_category_pages_are_refused_to_editor_and_desk(client, login_as, event, role):
    category = make_category(event)
    login_as(role)
    for path in ("/dashboard/categories", "/dashboard/categories/new"):
        assert client.get(path).status_code == 403, path
    assert client.get(f"/dashboard/categories/{category.id}").status_code == 403


def test_anonymous_visitor_is_sent_to_log_in(client, event):
    response = client.get("/dashboard/organiser")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


# ---------------------------------------------------------------- the seller's identity


def test_admin_sees_an_empty_identity_with_its_help(client, login_as, event):
    html = login_as("admin").get("/dashboard/organiser").get_data(as_text=True)
    assert "<h1>Identité de l’organisateur</h1>" in html
    assert "Pas encore saisie\u202f: aucun devis" in html
    assert "Obligatoire sur chaque facture\u202f: 14 chiffres" in html
    assert "numéro de déclaration d’activité (NDA), imprimé sur les attestations" in html
    assert 'name="payment_days" required type="text" value="30"' in html


def test_admin_creates_the_identity_and_is_redirected(client, login_as, event):
    admin = login_as("admin")
    response = submit(admin, "/dashboard/organiser", {**IDENTITY, "invoice_on_confirmation": "y"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard/organiser"
    db.session.expire_all()
    stored = organiser_of(event)
    assert stored is not None
    assert (stored.siret, stored.vat_number) == ("81234567600017", "FR19812345676")
    assert stored.iban == "FR7630006000011234567890189"
    assert stored.invoice_on_confirmation is True
    html = admin.get("/dashboard/organiser").get_data(as_text=True)
    assert "L’identité de l’organisateur est enregistrée." in html
    assert 'value="FR7630006000011234567890189"' in html
    assert "Pas encore saisie" not in html


def test_bad_identity_answers_400_with_every_message_and_the_typed_values(client, login_as, event):
    make_organiser(event)
    response = submit(
        login_as("admin"),
        "/dashboard/organiser",
        {
            **IDENTITY,
            "siret": "812 345 676 00018",
            "vat_number": "FR40303265045",
            "iban": "FR76 0000",
            "payment_days": "90",
        },
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "3 champs demandent votre attention" in html
    assert 'value="812 345 676 00018"' in html
    assert 'value="FR76 0000"' in html
    assert 'value="90"' in html
    assert 'id="siret-error">Ce numéro SIRET n’est pas valide' in html
    assert 'id="iban-error">Cet IBAN n’est pas valide' in html
    assert 'id="payment_days-error">Le délai de paiement est un nombre entier' in html
    # The VAT number cannot be judged against a SIRET that was refused: checked alone.
    assert 'id="vat_number-error">' not in html
    db.session.expire_all()
    assert organiser_of(event).siret == "81234567600017"


def test_vat_key_not_matching_the_siren_is_shown_beside_the_field(client, login_as, event):
    response = submit(
        login_as("admin"), "/dashboard/organiser", {**IDENTITY, "vat_number": "FR40303265045"}
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="vat_number-error">Ce numéro de TVA ne correspond pas au SIRET' in html
    assert db.session.scalars(db.select(Organiser)).all() == []


def test_edition_page_links_to_both_pages_for_an_admin(client, login_as, event):
    html = login_as("admin").get("/dashboard/event").get_data(as_text=True)
    assert 'href="/dashboard/categories">Catégories de billets et leurs prix</a>' in html
    assert 'href="/dashboard/organiser">Identité de l’organisateur sur les factures' in html


# ---------------------------------------------------------------- ticket categories


def test_admin_lists_categories_with_the_price_attendees_see(client, login_as, event):
    category = make_category(event, capacity=40, name="Industriels")
    html = login_as("admin").get("/dashboard/categories").get_data(as_text=True)
    assert "<h1>Catégories de billet</h1>" in html
    assert f'href="/dashboard/categories/{category.id}">Industriels</a>' in html
    assert "280,00\u00a0€ HT · 336,00\u00a0€ TTC (TVA 20\u202f%)" in html
    assert "0 sur 40" in html


def test_admin_adds_a_category_and_is_redirected_to_the_list(client, login_as, event):
    response = submit(login_as("admin"), "/dashboard/categories/new", CATEGORY)
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard/categories"
    category = db.session.scalars(db.select(TicketCategory)).one()
    assert (category.price_cents, category.early_price_cents) == (28000, 23000)
    assert category.early_until == datetime(2014, 3, 30, 22, 0, tzinfo=UTC)
    assert (category.capacity, category.public, category.position) == (100, True, 1)


def test_bad_category_answers_400_keeping_what_was_typed(client, login_as, event):
    response = submit(
        login_as("admin"),
        "/dashboard/categories/new",
        {**CATEGORY, "price": "280,555", "early_price": "300"},
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'value="280,555"' in html
    assert 'value="300"' in html
    assert 'value="2014-03-30"' in html
    assert 'id="price-error">Saisissez un montant en euros, comme 280 ou 280,50' in html
    assert db.session.scalars(db.select(TicketCategory)).all() == []


def test_early_price_above_the_price_is_refused_beside_its_field(client, login_as, event):
    response = submit(
        login_as("admin"), "/dashboard/categories/new", {**CATEGORY, "early_price": "300"}
    )
    assert response.status_code == 400
    assert (
        'id="early_price-error">Le prix d’inscription anticipée ne peut pas dépasser le prix.'
        in response.get_data(as_text=True)
    )


def test_edit_form_shows_the_stored_values_and_the_price_warning(client, login_as, event):
    category = make_category(event, name="Industriels")
    html = login_as("admin").get(f"/dashboard/categories/{category.id}").get_data(as_text=True)
    assert "<h1>Catégorie de billet\u202f: Industriels</h1>" in html
    assert 'name="price" required type="text" value="280,00"' in html
    assert "Les factures déjà émises ne changent jamais." in html
    assert "Prix du jour, tel que les participants le voient\u202f:" in html


def test_admin_edits_a_category(client, login_as, event):
    category = make_category(event, capacity=10, name="Industriels")
    response = submit(
        login_as("admin"),
        f"/dashboard/categories/{category.id}",
        {
            **CATEGORY,
            "name": "Éditeurs",
            "price": "450.50",
            "early_price": "",
            "early_last_day": "",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.get(TicketCategory, category.id)
    assert (stored.name, stored.price_cents, stored.early_price_cents) == ("Éditeurs", 45050, None)
    assert stored.capacity == 100


def test_category_of_another_edition_is_not_found(client, login_as, event):
    other = make_category(make_event(first_day=date(2013, 4, 1), last_day=date(2013, 4, 2)))
    login_as("admin")
    assert client.get(f"/dashboard/categories/{other.id}").status_code == 404


def test_audit_log_names_the_edited_category_and_the_identity_change(client, login_as, event):
    category = make_category(event, name="Industriels")
    admin = login_as("admin")
    submit(admin, f"/dashboard/categories/{category.id}", {**CATEGORY, "name": "Éditeurs"})
    submit(admin, "/dashboard/organiser", IDENTITY)
    html = admin.get("/dashboard/audit").get_data(as_text=True)
    link = f'<a href="/dashboard/categories/{category.id}">Éditeurs</a>'
    assert f"a modifié la catégorie de billet {link}" in html
    assert "a modifié l’identité de l’organisateur sur les factures" in html
    assert '<th scope="row">Prix HT (centimes)</th><td>28000</td><td>28000</td>' not in html
    assert '<th scope="row">Raison sociale</th><td>—</td><td>APSSIS</td>' in html


def test_capacity_below_the_seats_taken_is_refused_on_the_form(client, login_as, event):
    category = make_category(event, capacity=5)
    make_registration(event, category, "un@chu-exemple.fr")
    make_registration(event, category, "deux@chu-exemple.fr")
    response = submit(
        login_as("admin"), f"/dashboard/categories/{category.id}", {**CATEGORY, "capacity": "1"}
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert (
        'id="capacity-error">La capacité ne peut pas être inférieure aux places déjà prises (2).'
        in html
    )
    assert 'name="capacity" required type="number" value="1"' in html
    db.session.expire_all()
    assert db.session.get(TicketCategory, category.id).capacity == 5
