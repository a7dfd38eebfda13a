"""Our feeds as Thunderbird reads them: parsed by ical.js, its calendar library, under Node.js.

``icaljs_parse.mjs`` registers the feed's own VTIMEZONE with ical.js (which ships no zone
database) and prints every event with its times converted to UTC. Node.js and the locked
ical.js are installed by ``make test`` (target ``node-deps``); without them these tests fail
rather than skip, so a machine that cannot run them is noticed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from congress.calendar.ical import IcsCalendar, IcsEvent, build_calendar
from congress.extensions import db
from congress.programme import services
from congress.programme.models import Talk, TalkStatus

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = Path(__file__).with_name("icaljs_parse.mjs")
NODE_MODULES = ROOT / "node_modules"
PARIS = ZoneInfo("Europe/Paris")
UID_DOMAIN = "congres.apssis"
INSTALL_HINT = "run `make test` (its node-deps target installs Node.js, npm and the locked ical.js)"


def _run(path: Path) -> subprocess.CompletedProcess[str]:
    """Run the ical.js helper on ``path``; fail (never skip) when it cannot run here."""
    node = shutil.which("node")
    if node is None:
        pytest.fail(f"Node.js (`node`) is not installed: {INSTALL_HINT}")
    if not (NODE_MODULES / "ical.js" / "package.json").is_file():
        pytest.fail(f"ical.js is missing from {NODE_MODULES}: {INSTALL_HINT}")
    return subprocess.run(
        [node, str(SCRIPT), str(path)],
        cwd=ROOT,
        env={**os.environ, "NODE_PATH": str(NODE_MODULES)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _icaljs(path: Path) -> dict[str, Any]:
    """What ical.js reads in the file at ``path``."""
    result = _run(path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _events(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    events = {event["uid"]: event for event in document["events"]}
    assert len(events) == len(document["events"]), "a UID appears twice"
    return events


def _talk(slug: str) -> Talk:
    db.session.expire_all()
    return db.session.scalars(db.select(Talk).where(Talk.slug == slug)).one()


def _talk_at_0915_on_first_day() -> Talk:
    db.session.expire_all()
    wanted = datetime(2014, 4, 1, 9, 15, tzinfo=PARIS)
    talks = db.session.scalars(db.select(Talk).where(Talk.status != TalkStatus.DRAFT))
    found = [talk for talk in talks if talk.starts_at.astimezone(PARIS) == wanted]
    assert len(found) == 1, [talk.slug for talk in found]
    return found[0]


def _feed(client: Any, url: str, tmp_path: Path) -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == 200, url
    path = tmp_path / "feed.ics"
    path.write_bytes(response.get_data())
    return _icaljs(path)


def test_icaljs_reads_the_programme_feed(client, demo, tmp_path):
    talk = _talk_at_0915_on_first_day()
    document = _feed(client, "/programme.ics", tmp_path)
    events = _events(document)
    published = db.session.scalars(db.select(Talk).where(Talk.status != TalkStatus.DRAFT)).all()

    assert document["errors"] == []
    assert document["calendar"] == {
        "version": "2.0",
        "prodid": "-//APSSIS//congress//FR",
        "method": "PUBLISH",
        "calscale": "GREGORIAN",
    }
    assert document["timezones"] == ["Europe/Paris"]
    assert set(events) == {f"{each.uid}@{UID_DOMAIN}" for each in published}
    assert events[f"{talk.uid}@{UID_DOMAIN}"] == {
        "uid": f"{talk.uid}@{UID_DOMAIN}",
        "summary": talk.title,
        "status": "CONFIRMED",
        "sequence": 0,
        "tzid": "Europe/Paris",
        "dtstart": "2014-04-01T07:15:00Z",
        "dtend": "2014-04-01T08:15:00Z",
        "categories": ["Conférence plénière", "Gouvernance et conformité"],
    }
    for each in published:
        event = events[f"{each.uid}@{UID_DOMAIN}"]
        assert event["dtstart"] == each.starts_at.strftime("%Y-%m-%dT%H:%M:%SZ"), each.slug
        assert event["dtend"] == each.ends_at.strftime("%Y-%m-%dT%H:%M:%SZ"), each.slug


def test_icaljs_sees_a_moved_then_cancelled_talk_as_the_same_event(client, demo, tmp_path):
    talk = _talk_at_0915_on_first_day()
    uid = f"{talk.uid}@{UID_DOMAIN}"
    title = talk.title

    services.move_talk(
        talk,
        datetime(2014, 4, 3, 10, 0, tzinfo=PARIS),
        datetime(2014, 4, 3, 11, 0, tzinfo=PARIS),
        talk.room,
        allow_conflicts=True,  # the demo's rooms are full: only the feeds matter here
    )
    moved = _events(_feed(client, f"/sessions/{talk.slug}.ics", tmp_path))
    services.cancel_talk(_talk(talk.slug))
    cancelled_document = _feed(client, "/programme.ics", tmp_path)
    cancelled = _events(cancelled_document)

    assert set(moved) == {uid}
    assert moved[uid]["status"] == "CONFIRMED"
    assert moved[uid]["sequence"] == 1
    assert moved[uid]["dtstart"] == "2014-04-03T08:00:00Z"
    assert moved[uid]["dtend"] == "2014-04-03T09:00:00Z"
    assert cancelled_document["errors"] == []
    assert cancelled[uid]["status"] == "CANCELLED"
    assert cancelled[uid]["sequence"] == 2
    assert cancelled[uid]["summary"] == f"[Annulé] {title}"
    assert cancelled[uid]["dtstart"] == "2014-04-03T08:00:00Z"


def test_icaljs_uses_the_vtimezone_on_both_sides_of_the_spring_change(tmp_path):
    """28 March 2014 is winter time (UTC+1), 31 March summer time (UTC+2): clocks changed
    on the 30th. ical.js knows no zone but the one the calendar sends."""
    stamp = datetime(2014, 3, 1, 12, 0, tzinfo=UTC)

    def event(uid: str, start: datetime, *, cancelled: bool = False, sequence: int = 0) -> IcsEvent:
        return IcsEvent(
            uid=uid,
            summary=f"Séance {uid}",
            description="",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            location="Le Mans",
            url=None,
            categories=("Conférence", "TLP:AMBER"),
            cancelled=cancelled,
            sequence=sequence,
            last_modified=stamp,
        )

    calendar = IcsCalendar(
        name="Test, fin mars",
        description="Avant et après le passage à l'heure d'été",
        timezone="Europe/Paris",
        events=(
            event("winter@test", datetime(2014, 3, 28, 9, 0, tzinfo=PARIS)),
            event("summer@test", datetime(2014, 3, 31, 9, 0, tzinfo=PARIS)),
            event(
                "gone@test", datetime(2014, 3, 31, 14, 0, tzinfo=PARIS), cancelled=True, sequence=3
            ),
        ),
    )
    path = tmp_path / "march.ics"
    path.write_bytes(build_calendar(calendar, dtstamp=stamp))

    document = _icaljs(path)
    events = _events(document)

    assert document["errors"] == []
    assert document["timezones"] == ["Europe/Paris"]
    assert events["winter@test"] == {
        "uid": "winter@test",
        "summary": "Séance winter@test",
        "status": "CONFIRMED",
        "sequence": 0,
        "tzid": "Europe/Paris",
        "dtstart": "2014-03-28T08:00:00Z",
        "dtend": "2014-03-28T09:00:00Z",
        "categories": ["Conférence", "TLP:AMBER"],
    }
    assert events["summer@test"]["dtstart"] == "2014-03-31T07:00:00Z"
    assert events["summer@test"]["dtend"] == "2014-03-31T08:00:00Z"
    assert events["gone@test"]["status"] == "CANCELLED"
    assert events["gone@test"]["sequence"] == 3
    assert events["gone@test"]["dtstart"] == "2014-03-31T12:00:00Z"


def test_icaljs_parser_fails_loudly_on_a_broken_file(tmp_path):
    """The helper's exit status is what the tests above rely on to notice a broken feed."""
    path = tmp_path / "broken.ics"
    path.write_text("BEGIN:VCALENDAR\r\nthis is not a content line\r\nEND:VCALENDAR\r\n")

    result = _run(path)

    assert result.returncode == 1
    assert "ical.js could not read" in result.stderr
    assert result.stdout == ""
