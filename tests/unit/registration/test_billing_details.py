"""The rules of billing details, one at a time: numbers, postcode, codes, who needs what."""

import pytest

from congress.core.errors import DomainError
from congress.registration.billing_details import (
    BillingData,
    check,
    check_postcode,
    check_service_code,
    check_siret,
    check_vat_number,
)
from congress.registration.models import Payer

pytestmark = pytest.mark.unit

HOSPITAL_SIRET = "26750045200011"  # Luhn-valid; SIREN 267500452, French VAT key 95
COMPANY_SIRET = "73282932000074"  # SIREN 732829320, French VAT FR44732829320


def _refused(call, *args, **kwargs) -> tuple[str, str]:
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    return caught.value.field, str(caught.value.message)


def _employer(**overrides: object) -> BillingData:
    values: dict[str, object] = {
        "payer": Payer.EMPLOYER,
        "legal_name": "Centre hospitalier de Nulle-Part",
        "siret": HOSPITAL_SIRET,
        "street": "1 rue de l'Hôpital",
        "postcode": "72000",
        "city": "Le Mans",
        "country_code": "FR",
    }
    values.update(overrides)
    return BillingData(**values)


# ---------------------------------------------------------------- SIRET


def test_siret_with_spaces_is_kept_as_its_14_digits():
    assert check_siret("267 500 452 00011") == HOSPITAL_SIRET
    assert check_siret(" 732.829.320-00074 ") == COMPANY_SIRET


def test_siret_with_a_wrong_last_digit_is_refused_with_its_field():
    field, message = _refused(check_siret, "267 500 452 00012")
    assert field == "siret"
    assert message.startswith("This SIRET number is not valid: its last digit")


@pytest.mark.parametrize("typed", ["267500452", "2675004520001100", "2675004520001A"])
def test_siret_that_is_not_14_digits_is_refused(typed):
    assert _refused(check_siret, typed) == (
        "siret",
        "A SIRET number has 14 digits (9 for the SIREN, then 5 for the establishment).",
    )


def test_empty_siret_is_left_to_the_payer_rule():
    assert check_siret("   ") == ""


# ---------------------------------------------------------------- VAT


def test_french_vat_matching_the_siret_is_kept_compact():
    assert check_vat_number("fr 44 732 829 320", "FR", COMPANY_SIRET) == "FR44732829320"


def test_french_vat_with_a_wrong_key_is_refused():
    field, message = _refused(check_vat_number, "FR45732829320", "FR", COMPANY_SIRET)
    assert field == "vat_number"
    assert message.startswith("This VAT number is not valid")


def test_french_vat_of_another_siren_is_refused_as_not_matching_the_siret():
    field, message = _refused(check_vat_number, "FR44732829320", "FR", HOSPITAL_SIRET)
    assert field == "vat_number"
    assert message.startswith("This VAT number does not match the SIRET")


def test_foreign_vat_is_checked_with_its_country_rules():
    assert check_vat_number("DE 136 695 976", "DE") == "DE136695976"
    assert check_vat_number("0403.170.701", "BE") == "BE0403170701"  # prefix from the address
    assert check_vat_number("EL094014201", "GR") == "EL094014201"
    assert _refused(check_vat_number, "DE136695977", "DE")[0] == "vat_number"


def test_vat_of_another_country_than_the_address_is_refused():
    assert _refused(check_vat_number, "DE136695976", "BE") == (
        "vat_number",
        "This VAT number is not from the country of the billing address.",
    )


def test_vat_outside_the_eu_is_kept_as_typed_letters_and_digits():
    assert check_vat_number("CHE-123.456.789", "CH") == "CHE123456789"
    assert check_vat_number("GB 980 7806 84", "GB") == "GB980780684"
    assert _refused(check_vat_number, "CHE 123/456", "CH")[0] == "vat_number"


# ---------------------------------------------------------------- postcode, codes


def test_french_postcode_has_five_digits():
    assert check_postcode(" 72 000 ", "FR") == "72000"
    assert _refused(check_postcode, "7200", "FR") == ("postcode", "A French postcode has 5 digits.")
    assert _refused(check_postcode, "72OOO", "FR")[0] == "postcode"


def test_foreign_postcode_is_any_short_code():
    assert check_postcode("SW1A 1AA", "GB") == "SW1A 1AA"


def test_service_code_takes_letters_digits_dashes_and_underscores_up_to_100():
    assert check_service_code(" SERV_FACT-01 ") == "SERV_FACT-01"
    assert _refused(check_service_code, "SERV FACT") == (
        "service_code",
        "A service code has only letters, digits, dashes (-) and underscores (_).",
    )
    assert check_service_code("A" * 100) == "A" * 100
    assert _refused(check_service_code, "A" * 101)[0] == "service_code"


def test_order_number_is_at_most_50_characters():
    assert check(_employer(order_number="EJ " + "1" * 47), person_name="x")["order_number"] == (
        "EJ " + "1" * 47
    )
    assert _refused(check, _employer(order_number="1" * 51), person_name="x")[0] == "order_number"


# ---------------------------------------------------------------- who needs what


def test_public_body_needs_a_siret_and_keeps_its_chorus_codes():
    values = check(
        _employer(public_body=True, service_code="FACTURES", order_number="EJ-2014-0042"),
        person_name="Marie Curie",
    )
    assert (
        values["public_body"],
        values["siret"],
        values["service_code"],
        values["order_number"],
    ) == (
        True,
        HOSPITAL_SIRET,
        "FACTURES",
        "EJ-2014-0042",
    )
    assert _refused(check, _employer(public_body=True, siret=""), person_name="Marie Curie") == (
        "siret",
        "Enter the organisation's SIRET number (14 digits).",
    )


def test_french_employer_needs_a_siret():
    assert _refused(check, _employer(siret=""), person_name="Marie Curie")[0] == "siret"


def test_employer_in_another_eu_country_needs_a_vat_number_not_a_siret():
    data = _employer(siret="", country_code="DE", postcode="10115", city="Berlin")
    assert _refused(check, data, person_name="Marie Curie") == (
        "vat_number",
        "Enter the organisation's VAT number: it is needed to invoice outside France.",
    )
    data.vat_number = "DE136695976"
    assert check(data, person_name="Marie Curie")["vat_number"] == "DE136695976"


def test_employer_needs_a_legal_name_and_an_address():
    for field in ("legal_name", "street", "postcode", "city"):
        assert _refused(check, _employer(**{field: " "}), person_name="Marie Curie") == (
            field,
            "This field is required.",
        )


def test_self_payer_defaults_to_their_name_and_drops_organisation_numbers():
    data = BillingData(
        payer=Payer.SELF,
        public_body=True,
        siret=HOSPITAL_SIRET,
        service_code="X",
        street="2 place de la République",
        postcode="75003",
        city="Paris",
    )
    values = check(data, person_name="Marie Curie")
    assert (
        values["legal_name"],
        values["public_body"],
        values["siret"],
        values["service_code"],
    ) == (
        "Marie Curie",
        False,
        "",
        "",
    )
    assert _refused(check, BillingData(payer=Payer.SELF), person_name="Marie Curie")[0] == "street"


def test_unknown_country_is_refused():
    assert _refused(check, _employer(country_code="XX"), person_name="x") == (
        "country_code",
        "Choose a country from the list.",
    )


def test_blank_means_nothing_typed_whatever_the_choices():
    assert BillingData(payer=Payer.SELF, public_body=True, country_code="DE").blank
    assert not BillingData(city="Le Mans").blank
