"""Public pages about the site itself: privacy, accessibility, security.txt.

The home page lives in ``congress.site`` (it shows registration and programme facts).
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, Response, current_app, render_template

from congress.core.clock import now
from congress.edition.privacy import controller, retention_policy

bp = Blueprint("edition", __name__)


@bp.get("/privacy")
def privacy() -> str:
    """GDPR art. 13 notice; its periods are the ones the purge applies."""
    return render_template(
        "edition/privacy.html", controller=controller(), retention=retention_policy()
    )


# Pages the automated accessibility tests cover (tests/browser), named in the statement.
TESTED_PAGES = (
    "/",
    "/programme",
    "/sessions/…",
    "/speakers",
    "/speakers/…",
    "/now",
    "/privacy",
    "/accessibility",
    "/infos-pratiques",
)
STATEMENT_DATE = date(2026, 11, 28)


@bp.get("/accessibility")
def accessibility() -> str:
    """RGAA accessibility statement.

    Without a full RGAA audit the law's wording is "non conforme", whatever the
    automated checks say; the page says exactly that and what the checks measure.
    """
    return render_template(
        "edition/accessibility.html", tested_pages=TESTED_PAGES, statement_date=STATEMENT_DATE
    )


@bp.get("/.well-known/security.txt")
def security_txt() -> Response:
    """RFC 9116: where to report a vulnerability, valid for one year from now."""
    expires = (now() + timedelta(days=365)).replace(microsecond=0)
    base_url = current_app.config["BASE_URL"]
    fields = [
        ("Contact", current_app.config["SECURITY_CONTACT"]),
        ("Expires", expires.strftime("%Y-%m-%dT%H:%M:%SZ")),
        ("Preferred-Languages", "fr, en"),
        ("Canonical", f"{base_url}/.well-known/security.txt"),
    ]
    body = "".join(f"{name}: {value}\n" for name, value in fields)
    return Response(body, mimetype="text/plain")
