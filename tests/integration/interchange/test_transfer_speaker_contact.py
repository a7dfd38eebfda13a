"""The whole-edition transfer carries speakers' private contact details, checked on load."""

from __future__ import annotations

import json
from typing import Any

import pytest

from congress.caching.store import cache
from congress.core.models import Base
from congress.edition.models import Event
from congress.extensions import db
from congress.interchange import transfer
from congress.programme.models import Speaker
from tests.factories import make_event, make_speaker

pytestmark = pytest.mark.integration

EMAIL = "ada.lovelace@hopital-exemple.fr"
PHONE = "+33 2 43 00 00 01"


def empty_database() -> None:
    db.session.rollback()
    for table in reversed(Base.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()
    db.session.expunge_all()
    cache.clear()


def contacts() -> dict[str, tuple[str | None, str | None]]:
    rows = db.session.execute(db.select(Speaker.slug, Speaker.email, Speaker.phone)).all()
    return {slug: (email, phone) for slug, email, phone in rows}


@pytest.fixture
def document(app) -> dict[str, Any]:
    event = make_event(slug="apssis-2099")
    make_speaker(event, "Ada Lovelace", email=EMAIL, phone=PHONE)
    make_speaker(event, "Sans Contact")
    exported = transfer.export_edition(event)
    empty_database()
    return json.loads(json.dumps(exported))


def test_speakers_are_exported_with_their_contact(document):
    assert [(row["slug"], row["email"], row["phone"]) for row in document["speakers"]] == [
        ("ada-lovelace", EMAIL, PHONE),
        ("sans-contact", None, None),
    ]


def test_contact_survives_the_round_trip(document):
    transfer.import_edition(document)
    assert contacts() == {"ada-lovelace": (EMAIL, PHONE), "sans-contact": (None, None)}
    again = transfer.export_edition(db.session.scalars(db.select(Event)).one())
    assert again["speakers"] == document["speakers"]


def test_a_document_written_before_the_contact_fields_loads_without_contact(document):
    for row in document["speakers"]:
        del row["email"], row["phone"]
    transfer.import_edition(document)
    assert contacts() == {"ada-lovelace": (None, None), "sans-contact": (None, None)}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "ada@", "speakers[0]: 'email' is not a valid e-mail address"),
        ("phone", "call me", "speakers[0]: 'phone' is not a valid telephone number"),
        ("phone", 33243000001, "speakers[0]: 'phone' must be a string or null"),
        ("email", "a" * 250 + "@x.fr", "speakers[0]: 'email' is not a valid e-mail address"),
    ],
)
def test_a_bad_contact_is_refused_and_nothing_stored(document, field, value, message):
    document["speakers"][0][field] = value
    with pytest.raises(transfer.TransferError) as raised:
        transfer.import_edition(document)
    assert str(raised.value) == message
    assert db.session.scalar(db.select(db.func.count()).select_from(Speaker)) == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(Event)) == 0
