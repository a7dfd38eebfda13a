"""A proposal's attachment: checked, rebuilt, encrypted, replaced, downloaded, audited.

Also the submitter's data export (``/cfp/s/<token>/data.json``).
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from congress.audit.models import AuditEntry
from congress.cfp import services
from congress.cfp.models import Decision, Submission
from congress.extensions import db
from congress.mail.models import OutboxMessage
from tests.cfp import DURING, PROPOSAL_FORM
from tests.factories import make_pdf
from tests.http import csrf_from, submit

pytestmark = pytest.mark.integration

MARKER = "CONTENU-CONFIDENTIEL-7731"
ABSTRACT = "Une chaîne d’attaque encore inconnue du public."

FORM = {**PROPOSAL_FORM, "title": "Rançongiciel au bloc opératoire", "abstract": ABSTRACT}


def _stored(folder: Path) -> list[Path]:
    return sorted(folder.iterdir()) if folder.exists() else []


def _pdf(data: bytes, name: str = "dossier technique.pdf") -> tuple[io.BytesIO, str]:
    return io.BytesIO(data), name


def _link(path: str) -> str:
    message = db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    return re.search(rf"http://congress\.test({path}[A-Za-z0-9_-]+)", message.body_text).group(1)


def _post_in_memory(client, path: str, data: dict) -> object:
    """Like ``tests.http.submit``, the multipart body encoded here, in memory.

    The test client would spool a large body to a temporary file that it never
    closes (a ResourceWarning); a real server reads from its socket.
    """
    page = client.get(path)
    payload = {
        name: FileStorage(value[0], filename=value[1]) if isinstance(value, tuple) else value
        for name, value in {"csrf_token": csrf_from(page.get_data(as_text=True)), **data}.items()
    }
    boundary, body = encode_multipart(payload)
    return client.post(path, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def _submitted(client, **fields) -> str:
    """Submit (with ``fields`` over the form) and confirm; the private page's path."""
    response = _post_in_memory(client, "/cfp/submit", {**FORM, **fields})
    assert response.status_code == 302, response.get_data(as_text=True)
    confirm_path = _link("/cfp/confirm/")
    page = client.get(confirm_path)
    confirmed = client.post(
        confirm_path, data={"csrf_token": csrf_from(page.get_data(as_text=True))}
    )
    assert confirmed.status_code == 302
    return confirmed.headers["Location"]


def _submission() -> Submission:
    db.session.expire_all()
    return db.session.scalars(db.select(Submission)).one()


def _entries(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == action)))


# ---------------------------------------------------------------- submitting


def test_submitted_pdf_is_rebuilt_encrypted_and_audited_by_name_only(client, event, folder):
    manage = _submitted(client, attachment=_pdf(make_pdf(MARKER, pages=2, hostile=True)))

    submission = _submission()
    assert submission.attachment_name == "dossier-technique.pdf"
    assert submission.attachment_size > 0
    (stored,) = _stored(folder)
    assert stored.name == submission.attachment_key
    assert MARKER.encode() not in stored.read_bytes()
    (entry,) = _entries("cfp.submitted")
    assert entry.changes["attachment_name"] == "dossier-technique.pdf"
    assert entry.changes["attachment_size"] == submission.attachment_size
    assert MARKER not in json.dumps(entry.changes)

    download = client.get(f"{manage}/attachment.pdf")
    assert download.status_code == 200
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"] == (
        'attachment; filename="dossier-technique.pdf"'
    )
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in download.headers["Cache-Control"]
    assert MARKER.encode() in download.data
    for name in (b"/JavaScript", b"/OpenAction", b"/EmbeddedFile", b"/Annots"):
        assert name not in download.data
    assert len(download.data) == submission.attachment_size


def test_a_proposal_without_a_file_has_no_attachment(client, event, folder):
    manage = _submitted(client)

    assert _submission().attachment_key is None
    assert _stored(folder) == []
    assert client.get(f"{manage}/attachment.pdf").status_code == 404


