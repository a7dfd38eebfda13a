"""Playwright driving Debian's Chromium, headless, against the live test server.

Playwright never downloads a browser here: the executable is the system one.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

# The first PDF a server process renders imports WeasyPrint and converts the site's
# font (documents/pdf.py): seconds on a loaded CI machine, beyond the default 10 s.
FIRST_DOCUMENT_MS = 45_000
CHROMIUM = os.environ.get("CONGRESS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-gpu",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()


@pytest.fixture(params=["desktop", "phone"])
def viewport(request: pytest.FixtureRequest) -> dict[str, int]:
    return DESKTOP if request.param == "desktop" else PHONE


@pytest.fixture
def page(browser: Browser, live_server: str) -> Iterator[Page]:
    # The offline worker precaches pages and assets on its first visit: each new context
    # would rebuild several pages for nothing. Flows that are not about offline use run
    # without it; tests/browser/test_offline.py and the production suite keep it.
    context = browser.new_context(
        base_url=live_server, viewport=DESKTOP, locale="fr-FR", service_workers="block"
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


def serious_violations(axe: Axe, page: Page) -> list[dict[str, Any]]:
    """axe-core violations of serious or critical impact, summarised for a readable failure."""
    results = axe.run(page)
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "nodes": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]
