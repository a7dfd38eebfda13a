"""The purge does what the privacy notice says, when it says: no earlier, no later.

The periods are set to small, unusual values so that nothing passes by luck of
the defaults; the clock is moved across each boundary.
"""

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from congress.accounts.models import Role
from congress.accounts.services import create_organiser
from congress.audit.log import verify
from congress.audit.models import AuditEntry
from congress.core.clock import set_clock
from congress.extensions import db
from congress.mail.models import OutboxMessage
from congress.registration import retention
from congress.registration.checkin import check_in_code
from congress.registration.models import (
    AccessToken,
    CheckIn,
    JobRole,
    OrganisationType,
    Registration,
    RegistrationStatus,
)
from congress.registration.services import checkin_code
from congress.registration.stats import attendance_per_day
from tests.factories import make_category, make_event, make_registration

pytestmark = pytest.mark.integration

REGISTRATION_DAYS = 30
AUDIT_DAYS = 90
LAST_DAY = date(2014, 4, 3)
REGISTERED_AT = datetime(2014, 3, 20, 10, 0, tzinfo=UTC)
CHECKED_IN_AT = datetime(2014, 4, 1, 7, 0, tzinfo=UTC)  # 09:00 in Le Mans


@pytest.fixture
def clock(app) -> Iterator[list[datetime]]:
    app.config["RETENTION_DAYS"] = REGISTRATION_DAYS
    app.config["AUDIT_RETENTION_DAYS"] = AUDIT_DAYS
    moment = [REGISTERED_AT]
    set_clock(lambda: moment[0])
    try:
        yield moment
    finally:
        set_clock(None)


@pytest.fixture
def edition(clock):
    """A past edition with two attendees (one checked in, one with needs) and a future one."""
    event = make_event(first_day=date(2014, 4, 1), last_day=LAST_DAY)
    category = make_category(event)
    future = make_event(slug="future", first_day=date(2099, 4, 1), last_day=date(2099, 4, 3))
    future_category = make_category(future)
    with_needs, _ = make_registration(
        event,
        category,
        "besoins@chu-exemple.fr",
        days=[date(2014, 4, 1), date(2014, 4, 2)],
        accessibility_needs="Fauteuil roulant",
        dietary_needs="Sans gluten",
        needs_consent=True,
        newsletter=True,
        organisation_type=OrganisationType.ACADEMIC,
        job_role=JobRole.DPO,
    )
    plain, _ = make_registration(event, category, "simple@chu-exemple.fr")
    upcoming, _ = make_registration(
        future, future_category, "futur@chu-exemple.fr", days=[date(2099, 4, 1)]
    )
    desk = create_organiser(
        "accueil@apssis-orga.fr", "plusieurs mots de passe solides 2014", Role.DESK, "Accueil"
    )
    clock[0] = CHECKED_IN_AT
    check_in_code(event, checkin_code(with_needs), user=desk)
    return event, with_needs.id, plain.id, upcoming.id


def _count(model, *conditions) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model).where(*conditions))


