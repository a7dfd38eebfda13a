"""Slides from the speakers' space: kept by label, replaced, served to whom the label allows."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from congress.audit.models import AuditEntry
from congress.cfp import space
from congress.cfp.models import Slides
from congress.core.errors import Conflict
from congress.edition.models import Event
from congress.extensions import db
from congress.programme.models import Disclosure, TalkStatus
from congress.registration.models import Registration, RegistrationStatus
from tests.factories import make_category, make_pdf, make_registration
from tests.http import csrf_from
from tests.integration.cfp.test_space import DURING, accepted, edition_with_call
from tests.uploads import post_file

pytestmark = pytest.mark.integration

CLOCK_START = DURING  # after the decisions, before the session

# The session (April 1st, 10:00 Paris, 45 minutes) has ended.
AFTER = datetime(2014, 4, 2, 8, 0, tzinfo=UTC)
MARKER = "DIAPOSITIVES-4471"


@pytest.fixture
def event(app, moment) -> Event:
    return edition_with_call()


def _stored(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def _upload(client, token: str, data: bytes, name: str = "mes supports.pdf"):
    page = client.get(f"/speaker/{token}")
    csrf = csrf_from(page.get_data(as_text=True))
    return post_file(client, f"/speaker/{token}/slides", csrf, "slides", data, name)


def _entries(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == action)))


def _talk_slug(speaker) -> str:
    return speaker.submission.talk.slug


# ---------------------------------------------------------------- uploading


def test_upload_stores_an_encrypted_rebuilt_pdf_audited_by_name_and_size(client, event, folder):
    speaker, token = accepted(event)
    version = event.programme_version

    response = _upload(client, token, make_pdf(MARKER))

    assert response.status_code == 302
    db.session.expire_all()
    slides = db.session.scalars(db.select(Slides)).one()
    assert slides.talk_id == speaker.submission.talk_id
    assert slides.file_name == "mes-supports.pdf"
    assert slides.uploaded_by_id == speaker.id
    assert _stored(folder) == [slides.file_key]
    assert MARKER.encode() not in (folder / slides.file_key).read_bytes()
    [entry] = _entries("cfp.slides_uploaded")
    assert entry.changes == {
        "file_name": "mes-supports.pdf",
        "size": slides.size,
        "replaced": False,
    }
    assert entry.actor_label == "Alice Martin"
    assert db.session.get(Event, event.id).programme_version == version + 1
    own = client.get(f"/speaker/{token}/slides.pdf")
    assert own.status_code == 200
    assert MARKER.encode() in own.data
    assert own.headers["Content-Disposition"] == 'attachment; filename="mes-supports.pdf"'
    assert own.headers["Content-Type"] == "application/pdf"
    assert own.headers["X-Content-Type-Options"] == "nosniff"
    assert own.headers["Cache-Control"] == "no-store"


def test_a_new_upload_replaces_the_file_and_destroys_the_old_one(client, event, folder):
    _, token = accepted(event)
    _upload(client, token, make_pdf("PREMIER"))
    first = _stored(folder)

    response = _upload(client, token, make_pdf("SECOND"), "v2.pdf")

    assert response.status_code == 302
    db.session.expire_all()
    slides = db.session.scalars(db.select(Slides)).one()
    assert _stored(folder) == [slides.file_key]
    assert slides.file_key not in first
    assert b"SECOND" in client.get(f"/speaker/{token}/slides.pdf").data
    assert _entries("cfp.slides_uploaded")[-1].changes["replaced"] is True


def test_red_session_slides_are_refused_and_nothing_is_kept(client, event, folder):
    _, token = accepted(event, disclosure=Disclosure.TLP_RED)

    response = _upload(client, token, make_pdf(MARKER))

    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Cette session est TLP:RED" in html
    assert "Apportez-les sur votre propre appareil." in html
    assert db.session.scalar(db.select(db.func.count(Slides.id))) == 0
    assert _stored(folder) == []
    assert client.get(f"/speaker/{token}/slides.pdf").status_code == 404


def test_a_file_that_is_not_a_pdf_is_refused_beside_the_field(client, event, folder):
    _, token = accepted(event)

    response = _upload(client, token, b"MZ\x90\x00 not a pdf", "supports.pdf")

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="slides-error">Seuls les fichiers PDF sont acceptés.' in html
    assert _stored(folder) == []


def test_uploads_close_thirty_days_after_the_congress(event, moment):
    speaker, _ = accepted(event)
    moment[0] = datetime(2014, 5, 3, 21, 59, tzinfo=UTC)  # May 3rd 23:59 in Le Mans
    space.upload_slides(speaker, make_pdf("DERNIER"), "fin.pdf")
    moment[0] = datetime(2014, 5, 3, 22, 0, tzinfo=UTC)

    with pytest.raises(Conflict):
        space.upload_slides(speaker, make_pdf("TROP-TARD"), "fin.pdf")


# ---------------------------------------------------------------- public


def test_green_slides_are_public_only_once_the_session_has_ended(client, event, moment):
    speaker, token = accepted(event, status=TalkStatus.CONFIRMED)
    _upload(client, token, make_pdf(MARKER))
    slug = _talk_slug(speaker)

    before = client.get(f"/sessions/{slug}/slides.pdf")
    page_before = client.get(f"/sessions/{slug}").get_data(as_text=True)
    moment[0] = AFTER
    after = client.get(f"/sessions/{slug}/slides.pdf")

    assert before.status_code == 404
    assert "Supports (PDF)\u202f: disponibles après la session." in page_before
    assert after.status_code == 200
    assert MARKER.encode() in after.data
    assert after.headers["Content-Disposition"] == 'attachment; filename="mes-supports.pdf"'
    assert after.headers["X-Content-Type-Options"] == "nosniff"


def test_session_page_links_the_slides_after_the_upload(client, event, moment):
    speaker, token = accepted(event, status=TalkStatus.CONFIRMED)
    slug = _talk_slug(speaker)
    moment[0] = AFTER
    assert "slides.pdf" not in client.get(f"/sessions/{slug}").get_data(as_text=True)

    _upload(client, token, make_pdf(MARKER))

    html = client.get(f"/sessions/{slug}").get_data(as_text=True)
    assert f'href="/sessions/{slug}/slides.pdf"' in html
    assert "Télécharger les supports (PDF)" in html


def test_draft_session_slides_are_not_public(client, event, moment):
    speaker, token = accepted(event, status=TalkStatus.DRAFT)
    _upload(client, token, make_pdf(MARKER))
    moment[0] = AFTER

    assert client.get(f"/sessions/{_talk_slug(speaker)}/slides.pdf").status_code == 404


# ---------------------------------------------------------------- attendees


def _attendee(edition: Event, status: RegistrationStatus = RegistrationStatus.CONFIRMED) -> str:
    registration, token = make_registration(edition, make_category(edition))
    if status is not RegistrationStatus.CONFIRMED:
        db.session.get(Registration, registration.id).status = status
        db.session.commit()
    return token


def test_amber_slides_go_to_confirmed_attendees_only_and_each_download_is_audited(
    client, event, moment
):
    speaker, token = accepted(event, disclosure=Disclosure.TLP_AMBER, status=TalkStatus.CONFIRMED)
    _upload(client, token, make_pdf(MARKER))
    attendee = _attendee(event)
    slug = _talk_slug(speaker)
    assert client.get(f"/r/{attendee}/slides/{slug}.pdf").status_code == 404  # not ended
    assert "Supports réservés aux participants" not in client.get(f"/r/{attendee}").get_data(
        as_text=True
    )
    moment[0] = AFTER

    public = client.get(f"/sessions/{slug}/slides.pdf")
    page = client.get(f"/r/{attendee}").get_data(as_text=True)
    first = client.get(f"/r/{attendee}/slides/{slug}.pdf")
    second = client.get(f"/r/{attendee}/slides/{slug}.pdf")

    assert public.status_code == 404
    assert "slides.pdf" not in client.get(f"/sessions/{slug}").get_data(as_text=True)
    assert "Supports réservés aux participants" in page
    assert f'href="/r/{attendee}/slides/{slug}.pdf"' in page
    assert first.status_code == second.status_code == 200
    assert MARKER.encode() in first.data
    assert first.headers["Cache-Control"] == "no-store"
    assert first.headers["Content-Disposition"] == 'attachment; filename="mes-supports.pdf"'
    entries = _entries("cfp.slides_downloaded")
    assert len(entries) == 2
    assert entries[0].changes["file_name"] == "mes-supports.pdf"


@pytest.mark.parametrize(
    "status",
    [RegistrationStatus.PENDING, RegistrationStatus.WAITING, RegistrationStatus.CANCELLED],
)
def test_amber_slides_are_refused_to_a_registration_not_confirmed(client, event, moment, status):
    speaker, token = accepted(event, disclosure=Disclosure.TLP_AMBER, status=TalkStatus.CONFIRMED)
    _upload(client, token, make_pdf(MARKER))
    attendee = _attendee(event, status)
    moment[0] = AFTER

    response = client.get(f"/r/{attendee}/slides/{_talk_slug(speaker)}.pdf")

    assert response.status_code == 404
    assert _entries("cfp.slides_downloaded") == []


def test_another_edition_s_attendee_gets_404(client, event, moment):
    from tests.factories import make_event

    speaker, token = accepted(event, disclosure=Disclosure.TLP_AMBER, status=TalkStatus.CONFIRMED)
    _upload(client, token, make_pdf(MARKER))
    other = make_event(slug="autre")
    attendee = _attendee(other)
    moment[0] = AFTER

    assert client.get(f"/r/{attendee}/slides/{_talk_slug(speaker)}.pdf").status_code == 404


# ---------------------------------------------------------------- request size


def test_slides_above_the_one_megabyte_request_limit_are_accepted(client, event):
    _, token = accepted(event)
    large = make_pdf("X" * (1536 * 1024))  # 1.5 MB of page content
    assert len(large) > app_limit(client)

    response = _upload(client, token, large)

    assert response.status_code == 302
    assert db.session.scalar(db.select(Slides.size)) > 1024 * 1024


def test_a_body_beyond_the_slides_limit_is_refused_with_413_before_it_is_read(
    app, client, event, folder
):
    _, token = accepted(event)
    app.config["CFP_FILE_MAX_BYTES"] = 1024 * 1024

    response = _upload(client, token, make_pdf("X" * (2304 * 1024)))

    assert response.status_code == 413
    assert "Le fichier dépasse 1 Mo." in response.get_data(as_text=True)
    assert _stored(folder) == []


def app_limit(client) -> int:
    return int(client.application.config["MAX_CONTENT_LENGTH"])
