"""Attendee flows on the public programme, at desktop (1280 px) and phone (375 px) widths.

Locators are the ones a visitor relies on (roles, accessible names, labels); the
demo edition (APSSIS 2014) is the data. Every test runs at both widths through the
``viewport`` fixture. Related steps share one test, and so one seeded database and
one page: seeding the demo costs more than most of the steps.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from tests.browser.conftest import serious_violations

pytestmark = pytest.mark.browser

ATTACK_ANALYSES = 10  # published attack analyses of the demo edition
AMBER_ANALYSES = 4  # of which shared as TLP:AMBER
KEYNOTE_SLUG = "securite-si-affaire-de-direction-generale"
KEYNOTE_TITLE = "La sécurité du système d'information, une affaire de direction générale"
SPEAKER_SLUG = "laurence-gautier"
SPEAKER_NAME = "Laurence Gautier"
AMBER_SLUG = "attaque-sous-domaines-ministere-sante-janvier-2014"
DAY_ONE, DAY_TWO, DAY_THREE = "mardi 1er avril 2014", "mercredi 2 avril 2014", "jeudi 3 avril 2014"
# The kind badge reads "⚠ Analyse d'attaque", the warning sign hidden from screen readers.
ATTACK_BADGE = re.compile(r"^(⚠\s*)?Analyse d'attaque$")
DISCLOSURE_BADGE = re.compile(r"^(TLP:(CLEAR|GREEN|AMBER|RED)|Chatham House)$")
WIDE_LAYOUT_MIN_WIDTH = 1024  # the grid's media query: 64rem

# (path, expected HTTP status) of the public pages checked by axe and for console errors.
PAGES = [
    ("/programme", 200),
    ("/programme?kind=attack_analysis", 200),
    (f"/sessions/{KEYNOTE_SLUG}", 200),
    (f"/sessions/{AMBER_SLUG}", 200),
    ("/speakers", 200),
    (f"/speakers/{SPEAKER_SLUG}", 200),
    ("/now", 200),
    ("/accessibility", 200),
    ("/privacy", 200),
    ("/programme?day=2099-01-01", 400),  # the programme with an error on its filter
]


@pytest.fixture
def sized(page: Page, viewport: dict[str, int]) -> Page:
    """The test's page at the parametrised width (desktop, then phone)."""
    page.set_viewport_size(viewport)
    return page


