"""``make screenshots``: PNGs of the key public and dashboard pages, for reviewers and the README.

Why here, under ``tests/``, and not in ``bench/``: it is not a benchmark (it prints no
figure) but it drives the site exactly as the browser tests do (Debian's Chromium through
Playwright, the same launch flags, the live server in a thread, the real login with a
second factor), and reuses their helpers; pytest never collects it (its name does not
start with ``test_``).

What it does: builds a throw-away SQLite database, loads the demo edition and a few
fictional registrations, freezes the clock on 10 March 2014 at 09:00 UTC (three weeks
before the congress, registration open), serves the app on a loopback port, and writes
``screenshots/<page>-<width>.png`` (full pages, at 375 and 1280 px). With ``--readme`` it
also writes the two small pictures the README shows, ``docs/screenshots/``.

Run it as a module from the project's root, ``python -m tests.screenshots`` (``make
screenshots``): run as a file, ``tests/`` would come first on the path and its ``http.py``
would hide the standard library's.
"""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

ROOT = Path(__file__).resolve().parents[1]
FROZEN = datetime(2014, 3, 10, 9, 0, tzinfo=UTC)
WIDTHS = (375, 1280)
ADMIN = "capture@apssis-orga.fr"
PASSWORD = "correct horse battery staple"
README_SHOTS = (("home", 1280, 900), ("home", 375, 812))
PRIVATE_TOKEN: list[str] = []  # the first attendee's private link, filled by _load
CFP_LINKS: dict[str, str] = {}  # a proposal's private page, a speaker's space, a proposal's uid


def _app(workdir: Path) -> Flask:
    """The app on a throw-away SQLite file; imported late so the environment is set first."""
    os.environ.setdefault("CONGRESS_ENV", "testing")
    os.environ.setdefault("CONGRESS_SECRET_KEY", "screenshots-secret-key-0123456789abcdef")
    from congress import create_app

    return create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'screens.sqlite'}",
            "INSTANCE_PATH": str(workdir / "instance"),
            "BASE_URL": "http://127.0.0.1",
        }
    )


def _load() -> str:
    """Schema, demo edition, registrations, an administrator; the TOTP secret."""
    import pyotp

    import congress.models  # noqa: F401
    from congress.accounts.models import Role
    from congress.accounts.services import confirm_totp_setup, create_organiser, start_totp_setup
    from congress.core import clock
    from congress.core.models import Base
    from congress.extensions import db
    from congress.interchange.demo import seed_demo
    from congress.registration.models import TicketCategory
    from tests.factories import make_invoice, make_registration

    Base.metadata.create_all(db.engine)
    seed_demo()
    event_categories = db.session.scalars(
        db.select(TicketCategory)
        .where(TicketCategory.public.is_(True))
        .order_by(TicketCategory.position)
    ).all()
    people = [
        ("Camille", "Martin", "CHU de Nulle-Part"),
        ("Dominique", "Bernard", "Centre hospitalier d'Exempleville"),
        ("Claude", "Petit", "GHT Sarthe-Exemple"),
        ("Alex", "Durand", "Clinique du Parc (exemple)"),
        ("Sacha", "Leroy", "Agence régionale (exemple)"),
        ("Morgan", "Moreau", "Éditeur Exemple SAS"),
    ]
    for number, (first, last, organisation) in enumerate(people):
        category = event_categories[number % len(event_categories)]
        registration, token = make_registration(
            category.event,
            category,
            f"{first.lower()}.{last.lower()}@exemple.fr",
            first_name=first,
            last_name=last,
            organisation=organisation,
        )
        if number == 0:  # a hospital's CISO: billing details, an invoice, the private page
            make_invoice(registration)
            PRIVATE_TOKEN.append(token or "")
    user = create_organiser(ADMIN, PASSWORD, Role.ADMIN)
    secret = start_totp_setup(user)
    confirm_totp_setup(user, pyotp.TOTP(secret).at(clock.now()))
    _proposals(event_categories[0].event)
    return secret


