"""The whole-edition transfer carries the VAT configuration and early-bird prices."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from congress.caching.store import cache
from congress.core.models import Base
from congress.edition.models import Event
from congress.extensions import db
from congress.interchange import transfer
from congress.registration.models import TicketCategory
from tests.factories import make_category, make_event

pytestmark = pytest.mark.integration

MENTION = "TVA non applicable, art. 293 B du CGI"
UNTIL = datetime(2014, 3, 1, 23, 0, tzinfo=UTC)


def empty_database() -> None:
    db.session.rollback()
    for table in reversed(Base.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()
    db.session.expunge_all()
    cache.clear()


@pytest.fixture
def document(app) -> dict[str, Any]:
    event = make_event(slug="apssis-2099", vat_rate=Decimal("5.50"), vat_exemption=MENTION)
    early = make_category(event, name="Hôpitaux")
    early.early_price_cents = 25000
    early.early_until = UNTIL
    make_category(event, name="Sans tarif préférentiel")
    db.session.commit()
    exported = transfer.export_edition(event)
    empty_database()
    return json.loads(json.dumps(exported))


def fees() -> tuple[tuple[Decimal, str], list[tuple[int, int | None, datetime | None]]]:
    event = db.session.scalars(db.select(Event)).one()
    rows = db.session.execute(
        db.select(
            TicketCategory.price_cents, TicketCategory.early_price_cents, TicketCategory.early_until
        ).order_by(TicketCategory.slug)
    ).all()
    return (event.vat_rate, event.vat_exemption), [tuple(row) for row in rows]


def test_fees_are_exported(document):
    assert (document["edition"]["vat_rate"], document["edition"]["vat_exemption"]) == (
        "5.50",
        MENTION,
    )
    rows = [(row["early_price_cents"], row["early_until"]) for row in document["ticket_categories"]]
    assert sorted(rows, key=str) == sorted([(25000, "2014-03-01T23:00:00Z"), (None, None)], key=str)


def test_fees_survive_the_round_trip(document):
    transfer.import_edition(document)
    vat, categories = fees()
    assert vat == (Decimal("5.50"), MENTION)
    assert sorted(categories, key=str) == sorted(
        [(28000, 25000, UNTIL), (28000, None, None)], key=str
    )
    again = transfer.export_edition(db.session.scalars(db.select(Event)).one())
    assert again["edition"]["vat_rate"] == "5.50"
    assert again["ticket_categories"] == document["ticket_categories"]


def test_a_document_written_before_fees_loads_with_20_percent_and_no_early_price(document):
    del document["edition"]["vat_rate"], document["edition"]["vat_exemption"]
    for row in document["ticket_categories"]:
        del row["early_price_cents"], row["early_until"]
    transfer.import_edition(document)
    (vat, categories) = fees()
    assert vat == (Decimal("20.00"), "")
    assert [row[1:] for row in categories] == [(None, None), (None, None)]


@pytest.mark.parametrize(
    ("where", "field", "value", "message"),
    [
        ("edition", "vat_rate", "150", "edition: 'vat_rate' '150' or 'vat_exemption' is not valid"),
        ("edition", "vat_rate", 20, "edition: 'vat_rate' and 'vat_exemption' must be strings"),
        (
            "edition",
            "vat_exemption",
            "x" * 201,
            "edition: 'vat_rate' '5.50' or 'vat_exemption' is not valid",
        ),
        (
            0,
            "early_price_cents",
            -1,
            "ticket_categories[0]: a whole number of cents is expected, not -1",
        ),
        (
            0,
            "early_price_cents",
            30000,
            "ticket_categories[0]: 'early_price_cents' is above 'price_cents'",
        ),
        (0, "early_until", "2014-03-01", "ticket_categories[0]: '2014-03-01' has no UTC offset"),
    ],
)
def test_bad_fees_are_refused_and_nothing_stored(document, where, field, value, message):
    row = document["edition"] if where == "edition" else document["ticket_categories"][where]
    row[field] = value
    with pytest.raises(transfer.TransferError) as raised:
        transfer.import_edition(document)
    assert str(raised.value) == message
    assert db.session.scalar(db.select(db.func.count()).select_from(Event)) == 0
