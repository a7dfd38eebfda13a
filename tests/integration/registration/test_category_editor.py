"""Ticket categories set up by organisers (``registration.categories``).

Prices typed in euros either way and stored as cents, the early-bird price never
above the price and ending at midnight after its last day in the edition's zone
(across the clock changes), the capacity through the waiting list.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy.exc import IntegrityError

from congress.audit.models import AuditEntry
from congress.core.errors import DomainError, NotFound
from congress.core.field_errors import FieldErrors
from congress.extensions import db
from congress.registration import fees
from congress.registration.categories import (
    CategoryData,
    create_category,
    early_until_of,
    euros_text,
    from_row,
    get_category,
    parse_euros,
    update_category,
)
from congress.registration.models import RegistrationStatus, TicketCategory
from tests.factories import make_category, make_event, make_registration

pytestmark = pytest.mark.integration

TYPED = CategoryData(
    name="Établissements de santé",
    name_en="Healthcare providers",
    price="280",
    early_price="230,50",
    early_last_day=date(2014, 2, 28),
    capacity=100,
    public=True,
)


@pytest.fixture
def event(app):
    return make_event()


def refused(action, *args) -> dict[str, str]:
    with pytest.raises(FieldErrors) as caught:
        action(*args)
    db.session.rollback()
    return {error.field: str(error.message) for error in caught.value.errors}


@pytest.mark.parametrize(
    ("typed", "cents"),
    [
        ("280", 28000),
        ("280,00", 28000),
        ("280.50", 28050),
        ("280,5", 28050),
        ("1 280,50", 128050),
        ("1\u202f280 €", 128000),
        ("0", 0),
    ],
)
def test_price_is_read_in_euros_either_way(typed, cents):
    assert parse_euros(typed, "price") == cents


@pytest.mark.parametrize("typed", ["280,555", "-10", "deux cents", "28O", "1.280,50", "€"])
def test_malformed_price_is_refused(typed):
    with pytest.raises(DomainError) as caught:
        parse_euros(typed, "price")
    assert caught.value.field == "price"


def test_price_shown_back_in_the_language_of_the_page():
    assert (euros_text(28050, "fr"), euros_text(28050, "en")) == ("280,50", "280.50")
    assert euros_text(None, "fr") == ""


def test_early_day_ends_at_midnight_after_it_in_winter_time(event):
    # The clocks went forward on 30 March 2014: 29 March ends at 23:00 UTC (UTC+1).
    assert early_until_of(date(2014, 3, 29), event) == datetime(2014, 3, 29, 23, 0, tzinfo=UTC)


def test_early_day_ends_at_midnight_after_it_in_summer_time(event):
    # 30 March 2014 (the day of the change) ends at midnight summer time, 22:00 UTC.
    assert early_until_of(date(2014, 3, 30), event) == datetime(2014, 3, 30, 22, 0, tzinfo=UTC)
    # And back in autumn: 26 October 2014 (clocks went back that night) ends at 23:00 UTC.
    assert early_until_of(date(2014, 10, 26), event) == datetime(2014, 10, 26, 23, 0, tzinfo=UTC)


def test_create_stores_cents_and_the_early_instant_and_audits(event):
    category = create_category(event, replace(TYPED, early_last_day=date(2014, 3, 30)))
    db.session.expire_all()
    stored = db.session.get(TicketCategory, category.id)
    assert (stored.price_cents, stored.early_price_cents) == (28000, 23050)
    assert stored.early_until == datetime(2014, 3, 30, 22, 0, tzinfo=UTC)
    assert fees.early_last_day(stored) == date(2014, 3, 30)
    assert stored.slug == "etablissements-de-sante"
    assert (stored.capacity, stored.public, stored.position) == (100, True, 1)
    entry = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "category.created")
    ).one()
    assert entry.object_id == "etablissements-de-sante"
    assert entry.changes["price_cents"] == 28000
    assert entry.changes["early_until"] == "2014-03-30T22:00:00+00:00"


def test_early_price_holds_until_the_end_of_its_last_day(event):
    category = create_category(event, TYPED)  # last day 28 February 2014
    last_moment = datetime(2014, 2, 28, 22, 59, 59, tzinfo=UTC)  # 23:59:59 in Paris
    assert fees.current_price(category, last_moment).net == Decimal("230.50")
    assert fees.current_price(category, datetime(2014, 2, 28, 23, 0, tzinfo=UTC)).net == Decimal(
        "280.00"
    )


def test_second_category_gets_a_distinct_slug_and_comes_last(event):
    first = create_category(event, TYPED)
    second = create_category(event, TYPED)
    assert (first.slug, second.slug) == ("etablissements-de-sante", "etablissements-de-sante-2")
    assert (first.position, second.position) == (1, 2)


def test_free_category_without_early_price(event):
    category = create_category(
        event, replace(TYPED, price="0", early_price="", early_last_day=None, public=False)
    )
    assert (category.price_cents, category.early_price_cents, category.early_until) == (
        0,
        None,
        None,
    )
    assert category.public is False


def test_early_price_above_the_price_is_refused(event):
    assert refused(create_category, event, replace(TYPED, early_price="300")) == {
        "early_price": "Le prix d’inscription anticipée ne peut pas dépasser le prix."
    }
    assert db.session.scalars(db.select(TicketCategory)).all() == []


def test_early_price_and_its_day_go_together(event):
    assert refused(create_category, event, replace(TYPED, early_last_day=None)) == {
        "early_last_day": "Indiquez le dernier jour du tarif d’inscription anticipée."
    }
    assert refused(create_category, event, replace(TYPED, early_price="")) == {
        "early_price": "Indiquez le prix d’inscription anticipée, ou laissez vide son dernier jour."
    }


def test_every_bad_field_is_reported_at_once(event):
    errors = refused(
        create_category, event, replace(TYPED, name=" ", price="", capacity=None, position=5000)
    )
    assert errors == {
        "name": "Ce champ est obligatoire.",
        "price": "Saisissez un prix en euros\u202f; 0 pour un billet gratuit.",
        "capacity": "La capacité doit être un nombre positif.",
        "position": "La position est un nombre entier de 0 à 1000.",
    }


def test_update_changes_prices_audits_and_keeps_the_slug(event):
    category = create_category(event, TYPED)
    changed = update_category(
        category,
        replace(TYPED, name="Hôpitaux", price="300,00", early_price="", early_last_day=None),
    )
    assert changed == ["early_price_cents", "early_until", "name", "price_cents"]
    db.session.expire_all()
    stored = db.session.get(TicketCategory, category.id)
    assert (stored.name, stored.slug, stored.price_cents) == (
        "Hôpitaux",
        "etablissements-de-sante",
        30000,
    )
    assert stored.early_price_cents is None
    entry = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "category.updated")
    ).one()
    assert entry.changes["price_cents"] == [28000, 30000]
    assert entry.changes["early_until"] == ["2014-02-28T23:00:00+00:00", None]


def test_update_with_an_empty_position_keeps_it(event):
    category = create_category(event, replace(TYPED, position=7))
    assert update_category(category, replace(TYPED, position=None)) == []
    assert category.position == 7


def test_capacity_raised_promotes_the_waiting_list(event):
    category = make_category(event, capacity=1)
    make_registration(event, category, "premiere@chu-exemple.fr")
    waiting, _ = make_registration(event, category, "attente@chu-exemple.fr")
    assert waiting.status is RegistrationStatus.WAITING
    data = replace(from_data(category), capacity=2)
    assert update_category(category, data) == ["capacity"]
    db.session.refresh(waiting)
    assert waiting.status is RegistrationStatus.CONFIRMED
    assert category.seats_taken == 2
    actions = db.session.scalars(
        db.select(AuditEntry.action).where(AuditEntry.object_type == "category")
    ).all()
    assert actions == ["category.capacity"]


def test_capacity_below_the_seats_taken_is_refused(event):
    category = make_category(event, capacity=3)
    make_registration(event, category, "un@chu-exemple.fr")
    make_registration(event, category, "deux@chu-exemple.fr")
    errors = refused(update_category, category, replace(from_data(category), capacity=1))
    assert errors == {
        "capacity": "La capacité ne peut pas être inférieure aux places déjà prises (2)."
    }
    db.session.expire_all()
    assert db.session.get(TicketCategory, category.id).capacity == 3


def test_form_values_read_back(event):
    category = create_category(event, TYPED)
    assert from_row(category, "fr") == {
        "name": "Établissements de santé",
        "name_en": "Healthcare providers",
        "price": "280,00",
        "early_price": "230,50",
        "early_last_day": date(2014, 2, 28),
        "capacity": 100,
        "public": True,
        "position": 1,
    }


def test_category_of_another_edition_is_not_found(event):
    other = make_category(make_event())
    with pytest.raises(NotFound):
        get_category(event, other.id)


def test_database_refuses_an_early_price_above_the_price(event):
    category = make_category(event)
    category.early_price_cents = category.price_cents + 1
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def from_data(category: TicketCategory) -> CategoryData:
    """The category's current values as the form would post them back."""
    values = from_row(category, "fr")
    return CategoryData(**values)
