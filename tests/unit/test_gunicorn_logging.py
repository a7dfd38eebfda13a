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


def _exchange(path: str = "/register/confirm/Tok3n_secret"):
    from types import SimpleNamespace

    request = SimpleNamespace(
        headers=[("X-Forwarded-For", "203.0.113.9"), ("Cookie", "session=very-secret")]
    )
    response = SimpleNamespace(
        status="200 OK", sent=1234, headers=[("Content-Type", "text/html; charset=utf-8")]
    )
    environ = {
        "REMOTE_ADDR": "127.0.0.1",
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "RAW_URI": f"{path}?next=/r/Other_token",
        "QUERY_STRING": "next=/r/Other_token",
        "HTTP_USER_AGENT": 'Thunderbird "Lightning"',
        "HTTP_COOKIE": "session=very-secret",
        "wsgi.url_scheme": "https",
    }
    return request, response, environ


def test_only_the_atoms_the_format_names_are_computed():
    from datetime import timedelta

    from gunicorn.config import Config

    from congress.gunicorn_logging import RedactingLogger

    config = Config()
    config.set(
        "access_log_format", '%(h)s "%(r)s" %(s)s %({x-forwarded-for}i)s %({content-type}o)s'
    )
    logger = RedactingLogger(config)
    request, response, environ = _exchange()

    atoms = logger.atoms(response, request, environ, timedelta(milliseconds=7))

    assert atoms["{x-forwarded-for}i"] == "203.0.113.9"
    assert atoms["{content-type}o"] == "text/html; charset=utf-8"
    assert atoms["s"] == "200"
    assert atoms["B"] == 1234
    assert atoms["M"] == 7
    assert "{cookie}i" not in atoms
    assert "{http_cookie}e" not in atoms
    assert "very-secret" not in repr(atoms)
    assert "Tok3n" not in atoms["r"]
    assert "Other_token" not in atoms["r"]


def test_the_project_access_line_is_masked_and_complete(tmp_path):
    import runpy
    from datetime import timedelta

    from gunicorn.config import Config

    from congress.gunicorn_logging import RedactingLogger

    settings = runpy.run_path("gunicorn.conf.py")
    config = Config()
    log_file = tmp_path / "access.log"
    config.set("accesslog", str(log_file))
    config.set("access_log_format", settings["access_log_format"])
    logger = RedactingLogger(config)
    request, response, environ = _exchange()

    logger.access(response, request, environ, timedelta(milliseconds=12))

    line = log_file.read_text()
    assert '"GET /register/confirm/… HTTP/1.1" 200 1234 12ms' in line
    assert 'Thunderbird \\"Lightning\\"' in line
    assert "Tok3n" not in line
    assert "next=" not in line
    assert line.startswith("127.0.0.1 [")


def test_every_capability_path_is_masked_in_logs():
    from congress.core.security_log import redact

    line = "GET /team/invitation/Tok3n-secret_x then /r/abc/agenda and /register/confirm/q1"
    assert redact(line) == "GET /team/invitation/… then /r/…/agenda and /register/confirm/…"