def test_purge_erases_registrations_only_once_the_stated_period_is_over(clock, edition):
    event, with_needs_id, plain_id, upcoming_id = edition
    attendance = attendance_per_day(event)
    # The last day plus the stated period, late in the evening: not "after" it yet.
    clock[0] = datetime(2014, 5, 3, 23, 0, tzinfo=UTC)
    early = retention.purge()
    assert (early.editions, early.registrations, early.audit_entries) == (0, 0, 0)
    assert db.session.get(Registration, with_needs_id).first_name == "Marie"

    clock[0] = datetime(2014, 5, 4, 6, 0, tzinfo=UTC)
    report = retention.purge()
    assert (report.editions, report.registrations, report.audit_entries) == (1, 2, 0)

    db.session.expire_all()
    erased = db.session.get(Registration, with_needs_id)
    # Erased, as the notice says: identity, address, organisation, needs, news choice.
    assert (erased.first_name, erased.last_name, erased.organisation) == ("", "", "")
    assert erased.email == f"erased-{erased.uid}"
    assert (erased.accessibility_needs, erased.dietary_needs) == ("", "")
    assert (erased.needs_consent_at, erased.newsletter, erased.search_text) == (None, False, "")
    assert erased.checkin_code_hash is None
    assert erased.erased_at == clock[0]
    # Kept with no name, for the statistics.
    assert erased.status is RegistrationStatus.CONFIRMED
    assert (erased.organisation_type, erased.job_role) == (
        OrganisationType.ACADEMIC,
        JobRole.DPO,
    )
    assert (erased.days_mask, erased.language) == (0b011, "fr")
    # Links and e-mails deleted; check-ins kept and still counted.
    past_ids = [with_needs_id, plain_id]
    assert _count(AccessToken, AccessToken.registration_id.in_(past_ids)) == 0
    assert _count(OutboxMessage, OutboxMessage.registration_id.in_(past_ids)) == 0
    assert _count(CheckIn, CheckIn.registration_id == with_needs_id) == 1
    assert attendance_per_day(event) == attendance
    # The future edition is untouched.
    upcoming = db.session.get(Registration, upcoming_id)
    assert (upcoming.first_name, upcoming.email) == ("Marie", "futur@chu-exemple.fr")
    assert _count(AccessToken, AccessToken.registration_id == upcoming_id) > 0
    assert _count(OutboxMessage, OutboxMessage.registration_id == upcoming_id) > 0


def test_purge_deletes_audit_entries_once_the_stated_period_is_over(clock, edition):
    clock[0] = datetime(2014, 5, 4, 6, 0, tzinfo=UTC)
    retention.purge()
    before = _count(AuditEntry)
    # The stated period after the registrations were written, to the minute: all kept.
    clock[0] = REGISTERED_AT + timedelta(days=AUDIT_DAYS)
    assert retention.purge().audit_entries == 0
    assert _count(AuditEntry) == before

    # A minute later the entries of that morning go; the check-in's, two weeks younger, stay.
    clock[0] = REGISTERED_AT + timedelta(days=AUDIT_DAYS, minutes=1)
    registered_that_morning = _count(
        AuditEntry, AuditEntry.created_at < clock[0] - timedelta(days=AUDIT_DAYS)
    )
    report = retention.purge()
    assert report.audit_entries == registered_that_morning
    assert report.audit_entries > 0
    remaining = db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.seq)).all()
    assert remaining == ["checkin", "retention.purged", "audit.truncated"]
    result = verify()
    assert (result.ok, result.checked) == (True, 3)


def test_purge_refuses_to_keep_registrations_longer_than_the_notice(clock, edition, cli):
    with pytest.raises(retention.LongerThanNotice):
        retention.purge(REGISTRATION_DAYS + 1)
    clock[0] = datetime(2014, 5, 4, 6, 0, tzinfo=UTC)
    refused = cli.invoke(args=["congress", "purge", "--older-than", str(REGISTRATION_DAYS + 1)])
    assert refused.exit_code == 2
    assert "31 days is longer than the 30 days the privacy notice states" in refused.output
    assert _count(Registration, Registration.erased_at.is_not(None)) == 0

    default = cli.invoke(args=["congress", "purge"])
    assert default.exit_code == 0, default.output
    assert (
        "purge: 2 registrations erased in 1 past editions, 0 audit entries older than 90 days"
        in default.output
    )


def test_purge_keeps_a_broken_audit_chain_whole(clock, edition, cli):
    from sqlalchemy import text

    first = db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.seq)).first()
    db.session.execute(
        text("UPDATE audit_entry SET action = 'talk.forged' WHERE id = :id"), {"id": first.id}
    )
    db.session.commit()
    entries = _count(AuditEntry)
    clock[0] = REGISTERED_AT + timedelta(days=AUDIT_DAYS + 1)

    result = cli.invoke(args=["congress", "purge"])
    assert result.exit_code == 1
    assert "registrations purged; audit chain broken at entry id" in result.output
    assert "audit entries kept (see audit-verify)" in result.output
    # The registrations went (their own transactions), the evidence stayed.
    assert _count(Registration, Registration.erased_at.is_not(None)) == 2
    assert _count(AuditEntry) == entries + 1  # the purge's own "retention.purged"