def with_lang(path: str, lang: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"


def filter_button(page: Page):
    # exact: the search landmark itself is named "Filtrer le programme".
    return page.get_by_role("button", name="Filtrer", exact=True)


def announced_count(page: Page) -> int:
    """The number in the status line, e.g. 10 in "10 sessions correspondent."."""
    text = page.get_by_role("status").inner_text()
    found = re.fullmatch(r"(\d+) sessions? correspond(ent)?\.", text.strip())
    assert found, text
    return int(found.group(1))


def expect_only_attack_analyses(page: Page) -> None:
    expect(page.get_by_role("status")).to_have_text(f"{ATTACK_ANALYSES} sessions correspondent.")
    entries = page.get_by_role("main").get_by_role("article")
    expect(entries).to_have_count(ATTACK_ANALYSES)
    for entry in entries.all():
        expect(entry.get_by_text(ATTACK_BADGE)).to_be_visible()
        # Every attack analysis of the demo carries a disclosure label (TLP or Chatham House).
        expect(entry.get_by_text(DISCLOSURE_BADGE)).to_be_visible()
    expect(page.get_by_text("TLP:AMBER", exact=True)).to_have_count(AMBER_ANALYSES)
    for badge in page.get_by_text("TLP:AMBER", exact=True).all():
        expect(badge).to_be_visible()
    expect(page.get_by_text("TLP:RED", exact=True)).to_be_visible()


def test_programme_filter_by_kind_quick_link_and_accent_free_search(sized: Page, demo):
    page = sized
    page.goto("/programme")
    page.get_by_label("Type").select_option(label="Analyses d'attaques")
    filter_button(page).click()
    expect(page).to_have_url(re.compile(r"[?&]kind=attack_analysis(&|$)"))
    expect(page.get_by_label("Type")).to_have_value("attack_analysis")
    expect_only_attack_analyses(page)

    page.get_by_role("link", name="Réinitialiser").click()
    expect(page).to_have_url(re.compile(r"/programme$"))
    page.get_by_role("link", name="Uniquement les analyses d'attaques").click()
    expect(page).to_have_url(re.compile(r"/programme\?kind=attack_analysis$"))
    expect_only_attack_analyses(page)

    page.get_by_role("link", name="Réinitialiser").click()
    page.get_by_label("Rechercher").fill("securite")
    filter_button(page).click()
    expect(page).to_have_url(re.compile(r"[?&]q=securite(&|$)"))
    expect(page.get_by_label("Rechercher")).to_have_value("securite")
    main = page.get_by_role("main")
    expect(main.get_by_role("link", name=KEYNOTE_TITLE)).to_be_visible()
    accented = main.get_by_role("heading", name=re.compile("[Ss]écurité"))
    expect(accented.first).to_be_visible()
    # Six published titles spell "sécurité"; the abstract may match the others.
    assert accented.count() >= 6
    expect(main.get_by_role("heading", name="Pause café")).to_have_count(0)
    entries = main.get_by_role("article")
    assert announced_count(page) == entries.count() >= accented.count()


def test_session_page_then_speaker_and_restricted_abstract(sized: Page, demo):
    page = sized
    page.goto("/programme")
    page.get_by_role("link", name=KEYNOTE_TITLE).click()
    expect(page).to_have_url(re.compile(rf"/sessions/{KEYNOTE_SLUG}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(KEYNOTE_TITLE)
    expect(page.locator("dt", has_text="Quand")).to_be_visible()
    when = page.locator("dt:text-is('Quand') + dd")
    expect(when).to_contain_text(DAY_ONE)
    expect(when).to_contain_text("09:15–10:15")
    expect(when).to_contain_text("Europe/Paris")
    expect(page.locator("dt:text-is('Salle') + dd")).to_have_text("Grand amphithéâtre")
    expect(page.get_by_role("link", name="Ajouter à mon agenda (.ics)")).to_have_attribute(
        "href",
        f"http://congress.test/sessions/{KEYNOTE_SLUG}.ics",  # absolute, as feeds are
    )
    expect(page.get_by_role("link", name="M'abonner à tout le programme")).to_have_attribute(
        "href", re.compile(r"^webcal://")
    )

    page.get_by_role("main").get_by_role("link", name=SPEAKER_NAME).click()
    expect(page).to_have_url(re.compile(rf"/speakers/{SPEAKER_SLUG}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(SPEAKER_NAME)
    listed = page.get_by_role("heading", level=3, name=KEYNOTE_TITLE)
    expect(listed).to_be_visible()
    expect(listed.get_by_role("link")).to_have_attribute("href", f"/sessions/{KEYNOTE_SLUG}")

    page.goto(f"/sessions/{AMBER_SLUG}")
    expect(page.get_by_text("TLP:AMBER", exact=True)).to_be_visible()
    expect(page.locator(".talk-badges").get_by_text(ATTACK_BADGE)).to_be_visible()
    notice = page.get_by_text(
        "Le résumé de cette session est réservé aux participants inscrits (TLP:AMBER)"
    )
    expect(notice).to_be_visible()
    # The abstract itself is not on the public page.
    expect(page.get_by_text("supports remis aux seuls participants")).to_have_count(0)


def test_keyboard_skip_link_then_filters(sized: Page, demo):
    page = sized
    page.goto("/programme")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()

    kind = page.get_by_label("Type")
    kind.focus()
    expect(kind).to_be_focused()
    page.keyboard.type("Analyses")  # type-ahead on the closed select
    expect(kind).to_have_value("attack_analysis")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Salle")).to_be_focused()
    page.keyboard.press("Tab")
    expect(filter_button(page)).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]kind=attack_analysis(&|$)"))
    expect(page.get_by_role("status")).to_have_text(f"{ATTACK_ANALYSES} sessions correspondent.")


def test_day_tab_then_slot_layout(sized: Page, demo, viewport):
    page = sized
    page.goto("/programme")
    main = page.get_by_role("main")
    days = main.locator("section.day").get_by_role("heading", level=2)
    expect(days).to_have_count(3)
    tabs = page.get_by_role("navigation", name="Jours du congrès")
    expect(tabs.get_by_role("link", name="Les trois jours")).to_have_attribute(
        "aria-current", "page"
    )
    tabs.get_by_role("link", name=DAY_TWO).click()
    expect(page).to_have_url(re.compile(r"\?day=2014-04-02$"))
    expect(days).to_have_count(1)
    expect(days).to_have_text(DAY_TWO)
    expect(main.get_by_role("region", name=DAY_TWO)).to_be_visible()
    expect(tabs.get_by_role("link", name=DAY_TWO)).to_have_attribute("aria-current", "page")
    for other in (DAY_ONE, DAY_THREE, "Les trois jours"):
        expect(tabs.get_by_role("link", name=other)).not_to_have_attribute("aria-current", "page")
    expect(page.get_by_label("Jour", exact=True)).to_have_value("2014-04-02")

    # Layout: the 10:45 slot of the first day has one session in each of the three rooms.
    tabs.get_by_role("link", name=DAY_ONE).click()
    slot = (
        main.get_by_role("region", name=DAY_ONE)
        .get_by_role("listitem")
        .filter(has=page.get_by_role("heading", level=3, name="10:45", exact=True))
    )
    talks = slot.get_by_role("article")
    expect(talks).to_have_count(3)
    boxes = [talk.bounding_box() for talk in talks.all()]
    assert None not in boxes
    tops = [round(box["y"]) for box in boxes]
    lefts = [round(box["x"]) for box in boxes]
    room_names = page.locator(".grid-head").first  # aria-hidden column headers
    if viewport["width"] >= WIDE_LAYOUT_MIN_WIDTH:
        assert len(set(tops)) == 1, tops  # side by side ...
        assert lefts == sorted(set(lefts)), lefts  # ... one column per room, left to right
        expect(room_names).to_be_visible()
    else:
        assert tops == sorted(set(tops)), tops  # stacked, in order: a chronological list
        assert len(set(lefts)) == 1, lefts
        expect(room_names).to_be_hidden()
        assert all(box["x"] + box["width"] <= viewport["width"] for box in boxes)
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def _visit(page: Page, path: str, status: int, lang: str) -> None:
    response = page.goto(with_lang(path, lang))
    assert response is not None
    assert response.status == status, path
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_public_pages_pass_axe_and_log_no_console_error(sized: Page, axe, demo):
    """Every page in French and in English: no serious axe violation, no console error.

    A strict-CSP violation (an inline script or style, a foreign origin) shows up as a
    console error. Both checks share the page loads, which keeps the file fast.
    """
    page = sized
    console_errors: list[str] = []

    def record(message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        url = message.location.get("url") or ""
        # Chromium asks for /favicon.ico on its own; the site has none (not a CSP matter).
        if url.endswith("/favicon.ico"):
            return
        # Chromium logs the 400 of the error page itself: that status is the expected one.
        if "day=2099-01-01" in url and "status of 400" in message.text:
            return
        console_errors.append(f"{url}: {message.text}")

    page.on("console", record)
    page.on("pageerror", lambda error: console_errors.append(f"{page.url}: {error}"))
    axe_violations = {}
    for lang in ("fr", "en"):
        for path, status in PAGES:
            _visit(page, path, status, lang)
            violations = serious_violations(axe, page)
            if violations:
                axe_violations[with_lang(path, lang)] = violations
    assert axe_violations == {}
    assert console_errors == []