def _proposals(event: object) -> None:
    """Three proposals sent during the call, two reviewed, one accepted and released."""
    import re

    from congress.accounts import team
    from congress.accounts.models import Role
    from congress.accounts.services import create_organiser
    from congress.cfp import decisions, review, services
    from congress.cfp.models import Decision
    from congress.core import clock
    from congress.extensions import db
    from tests.cfp import mails

    clock.set_clock(lambda: datetime(2013, 12, 2, 10, 0, tzinfo=UTC))  # the call is open
    sent = []
    for title, kind, label, name, email, organisation in (
        (
            "Rançongiciel au CH d'Exempleville : trois semaines de reprise",
            "attack_analysis",
            "tlp_amber",
            "Hélène Rousseau",
            "helene.rousseau@ch-exempleville.fr",
            "CH d'Exempleville",
        ),
        (
            "Sauvegardes hors ligne : ce que nous avons appris",
            "talk",
            "tlp_clear",
            "Karim Benali",
            "karim.benali@chu-exemple.fr",
            "CHU de Nulle-Part",
        ),
        (
            "Gouvernance des accès des prestataires de maintenance",
            "round_table",
            "tlp_green",
            "Julie Fontaine",
            "julie.fontaine@ght-exemple.fr",
            "GHT Sarthe-Exemple",
        ),
    ):
        data = services.SubmissionData(
            title=title,
            abstract="Chronologie, décisions, ce que nous referions autrement.",
            kind=kind,
            track_id=None,
            duration_minutes=45,
            language="fr",
            disclosure=label,
            notes="Disponible les trois jours.",
            name=name,
            email=email,
            organisation=organisation,
        )
        submission = services.submit(event, data, language="fr")  # type: ignore[arg-type]
        outcome = services.confirm(
            mails("cfp_confirm")[-1].body_text.split("/cfp/confirm/")[1].split()[0]
        )
        sent.append((submission, outcome.manage_token))
    clock.set_clock(lambda: FROZEN)
    call = services.call_for(event)  # type: ignore[arg-type]
    call.respond_by = datetime(2014, 3, 20, 17, 0, tzinfo=UTC)
    call.speaker_info = (
        "- Dîner des intervenants le **1er avril** à 20 h.\n- Hôtel réservé par l'APSSIS."
    )
    call.technical_setup = "Vidéoprojecteur HDMI, micro-cravate ; répétition la veille à 18 h."
    db.session.commit()
    reviewer = create_organiser("relecteur@anssi-exemple.fr", PASSWORD, Role.REVIEWER, "Léa Girard")
    team.set_organisation(reviewer.id, "ANSSI (exemple)")
    for submission, _ in sent[:2]:
        review.assign(submission, reviewer)
    review.save_review(
        reviewer,
        sent[0][0],
        {"relevance": 5, "originality": 5, "depth": 4, "clarity": 4},
        "Retour d'expérience rare.",
    )
    review.save_review(
        reviewer, sent[1][0], {"relevance": 4, "originality": 3, "depth": 3, "clarity": 5}, ""
    )
    decisions.decide(sent[0][0], Decision.ACCEPTED)
    decisions.release(event)  # type: ignore[arg-type]
    decisions.decide(sent[1][0], Decision.WAITING)
    space = re.search(r"/speaker/([A-Za-z0-9_-]+)", mails("cfp_accepted")[-1].body_text)
    CFP_LINKS.update(
        proposal=sent[2][1] or "", space=space.group(1) if space else "", uid=sent[0][0].uid
    )


