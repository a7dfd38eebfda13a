"""A TLP:AMBER abstract is read by the administrators and its assigned reviewer, nobody else.

One marker string is written into the proposal's abstract and notes. The
proposal then lives its whole life (submitted, confirmed, assigned, reviewed,
accepted, released, its session published, attendees registered) and the test
looks for the marker in everything the site lets out: every GET page and feed
of the application, followed as a visitor, an attendee, a programme editor, the
reception desk, an unassigned reviewer and a reviewer from the submitter's
organisation; the search; every spreadsheet export (as an administrator, who
may read the proposal but whose exports must not carry it); the whole-edition
export; every e-mail; every audit entry; every log record. The assigned
reviewer's and the administrator's pages are read too, to prove the marker can
be found where it belongs.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, date, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient

from congress.accounts.models import Role, User
from congress.accounts.services import create_organiser
from congress.audit.models import AuditEntry
from congress.cfp import decisions, services
from congress.cfp.models import Decision, Review, ReviewAssignment, Submission
from congress.edition.models import Event
from congress.extensions import db
from congress.interchange.transfer import export_edition
from congress.mail.models import OutboxMessage
from congress.programme import services as programme
from congress.programme.models import Speaker, Talk, TalkStatus
from congress.registration.models import TicketCategory
from tests.conftest import ORGANISER_PASSWORD
from tests.factories import make_registration
from tests.http import submit

pytestmark = pytest.mark.integration

MARKER = "Qzv7Ambre4Secret"
# A word of the abstract to search for: the search page repeats the query, so
# searching for the marker itself would find it in the search box.
WORD = "xylographie"
DECIDED = datetime(2014, 2, 20, 9, 0, tzinfo=UTC)
# Routes whose arguments this crawl cannot fill meaningfully (a file by name, an
# invoice number, one-time links that the e-mails carry and the tests of their
# own packages follow).
SKIPPED = {"static", "media.serve", "dashboard.invoice_detail", "dashboard.invoice_pdf"}


def _client(app: Flask, email: str, role: Role, organisation: str = "") -> FlaskClient:
    user = create_organiser(email, ORGANISER_PASSWORD, role)
    user.organisation = organisation
    db.session.commit()
    client = app.test_client()
    response = submit(client, "/login", {"email": email, "password": ORGANISER_PASSWORD})
    assert response.status_code == 302
    return client


def _proposal(event: Event) -> Submission:
    data = services.SubmissionData(
        title="Analyse d'une attaque par rançongiciel",
        abstract=f"Vecteur initial non corrigé : {MARKER}, {WORD}.",
        kind="attack_analysis",
        track_id=None,
        duration_minutes=45,
        language="fr",
        disclosure="tlp_amber",
        notes=f"Enquête en cours {MARKER}",
        name="Hélène Rousseau",
        email="helene.rousseau@chu-rennes-test.fr",
        organisation="CHU de Rennes",
    )
    submission = services.submit(event, data, language="fr")
    (message,) = db.session.scalars(
        db.select(OutboxMessage).where(OutboxMessage.kind == "cfp_confirm")
    ).all()
    services.confirm(re.search(r"/cfp/confirm/([A-Za-z0-9_-]+)", message.body_text).group(1))
    return submission


def _paths(app: Flask, values: dict[str, dict[str, str]]) -> list[str]:
    """Every GET route, its arguments filled from ``values`` (by endpoint, then by name)."""
    paths = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.endpoint in SKIPPED:
            continue
        path = rule.rule
        for argument in rule.arguments:
            value = values.get(rule.endpoint, {}).get(argument) or values["*"].get(argument)
            if value is None:
                break
            path = re.sub(rf"<(?:[a-z]+:)?{argument}>", value, path)
        else:
            paths.append(path)
    return sorted(paths)


def _body(client: FlaskClient, path: str) -> str:
    """The answer's body as text, the response closed (a file answer holds an open file)."""
    response = client.get(path)
    try:
        data = response.get_data()
        if response.mimetype == "application/pdf":
            return data.decode("latin-1")
        return data.decode("utf-8", "replace")
    finally:
        response.close()


