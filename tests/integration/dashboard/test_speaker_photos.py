"""A speaker's photo sent from the dashboard: stored, audited, shown; bad files refused."""

from io import BytesIO

import pytest
from PIL import Image

from congress.audit.models import AuditEntry
from congress.extensions import db
from congress.media.models import MediaImage
from congress.media.store import RECENT, media_dir
from congress.programme.models import Speaker
from tests.factories import make_event, make_speaker, make_talk
from tests.http import csrf_from
from tests.uploads import post_file

pytestmark = pytest.mark.integration


@pytest.fixture
def event(app):
    return make_event()


@pytest.fixture
def speaker(event):
    return make_speaker(event, "Camille Dupont-Léger", affiliation="CHU de Nantes")


def _jpeg(size=(600, 800)) -> bytes:
    out = BytesIO()
    Image.new("RGB", size, (120, 80, 60)).save(out, "JPEG")
    return out.getvalue()


def _png(size=(400, 400)) -> bytes:
    out = BytesIO()
    Image.new("RGB", size, (20, 80, 160)).save(out, "PNG")
    return out.getvalue()


def _send(client, speaker, data: bytes, filename: str, *, token: str | None = None):
    page = f"/dashboard/speakers/{speaker.id}"
    if token is None:
        token = csrf_from(client.get(page).get_data(as_text=True))
    return post_file(client, f"{page}/image", token, "photo", data, filename)


def _photo_key(speaker) -> str | None:
    db.session.expire_all()
    return db.session.get(Speaker, speaker.id).photo_key


def _nothing_stored() -> bool:
    directory = media_dir()
    files = list(directory.iterdir()) if directory.exists() else []
    rows = db.session.scalar(db.select(db.func.count()).select_from(MediaImage))
    return files == [] and rows == 0


@pytest.fixture(autouse=True)
def _fresh_encodings():
    """Each test encodes its files itself (the in-process memo would hide a store)."""
    RECENT._items.clear()


def test_upload_photo_stores_it_audits_and_redirects(client, login_as, speaker):
    login_as("editor")

    response = _send(client, speaker, _jpeg(), "portrait.jpg")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/dashboard/speakers/{speaker.id}"
    key = _photo_key(speaker)
    assert key is not None
    assert len(key) == 32
    assert sorted(p.name for p in media_dir().iterdir()) == [
        f"{key}-large.webp",
        f"{key}-small.webp",
    ]
    entry = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "speaker.photo_set")
    ).one()
    assert entry.changes == {"photo": [None, key]}
    page = client.get(f"/dashboard/speakers/{speaker.id}").get_data(as_text=True)
    assert "Photo de Camille Dupont-Léger enregistrée." in page
    assert f'src="/media/{key}-large.webp" alt="Camille Dupont-Léger"' in page


def test_upload_png_named_jpg_is_judged_by_content(client, login_as, speaker):
    login_as("editor")

    response = _send(client, speaker, _png(), "photo.jpg")

    assert response.status_code == 302
    assert _photo_key(speaker) is not None


def test_upload_text_named_png_is_refused_keeps_the_page_and_stores_nothing(
    client, login_as, speaker
):
    login_as("editor")

    response = _send(client, speaker, b"not an image at all\n" * 50, "photo.png")

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Ce fichier n’est pas une image lisible. Envoyez une image JPEG, PNG ou WebP." in page
    assert 'id="photo-error"' in page
    assert 'value="Camille Dupont-Léger"' in page  # the speaker's form is still filled in
    assert 'value="CHU de Nantes"' in page
    assert _photo_key(speaker) is None
    assert _nothing_stored()


def test_upload_svg_with_script_is_refused_with_its_reason(client, login_as, speaker):
    login_as("editor")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'

    response = _send(client, speaker, svg, "photo.svg")

    assert response.status_code == 415
    assert (
        "Les fichiers SVG ne sont pas acceptés, car ils peuvent contenir des scripts."
        in response.get_data(as_text=True)
    )
    assert _photo_key(speaker) is None
    assert _nothing_stored()


