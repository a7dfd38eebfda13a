"""0012_fees: editions get 20 % VAT, categories no early price; downgrading keeps registrations."""

from __future__ import annotations

from decimal import Decimal

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from congress import create_app
from congress.extensions import db
from congress.migrations_support import enable_migrations
from tests.sql import FIRST_EVENT_ROW

pytestmark = pytest.mark.integration

BEFORE = "a3c4d5e6f7b1"  # 0011_speaker_contact
FEES = "b4d5e6f7a8c2"  # 0012_fees


def _columns(table: str) -> set[str]:
    return {column["name"] for column in inspect(db.engine).get_columns(table)}


def test_fees_columns_added_with_defaults_checked_and_removed(empty_database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "TESTING": True})
    enable_migrations(app)
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            connection.execute(text(FIRST_EVENT_ROW))
            connection.execute(
                text(
                    "INSERT INTO ticket_category (id, event_id, slug, name, name_en, price_cents,"
                    " capacity, public, seats_taken, position) VALUES (1, 1, 'c', 'C', '', 28000,"
                    " 5, true, 0, 1)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO registration (id, uid, event_id, category_id, status, first_name,"
                    " last_name, email, organisation, organisation_type, job_role, days_mask,"
                    " accessibility_needs, dietary_needs, privacy_consent_at, newsletter,"
                    " language, feed_generation, created_at, updated_at) VALUES (1, 'u', 1, 1,"
                    " 'pending', 'M', 'C', 'm@c.fr', 'O', 'other', 'other', 1, '', '',"
                    " '2014-01-01 00:00:00+00:00', false, 'fr', 0, '2014-01-01 00:00:00+00:00',"
                    " '2014-01-01 00:00:00+00:00')"
                )
            )
        upgrade(revision=FEES)
        with db.engine.connect() as connection:
            vat = connection.execute(text("SELECT vat_rate, vat_exemption FROM event")).one()
            early = connection.execute(
                text("SELECT early_price_cents, early_until FROM ticket_category")
            ).one()
        assert (Decimal(str(vat[0])), vat[1]) == (Decimal("20"), "")
        assert tuple(early) == (None, None)
        with db.engine.begin() as connection:
            connection.execute(text("UPDATE ticket_category SET early_price_cents = 25000"))
        with pytest.raises(IntegrityError), db.engine.begin() as connection:
            connection.execute(text("UPDATE ticket_category SET early_price_cents = 30000"))
        downgrade(revision=BEFORE)
        assert {"vat_rate", "vat_exemption"}.isdisjoint(_columns("event"))
        assert {"early_price_cents", "early_until"}.isdisjoint(_columns("ticket_category"))
        with db.engine.connect() as connection:
            # No table rebuilt: the registration pointing at the category is still there.
            assert connection.execute(text("SELECT count(*) FROM registration")).scalar() == 1
            assert (
                connection.execute(text("SELECT price_cents FROM ticket_category")).scalar()
                == 28000
            )
        db.engine.dispose()
