import pytest

pytestmark = pytest.mark.unit


def test_access_log_masks_tokens_and_drops_query_strings():
    from types import SimpleNamespace

    from gunicorn.config import Config

    from congress.gunicorn_logging import RedactingLogger

    logger = RedactingLogger(Config())
    request = SimpleNamespace(
        method="GET",
        path="/r/Abc123_secret-token",
        query="lang=en",
        uri="/r/Abc123_secret-token?lang=en",
        version=(1, 1),
        headers=[],
    )
    response = SimpleNamespace(status="200 OK", sent=10, headers=[], response_length=10)
    environ = {
        "REMOTE_ADDR": "127.0.0.1",
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/r/Abc123_secret-token",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "RAW_URI": "/r/Abc123_secret-token?lang=en",
        "QUERY_STRING": "lang=en",
        "HTTP_REFERER": "https://congres.example/r/Abc123_secret-token",
    }
    from datetime import timedelta

    atoms = logger.atoms(response, request, environ, timedelta(milliseconds=3))
    assert atoms["U"] == "/r/…"
    assert "secret" not in atoms["r"]
    assert atoms["q"] == ""
    assert "secret" not in atoms["f"]
