"""``/media/<name>``: stored variants only, as WebP, cached for a year, never sniffed."""

from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image

from congress.extensions import db
from congress.media.images import Purpose
from congress.media.models import MediaImage
from congress.media.store import accept_image, media_dir

pytestmark = pytest.mark.integration


def _stored(app) -> MediaImage:
    out = BytesIO()
    Image.new("RGB", (300, 200), (12, 90, 140)).save(out, "PNG")
    image = accept_image(out.getvalue(), Purpose.PHOTO)
    db.session.commit()
    return image


def test_media_serves_a_stored_variant_with_immutable_caching(app, client):
    image = _stored(app)

    with client.get(f"/media/{image.key}-small.webp") as response:
        body = response.get_data()
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "image/webp"
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert body == (media_dir() / f"{image.key}-small.webp").read_bytes()
    assert Image.open(BytesIO(body)).size == (160, 160)


def test_media_row_records_the_stored_sizes(app):
    image = _stored(app)

    row = db.session.scalars(db.select(MediaImage).where(MediaImage.key == image.key)).one()
    assert (row.purpose, row.small_width, row.small_height, row.large_width, row.large_height) == (
        Purpose.PHOTO,
        160,
        160,
        200,
        200,
    )
    assert sorted(p.name for p in media_dir().iterdir()) == [
        f"{image.key}-large.webp",
        f"{image.key}-small.webp",
    ]


@pytest.mark.parametrize(
    "name",
    [
        "0123456789abcdef0123456789abcdef-small.webp",  # well formed, not stored
        "..%2Fsecret_key",
        "..%2F..%2Fcongress.sqlite",
        "secret_key",
        "0123456789ABCDEF0123456789ABCDEF-small.webp",
        "0123456789abcdef0123456789abcdef-small.png",
        "0123456789abcdef0123456789abcdef-medium.webp",
    ],
)
def test_media_answers_404_for_anything_but_a_stored_variant(app, client, name):
    instance = Path(app.config["INSTANCE_PATH"])
    instance.mkdir(parents=True, exist_ok=True)
    (instance / "secret_key").write_text("do not serve")
    media_dir().mkdir(parents=True, exist_ok=True)
    (media_dir() / "secret_key").write_text("do not serve")

    response = client.get(f"/media/{name}")

    assert response.status_code == 404
    assert b"do not serve" not in response.data


def test_media_path_traversal_with_slashes_is_not_routed(app, client):
    assert client.get("/media/../secret_key").status_code == 404
    assert client.get("/media/a/b.webp").status_code == 404
