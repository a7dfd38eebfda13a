"""Sending a file through the Flask test client as a browser's multipart form would."""

from __future__ import annotations

from typing import Any

from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart


def post_file(client: Any, path: str, token: str, field: str, data: bytes, filename: str) -> Any:
    """POST ``data`` as the file ``field`` named ``filename``, with the CSRF token.

    The body is encoded here, in memory: the test client's own encoder spools a
    large body to a temporary file it never closes (a ResourceWarning).
    """
    from io import BytesIO

    boundary, body = encode_multipart(
        {
            "csrf_token": token,
            field: FileStorage(
                BytesIO(data), filename=filename, content_type="application/octet-stream"
            ),
        }
    )
    return client.post(path, data=body, content_type=f"multipart/form-data; boundary={boundary}")
