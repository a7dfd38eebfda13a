"""``/media/<name>``: stored images, cached for a year (the name changes with the content)."""

from __future__ import annotations

from flask import Blueprint, abort, send_file
from werkzeug.wrappers import Response

from congress.media.images import OUTPUT_CONTENT_TYPE
from congress.media.store import served_file

bp = Blueprint("media", __name__)

IMMUTABLE = "public, max-age=31536000, immutable"


@bp.get("/media/<name>")
def serve(name: str) -> Response:
    path = served_file(name)
    if path is None:
        abort(404)
    response = send_file(path, mimetype=OUTPUT_CONTENT_TYPE, conditional=True, etag=True)
    response.headers["Cache-Control"] = IMMUTABLE
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
