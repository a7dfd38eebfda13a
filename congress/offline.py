"""The installable, offline programme: web app manifest and service worker.

Why: the congress hall has poor reception, and attendees need the programme,
a session's room and their own agenda and QR code at the door of a room. The
service worker (``templates/offline/sw.js``, served from the site root so its
scope is the whole site) keeps what it may and nothing else:

* public pages (programme, sessions, speakers, practical information,
  partners, apps page, what is on now, the privacy and accessibility notices)
  and the static assets, network first, the copy used when the network fails;
* of private pages, only an attendee's own agenda and QR code
  (``/r/<token>/agenda``, ``/r/<token>/qr.svg``), once the attendee opened them
  on this device;
* never the dashboard, the login, forms or any other private page: they go
  to the network and fail offline, as they should.

Each cache is named after ``offline_version()``, a digest of the worker's
template and of every static file, so a deploy that changes either installs
a new worker that deletes the caches of the old one. ``static/js/offline.js``
registers the worker and shows "hors ligne, mis à jour à HH:MM" from the
time the worker saved the page, and reloads when the network comes back.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from flask import Blueprint, Response, current_app, render_template, url_for

from congress.edition.queries import request_event
from congress.i18n import gettext

bp = Blueprint("offline", __name__)

# Pages kept for offline use (path prefixes); everything else goes to the network only.
PUBLIC_PREFIXES = (
    "/programme",
    "/sessions/",
    "/speakers",
    "/infos-pratiques",
    "/partenaires",
    "/applications",
    "/now",
    "/privacy",
    "/accessibility",
)
# Pages fetched when the worker installs, so they work offline before a first visit.
PRECACHED = ("/", "/programme", "/speakers", "/infos-pratiques", "/offline")
STATIC_SUFFIXES = (".css", ".js", ".svg", ".woff2", ".png", ".webp", ".jpg")


def offline_version() -> str:
    """A digest of what the worker serves: any change to it or to a static file renews it."""
    configured = current_app.config.get("OFFLINE_VERSION")
    if configured:
        return str(configured)
    return _digest(Path(current_app.static_folder or "static"), Path(current_app.root_path))


@functools.cache
def _digest(static: Path, root: Path) -> str:
    hasher = hashlib.sha256()
    template = root.parent / "templates" / "offline" / "sw.js"
    files = sorted(path for path in static.rglob("*") if path.is_file())
    for path in [template, *files]:
        if path.is_file():
            hasher.update(str(path.relative_to(root.parent)).encode())
            hasher.update(path.read_bytes())
    return hasher.hexdigest()[:16]


def _static_assets() -> list[str]:
    return [
        url_for("static", filename=name)
        for name in _static_names(Path(current_app.static_folder or "static"))
    ]


@functools.cache
def _static_names(static: Path) -> tuple[str, ...]:
    """The static files to precache, listed once per process like the digest.

    Static files change only with a deploy, which starts new processes; walking
    the folder on every ``/sw.js`` (each visit's update check) cost a directory
    walk for nothing.
    """
    return tuple(
        sorted(
            str(path.relative_to(static))
            for path in static.rglob("*")
            if path.is_file() and path.suffix in STATIC_SUFFIXES
        )
    )


@bp.get("/sw.js")
def service_worker() -> Response:
    """The worker script, from the root so that its scope is the whole site."""
    body = render_template(
        "offline/sw.js",
        version=offline_version(),
        public_prefixes=PUBLIC_PREFIXES,
        precached=[*PRECACHED, *_static_assets()],
    )
    response = Response(body, mimetype="text/javascript")
    # The browser checks for a new worker on each visit; it must never use a stale one.
    response.cache_control.no_cache = True
    response.cache_control.max_age = 0
    return response


@bp.get("/manifest.webmanifest")
def manifest() -> Response:
    event = request_event()
    name = event.name if event else gettext("Congress")
    short = (event.acronym or event.name) if event else gettext("Congress")
    body = {
        "name": name,
        "short_name": short[:12],
        "lang": "fr",
        "start_url": "/programme",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b3c6f",
        "icons": [
            {
                "src": url_for("static", filename="img/favicon.svg"),
                "sizes": "any",
                "type": "image/svg+xml",
                "purpose": "any",
            }
        ],
    }
    response = current_app.json.response(body)
    response.mimetype = "application/manifest+json"
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response


@bp.get("/offline")
def offline_page() -> str:
    """What a page that was never saved shows when the network is down."""
    return render_template("offline/offline.html")
