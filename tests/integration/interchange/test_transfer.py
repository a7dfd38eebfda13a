"""``flask congress export`` and ``interchange.transfer``: an edition as one JSON document."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, date, datetime
from typing import Any

import pyotp
import pytest

from congress.accounts.models import Role, User
from congress.accounts.services import (
    authenticate,
    confirm_totp_setup,
    create_organiser,
    start_totp_setup,
)
from congress.audit.log import verify
from congress.audit.models import AuditEntry
from congress.caching.store import cache
from congress.core import clock
from congress.core.models import Base
from congress.edition.models import Event
from congress.edition.queries import current_event
from congress.extensions import db
from congress.interchange import transfer
from congress.mail.models import OutboxMessage
from congress.programme.models import Speaker, Talk, TalkStatus
from congress.registration import services as registration_services
from congress.registration.checkin import check_in_registration
from congress.registration.models import (
    AccessToken,
    CheckIn,
    Registration,
    RegistrationStatus,
    SeatCounter,
    TicketCategory,
)
from tests.factories import make_category, make_registration

pytestmark = pytest.mark.integration

PASSWORD = "correct horse battery staple"
FIRST_DAY, SECOND_DAY = date(2014, 4, 1), date(2014, 4, 2)


def count(model: type[Base], *where: object) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model).where(*where))


def empty_database() -> None:
    """Every table emptied, as in a fresh database."""
    db.session.rollback()
    for table in reversed(Base.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()
    db.session.expunge_all()
    cache.clear()


def pairs(statement: Any) -> dict[Any, Any]:
    return dict(db.session.execute(statement).tuples().all())


def without_volatile(document: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in document.items() if key not in transfer.VOLATILE_FIELDS}


@pytest.fixture
def busy_edition(demo) -> Event:
    """The demo edition with organisers (one with TOTP), registrations in every state,
    agendas (one seat in a workshop) and a check-in."""
    event = current_event()
    admin = create_organiser("admin@apssis-orga.fr", PASSWORD, Role.ADMIN, "Alice Admin")
    confirm_totp_setup(admin, pyotp.TOTP(start_totp_setup(admin)).at(clock.now()))
    desk = create_organiser("desk@apssis-orga.fr", PASSWORD, Role.DESK, "Dan Desk")
    hospitals = db.session.scalars(
        db.select(TicketCategory).where(TicketCategory.slug == "etablissements-de-sante")
    ).one()
    workshop = db.session.scalars(
        db.select(Talk).where(Talk.seat_limit.is_not(None)).order_by(Talk.starts_at)
    ).first()
    keynote = db.session.scalars(
        db.select(Talk).where(Talk.status == TalkStatus.CONFIRMED).order_by(Talk.starts_at)
    ).first()

    marie, _ = make_registration(
        event,
        hospitals,
        "marie.curie@chu-exemple.fr",
        days=[FIRST_DAY, SECOND_DAY],
        accessibility_needs="Fauteuil roulant",
        dietary_needs="Sans gluten",
        needs_consent=True,
        newsletter=True,
    )
    registration_services.add_to_agenda(marie, workshop)
    registration_services.add_to_agenda(marie, keynote)
    make_registration(event, hospitals, "en-attente@chu-exemple.fr", confirm=False)
    gone, _ = make_registration(event, hospitals, "annule@chu-exemple.fr")
    registration_services.cancel(gone)
    erased, _ = make_registration(event, hospitals, "efface@chu-exemple.fr")
    registration_services.erase(erased)
    tiny = make_category(event, capacity=1, name="Presse")
    make_registration(event, tiny, "presse-1@journal.fr")
    make_registration(event, tiny, "presse-2@journal.fr")  # waiting list

    clock.set_clock(lambda: datetime(2014, 4, 1, 7, 30, tzinfo=UTC))
    try:
        check_in_registration(event, marie.id, user=desk)
    finally:
        clock.set_clock(None)
    return event


# -- the document -----------------------------------------------------------------------------


def test_export_holds_every_part_of_the_edition(busy_edition):
    document = transfer.export_edition(busy_edition)
    assert (document["format"], document["version"]) == ("congress-edition", 1)
    assert document["edition"]["slug"] == "apssis-2014"
    assert document["edition"]["timezone"] == "Europe/Paris"
    assert len(document["rooms"]) == 3
    assert len(document["tracks"]) == 4
    assert len(document["talks"]) == count(Talk)
    assert len(document["speakers"]) == count(Speaker)
    assert len(document["ticket_categories"]) == count(TicketCategory)
    assert len(document["registrations"]) == 6
    assert [organiser["email"] for organiser in document["organisers"]] == [
        "admin@apssis-orga.fr",
        "desk@apssis-orga.fr",
    ]
    assert document["organisers"][1] == {
        "email": "desk@apssis-orga.fr",
        "role": "desk",
        "display_name": "Dan Desk",
    }
    marie = next(
        row for row in document["registrations"] if row["email"] == "marie.curie@chu-exemple.fr"
    )
    assert marie["status"] == "confirmed"
    assert marie["days"] == ["2014-04-01", "2014-04-02"]
    assert (marie["accessibility_needs"], marie["dietary_needs"]) == (
        "Fauteuil roulant",
        "Sans gluten",
    )
    assert marie["needs_consent_at"].endswith("Z")
    assert marie["check_ins"] == [
        {
            "day": "2014-04-01",
            "checked_in_at": "2014-04-01T07:30:00Z",
            "by": "desk@apssis-orga.fr",
            "by_label": marie["check_ins"][0]["by_label"],
        }
    ]
    assert sorted(item["holds_seat"] for item in marie["agenda"]) == [False, True]
    talk_uids = {talk["uid"] for talk in document["talks"]}
    assert {item["talk"] for item in marie["agenda"]} <= talk_uids
    statuses = sorted(
        (row["email"], row["status"], row["erased_at"] is not None)
        for row in document["registrations"]
    )
    assert statuses[:2] == [
        ("annule@chu-exemple.fr", "cancelled", False),
        ("en-attente@chu-exemple.fr", "pending", False),
    ]
    assert statuses[2][0].startswith("erased-")
    assert statuses[2][1:] == ("cancelled", True)
    assert statuses[3:] == [
        ("marie.curie@chu-exemple.fr", "confirmed", False),
        ("presse-1@journal.fr", "confirmed", False),
        ("presse-2@journal.fr", "waiting", False),
    ]
    talk = document["talks"][0]
    assert talk["starts_at"].endswith("Z")
    assert set(talk) >= {"uid", "sequence", "status", "disclosure", "speakers"}


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {key for item in value.values() for key in _keys(item)}
    if isinstance(value, list):
        return {key for item in value for key in _keys(item)}
    return set()


def test_export_leaves_out_secrets_outbox_and_audit(busy_edition):
    text = json.dumps(transfer.export_edition(busy_edition), ensure_ascii=False)
    secrets = [
        *db.session.scalars(db.select(User.password_hash)),
        *db.session.scalars(db.select(User.totp_secret).where(User.totp_secret.is_not(None))),
        *db.session.scalars(db.select(AccessToken.token_hash)),
        *db.session.scalars(
            db.select(Registration.checkin_code_hash).where(
                Registration.checkin_code_hash.is_not(None)
            )
        ),
    ]
    assert len(secrets) > 10
    assert not [secret for secret in secrets if secret in text]
    keys = _keys(json.loads(text))
    assert not {key for key in keys if any(word in key for word in ("password", "totp", "hash"))}
    assert not {key for key in keys if "token" in key or "outbox" in key or "audit" in key}
    bodies = db.session.scalars(db.select(OutboxMessage.body_text)).all()
    assert bodies
    assert "/r/" not in text  # no private link from a queued e-mail


# -- round trip -------------------------------------------------------------------------------


def test_export_load_export_gives_the_same_document(busy_edition):
    original = transfer.export_edition(busy_edition)
    hashes = pairs(db.select(Registration.uid, Registration.checkin_code_hash))
    search = pairs(db.select(Talk.uid, Talk.search_text))
    seats = pairs(db.select(Talk.uid, SeatCounter.taken).join(SeatCounter))
    text = json.dumps(original, ensure_ascii=False)

    empty_database()
    report = transfer.import_edition(json.loads(text))

    assert report == transfer.TransferReport(
        edition="apssis-2014",
        rooms=3,
        tracks=4,
        speakers=len(original["speakers"]),
        talks=len(original["talks"]),
        ticket_categories=len(original["ticket_categories"]),
        registrations=6,
        organisers=2,
        organisers_kept=0,
    )
    again = transfer.export_edition(current_event())
    assert without_volatile(again) == without_volatile(original)
    assert pairs(db.select(Registration.uid, Registration.checkin_code_hash)) == (hashes)
    assert pairs(db.select(Talk.uid, Talk.search_text)) == search
    assert pairs(db.select(Talk.uid, SeatCounter.taken).join(SeatCounter)) == seats
    assert list(seats.values()) == [1]
    assert count(AccessToken) == 0
    assert count(OutboxMessage) == 0
    assert list(db.session.scalars(db.select(AuditEntry.action))) == ["edition.imported"]
    assert verify().ok


def test_loaded_organisers_cannot_log_in_until_given_a_password(busy_edition):
    document = transfer.export_edition(busy_edition)
    empty_database()
    transfer.import_edition(document)
    admin = db.session.scalars(db.select(User).where(User.email == "admin@apssis-orga.fr")).one()
    assert (admin.role, admin.display_name, admin.totp_secret) == (Role.ADMIN, "Alice Admin", None)
    assert admin.password_hash == transfer.UNUSABLE_PASSWORD
    assert authenticate("admin@apssis-orga.fr", PASSWORD).user is None


def test_existing_organiser_is_kept_as_it_is(busy_edition):
    document = transfer.export_edition(busy_edition)
    empty_database()
    create_organiser("desk@apssis-orga.fr", PASSWORD, Role.EDITOR, "Already here")
    report = transfer.import_edition(document)
    assert (report.organisers, report.organisers_kept) == (1, 1)
    desk = db.session.scalars(db.select(User).where(User.email == "desk@apssis-orga.fr")).one()
    assert (desk.role, desk.display_name) == (Role.EDITOR, "Already here")
    check_in = db.session.scalars(db.select(CheckIn)).one()
    assert check_in.by_user_id == desk.id


# -- refusals ---------------------------------------------------------------------------------


@pytest.fixture
def document(busy_edition) -> dict[str, Any]:
    exported = transfer.export_edition(busy_edition)
    empty_database()
    return exported


def _broken(document: dict[str, Any], change: str) -> dict[str, Any]:
    broken = json.loads(json.dumps(document))
    if change == "format":
        broken["format"] = "frab"
    elif change == "version":
        broken["version"] = 2
    elif change == "missing":
        del broken["talks"][3]["starts_at"]
    elif change == "naive":
        broken["talks"][0]["ends_at"] = "2014-04-01T10:00:00"
    elif change == "kind":
        broken["talks"][1]["kind"] = "lecture"
    elif change == "speaker":
        broken["talks"][0]["speakers"] = [{"speaker": "nobody", "role": "speaker", "position": 0}]
    elif change == "list":
        broken["rooms"] = "Grand amphi"
    elif change == "day":
        broken["registrations"][0]["days"] = ["2014-03-31"]
    return broken


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("format", "not an edition document: format 'frab'"),
        ("version", "unsupported edition document version 2 (this server reads version 1)"),
        ("missing", "talks[3]: missing or unknown 'starts_at'"),
        ("naive", "talks[0]: '2014-04-01T10:00:00' has no UTC offset"),
        ("kind", "talks[1]: 'lecture' is not a valid TalkKind"),
        ("speaker", "talks[0]: missing or unknown 'nobody'"),
        ("list", "rooms: a list is expected"),
        ("day", "registrations[0]: a day before the edition's first day"),
    ],
)
def test_bad_document_is_refused_and_nothing_stored(document, change, message):
    with pytest.raises(transfer.TransferError) as raised:
        transfer.import_edition(_broken(document, change))
    assert str(raised.value) == message
    assert count(Event) == 0
    assert count(Talk) == 0
    assert count(User) == 0
    assert count(AuditEntry) == 0


def test_value_the_database_refuses_is_one_line_and_nothing_stored(document):
    broken = json.loads(json.dumps(document))
    broken["talks"][0]["ends_at"] = broken["talks"][0]["starts_at"]
    with pytest.raises(transfer.TransferError, match=r"^the database refused the edition: "):
        transfer.import_edition(broken)
    assert count(Event) == 0
    assert count(AuditEntry) == 0


def test_loading_an_edition_twice_is_refused(document):
    transfer.import_edition(document)
    with pytest.raises(transfer.TransferError, match="edition 'apssis-2014' already exists"):
        transfer.import_edition(document)
    assert count(Event) == 1


def test_uid_already_used_elsewhere_is_refused(document):
    transfer.import_edition(document)
    renamed = json.loads(json.dumps(document))
    renamed["edition"]["slug"] = "apssis-2014-copie"
    with pytest.raises(transfer.TransferError, match=r"^talks: uid .* already exists"):
        transfer.import_edition(renamed)
    assert count(Event) == 1


# -- command line -----------------------------------------------------------------------------


def test_export_command_writes_a_private_file_and_one_summary_line(busy_edition, cli, tmp_path):
    target = tmp_path / "edition.json"
    result = cli.invoke(args=["congress", "export", "--output", str(target)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    talks = count(Talk)
    assert lines[0].startswith(
        f"export: edition apssis-2014: {talks} sessions, {count(Speaker)} speakers, 3 rooms, "
        f"6 registrations, 2 organisers written to {target} in "
    )
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    document = json.loads(target.read_text(encoding="utf-8"))
    assert (document["format"], document["version"], len(document["talks"])) == (
        "congress-edition",
        1,
        talks,
    )


def test_export_command_to_stdout_keeps_the_summary_on_stderr(busy_edition, cli):
    result = cli.invoke(args=["congress", "export"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["edition"]["slug"] == "apssis-2014"
    assert "export: edition apssis-2014:" in result.stderr
    assert "written to standard output" in result.stderr


def test_export_command_without_edition_fails(app, cli):
    result = cli.invoke(args=["congress", "export"])
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: no edition in the database: nothing to export"


def test_import_command_loads_an_edition_document(busy_edition, cli, tmp_path):
    source = tmp_path / "edition.json"
    assert cli.invoke(args=["congress", "export", "-o", str(source)]).exit_code == 0
    original = json.loads(source.read_text(encoding="utf-8"))
    empty_database()
    result = cli.invoke(args=["congress", "import", str(source)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        f"import: edition apssis-2014 loaded: {len(original['talks'])} sessions, "
    )
    again = transfer.export_edition(current_event())
    assert without_volatile(again) == without_volatile(original)
    assert count(Registration, Registration.status == RegistrationStatus.WAITING) == 1


def test_import_command_refuses_a_broken_edition_document(document, cli, tmp_path):
    source = tmp_path / "edition.json"
    source.write_text(json.dumps(_broken(document, "missing")), encoding="utf-8")
    result = cli.invoke(args=["congress", "import", str(source)])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: edition.json: talks[3]: missing or unknown 'starts_at'"
    )
    assert count(Event) == 0
