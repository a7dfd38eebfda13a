"""``/media/<name>``: stored images, cached for a year (the name changes with the content)."""

from __future__ import annotations

import io

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
    # Read whole (a few kilobytes): an open file handed to the server would be left to the
    # garbage collector when a visitor leaves mid-download, with a ResourceWarning.
    response = send_file(
        io.BytesIO(path.read_bytes()),
        mimetype=OUTPUT_CONTENT_TYPE,
        conditional=True,
        etag=name,  # the name is the content's hash
        max_age=None,
    )
    response.headers["Cache-Control"] = IMMUTABLE
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
