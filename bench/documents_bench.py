"""PDF documents at congress scale: prints seconds and pages, never asserts.

Why it exists: documents are rendered inside a request (the desk's badges, an
invoice), and a whole edition's badges in one request is the heaviest of them.
The suite checks what the documents say; how long they take at scale is
measured here, on the machine at hand, and only printed (timings in tests
make them flaky). The exit code only says whether the run completed.

Sections (each one function ``bench_<name>(n)``, listed in ``SECTIONS``):

* ``badges``: ``n`` synthetic badges (Latin names with accents, some Greek and
  Cyrillic, every twentieth at the form's longest values), their QR codes, then
  the A4 sheets rendered by ``documents.badges.render_badges``; prints the time
  to build the values, the rendering time, pages and file size.

* ``invoices``: ``n`` invoices issued one by one through ``billing.services``
  (each one: a number from the year's counter, the PDF/A-3 rendered, its
  EN 16931 XML built, checked against the Factur-X schema and embedded, the lot
  stored) in an in-memory SQLite database, then one payer's invoice of 100
  lines; prints the time per invoice and in all, and the stored size.

Badges need no database: documents are pure given their values, so the app is
created only for its templates and static folder. Invoices are numbered and
stored, so their section creates the schema in the same in-memory database.

Run with ``.venv/bin/python bench/documents_bench.py --badges 1000 --invoices 1000``.
To add a section, write ``bench_<name>(n: int) -> None`` and add it to
``SECTIONS``; it gets its own ``--<name> N`` option.
"""

from __future__ import annotations

import argparse
import io
import platform
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import say

FIRST = ["Marie", "Éric", "Hélène", "Jean-Baptiste", "Zoé", "François", "Ελένη", "Дмитрий"]
LAST = ["Curie", "Zola", "Lefèvre", "de La Rochefoucauld", "Nguyen", "Παπαδόπουλος", "Щербаков"]
ORGANISATIONS = [
    "CHU de Rennes",
    "Centre hospitalier du Mans",
    "Agence du numérique en santé",
    "Clinique Saint-Côme, groupe hospitalier privé de la Sarthe",
    "Πανεπιστήμιο Αθηνών",
    "Московский государственный университет",
]
CATEGORIES = [
    ("Établissements de santé (publics et privés)", "#0b5372"),
    ("Institutions et agences", "#b3400f"),
    ("Industriels et prestataires", "#1f6f3f"),
    ("Étudiants", "#6b3fa0"),
    ("Intervenants", "#8a1c3b"),
]


@contextmanager
def document_app() -> Iterator[None]:
    """An app context for rendering: templates and static files, an unused in-memory database."""
    from congress import create_app

    with tempfile.TemporaryDirectory() as instance:
        app = create_app(
            {
                "TESTING": True,
                "SQLALCHEMY_DATABASE_URI": "sqlite://",
                "INSTANCE_PATH": instance,
                "CACHE_URL": "",
            }
        )
        with app.app_context():
            yield


def _pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def bench_badges(n: int) -> None:
    """``n`` badges: values with their QR codes, then the sheets; prints seconds and pages."""
    import secrets

    from congress.documents.badges import PER_SHEET, Badge, qr_data_uri, render_badges

    with document_app():
        started = time.perf_counter()
        badges = []
        for index in range(n):
            category, colour = CATEGORIES[index % len(CATEGORIES)]
            if index % 20 == 19:  # the form's longest values
                lines = (("Jean-Baptiste " * 8)[:100], ("Щербаков-Достоевский " * 5)[:100])
                organisation = ("Centre hospitalier universitaire régional " * 5)[:200]
            else:
                lines = (FIRST[index % len(FIRST)], f"{LAST[index % len(LAST)]} {index}")
                organisation = ORGANISATIONS[index % len(ORGANISATIONS)]
            badges.append(
                Badge(lines, organisation, category, colour, qr_data_uri(secrets.token_urlsafe(16)))
            )
        values = time.perf_counter() - started
        started = time.perf_counter()
        pdf = render_badges(badges, edition_name="APSSIS 2014")
        rendering = time.perf_counter() - started
    pages = _pages(pdf)
    say(f"badges: {n} badges, {pages} pages ({PER_SHEET} per A4 sheet), {len(pdf) / 1e6:.1f} MB")
    say(f"  values and QR codes: {values:.2f} s")
    say(f"  rendering (WeasyPrint): {rendering:.2f} s ({rendering / n * 1000:.1f} ms per badge)")
    say(f"  total: {values + rendering:.2f} s")