def test_refused_file_is_named_beside_its_field_keeping_the_rest(client, event, folder):
    response = submit(
        client,
        "/cfp/submit",
        {**FORM, "attachment": _pdf(b"GIF89a, not a PDF", "photo.gif")},
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    error = re.search(r'id="attachment-error">([^<]*)<', html).group(1)
    assert "Seuls les fichiers PDF sont acceptés." in error
    assert "Choisissez à nouveau le fichier" in error
    assert 'value="Rançongiciel au bloc opératoire"' in html
    assert ABSTRACT in html
    assert 'enctype="multipart/form-data"' in html
    assert db.session.scalar(db.select(db.func.count(Submission.id))) == 0
    assert _stored(folder) == []


def test_every_refusal_is_shown_at_once_with_the_file(client, event, folder):
    response = submit(
        client,
        "/cfp/submit",
        {**FORM, "email": "pas-une-adresse", "attachment": _pdf(make_pdf(MARKER, password="x"))},
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="email-error"' in html
    assert "protégé par un mot de passe" in html
    assert _stored(folder) == []


def test_a_good_file_is_not_stored_when_another_field_is_refused(client, event, folder):
    response = submit(client, "/cfp/submit", {**FORM, "email": "x", "attachment": _pdf(make_pdf())})

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choisissez à nouveau le fichier" in html
    assert _stored(folder) == []


def test_a_file_above_the_global_request_limit_is_accepted(client, event, folder, app):
    big = make_pdf("A" * (2 * 1024 * 1024))
    assert len(big) > app.config["MAX_CONTENT_LENGTH"]

    _submitted(client, attachment=_pdf(big))

    assert _submission().attachment_size > 2 * 1024 * 1024


def test_a_request_beyond_the_file_limit_gets_a_clear_413(client, event, folder, app):
    app.config["CFP_FILE_MAX_BYTES"] = 1024 * 1024
    big = make_pdf("B" * (2200 * 1024))

    response = _post_in_memory(client, "/cfp/submit", {**FORM, "attachment": _pdf(big)})

    html = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "Le fichier dépasse 1\u00a0Mo" in html or "Le fichier dépasse 1 Mo" in html
    assert "rien n’a été enregistré" in html
    assert db.session.scalar(db.select(db.func.count(Submission.id))) == 0


def test_a_file_above_the_file_limit_inside_the_envelope_is_refused_beside_its_field(
    client, event, folder, app
):
    app.config["CFP_FILE_MAX_BYTES"] = 100 * 1024

    response = submit(
        client, "/cfp/submit", {**FORM, "attachment": _pdf(make_pdf("C" * (200 * 1024)))}
    )

    assert response.status_code == 400
    assert 'id="attachment-error"' in response.get_data(as_text=True)
    assert _stored(folder) == []


# ---------------------------------------------------------------- the private page


def test_replacing_the_file_destroys_the_previous_one(client, event, folder):
    manage = _submitted(client, attachment=_pdf(make_pdf("first")))
    first = _submission().attachment_key

    response = submit(client, manage, {**FORM, "attachment": _pdf(make_pdf("second"), "v2.pdf")})

    assert response.status_code == 302
    submission = _submission()
    assert submission.attachment_key != first
    assert submission.attachment_name == "v2.pdf"
    assert [path.name for path in _stored(folder)] == [submission.attachment_key]
    (entry,) = _entries("cfp.updated")
    assert entry.changes["attachment_name"] == ["dossier-technique.pdf", "v2.pdf"]
    assert b"second" in client.get(f"{manage}/attachment.pdf").data


def test_removing_the_attachment_deletes_its_file(client, event, folder):
    manage = _submitted(client, attachment=_pdf(make_pdf()))
    page = client.get(manage).get_data(as_text=True)
    assert "dossier-technique.pdf" in page
    assert 'name="remove_attachment"' in page

    response = submit(client, manage, {**FORM, "remove_attachment": "y"})

    assert response.status_code == 302
    submission = _submission()
    assert (submission.attachment_key, submission.attachment_name) == (None, "")
    assert submission.attachment_size is None
    assert _stored(folder) == []
    (entry,) = _entries("cfp.updated")
    assert entry.changes["attachment_name"] == ["dossier-technique.pdf", ""]


def test_saving_without_a_file_keeps_the_attachment(client, event, folder):
    manage = _submitted(client, attachment=_pdf(make_pdf()))
    key = _submission().attachment_key

    assert submit(client, manage, {**FORM, "title": "Nouveau titre"}).status_code == 302

    assert _submission().attachment_key == key
    assert len(_stored(folder)) == 1


def test_a_refused_replacement_keeps_the_old_file_and_what_was_typed(client, event, folder):
    manage = _submitted(client, attachment=_pdf(make_pdf()))
    key = _submission().attachment_key

    response = submit(
        client, manage, {**FORM, "title": "Titre retapé", "attachment": _pdf(b"%PDF-1.7 broken")}
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="Titre retapé"' in html
    assert "Choisissez à nouveau le fichier" in html
    submission = _submission()
    assert (submission.attachment_key, submission.title) == (key, FORM["title"])
    assert [path.name for path in _stored(folder)] == [key]


def test_withdrawing_keeps_the_file(client, event, folder):
    manage = _submitted(client, attachment=_pdf(make_pdf()))
    page = client.get(f"{manage}/withdraw")
    client.post(f"{manage}/withdraw", data={"csrf_token": csrf_from(page.get_data(as_text=True))})

    assert _submission().withdrawn_at is not None
    assert len(_stored(folder)) == 1
    assert client.get(f"{manage}/attachment.pdf").status_code == 200


def test_reading_a_red_proposals_attachment_is_audited_by_title(client, event):
    manage = _submitted(client, disclosure="tlp_red", attachment=_pdf(make_pdf(MARKER)))

    assert client.get(f"{manage}/attachment.pdf").status_code == 200

    (entry,) = _entries("cfp.attachment_read")
    assert entry.object_id == _submission().uid
    assert entry.changes == {"title": FORM["title"]}


def test_reading_a_green_proposals_attachment_is_not_audited(client, event):
    manage = _submitted(client, attachment=_pdf(make_pdf(MARKER)))

    assert client.get(f"{manage}/attachment.pdf").status_code == 200

    assert _entries("cfp.attachment_read") == []


def test_a_missing_file_answers_404_not_500(client, event, folder):
    manage = _submitted(client, attachment=_pdf(make_pdf()))
    for path in _stored(folder):
        path.unlink()

    assert client.get(f"{manage}/attachment.pdf").status_code == 404


# ---------------------------------------------------------------- the data export


def test_data_export_holds_the_proposal_and_speakers_not_the_file(client, event):
    manage = _submitted(
        client,
        attachment=_pdf(make_pdf(MARKER)),
        cospeaker_1_name="Bob Durand",
        cospeaker_1_email="bob@test.fr",
    )
    assert f"{manage}/data.json" in client.get(manage).get_data(as_text=True)

    response = client.get(f"{manage}/data.json")

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "no-store" in response.headers["Cache-Control"]
    data = response.get_json()
    assert (data["title"], data["abstract"], data["status"]) == (
        FORM["title"],
        ABSTRACT,
        "submitted",
    )
    assert data["speakers"][0]["email"] == "alice@chu-test.fr"
    assert data["speakers"][0]["organisation"] == "CHU de test"
    assert data["speakers"][1]["name"] == "Bob Durand"
    assert data["attachment"] == {
        "name": "dossier-technique.pdf",
        "size": _submission().attachment_size,
    }
    assert MARKER not in response.get_data(as_text=True)
    assert data["decision"] is None


def test_data_export_shows_the_decision_only_once_released(client, event, moment):
    manage = _submitted(client)
    submission = _submission()
    submission.decision = Decision.REJECTED
    submission.decided_at = DURING
    db.session.commit()

    assert client.get(f"{manage}/data.json").get_json()["decision"] is None
    assert "rejected" not in client.get(f"{manage}/data.json").get_data(as_text=True)

    submission = _submission()
    submission.decision_released_at = DURING
    db.session.commit()
    assert client.get(f"{manage}/data.json").get_json()["decision"] == "rejected"


def test_data_export_of_an_unknown_link_is_404(client, event):
    assert client.get("/cfp/s/unknown-token/data.json").status_code == 404
    assert client.get("/cfp/s/unknown-token/attachment.pdf").status_code == 404


def test_a_failed_commit_keeps_the_old_file_and_deletes_the_new_one(
    client, event, folder, monkeypatch
):
    _submitted(client, attachment=_pdf(make_pdf("first")))
    submission = _submission()
    old = submission.attachment_key
    data = services.SubmissionData(
        title=FORM["title"],
        abstract=ABSTRACT,
        kind="attack_analysis",
        track_id=None,
        duration_minutes=45,
        language="fr",
        disclosure="tlp_green",
        attachment=make_pdf("second"),
        attachment_name="v2.pdf",
    )

    def broken_commit() -> None:
        raise RuntimeError("database gone")

    monkeypatch.setattr(db.session, "commit", broken_commit)
    with pytest.raises(RuntimeError):
        services.update(submission, data)
    monkeypatch.undo()

    assert [path.name for path in _stored(folder)] == [old]
    assert _submission().attachment_key == old