def test_an_amber_abstract_is_found_only_in_the_committees_view(
    app: Flask, demo, moment, login_as, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.DEBUG)
    event = db.session.scalars(db.select(Event)).one()
    submission = _proposal(event)
    assigned = _client(app, "relecteur@anssi-test.fr", Role.REVIEWER, "ANSSI")
    unassigned = _client(app, "autre@cert-test.fr", Role.REVIEWER, "CERT Santé")
    colleague = _client(app, "collegue@chu-rennes-test.fr", Role.REVIEWER, "CHU de Rennes")
    editor = _client(app, "editeur@apssis-test.fr", Role.EDITOR)
    desk = _client(app, "accueil@apssis-test.fr", Role.DESK)
    for email in ("relecteur@anssi-test.fr", "collegue@chu-rennes-test.fr"):
        user = db.session.scalars(db.select(User).where(User.email == email)).one()
        db.session.add(ReviewAssignment(submission_id=submission.id, user_id=user.id))
    reviewer = db.session.scalars(
        db.select(User).where(User.email == "relecteur@anssi-test.fr")
    ).one()
    db.session.add(
        Review(
            submission_id=submission.id,
            user_id=reviewer.id,
            relevance=5,
            originality=4,
            depth=5,
            clarity=4,
            comment="Très utile pour les RSSI.",
        )
    )
    db.session.commit()
    admin = login_as("admin")

    # Where it belongs: the assigned reviewer and the administrators read it.
    detail = f"/dashboard/cfp/{submission.uid}"
    assert MARKER in assigned.get(detail).get_data(as_text=True)
    assert MARKER in admin.get(detail).get_data(as_text=True)
    assert unassigned.get(detail).status_code == 404
    assert colleague.get(detail).status_code == 404

    moment[0] = DECIDED
    decisions.decide(submission, Decision.ACCEPTED)
    decisions.release(event)
    talk = db.session.get(Talk, submission.talk_id)
    data = programme.talk_data(talk)
    data.status = TalkStatus.CONFIRMED
    programme.update_talk(talk, data, allow_conflicts=True)
    category = db.session.scalars(db.select(TicketCategory)).first()
    _, token = make_registration(event, category, days=[date(2014, 4, 1)])
    speaker = db.session.get(Speaker, talk.speakers[0].id)

    values = {
        "*": {
            "token": token,
            "day": "2014-04-01",
            "key": "venue",
            "submission_uid": submission.uid,
        },
        "programme.session": {"slug": talk.slug},
        "calendar.session_feed": {"slug": talk.slug},
        "programme.speaker": {"slug": speaker.slug},
        "calendar.speaker_feed": {"slug": speaker.slug},
        "screens.one_room": {"slug": "grand-amphi"},
        "dashboard.talk_edit": {"talk_id": str(talk.id)},
        "dashboard.speaker_edit": {"speaker_id": str(speaker.id)},
    }
    paths = _paths(app, values)
    paths += [f"/programme?q={WORD}", "/programme?q=vecteur", "/programme?q=rançongiciel"]
    leaks: list[tuple[str, str]] = []
    clients = {
        "visitor": app.test_client(),
        "editor": editor,
        "desk": desk,
        "unassigned reviewer": unassigned,
        "reviewer of the same organisation": colleague,
        "assigned reviewer": assigned,
    }
    for who, client in clients.items():
        for path in paths:
            if who == "assigned reviewer" and path.startswith(detail):
                continue  # the one place they may read it
            if MARKER in _body(client, path):
                leaks.append((who, path))
    exports = [path for path in paths if "/exports/" in path or path.endswith(".csv")]
    leaks += [("administrator's export", p) for p in exports if MARKER in _body(admin, p)]
    assert leaks == []

    assert MARKER not in json.dumps(export_edition(event), default=str)
    for message in db.session.scalars(db.select(OutboxMessage)):
        assert MARKER not in message.subject
        assert MARKER not in message.body_text
        assert MARKER not in (message.body_html or "")
    for entry in db.session.scalars(db.select(AuditEntry)):
        assert MARKER not in json.dumps(entry.changes, default=str)
        assert MARKER not in f"{entry.action} {entry.object_id} {entry.actor_label}"
    for record in caplog.records:
        assert MARKER not in record.getMessage()
        assert MARKER not in json.dumps(vars(record), default=str)
