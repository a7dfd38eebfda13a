"""The two gunicorn pools of ``gunicorn.conf.py`` and nginx's routing between them.

Why these tests: the split keeps the public pages fast during a registration
rush only if every form and private page reaches the private pool and every
public page the public one. A new POST route that nginx sent to the public
pool would quietly bring back the queueing the split removed, and an upstream
port that no pool listens on would take half the site down.
"""

import logging
import multiprocessing
import re
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import Flask
from flask_babel import get_domain

from congress.security import PRIVATE_PREFIXES

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
NGINX = (ROOT / "deploy" / "nginx.conf").read_text()
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
LOCATION = re.compile(r"^\s*location\s+(~\s+)?(\S+)\s*\{(.*?)^\s*\}", re.M | re.S)


def _settings(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, object]:
    for name in ("CONGRESS_POOL", "CONGRESS_BIND", "CONGRESS_WORKERS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def _active(text: str) -> str:
    return "\n".join(line.split("#", 1)[0] for line in text.splitlines())


def _upstreams() -> dict[str, str]:
    found = re.findall(r"upstream\s+(\w+)\s*\{\s*server\s+([\d.:]+);", _active(NGINX))
    return dict(found)


def _upstream_for(path: str) -> str:
    """The upstream nginx proxies ``path`` to, by nginx's order of location matching.

    Regular-expression locations are tried in the order written and the first
    match wins; otherwise the longest matching prefix location applies. (The
    file has no ``=`` or ``^~`` locations; a test below keeps it so.)
    """
    regex, prefix = [], []
    for match in LOCATION.finditer(_active(NGINX)):
        is_regex, pattern, body = match.groups()
        target = re.search(r"proxy_pass\s+http://(\w+);", body)
        entry = (pattern, target.group(1) if target else "(served by nginx)")
        (regex if is_regex else prefix).append(entry)
    for pattern, target in regex:
        if re.search(pattern, path):
            return target
    matching = [entry for entry in prefix if path.startswith(entry[0])]
    return max(matching, key=lambda entry: len(entry[0]))[1]


def _sample_path(rule: str) -> str:
    return re.sub(r"<(?:[^:>]+:)?[^>]+>", "x", rule)


def test_the_public_pool_is_the_default(monkeypatch):
    settings = _settings(monkeypatch)

    assert settings["bind"] == "127.0.0.1:8000"
    assert settings["workers"] == multiprocessing.cpu_count() + 1
    assert settings["proc_name"] == "congress-public"


def test_the_private_pool_listens_apart(monkeypatch):
    settings = _settings(monkeypatch, CONGRESS_POOL="private")

    assert settings["bind"] == "127.0.0.1:8001"
    assert settings["workers"] == max(2, multiprocessing.cpu_count())
    assert settings["proc_name"] == "congress-private"
    # Everything else is shared: same app, same log, same limits.
    public = _settings(monkeypatch, CONGRESS_POOL="public")
    for name in ("worker_class", "threads", "timeout", "access_log_format", "logger_class"):
        assert settings[name] == public[name]


def test_a_pool_started_by_hand_takes_its_address_and_size_from_the_environment(monkeypatch):
    settings = _settings(
        monkeypatch, CONGRESS_POOL="private", CONGRESS_BIND="10.0.0.5:9001", CONGRESS_WORKERS="7"
    )

    assert settings["bind"] == "10.0.0.5:9001"
    assert settings["workers"] == 7


def test_an_unknown_pool_is_refused(monkeypatch):
    with pytest.raises(SystemExit, match="CONGRESS_POOL must be one of public, private"):
        _settings(monkeypatch, CONGRESS_POOL="forms")


def test_nginx_upstreams_are_the_pools_addresses(monkeypatch):
    public = _settings(monkeypatch, CONGRESS_POOL="public")["bind"]
    private = _settings(monkeypatch, CONGRESS_POOL="private")["bind"]

    assert _upstreams() == {"congress_app": public, "congress_private": private}


def test_the_location_matching_this_test_relies_on_is_all_the_file_uses():
    kinds = re.findall(r"^\s*location\s+(\S+)", _active(NGINX), re.M)

    assert "=" not in kinds
    assert "^~" not in kinds


def test_every_form_and_private_page_goes_to_the_private_pool(app: Flask):
    checked = 0
    for rule in app.url_map.iter_rules():
        path = _sample_path(rule.rule)
        if rule.methods & WRITE_METHODS or path.startswith(PRIVATE_PREFIXES):
            assert _upstream_for(path) == "congress_private", rule.rule
            checked += 1
    assert checked >= 20  # the dashboard alone has more; an empty walk proves nothing


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/programme",
        "/programme.ics",
        "/programme/2014-04-01.ics",
        "/sessions/ouverture",
        "/speakers/x.ics",
        "/schedule.xml",
        "/tracks.css",
        "/livez",
        "/healthz",
    ],
)
def test_public_pages_feeds_and_health_go_to_the_public_pool(path):
    assert _upstream_for(path) == "congress_app"


def test_static_files_never_reach_a_pool():
    assert _upstream_for("/static/css/site.css") == "(served by nginx)"


def test_the_master_compiles_every_template_and_loads_every_catalog_before_forking(
    app: Flask, monkeypatch
):
    settings = _settings(monkeypatch)
    server = SimpleNamespace(app=SimpleNamespace(wsgi=lambda: app), log=logging.getLogger("test"))
    with app.app_context():
        catalogs = get_domain().cache
        catalogs.clear()
    app.jinja_env.cache.clear()

    settings["when_ready"](server)

    loaded: list[str] = []
    loader = app.jinja_env.loader
    original = loader.get_source
    monkeypatch.setattr(
        loader, "get_source", lambda env, name: loaded.append(name) or original(env, name)
    )
    for name in app.jinja_env.list_templates():
        app.jinja_env.get_template(name)
    assert loaded == []  # every template was already compiled
    assert {language for language, _ in catalogs} == {"fr", "en"}
