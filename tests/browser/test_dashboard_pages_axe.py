"""Accessibility (axe) and width of the dashboard pages that had no browser test.

The audit log (with entries, one of them an export download), the call for
papers' proposals, the desk's
printable sheet, the training desk, the exports page, the invoices (list, one
invoice, payments): no serious or
critical axe violation and nothing wider than the viewport, at 1280 and
375 px. Names and organisations are 100-character unbreakable words, the
worst the forms accept. The log-in and the width measure are those of
``test_overflow``.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask
from playwright.sync_api import Browser, expect

from congress.billing.models import Invoice
from congress.cfp import decisions, review
from congress.cfp import services as cfp_services
from congress.cfp.models import Decision, Submission
from congress.core.clock import now
from congress.extensions import db
from congress.programme.models import TalkKind
from congress.registration import services
from tests.browser.conftest import serious_violations
from tests.browser.test_overflow import ADMIN, _admin_secret, _log_in, _overflow, _word
from tests.conftest import ORGANISER_PASSWORD
from tests.factories import (
    make_category,
    make_event,
    make_invoice,
    make_organiser,
    make_registration,
    make_reviewer,
    make_submission,
    make_talk,
    paris,
)

pytestmark = pytest.mark.browser

REVIEWER = "relecteur-largeur@anssi.fr"

# path -> its first-level heading, proof the page shown is the one meant.
PAGES = {
    "/dashboard/audit": "Journal d'audit",
    "/dashboard/cfp": "Appel à communications",
    "/dashboard/cfp/call": "Dates et règles de l’appel à communications",
    "/dashboard/cfp/reviews": "Mes propositions à relire",
    "/dashboard/cfp/ranking": "Classement des propositions",
    "/dashboard/checkin/sheet?day=2014-04-01": "Liste d'accueil du mardi 1er avril 2014",
    "/dashboard/checkin?training=1": "Accueil (entraînement)",
    "/dashboard/exports": "Exports",
    "/dashboard/invoices": "Factures",
    "/dashboard/payments": "Paiements",
}


@pytest.fixture
def edition(app: Flask) -> str:
    """An edition with a long-named attendee in a workshop; the admin's TOTP secret."""
    event = make_event()
    category = make_category(event, capacity=20, name=_word("C"))
    registration, _ = make_registration(
        event,
        category,
        "longue@chu-exemple.fr",
        first_name=_word("P"),
        last_name=_word("N"),
        organisation=_word("O"),
        days=[date(2014, 4, 1)],
    )
    workshop = make_talk(
        event, _word("W"), kind=TalkKind.WORKSHOP, starts_at=paris(1, "14:00"), seat_limit=10
    )
    services.add_to_agenda(registration, workshop)
    make_organiser(event)
    make_invoice(registration, legal_name=_word("L"), street=_word("A"))
    moment = now()
    cfp_services.set_call(event, moment - timedelta(days=1), moment + timedelta(days=30))
    cfp_services.submit(
        event,
        cfp_services.SubmissionData(
            title=_word("X"),
            abstract=_word("Y"),
            kind="attack_analysis",
            track_id=None,
            duration_minutes=45,
            language="fr",
            disclosure="tlp_amber",
            name=_word("Z"),
            email="longue@chu-exemple.fr",
            co_speakers=[cfp_services.CoSpeakerData(_word("K"), "k@chu-exemple.fr")],
        ),
        language="fr",
    )
    # A submitted AMBER proposal with two reviewers: one who scored it, one who has
    # not yet (the committee's pages, as the administrator and as that reviewer).
    proposal = make_submission(
        event,
        _word("R"),
        disclosure="tlp_amber",
        abstract=_word("Y"),
        name=_word("Z"),
        organisation=_word("O"),
        email="autre@chu-exemple.fr",
    )
    scorer = make_reviewer("notes-largeur@anssi.fr", _word("G"), _word("V"))
    review.assign(proposal, scorer)
    scores = {"relevance": 5, "originality": 4, "depth": 3, "clarity": 2}
    review.save_review(scorer, proposal, scores, _word("C"))
    review.assign(proposal, make_reviewer(REVIEWER, "ANSSI", _word("E")))
    decisions.decide(proposal, Decision.WAITING)
    secret = _admin_secret()
    db.session.commit()  # hold no transaction open against the server's writes
    return secret