def _pages(app: Flask) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    from congress.extensions import db
    from congress.programme.models import Talk, TalkKind

    keynote = db.session.scalars(
        db.select(Talk).where(Talk.kind == TalkKind.KEYNOTE).order_by(Talk.starts_at)
    ).first()
    if keynote is None:
        raise RuntimeError("the demo edition has no keynote")
    speaker = keynote.speaker_links[0].speaker
    public = [
        ("home", "/"),
        ("programme", "/programme"),
        ("session", f"/sessions/{keynote.slug}"),
        ("speakers", "/speakers"),
        ("speaker", f"/speakers/{speaker.slug}"),
        ("register", "/register"),
        ("practical", "/infos-pratiques"),
    ]
    if PRIVATE_TOKEN:
        public.append(("private-page", f"/r/{PRIVATE_TOKEN[0]}"))
        public.append(("private-billing", f"/r/{PRIVATE_TOKEN[0]}/billing"))
    if CFP_LINKS:
        public.append(("cfp", "/cfp"))
        public.append(("cfp-proposal", f"/cfp/s/{CFP_LINKS['proposal']}"))
        public.append(("speaker-space", f"/speaker/{CFP_LINKS['space']}"))
    if "partners.index" in app.view_functions:
        public.append(("partners", "/partenaires"))
    dashboard = [
        ("dashboard", "/dashboard/"),
        ("dashboard-programme", "/dashboard/programme?day=2014-04-01"),
        ("dashboard-registrations", "/dashboard/registrations"),
        ("dashboard-site", "/dashboard/site"),
        ("dashboard-team", "/dashboard/team"),
        ("dashboard-messages-new", "/dashboard/messages/new"),
        ("dashboard-exports", "/dashboard/exports"),
        ("dashboard-audit", "/dashboard/audit"),
        ("dashboard-invoices", "/dashboard/invoices"),
        ("dashboard-invoice", "/dashboard/invoices/2014-0001"),
        ("dashboard-payments", "/dashboard/payments"),
        ("dashboard-organiser", "/dashboard/organiser"),
        ("dashboard-categories", "/dashboard/categories"),
        ("dashboard-cfp", "/dashboard/cfp"),
        ("dashboard-cfp-ranking", "/dashboard/cfp/ranking"),
        ("dashboard-cfp-proposal", f"/dashboard/cfp/{CFP_LINKS.get('uid', '')}"),
    ]
    return public, dashboard


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    parser.add_argument("--readme", action="store_true", help="also write docs/screenshots/")
    args = parser.parse_args()

    import pyotp
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    from congress.core import clock
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    clock.set_clock(lambda: FROZEN)
    workdir = Path(tempfile.mkdtemp(prefix="congress-screens-"))
    app = _app(workdir)
    args.out.mkdir(parents=True, exist_ok=True)
    with app.app_context():
        secret = _load()
        public, dashboard = _pages(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    written: list[Path] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            login = browser.new_context(base_url=base, locale="fr-FR")
            page = login.new_page()
            page.goto("/login")
            page.get_by_label("Adresse e-mail").fill(ADMIN)
            page.get_by_label("Mot de passe").fill(PASSWORD)
            page.get_by_role("button", name="Se connecter").click()
            page.locator("input[name=code]").fill(pyotp.TOTP(secret).at(FROZEN.timestamp() + 30))
            page.locator("form.stacked-form button[type=submit]").click()
            page.wait_for_selector(".dash-nav")
            session = login.storage_state()
            login.close()
            for width in WIDTHS:
                for pages, state in ((public, None), (dashboard, session)):
                    context = browser.new_context(
                        base_url=base,
                        viewport={"width": width, "height": 900 if width > 600 else 812},
                        locale="fr-FR",
                        storage_state=state,
                    )
                    tab = context.new_page()
                    for name, path in pages:
                        response = tab.goto(path)
                        if response is None or response.status != 200:
                            raise RuntimeError(f"{path} at {width} px did not answer 200")
                        tab.evaluate("document.fonts.ready")
                        target = args.out / f"{name}-{width}.png"
                        tab.screenshot(path=str(target), full_page=True)
                        written.append(target)
                    context.close()
            if args.readme:
                folder = ROOT / "docs" / "screenshots"
                folder.mkdir(parents=True, exist_ok=True)
                for name, width, height in README_SHOTS:
                    context = browser.new_context(
                        base_url=base, viewport={"width": width, "height": height}, locale="fr-FR"
                    )
                    tab = context.new_page()
                    tab.goto("/")
                    tab.evaluate("document.fonts.ready")
                    target = folder / f"{name}-{width}.png"
                    tab.screenshot(path=str(target))
                    _shrink(target)
                    written.append(target)
                    context.close()
            browser.close()
    finally:
        server.shutdown()
        thread.join(timeout=5)
        clock.set_clock(None)
    for path in written:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


def _shrink(path: Path) -> None:
    """A small file for the repository: 256-colour palette, optimised (Pillow)."""
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
        small.save(path, optimize=True)


if __name__ == "__main__":
    raise SystemExit(main())
