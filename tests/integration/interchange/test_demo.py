from datetime import UTC, datetime

import pytest

from congress.edition.models import Event
from congress.extensions import db
from congress.interchange.demo import DatabaseNotEmpty, seed_demo
from congress.programme.models import Room, Talk, TalkKind, TalkStatus, Track

pytestmark = pytest.mark.integration


def _count(model, *where):
    return db.session.scalar(db.select(db.func.count()).select_from(model).where(*where))


def test_seed_loads_the_2014_edition(app):
    result = seed_demo()
    assert result.loaded is True
    event = db.session.scalars(db.select(Event)).one()
    assert (event.name, event.city, event.timezone) == (
        "Congrès National de la Sécurité des Systèmes d'Information de Santé",
        "Le Mans",
        "Europe/Paris",
    )
    assert event.first_day.isoformat() == "2014-04-01"
    assert event.last_day.isoformat() == "2014-04-03"
    assert _count(Room) == 3
    assert _count(Track) == 4
    assert _count(Talk, Talk.status == TalkStatus.CONFIRMED) >= 45
    assert _count(Talk, Talk.kind == TalkKind.ATTACK_ANALYSIS) >= 3


def test_seed_stores_times_in_utc(app):
    seed_demo()
    ministry = db.session.scalars(
        db.select(Talk).where(Talk.slug == "attaque-sous-domaines-ministere-sante-janvier-2014")
    ).one()
    local = ministry.starts_at.astimezone(ministry.event.zone)
    assert ministry.starts_at.tzinfo is UTC
    assert ministry.starts_at.utcoffset().total_seconds() == 0
    assert local.utcoffset().total_seconds() == 7200  # CEST in April 2014
    assert local.replace(tzinfo=None) == ministry.starts_at.replace(tzinfo=None) + (
        local.utcoffset()
    )


def test_seed_every_day_has_sessions(app):
    seed_demo()
    event = db.session.scalars(db.select(Event)).one()
    talks = db.session.scalars(db.select(Talk).where(Talk.status == TalkStatus.CONFIRMED)).all()
    days = {talk.starts_at.astimezone(event.zone).date() for talk in talks}
    assert days == set(event.days)


def test_seed_twice_changes_nothing(app):
    seed_demo()
    before = _count(Talk)
    uids = set(db.session.scalars(db.select(Talk.uid)))
    second = seed_demo()
    assert second.loaded is False
    assert _count(Talk) == before
    assert set(db.session.scalars(db.select(Talk.uid))) == uids


def test_seed_refuses_a_database_with_another_edition(app):
    other = Event(
        slug="autre",
        name="Autre congrès",
        venue="Salle",
        address="1 rue",
        city="Rennes",
        timezone="Europe/Paris",
        first_day=datetime(2015, 1, 1, tzinfo=UTC).date(),
        last_day=datetime(2015, 1, 2, tzinfo=UTC).date(),
    )
    db.session.add(other)
    db.session.commit()
    with pytest.raises(DatabaseNotEmpty):
        seed_demo()
    assert _count(Event) == 1
    assert _count(Talk) == 0


def test_seed_force_replaces_everything(app):
    seed_demo()
    first_uids = set(db.session.scalars(db.select(Talk.uid)))
    result = seed_demo(force=True)
    assert result.loaded is True
    assert _count(Event) == 1
    assert set(db.session.scalars(db.select(Talk.uid))).isdisjoint(first_uids)
