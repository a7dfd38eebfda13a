"""The audit log reads as sentences in the interface's language, with links and values.

Also: every action the code records has a sentence (the code is walked), the
raw record shows only when asked, filters and pages narrow the list, and the
chain check puts its result on record.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from congress.audit.models import AuditEntry
from congress.dashboard.audit_trail import SENTENCES
from congress.extensions import db
from congress.programme import services
from congress.programme.models import Talk
from tests.factories import make_event, make_room, make_talk, paris
from tests.http import csrf_from

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[3] / "congress"


def _recorded_actions() -> tuple[set[str], set[str]]:
    """Codes passed to ``record`` or an ``_audit`` helper: constants and f-string patterns."""
    constants: set[str] = set()
    patterns: set[str] = set()
    for path in ROOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            position = {"record": 0, "_audit": 1}.get(name or "")
            if position is None or len(node.args) <= position:
                continue
            argument = node.args[position]
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                constants.add(argument.value)
            elif isinstance(argument, ast.JoinedStr):
                patterns.add(
                    "".join(
                        re.escape(part.value) if isinstance(part, ast.Constant) else "[a-z_]+"
                        for part in argument.values
                    )
                )
    return constants, patterns


def test_every_recorded_action_has_a_sentence():
    constants, patterns = _recorded_actions()
    assert len(constants) > 40
    assert constants - set(SENTENCES) == set()
    for pattern in patterns:  # f"{kind}.created", f"speaker.{action}"...
        assert [code for code in SENTENCES if re.fullmatch(pattern, code)], pattern
    for kind in ("room", "track", "speaker", "talk", "event"):
        assert {f"{kind}.created", f"{kind}.updated"} <= set(SENTENCES)


@pytest.fixture
def moved(app):
    event = make_event()
    room = make_room(event, "Amphi")
    talk = make_talk(event, "PGSSI-S en pratique", starts_at=paris(1, "10:45"), room=room)
    services.move_talk(talk, paris(1, "14:00"), paris(1, "14:45"), room)
    return talk


def test_audit_page_speaks_french_with_link_and_values_side_by_side(client, login_as, moved):
    login_as("admin")
    html = client.get("/dashboard/audit").get_data(as_text=True)
    talk_id = db.session.scalars(db.select(Talk.id).where(Talk.uid == moved.uid)).one()
    link = f'<a href="/dashboard/talks/{talk_id}">«\u202fPGSSI-S en pratique\u202f»</a>'
    assert f"Le système a déplacé la session {link}" in html
    assert f'<a href="/dashboard/talks/{talk_id}">' in html
    row = '<th scope="row">Début</th><td>mardi 1er avril 2014, 10:45</td>'
    assert row + "<td>mardi 1er avril 2014, 14:00</td>" in html
    assert "talk.updated" not in html.split("<select", 1)[0] + html.split("</select>", 1)[1]
    assert "audit-raw" not in html
    assert "\\u00e9" not in html


def test_audit_page_speaks_english(client, login_as, moved):
    login_as("admin")
    html = client.get("/dashboard/audit?lang=en").get_data(as_text=True)
    assert "moved the session" in html
    assert '<th scope="row">Start</th>' in html
    assert "Tuesday" in html


def test_raw_record_only_on_demand_with_readable_accents(client, login_as, moved):
    login_as("admin")
    html = client.get("/dashboard/audit?raw=1&action=talk.created").get_data(as_text=True)
    assert 'class="audit-raw"' in html
    assert "PGSSI-S en pratique" in html
    assert "1 entrée." in html


def test_filters_by_date_and_actor(client, login_as, moved):
    login_as("admin")
    none = client.get("/dashboard/audit?from=2099-01-01").get_data(as_text=True)
    assert "Aucune entrée ne correspond." in none
    page = client.get("/dashboard/audit?actor=admin-5").get_data(as_text=True)
    mine = page.split('<ol class="audit-list">', 1)[1]
    assert "s'est connecté·e" in mine
    assert "a déplacé la session" not in mine  # done by the system in this test


def test_chain_check_is_run_by_button_and_put_on_record(client, login_as, moved):
    login_as("admin")
    page = client.get("/dashboard/audit").get_data(as_text=True)
    assert "La chaîne n'a pas encore été vérifiée depuis cette page." in page
    answer = client.post("/dashboard/audit/verify", data={"csrf_token": csrf_from(page)})
    assert answer.status_code == 302
    html = client.get("/dashboard/audit").get_data(as_text=True)
    assert re.search(
        r"Dernière vérification le .* par admin-5@apssis-orga\.fr\u202f: intacte", html
    )
    entry = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "audit.verified")
    ).one()
    assert entry.changes["ok"] is True
    assert client.get("/dashboard/audit/verify").status_code == 405


def test_audit_page_is_for_admins_only(client, login_as, moved):
    login_as("editor")
    assert client.get("/dashboard/audit").status_code == 403


def test_day_filter_without_an_edition_uses_the_zone_the_times_are_shown_in(client, login_as):
    """Half past midnight in Paris on 1 April is 22:30 UTC on 31 March: it belongs to 1 April."""
    from datetime import UTC, datetime

    from congress.audit.log import record
    from congress.core import clock

    clock.set_clock(lambda: datetime(2014, 3, 31, 22, 30, tzinfo=UTC))
    try:
        record("event.updated", object_type="event", object_id="7")
        db.session.commit()
    finally:
        clock.set_clock(None)
    login_as("admin")
    page = client.get("/dashboard/audit?from=2014-04-01&to=2014-04-01").get_data(as_text=True)
    listed = page.split('<ol class="audit-list">', 1)[1]
    assert "00:30" in listed
    assert "1 entrée." in page
