"""The programme offline: saved by the service worker, nothing private but the own agenda.

The browser visits the site once (the worker installs and saves the public
pages; the attendee opens a session and their agenda), then the network is
cut with Playwright's offline mode: the programme, the session, the speakers
and the agenda with its QR code still open, each saying when it was saved;
the dashboard and the registration form do not, and the caches never held
them. A new worker version deletes the old caches.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from congress.edition.models import Event
from congress.extensions import db
from congress.registration.models import TicketCategory
from tests.factories import make_registration

pytestmark = pytest.mark.browser

SESSION = "cryptolocker-partages-reseau-urgences"
SAVED_AT = re.compile(r"^Hors ligne\u202f: cette page a été mise à jour à \d\d:\d\d\.$")
UPDATE = "async () => { const r = await navigator.serviceWorker.ready; await r.update(); }"


def _cached_paths(page: Page) -> list[str]:
    return page.evaluate(
        """async () => {
            const paths = [];
            for (const name of await caches.keys()) {
                const cache = await caches.open(name);
                for (const request of await cache.keys()) {
                    paths.push(new URL(request.url).pathname);
                }
            }
            return paths;
        }"""
    )


def _worker_ready(page: Page) -> None:
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    # The first page was loaded before the worker controlled it: load once more under it.
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")


@pytest.fixture
def page(browser: Browser, live_server: str) -> Iterator[Page]:
    """A page with service workers allowed (the suite's default page blocks them)."""
    context = browser.new_context(base_url=live_server, locale="fr-FR")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def attendee_token(app: Flask, demo) -> str:
    event = db.session.scalars(db.select(Event)).one()
    category = db.session.scalars(db.select(TicketCategory).order_by(TicketCategory.id)).first()
    _, token = make_registration(event, category, "horsligne@chu-exemple.fr")
    db.session.rollback()
    return token


def test_programme_session_and_agenda_open_offline(page: Page, attendee_token: str):
    page.goto("/programme")
    _worker_ready(page)
    page.goto(f"/sessions/{SESSION}")
    page.goto(f"/r/{attendee_token}/agenda")
    expect(page.get_by_role("img", name="QR code d'accueil")).to_be_visible()
    page.goto("/register")
    saved = {"/programme", f"/sessions/{SESSION}", "/speakers", f"/r/{attendee_token}/agenda"}
    for _ in range(100):  # the worker saves each answer after handing it to the page
        if saved <= set(_cached_paths(page)):
            break
        page.wait_for_timeout(100)

    page.context.set_offline(True)
    page.goto("/programme")
    expect(page.get_by_role("heading", level=1)).to_have_text("Programme")
    banner = page.locator("#offline-banner")
    expect(banner).to_have_text(
        re.compile(r"^Hors ligne\u202f: cette page a été mise à jour à \d\d:\d\d\.$")
    )
    page.get_by_role("link", name="Rançongiciel aux urgences", exact=False).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rançongiciel aux urgences")
    page.goto("/speakers")
    expect(page.get_by_role("heading", level=1)).to_have_text("Intervenants")
    page.goto(f"/r/{attendee_token}/agenda")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon agenda")
    qr = page.get_by_role("img", name="QR code d'accueil")
    expect(qr).to_be_visible()
    assert qr.evaluate("image => image.naturalWidth") > 0

    page.goto("/dashboard/")  # never saved: the offline page, not the dashboard
    expect(page.get_by_role("heading", level=1)).to_have_text("Vous êtes hors ligne")

    paths = _cached_paths(page)
    assert f"/r/{attendee_token}/agenda" in paths
    assert f"/r/{attendee_token}/qr.svg" in paths
    assert not [p for p in paths if p.startswith(("/dashboard", "/login", "/register"))]
    assert not [p for p in paths if p.startswith("/r/") and not p.endswith(("/agenda", "/qr.svg"))]


def test_page_reloads_when_the_network_comes_back(page: Page, demo):
    page.goto("/programme")
    _worker_ready(page)
    page.context.set_offline(True)
    page.goto("/speakers")
    expect(page.locator("#offline-banner")).to_be_visible()
    with page.expect_event("load"):
        page.context.set_offline(False)
    expect(page.locator("#offline-banner")).to_be_hidden()


def test_new_version_deletes_the_old_caches(browser: Browser, app: Flask, live_server: str, demo):
    context = browser.new_context(base_url=live_server, locale="fr-FR")
    page = context.new_page()
    try:
        app.config["OFFLINE_VERSION"] = "v1"
        page.goto("/programme")
        _worker_ready(page)
        assert sorted(page.evaluate("caches.keys()")) == ["congress-assets-v1", "congress-pages-v1"]

        app.config["OFFLINE_VERSION"] = "v2"
        page.evaluate(UPDATE)
        wanted = ["congress-assets-v2", "congress-pages-v2"]
        for _ in range(100):  # the new worker activates, then deletes the old caches
            if sorted(page.evaluate("caches.keys()")) == wanted:
                break
            page.wait_for_timeout(100)
        assert sorted(page.evaluate("caches.keys()")) == wanted
    finally:
        app.config.pop("OFFLINE_VERSION", None)
        context.close()
