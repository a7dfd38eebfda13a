"""Extensions created unbound and bound in ``create_app`` (one app per test).

Flask-Migrate is not here: ``congress.migrations_support`` registers it only where
migrations run, so a web worker never imports alembic.
"""

from __future__ import annotations

from flask import request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from congress.core.models import Base

db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


def client_address() -> str:
    """The caller's address (``ProxyFix`` makes it the real client's behind a proxy)."""
    return request.remote_addr or "unknown"


# Storage (memory by default, Redis in production) comes from RATELIMIT_STORAGE_URI.
limiter = Limiter(key_func=client_address)
