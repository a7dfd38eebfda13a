"""The attendee adds a session at the same time as one already chosen, in a browser.

The page says so next to nothing changed, offers to replace or keep both,
and once both are kept marks each of them; axe passes on the question and on
the marked agenda, at phone and desktop widths.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from congress.edition.models import Event
from congress.extensions import db
from congress.programme.models import Talk, TalkStatus
from congress.registration.models import TicketCategory
from tests.browser.conftest import DESKTOP, PHONE, serious_violations
from tests.factories import make_registration

pytestmark = pytest.mark.browser


def _two_overlapping_talks() -> tuple[str, str]:
    """Titles of two confirmed demo sessions that overlap, earlier first."""
    talks = db.session.scalars(
        db.select(Talk).where(Talk.status == TalkStatus.CONFIRMED).order_by(Talk.starts_at)
    ).all()
    for index, one in enumerate(talks):
        for other in talks[index + 1 :]:
            if other.starts_at < one.ends_at and one.starts_at < other.ends_at:
                return one.title, other.title
    raise AssertionError("the demo edition has no parallel sessions")


def _entry(page: Page, title: str):
    return (
        page.get_by_role("main")
        .get_by_role("listitem")
        .filter(has=page.get_by_role("heading", level=3, name=title, exact=True))
    )


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_clash_is_asked_then_both_kept_and_marked(page: Page, axe, demo, size):
    page.set_viewport_size(size)
    event = db.session.scalars(db.select(Event)).one()
    category = db.session.scalars(db.select(TicketCategory).order_by(TicketCategory.id)).first()
    _, token = make_registration(event, category, "clash@chu-exemple.fr")
    first, second = _two_overlapping_talks()
    db.session.rollback()

    page.goto(f"/r/{token}/agenda")
    _entry(page, first).get_by_role("button", name="Ajouter à mon agenda").click()
    expect(page.get_by_text(f"«\u202f{first}\u202f» est dans votre agenda.")).to_be_visible()

    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        _entry(page, second).get_by_role("button", name="Ajouter à mon agenda").click()
    assert answer.value.status == 409
    question = page.get_by_role("alert").filter(has_text="chevauche votre agenda")
    expect(question).to_contain_text(first)
    expect(question).to_contain_text("Rien n'a encore changé.")
    expect(_entry(page, second).get_by_role("button", name="Ajouter à mon agenda")).to_be_visible()
    assert serious_violations(axe, page) == []

    question.get_by_role("button", name="Garder les deux").click()
    expect(page.get_by_text(f"«\u202f{second}\u202f» est dans votre agenda.")).to_be_visible()
    expect(_entry(page, first).locator(".clash-note")).to_contain_text(second)
    expect(_entry(page, second).locator(".clash-note")).to_contain_text(first)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert serious_violations(axe, page) == []