def test_dashboard_pages_pass_axe_and_fit_the_viewport(
    browser: Browser, live_server: str, axe, edition: str, viewport: dict[str, int]
):
    context = browser.new_context(
        base_url=live_server, viewport=viewport, locale="fr-FR", service_workers="block"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    _log_in(page, edition)
    download = context.request.get("/dashboard/exports/session-attendance.csv")
    assert download.status == 200
    assert download.headers["content-disposition"].startswith(
        'attachment; filename="participants-ateliers-'
    )
    year = db.session.scalar(db.select(Invoice.year))
    reference = f"{year}-0001"
    db.session.rollback()
    proposal = db.session.scalar(db.select(Submission.uid).where(Submission.title == _word("R")))
    db.session.rollback()
    pages = {
        **PAGES,
        f"/dashboard/invoices/{reference}": f"Facture {reference}",
        f"/dashboard/cfp/{proposal}": _word("R"),
    }
    problems = {}
    for path, heading in pages.items():
        response = page.goto(path)
        assert response is not None
        assert response.status == 200, path
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        scroll_width, inner_width = _overflow(page)
        violations = serious_violations(axe, page)
        if violations or scroll_width > inner_width:
            problems[path] = {"axe": violations, "width": (scroll_width, inner_width)}
    assert problems == {}, problems

    # The reviewer's own pages, and the review form sent back with its refusals.
    reviewer = browser.new_context(
        base_url=live_server, viewport=viewport, locale="fr-FR", service_workers="block"
    )
    reviewer.set_default_timeout(10_000)
    mine = reviewer.new_page()
    mine.goto("/login")
    mine.get_by_label("Adresse e-mail").fill(REVIEWER)
    mine.get_by_label("Mot de passe").fill(ORGANISER_PASSWORD)
    mine.get_by_role("button", name="Se connecter").click()
    expect(mine.locator(".dash-nav")).to_be_visible()
    for path, heading in (
        ("/dashboard/cfp/reviews", "Mes propositions à relire"),
        (f"/dashboard/cfp/{proposal}", _word("R")),
    ):
        assert mine.goto(path).status == 200, path
        expect(mine.get_by_role("heading", level=1)).to_have_text(heading)
        scroll_width, inner_width = _overflow(mine)
        violations = serious_violations(axe, mine)
        if violations or scroll_width > inner_width:
            problems[path] = {"axe": violations, "width": (scroll_width, inner_width)}
    mine.get_by_label("4", exact=True).first.check()
    mine.get_by_role("button", name="Enregistrer ma relecture").click()
    expect(mine.locator("#error-summary")).to_be_visible()
    expect(mine.locator("#originality-error")).to_have_text("Choisissez une note de 1 à 5.")
    scroll_width, inner_width = _overflow(mine)
    violations = serious_violations(axe, mine)
    if violations or scroll_width > inner_width:
        problems["review refused"] = {"axe": violations, "width": (scroll_width, inner_width)}
    reviewer.close()
    assert problems == {}, problems

    page.goto("/dashboard/audit")
    expect(page.locator(".audit-sentence").filter(has_text="export")).to_have_text(
        f"{ADMIN} a téléchargé un export pour tableur"
    )
    page.goto("/dashboard/exports")
    expect(page.get_by_role("link", name="Exports")).to_have_attribute("aria-current", "page")
    expect(
        page.get_by_role("link", name="Télécharger (CSV)\u202f: Participants des ateliers")
    ).to_have_attribute("href", "/dashboard/exports/session-attendance.csv")
    context.close()
