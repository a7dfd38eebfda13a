"""Work done once in gunicorn's master before it forks the workers (``preload_app``).

Why: every worker compiled each template the first time it rendered it, and
loaded each language's catalog on its first request in that language, and
did it all again after each recycle. During a registration rush, that cold
start landed on workers already short of CPU. Done here, the compiled
templates and the catalogs are inherited by every worker through ``fork``.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import get_translations

from congress.i18n import LANGUAGES


def warm_up(app: Flask) -> int:
    """Compile every template and load every catalog; returns the number of templates."""
    environment = app.jinja_env
    names = environment.list_templates()
    for name in names:
        environment.get_template(name)
    for language in LANGUAGES:
        # A context of its own per language (Flask-Babel keeps the locale on the
        # app context); no database, and nothing written leaves it: only the
        # catalog is read.
        with app.app_context(), app.test_request_context(f"/?lang={language}"):
            get_translations()
    return len(names)
