"""congress: the web site of the APSSIS national congress on health information security."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from congress.config import PROJECT_ROOT, load_config


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build an application: configuration, extensions, blueprints, CLI, error pages.

    ``config`` overrides what the environment gives (tests pass their database).
    """
    settings = load_config()
    if config:
        settings.update(config)
    app = Flask(
        __name__,
        instance_path=settings["INSTANCE_PATH"],
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.update(settings)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    from congress import web

    web.init_app(app)
    if app.config.get("CACHE_REPLAY", True):
        from congress import request_rules
        from congress.caching import replay

        replay.init_app(app, request_rules.declared_checks)
    proxies = int(app.config.get("PROXY_COUNT", 0))
    if proxies:
        # Behind nginx: the client's address (rate limits, audit), scheme (HSTS, secure
        # cookies), host and port (the CSRF origin checks compare them with the browser's
        # Origin and Referer) come from X-Forwarded-*, trusted for that many hops only.
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )
    return app
