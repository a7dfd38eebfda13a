from datetime import date

import pytest

from congress.audit.log import verify
from congress.extensions import db
from congress.mail.models import OutboxMessage
from congress.registration.models import AccessToken, Registration
from congress.registration.stats import edition_stats
from tests.factories import make_category, make_event, make_registration

pytestmark = pytest.mark.integration


def test_purge_erases_past_editions_and_keeps_counts(app, cli):
    past = make_event(first_day=date(2014, 4, 1), last_day=date(2014, 4, 3))
    future = make_event(slug="future", first_day=date(2099, 4, 1), last_day=date(2099, 4, 3))
    old_category = make_category(past, capacity=10)
    new_category = make_category(future, capacity=10)
    for index in range(3):
        make_registration(past, old_category, f"old{index}@chu-exemple.fr")
    make_registration(future, new_category, "new@chu-exemple.fr", days=[date(2099, 4, 1)])
    before = edition_stats(past).organisation_types

    result = cli.invoke(args=["congress", "purge", "--older-than", "365"])
    assert result.exit_code == 0, result.output
    assert "purge: 3 registrations erased in 1 past editions" in result.output

    db.session.expire_all()
    old_rows = db.session.scalars(db.select(Registration).where(Registration.event_id == past.id))
    for row in old_rows:
        assert (row.first_name, row.last_name, row.organisation) == ("", "", "")
        assert "chu-exemple" not in row.email
        assert row.erased_at is not None
    kept = db.session.scalars(db.select(Registration).where(Registration.event_id == future.id))
    assert [row.email for row in kept] == ["new@chu-exemple.fr"]
    old_ids = db.select(Registration.id).where(Registration.event_id == past.id)
    assert (
        db.session.scalar(
            db.select(db.func.count())
            .select_from(AccessToken)
            .where(AccessToken.registration_id.in_(old_ids))
        )
        == 0
    )
    assert (
        db.session.scalar(
            db.select(db.func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.to_address.like("old%"))
        )
        == 0
    )
    assert edition_stats(past).organisation_types == before
    assert verify().ok

    again = cli.invoke(args=["congress", "purge", "--older-than", "365"])
    assert "purge: 0 registrations erased" in again.output


def test_purge_refuses_a_negative_age(cli):
    assert cli.invoke(args=["congress", "purge", "--older-than", "-1"]).exit_code == 2