def test_upload_40_mb_is_refused_413_and_stores_nothing(client, login_as, speaker):
    login_as("editor")

    response = _send(client, speaker, b"\xff\xd8\xff" + b"\0" * (40 * 1024 * 1024), "big.jpg")

    assert response.status_code == 413
    assert "Le fichier est trop lourd\u202f: 5 Mo au plus." in response.get_data(as_text=True)
    assert _photo_key(speaker) is None
    assert _nothing_stored()


def test_upload_between_the_request_and_file_limits_is_refused_on_the_form(
    client, login_as, speaker, app
):
    app.config["MEDIA_MAX_BYTES"] = 2 * 1024 * 1024
    login_as("editor")

    response = _send(client, speaker, b"\xff\xd8\xff" + b"\0" * (2 * 1024 * 1024 + 10), "b.jpg")

    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert 'id="photo-error"' in page
    assert "Le fichier est trop lourd\u202f: 2 Mo au plus." in page
    assert _nothing_stored()


def test_upload_without_csrf_token_is_refused(client, login_as, speaker):
    login_as("editor")

    response = _send(client, speaker, _jpeg(), "portrait.jpg", token="forged")

    assert response.status_code == 400
    assert _photo_key(speaker) is None
    assert _nothing_stored()


def test_upload_without_a_file_asks_for_one(client, login_as, speaker):
    login_as("editor")
    page = f"/dashboard/speakers/{speaker.id}"
    token = csrf_from(client.get(page).get_data(as_text=True))

    response = client.post(f"{page}/image", data={"csrf_token": token})

    assert response.status_code == 400
    assert "Choisissez un fichier à envoyer." in response.get_data(as_text=True)


@pytest.mark.parametrize(("role", "status"), [("desk", 403), ("admin", 302), ("editor", 302)])
def test_upload_photo_role_matrix(client, login_as, speaker, role, status):
    login_as(role)
    token = csrf_from(client.get("/account").get_data(as_text=True))

    response = _send(client, speaker, _jpeg(), "portrait.jpg", token=token)

    assert response.status_code == status
    assert (_photo_key(speaker) is not None) is (status == 302)


def test_upload_photo_anonymous_is_sent_to_login(client, speaker):
    token = csrf_from(client.get("/login").get_data(as_text=True))

    response = post_file(
        client, f"/dashboard/speakers/{speaker.id}/image", token, "photo", _jpeg(), "p.jpg"
    )

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_remove_photo_brings_back_the_initials(client, login_as, speaker):
    login_as("editor")
    _send(client, speaker, _jpeg(), "portrait.jpg")
    key = _photo_key(speaker)
    page = f"/dashboard/speakers/{speaker.id}"
    token = csrf_from(client.get(page).get_data(as_text=True))

    response = client.post(f"{page}/image/delete", data={"csrf_token": token})

    assert response.status_code == 302
    assert _photo_key(speaker) is None
    entry = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "speaker.photo_removed")
    ).one()
    assert entry.changes == {"photo": [key, None]}


def test_public_pages_show_the_photo_or_the_initials(client, login_as, event, speaker):
    other = make_speaker(event, "Lou Martin")
    talk = make_talk(event, "Sauvegardes hors ligne", speakers=[speaker, other])
    login_as("editor")
    _send(client, speaker, _jpeg(), "portrait.jpg")
    key = _photo_key(speaker)

    speaker_page = client.get(f"/speakers/{speaker.slug}").get_data(as_text=True)
    listing = client.get("/speakers").get_data(as_text=True)
    session = client.get(f"/sessions/{talk.slug}").get_data(as_text=True)

    assert (
        f'<img class="avatar avatar-large" src="/media/{key}-large.webp" '
        'alt="Camille Dupont-Léger" width="480" height="480"'
    ) in speaker_page
    initials = (
        f'<span class="avatar avatar-small avatar-initials avatar-tone-{other.id % 6}" '
        'role="img" aria-label="Lou Martin"><span aria-hidden="true">LM</span></span>'
    )
    small = f'src="/media/{key}-small.webp" alt="Camille Dupont-Léger" width="160" height="160"'
    assert small in listing
    assert initials in listing
    assert small in session
    assert initials in session
