"""The seller's identity (``billing.organiser``): numbers checked, all refusals at once."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy.exc import IntegrityError

from congress.audit.models import AuditEntry
from congress.billing.organiser import OrganiserData, from_row, set_organiser
from congress.core.field_errors import FieldErrors
from congress.edition.models import Organiser
from congress.edition.queries import organiser_of
from congress.extensions import db
from tests.factories import make_event, make_organiser

pytestmark = pytest.mark.integration

# SIREN 812345676: its French VAT key is 19 ((12 + 3 * (812345676 % 97)) % 97).
TYPED = OrganiserData(
    legal_name="  APSSIS  ",
    legal_form="Association loi 1901",
    street="12 rue de l'Exemple",
    postcode="72 000",
    city="Le Mans",
    country_code="fr",
    siret="812 345 676 00017",
    vat_number="fr 19 812 345 676",
    email="Congres@APSSIS.example",
    phone="02 43 00 00 00",
    iban="fr76 3000 6000 0112 3456 7890 189",
    bic="agrifrpp",
    training_declaration="52720000072",
    late_payment_rate="10,5",
    payment_days="45",
    quote_validity_days="90",
    invoice_on_confirmation=True,
)


@pytest.fixture
def event(app):
    return make_event()


def refused(event, **typed: object) -> dict[str, str]:
    """The fields refused for ``TYPED`` changed by ``typed``, with their French messages."""
    with pytest.raises(FieldErrors) as caught:
        set_organiser(event, replace(TYPED, **typed))
    db.session.rollback()
    return {error.field: str(error.message) for error in caught.value.errors}


def test_first_save_creates_the_row_with_numbers_stored_compact(event):
    assert organiser_of(event) is None
    organiser = set_organiser(event, TYPED)
    db.session.expire_all()
    stored = db.session.get(Organiser, organiser.id)
    assert stored.event_id == event.id
    assert (stored.legal_name, stored.postcode, stored.country_code) == ("APSSIS", "72000", "FR")
    assert stored.siret == "81234567600017"
    assert stored.vat_number == "FR19812345676"
    assert stored.iban == "FR7630006000011234567890189"
    assert stored.bic == "AGRIFRPP"
    assert stored.email == "congres@apssis.example"
    assert stored.training_declaration == "52 72 00000 72"
    assert stored.late_payment_rate == Decimal("10.50")
    assert (stored.payment_days, stored.quote_validity_days) == (45, 90)
    assert stored.invoice_on_confirmation is True


def test_second_save_updates_the_same_row_and_audits_names_without_bank_values(event):
    first = set_organiser(event, TYPED)
    again = set_organiser(
        event, replace(TYPED, iban="DE89 3704 0044 0532 0130 00", payment_days="30")
    )
    assert again.id == first.id
    assert db.session.scalar(db.select(db.func.count()).select_from(Organiser)) == 1
    entries = db.session.scalars(
        db.select(AuditEntry)
        .where(AuditEntry.action == "organiser.updated")
        .order_by(AuditEntry.seq)
    ).all()
    assert len(entries) == 2
    assert entries[1].object_type == "organiser"
    assert entries[1].object_id == str(event.id)
    assert entries[1].changes == {"iban": ["…", "…"], "payment_days": [45, 30]}
    assert "FR7630006000011234567890189" not in str(entries[0].changes)
    assert entries[0].changes["siret"] == [None, "81234567600017"]


def test_unchanged_save_writes_no_audit_entry(event):
    set_organiser(event, TYPED)
    set_organiser(event, TYPED)
    count = db.session.scalar(
        db.select(db.func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.action == "organiser.updated")
    )
    assert count == 1


def test_bad_siret_key_is_refused(event):
    assert refused(event, siret="81234567600018") == {
        "siret": "Ce numéro SIRET n’est pas valide\u202f: son dernier chiffre ne correspond pas "
        "aux autres. Vérifiez-le sur l’avis de situation de l’établissement."
    }
    assert organiser_of(event) is None


def test_missing_siret_of_a_french_seller_is_refused(event):
    assert refused(event, siret="", vat_number="") == {
        "siret": "Saisissez le numéro SIRET (14 chiffres).",
        "vat_number": "L’édition facture la TVA\u202f: ses factures doivent porter le numéro de "
        "TVA intracommunautaire du vendeur. Saisissez-le, ou bien la mention d’exonération de "
        "TVA sur la page de l’édition.",
    }


def test_vat_number_of_another_siren_is_refused(event):
    # FR 40 303 265 045 is a valid VAT number, but of SIREN 303 265 045.
    errors = refused(event, vat_number="FR40303265045")
    assert list(errors) == ["vat_number"]
    assert errors["vat_number"].startswith("Ce numéro de TVA ne correspond pas au SIRET")


def test_vat_number_with_a_wrong_key_is_refused(event):
    errors = refused(event, vat_number="FR20812345676")
    assert list(errors) == ["vat_number"]
    assert errors["vat_number"].startswith("Ce numéro de TVA n’est pas valide")


def test_vat_number_may_be_left_empty_when_the_edition_is_exempt(app):
    event = make_event(vat_exemption="TVA non applicable, art. 293 B du CGI")
    assert set_organiser(event, replace(TYPED, vat_number="")).vat_number == ""


def test_bad_iban_and_bic_are_refused_together(event):
    assert refused(event, iban="FR76 3000 6000 0112 3456 7890 180", bic="AGRI") == {
        "iban": "Cet IBAN n’est pas valide\u202f: vérifiez ses lettres de pays et ses chiffres, "
        "par exemple FR76 3000 6000 0112 3456 7890 189.",
        "bic": "Un BIC compte 8 ou 11 lettres et chiffres, par exemple AGRIFRPP ou AGRIFRPP882.",
    }


@pytest.mark.parametrize("days", ["61", "-1", "trente", ""])
def test_payment_days_out_of_range_are_refused(event, days):
    assert refused(event, payment_days=days) == {
        "payment_days": "Le délai de paiement est un nombre entier de jours, de 0 à 60 "
        "(le maximum légal)."
    }


@pytest.mark.parametrize("days", ["0", "366"])
def test_quote_validity_out_of_range_is_refused(event, days):
    assert list(refused(event, quote_validity_days=days)) == ["quote_validity_days"]


@pytest.mark.parametrize("rate", ["100.01", "10,555", "dix", "-1"])
def test_bad_late_payment_rate_is_refused(event, rate):
    assert refused(event, late_payment_rate=rate) == {
        "late_payment_rate": "Le taux des pénalités de retard est un pourcentage de 0 à 100, "
        "avec deux décimales au plus."
    }


def test_french_postcode_email_and_required_fields_are_all_reported(event):
    errors = refused(event, legal_name=" ", postcode="7200", email="congres@", street="")
    assert errors == {
        "legal_name": "Ce champ est obligatoire.",
        "street": "Ce champ est obligatoire.",
        "postcode": "Un code postal français compte 5 chiffres.",
        "email": "Saisissez une adresse e-mail valide.",
    }


def test_training_declaration_needs_eleven_digits(event):
    assert list(refused(event, training_declaration="52 72 0000")) == ["training_declaration"]


def test_foreign_seller_keeps_its_postcode_and_needs_no_siret(event):
    organiser = set_organiser(
        event,
        replace(
            TYPED,
            country_code="BE",
            postcode="B-1000",
            siret="",
            vat_number="BE0403019261",
        ),
    )
    assert (organiser.country_code, organiser.postcode, organiser.siret) == ("BE", "B-1000", "")
    assert organiser.vat_number == "BE0403019261"


def test_form_values_read_back_from_the_row(event):
    organiser = make_organiser(event)
    data = from_row(organiser)
    assert data.late_payment_rate == "10"
    assert (data.payment_days, data.quote_validity_days) == ("30", "30")
    assert data.siret == "81234567600017"
    assert from_row(None) == OrganiserData()


def test_database_refuses_a_payment_term_over_sixty_days(event):
    organiser = make_organiser(event)
    organiser.payment_days = 61
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