def _billable(n: int) -> list:
    """``n`` confirmed paying registrations with a hospital's billing details, as rows."""
    from datetime import UTC, date, datetime

    from congress.core.clock import set_clock
    from congress.edition.models import Event, Organiser
    from congress.extensions import db
    from congress.interchange.demo_data import ORGANISER
    from congress.registration.models import (
        BillingDetails,
        JobRole,
        OrganisationType,
        Payer,
        Registration,
        RegistrationStatus,
        TicketCategory,
    )

    set_clock(lambda: datetime(2014, 3, 10, 9, 30, tzinfo=UTC))
    event = Event(
        slug="bench",
        name="Congrès de mesure",
        acronym="BENCH 2014",
        venue="Palais",
        address="Rue d'Arcole",
        city="Le Mans",
        timezone="Europe/Paris",
        first_day=date(2014, 4, 1),
        last_day=date(2014, 4, 3),
    )
    db.session.add(event)
    db.session.add(Organiser(event=event, **ORGANISER))
    category = TicketCategory(
        event=event,
        slug="sante",
        name="Établissements de santé",
        price_cents=28000,
        capacity=n + 100,
    )
    db.session.add(category)
    moment = datetime(2014, 3, 1, tzinfo=UTC)
    registrations = []
    for index in range(n):
        registration = Registration(
            event=event,
            category=category,
            status=RegistrationStatus.CONFIRMED,
            first_name=FIRST[index % len(FIRST)],
            last_name=f"{LAST[index % len(LAST)]} {index}",
            email=f"r{index}@ch.example",
            organisation="Centre hospitalier",
            organisation_type=OrganisationType.PUBLIC_HOSPITAL,
            job_role=JobRole.CISO,
            days_mask=7,
            privacy_consent_at=moment,
            created_at=moment,
            confirmed_at=moment,
        )
        db.session.add(registration)
        db.session.add(
            BillingDetails(
                registration=registration,
                payer=Payer.EMPLOYER,
                public_body=True,
                legal_name=f"Centre hospitalier {index % 100}",
                siret="26720000400013",
                street="194 avenue Rubillard",
                postcode="72037",
                city="Le Mans",
                service_code="DSI",
                order_number=f"EJ-{index}",
            )
        )
        registrations.append(registration)
    db.session.commit()
    return registrations


def bench_invoices(n: int) -> None:
    """``n`` invoices issued one by one, then one payer's invoice of 100 lines."""
    from congress.billing import services
    from congress.billing.models import Invoice
    from congress.core.clock import set_clock
    from congress.extensions import db

    with document_app():
        db.create_all()
        try:
            registrations = _billable(n + 100)
            started = time.perf_counter()
            for registration in registrations[:n]:
                services.issue_invoice([registration], issued_by="bench")
            single = time.perf_counter() - started
            started = time.perf_counter()
            group = services.issue_invoice(registrations[n:], issued_by="bench")
            grouped = time.perf_counter() - started
            stored = db.session.scalar(db.select(db.func.sum(db.func.length(Invoice.pdf))))
            pages = _pages(group.pdf)
        finally:
            set_clock(None)
    say(f"invoices: {n} invoices of one line, numbered 1 to {n}, PDF/A-3 with Factur-X XML")
    say(f"  issuing: {single:.2f} s ({single / n * 1000:.1f} ms per invoice)")
    say(f"  one payer's invoice of 100 lines: {grouped:.2f} s, {pages} pages")
    say(f"  stored PDFs: {stored / 1e6:.1f} MB ({stored / (n + 1) / 1e3:.0f} kB each on average)")


SECTIONS: dict[str, Callable[[int], None]] = {
    "badges": bench_badges,
    "invoices": bench_invoices,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    for name in SECTIONS:
        parser.add_argument(
            f"--{name}", type=int, metavar="N", help=f"run the {name} section with N documents"
        )
    options = parser.parse_args(argv)
    chosen = {name: getattr(options, name) for name in SECTIONS if getattr(options, name)}
    if not chosen:  # nothing asked: every section at its usual size
        chosen = dict.fromkeys(SECTIONS, 1000)
    say(f"python {platform.python_version()} on {platform.machine()}")
    for name, n in chosen.items():
        SECTIONS[name](n)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
