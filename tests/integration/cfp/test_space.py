"""The speakers' space: the page, answering before the deadline, the profile, unknown links.

The state ``cfp.decisions`` leaves at acceptance (a draft or scheduled session,
the programme's speaker linked, one space link per speaker) is built here by
hand (``accepted``), so these tests stand on their own.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest

from congress.audit.models import AuditEntry
from congress.cfp import services, space
from congress.cfp.models import (
    Decision,
    Participation,
    SpeakerRole,
    Submission,
    SubmissionSpeaker,
    SubmissionStatus,
    SubmissionToken,
    SubmissionTokenPurpose,
)
from congress.core import tokens
from congress.core.errors import Conflict, NotFound
from congress.edition.models import Event
from congress.extensions import db
from congress.programme.models import Disclosure, Speaker, TalkKind, TalkStatus
from tests.factories import make_event, make_room, make_speaker, make_talk, paris
from tests.http import csrf_from

pytestmark = pytest.mark.integration

OPENS = datetime(2013, 10, 1, 7, 0, tzinfo=UTC)
CLOSES = datetime(2014, 1, 15, 22, 59, tzinfo=UTC)
RESPOND_BY = datetime(2014, 2, 15, 22, 59, tzinfo=UTC)
DURING = datetime(2014, 2, 1, 9, 0, tzinfo=UTC)
CLOCK_START = DURING  # the conftest's clock: after the decisions, before the answers' deadline
# A PNG of 64 x 64 pixels (media refuses images smaller than 32 pixels a side).
PNG_SIDE = 64


@pytest.fixture
def event(app, moment) -> Event:
    return edition_with_call()


def edition_with_call() -> Event:
    """An edition whose call asks speakers to answer by ``RESPOND_BY``, with its Markdown."""
    edition = make_event()
    call = services.set_call(edition, OPENS, CLOSES)
    call.respond_by = RESPOND_BY
    call.technical_setup = "Vidéoprojecteur **HDMI**, micro-cravate."
    call.speaker_info = "Dîner des intervenants le 1er avril à 20 h."
    call.technical_setup_en = "HDMI projector, lapel microphone."
    db.session.commit()
    return edition


def accepted(
    event: Event,
    *,
    disclosure: Disclosure = Disclosure.TLP_GREEN,
    status: TalkStatus = TalkStatus.DRAFT,
    starts_at: datetime | None = None,
    title: str = "Sauvegardes hors ligne",
) -> tuple[SubmissionSpeaker, str]:
    """An accepted proposal as ``cfp.decisions`` leaves it; its speaker and space token."""
    person = make_speaker(event, "Alice Martin", affiliation="CHU de test", email="a@chu.fr")
    talk = make_talk(
        event,
        title,
        starts_at=starts_at or paris(1, "10:00"),
        disclosure=disclosure,
        status=status,
        room=make_room(event, "Salle Bollée"),
        speakers=[person],
    )
    submission = Submission(
        event=event,
        title=title,
        abstract="Trois ans de retour d’expérience.",
        kind=TalkKind.TALK,
        duration_minutes=45,
        language="fr",
        disclosure=disclosure,
        email="alice@chu-test.fr",
        status=SubmissionStatus.SUBMITTED,
        decision=Decision.ACCEPTED,
        talk=talk,
    )
    speaker = SubmissionSpeaker(
        role=SpeakerRole.SUBMITTER,
        name="Alice Martin",
        email="alice@chu-test.fr",
        organisation="CHU de test",
        speaker=person,
    )
    submission.speakers.append(speaker)
    token, token_hash = tokens.new_token()
    db.session.add(submission)
    db.session.add(
        SubmissionToken(
            submission=submission,
            speaker=speaker,
            purpose=SubmissionTokenPurpose.SPACE,
            token_hash=token_hash,
        )
    )
    db.session.commit()
    return speaker, token


def png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (PNG_SIDE, PNG_SIDE), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def _post(client, path: str, data: dict, **kwargs):
    page = client.get(path.rsplit("/", 1)[0])
    return client.post(
        path, data={"csrf_token": csrf_from(page.get_data(as_text=True)), **data}, **kwargs
    )


def _entries(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == action)))


def _fresh(speaker: SubmissionSpeaker) -> SubmissionSpeaker:
    db.session.expire_all()
    return db.session.get(SubmissionSpeaker, speaker.id)


# ---------------------------------------------------------------- the page


def test_space_shows_session_room_setup_info_and_forms(client, event):
    _, token = accepted(event)

    response = client.get(f"/speaker/{token}")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>Mon espace intervenant</h1>" in html
    assert "Sauvegardes hors ligne" in html
    assert "En préparation" in html
    assert "Pas encore programmée" in html  # a draft's slot is only the editor's placeholder
    assert "mardi 1er avril 2014" not in html
    assert "Salle Bollée" in html
    assert "Vidéoprojecteur <strong>HDMI</strong>" in html
    assert "Dîner des intervenants" in html
    assert "samedi 15 février 2014, 23:59" in html
    assert 'value="confirmed"' in html
    assert 'value="declined"' in html
    assert "Le label de votre session permet à chacun de télécharger" in html
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "strict-origin"


def test_space_in_english_shows_the_english_setup(client, event):
    _, token = accepted(event)

    html = client.get(f"/speaker/{token}?lang=en").get_data(as_text=True)

    assert "HDMI projector" in html
    assert "Vidéoprojecteur" not in html


@pytest.mark.parametrize("purpose", [SubmissionTokenPurpose.MANAGE, None])
def test_unknown_or_other_links_answer_404(client, event, purpose):
    speaker, _ = accepted(event)
    if purpose is None:
        path = "/speaker/" + "x" * 32
    else:
        other, other_hash = tokens.new_token()
        db.session.add(
            SubmissionToken(submission=speaker.submission, purpose=purpose, token_hash=other_hash)
        )
        db.session.commit()
        path = f"/speaker/{other}"

    assert client.get(path).status_code == 404
    assert client.get(path + "/slides.pdf").status_code == 404


def test_revoked_link_answers_404(client, event):
    _, token = accepted(event)
    row = db.session.scalars(db.select(SubmissionToken)).one()
    row.revoked_at = DURING
    db.session.commit()

    assert client.get(f"/speaker/{token}").status_code == 404
    with pytest.raises(NotFound):
        space.speaker_for(token)


# ---------------------------------------------------------------- answering


def test_confirm_before_the_deadline_is_recorded_and_audited(client, event):
    speaker, token = accepted(event)

    response = _post(client, f"/speaker/{token}/respond", {"participation": "confirmed"})

    assert response.status_code == 302
    fresh = _fresh(speaker)
    assert fresh.participation is Participation.CONFIRMED
    assert fresh.responded_at == DURING
    [entry] = _entries("cfp.speaker_confirmed")
    assert (entry.actor_type, entry.actor_label) == ("attendee", "Alice Martin")
    assert entry.changes["participation"] == [None, "confirmed"]


def test_changing_one_s_answer_before_the_deadline_is_allowed(client, event, moment):
    speaker, token = accepted(event)
    _post(client, f"/speaker/{token}/respond", {"participation": "confirmed"})
    moment[0] = RESPOND_BY - timedelta(seconds=1)

    response = _post(client, f"/speaker/{token}/respond", {"participation": "declined"})

    assert response.status_code == 302
    assert _fresh(speaker).participation is Participation.DECLINED
    [entry] = _entries("cfp.speaker_declined")
    assert entry.changes["participation"] == ["confirmed", "declined"]


def test_answer_after_the_deadline_is_refused_with_409(client, event, moment):
    speaker, token = accepted(event)
    page = client.get(f"/speaker/{token}")
    moment[0] = RESPOND_BY

    response = client.post(
        f"/speaker/{token}/respond",
        data={"csrf_token": csrf_from(page.get_data(as_text=True)), "participation": "confirmed"},
    )

    assert response.status_code == 409
    assert "Le délai pour répondre est passé" in response.get_data(as_text=True)
    assert _fresh(speaker).participation is None
    with pytest.raises(Conflict):
        space.respond(_fresh(speaker), Participation.DECLINED)


def test_without_a_deadline_an_answer_is_always_accepted(event, moment):
    services.call_for(event).respond_by = None
    db.session.commit()
    speaker, _ = accepted(event)
    moment[0] = datetime(2015, 1, 1, tzinfo=UTC)

    space.respond(speaker, Participation.CONFIRMED)

    assert _fresh(speaker).participation is Participation.CONFIRMED


def test_answer_without_a_choice_answers_400(client, event):
    speaker, token = accepted(event)

    response = _post(client, f"/speaker/{token}/respond", {})

    assert response.status_code == 400
    assert "Indiquez si vous confirmez ou déclinez." in response.get_data(as_text=True)
    assert _fresh(speaker).participation is None


# ---------------------------------------------------------------- profile


def test_profile_updates_the_programme_speaker_audited_as_the_speaker(client, event):
    speaker, token = accepted(event)

    response = _post(
        client,
        f"/speaker/{token}/profile",
        {
            "bio": "RSSI depuis dix ans.",
            "organisation": "GHT de la Sarthe",
            "position_title": "RSSI",
            "photo": (io.BytesIO(png()), "moi.png"),
        },
        content_type="multipart/form-data",
    )

    assert response.status_code == 302
    db.session.expire_all()
    person = db.session.get(Speaker, speaker.speaker_id)
    assert (person.bio, person.affiliation, person.position_title) == (
        "RSSI depuis dix ans.",
        "GHT de la Sarthe",
        "RSSI",
    )
    assert person.photo_key is not None
    assert person.email == "a@chu.fr"  # the contact details are kept
    assert _fresh(speaker).organisation == "GHT de la Sarthe"
    [entry] = _entries("speaker.updated")
    assert (entry.actor_type, entry.actor_label) == ("attendee", "Alice Martin")
    [photo] = _entries("speaker.photo_set")
    assert photo.actor_label == "Alice Martin"


def test_a_bad_photo_is_refused_with_400_keeping_the_bio_typed(client, event):
    speaker, token = accepted(event)

    response = _post(
        client,
        f"/speaker/{token}/profile",
        {
            "bio": "Une biographie tapée avec soin.",
            "organisation": "CHU de test",
            "position_title": "",
            "photo": (io.BytesIO(b"not an image at all"), "moi.png"),
        },
        content_type="multipart/form-data",
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Une biographie tapée avec soin." in html
    assert 'id="photo-error"' in html
    db.session.expire_all()
    person = db.session.get(Speaker, speaker.speaker_id)
    assert person.bio == ""
    assert person.photo_key is None
    assert _entries("speaker.updated") == []


def test_a_too_long_organisation_is_refused_beside_its_field(client, event):
    speaker, token = accepted(event)

    response = _post(
        client,
        f"/speaker/{token}/profile",
        {"bio": "Gardée", "organisation": "x" * 201, "position_title": ""},
        content_type="multipart/form-data",
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="organisation-error"' in html
    assert "Gardée" in html
    db.session.expire_all()
    assert db.session.get(Speaker, speaker.speaker_id).affiliation == "CHU de test"


def test_the_space_link_is_masked_in_logs_and_never_cached(client, event):
    from congress.core.security_log import redact

    _, token = accepted(event)

    response = client.get(f"/speaker/{token}")

    assert redact(f"GET /speaker/{token}/slides.pdf") == "GET /speaker/…/slides.pdf"
    assert redact("/speakers/alice-martin") == "/speakers/alice-martin"
    assert response.headers["Cache-Control"] == "no-store"


def test_a_scheduled_session_shows_its_day_and_time(client, event):
    _, token = accepted(event, status=TalkStatus.CONFIRMED)

    html = client.get(f"/speaker/{token}").get_data(as_text=True)

    assert "mardi 1er avril 2014" in html
    assert "Pas encore programmée" not in html
