"""The attendee's registration flow, at desktop (1280 px) and phone (375 px) widths.

A person registers on the demo edition (APSSIS 2014), reads the confirmation
e-mail the delivery worker writes to ``<INSTANCE_PATH>/outbox`` and confirms; a
second person lands on the waiting list of the same (shrunk) ticket category and
gets the seat when the first one cancels. The agenda (sessions, feed, webcal) has
its own test, so a fault there does not hide the rest of the flow.
Locators are the ones a visitor relies on: roles, accessible names, labels.
"""

from __future__ import annotations

import email
import email.policy
import re
from email.message import EmailMessage
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from congress.edition.models import Event
from congress.extensions import db
from congress.registration.models import Registration, RegistrationStatus, TicketCategory
from tests.browser.conftest import DESKTOP, PHONE, serious_violations
from tests.factories import confirm_token_for, make_registration, registration_data

pytestmark = pytest.mark.browser

BASE_URL = "http://congress.test"  # the app fixture's BASE_URL: links in e-mails start with it
STUDENTS = "etudiants"  # slug of the "Étudiants" category, shrunk to one seat
KEYNOTE_TITLE = "La sécurité du système d'information, une affaire de direction générale"
WORKSHOP_TITLE = "Atelier : cartographier les flux de son système d'information hospitalier"
WORKSHOP_SEATS = 35
DAY_ONE, DAY_TWO = "mardi 1er avril 2014", "mercredi 2 avril 2014"


# ------------------------------------------------------------------ helpers


@pytest.fixture
def sized(page: Page, request: pytest.FixtureRequest) -> Page:
    page.set_viewport_size(getattr(request, "param", DESKTOP))
    return page


def console_recorder(page: Page, expected: dict[str, int] | None = None) -> list[str]:
    """Collect console errors and page errors; the caller asserts the list stays empty.

    Chromium logs the status of a 4xx page as an error: ``expected`` maps the URLs
    that answer such a status on purpose to that status. Chromium also asks for
    /favicon.ico by itself.
    """
    errors: list[str] = []
    allowed = expected if expected is not None else {}

    def record(message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        url = message.location.get("url") or ""
        if url.endswith("/favicon.ico"):
            return
        status = re.search(r"status of (\d{3})", message.text)
        if status and allowed.get(url) == int(status.group(1)):
            return
        errors.append(f"{url}: {message.text}")

    page.on("console", record)
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    return errors


def shrink_students_category(capacity: int = 1) -> None:
    category = db.session.scalars(
        db.select(TicketCategory).where(TicketCategory.slug == STUDENTS)
    ).one()
    category.capacity = capacity
    db.session.commit()


def status_of(address: str) -> RegistrationStatus:
    """The stored status, read afresh (the live server commits from its own threads)."""
    status = db.session.scalar(db.select(Registration.status).where(Registration.email == address))
    db.session.rollback()  # hold no read transaction open against the server's writes
    assert status is not None, address
    return status


def deliver_and_read(app: Flask, address: str, subject: str | re.Pattern[str]) -> EmailMessage:
    """Run one delivery pass, then parse the one .eml to ``address`` with that subject."""
    from congress.mail.delivery import deliver_due

    report = deliver_due(app)
    assert report.failed == 0, report
    outbox = Path(app.config["INSTANCE_PATH"]) / "outbox"
    found = []
    for path in sorted(outbox.glob("*.eml"), key=lambda p: (p.stat().st_mtime_ns, p.name)):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        matches = (
            subject.search(str(message["Subject"]))
            if isinstance(subject, re.Pattern)
            else str(message["Subject"]) == subject
        )
        if message["To"] == address and matches:
            found.append(message)
    assert len(found) == 1, [str(m["Subject"]) for m in found]
    return found[0]


def text_of(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return body.get_content()


def link_in(message: EmailMessage, live_server: str, path_pattern: str) -> str:
    """The link of the text part matching ``path_pattern``, moved onto the live server."""
    links = re.findall(rf"{re.escape(BASE_URL)}{path_pattern}", text_of(message))
    assert len(links) == 1, links
    return live_server + links[0].removeprefix(BASE_URL)


def register(page: Page, first: str, last: str, address: str) -> None:
    """Fill every required field of /register by its label, and submit."""
    page.goto("/register")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.get_by_label("Prénom", exact=True).fill(first)
    page.get_by_label("Nom", exact=True).fill(last)
    page.get_by_label("Adresse e-mail", exact=True).fill(address)
    page.get_by_label("Organisme", exact=True).fill("Université du Maine")
    page.get_by_label("Type d'organisme").select_option(label="Établissement public de santé")
    page.get_by_label("Fonction").select_option(label="Étudiant")
    tickets = page.get_by_role("group", name=re.compile(r"^Billet"))
    tickets.get_by_role("radio", name=re.compile(r"^Étudiants")).check()
    days = page.get_by_role("group", name=re.compile(r"^Jours de présence"))
    days.get_by_role("checkbox", name=DAY_ONE).check()
    days.get_by_role("checkbox", name=DAY_TWO).check()
    page.get_by_role(
        "checkbox", name=re.compile(r"^J'ai lu la politique de confidentialité")
    ).check()
    page.get_by_role("button", name="S'inscrire").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Consultez votre messagerie")


def confirm_from_mail(page: Page, app: Flask, live_server: str, address: str) -> str:
    """Open the confirmation link of the e-mail, check nothing happens on GET, press the button.

    Returns the private management URL the attendee lands on.
    """
    message = deliver_and_read(app, address, re.compile(r"^Confirmez votre inscription"))
    page.goto(link_in(message, live_server, r"/register/confirm/[A-Za-z0-9_-]+"))
    button = page.get_by_role("button", name="Confirmer mon inscription")
    expect(button).to_be_visible()
    assert status_of(address) is RegistrationStatus.PENDING  # a GET confirms nothing
    button.click()
    expect(page).to_have_url(re.compile(r"/r/[A-Za-z0-9_-]+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon inscription")
    return page.url


def expect_status(page: Page, label: str) -> None:
    status = (
        page.get_by_role("main")
        .get_by_role("paragraph")
        .filter(has=page.get_by_text(re.compile(r"^Statut\s*:$")))
    )
    expect(status).to_have_text(re.compile(rf"^Statut\s*:\s*{re.escape(label)}$"))


def ical_text(value: str) -> str:
    """A TEXT value as RFC 5545 escapes it."""
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")


def agenda_entry(page: Page, title: str):
    return (
        page.get_by_role("main")
        .get_by_role("listitem")
        .filter(has=page.get_by_role("heading", level=3, name=title, exact=True))
    )


# ------------------------------------------------------------------ 1. the main flow


@pytest.mark.parametrize("sized", [DESKTOP, PHONE], ids=["desktop", "phone"], indirect=True)
def test_register_confirm_then_cancel_promotes_the_waiting_list(
    sized: Page, browser: Browser, app: Flask, live_server: str, demo
):
    page = sized
    shrink_students_category(1)
    expected: dict[str, int] = {}
    errors = console_recorder(page, expected)

    # A registers and confirms: the only seat of the category is hers.
    register(page, "Alice", "Martin", "alice@univ-exemple.fr")
    assert status_of("alice@univ-exemple.fr") is RegistrationStatus.PENDING
    alice_manage = confirm_from_mail(page, app, live_server, "alice@univ-exemple.fr")
    expect_status(page, "Confirmée")
    assert status_of("alice@univ-exemple.fr") is RegistrationStatus.CONFIRMED

    # B registers in the same, now full, category: the waiting list.
    context_b = browser.new_context(
        service_workers="block", base_url=live_server, viewport=page.viewport_size, locale="fr-FR"
    )
    context_b.set_default_timeout(10_000)
    try:
        page_b = context_b.new_page()
        errors_b = console_recorder(page_b)
        register(page_b, "Bruno", "Petit", "bruno@univ-exemple.fr")
        bruno_manage = confirm_from_mail(page_b, app, live_server, "bruno@univ-exemple.fr")
        expect_status(page_b, "Sur liste d'attente")
        assert status_of("bruno@univ-exemple.fr") is RegistrationStatus.WAITING

        # A cancels: B gets her seat, and an e-mail with an invitation.
        page.goto(alice_manage)
        page.get_by_role("link", name="Annuler mon inscription").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Annuler mon inscription")
        page.get_by_role("button", name="Oui, annuler mon inscription").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Inscription annulée")
        assert status_of("alice@univ-exemple.fr") is RegistrationStatus.CANCELLED

        page_b.reload()
        assert page_b.url == bruno_manage
        expect_status(page_b, "Confirmée")
        assert status_of("bruno@univ-exemple.fr") is RegistrationStatus.CONFIRMED
        promoted = deliver_and_read(
            app, "bruno@univ-exemple.fr", re.compile(r"^Une place vous attend")
        )
        invitations = [
            part
            for part in promoted.iter_attachments()
            if part.get_content_type() == "text/calendar"
        ]
        assert len(invitations) == 1
        assert invitations[0].get_param("method") == "REQUEST"
        assert "METHOD:REQUEST" in invitations[0].get_content()
        assert errors_b == []
    finally:
        context_b.close()
    # A's private link stopped working with the cancellation.
    expected[alice_manage] = 404
    response = page.goto(alice_manage)
    assert response is not None
    assert response.status == 404
    assert errors == []


@pytest.mark.parametrize("sized", [DESKTOP, PHONE], ids=["desktop", "phone"], indirect=True)
def test_agenda_add_a_talk_and_a_workshop_then_subscribe(
    sized: Page, app: Flask, live_server: str, axe, demo
):
    page = sized
    errors = console_recorder(page)
    event = db.session.scalars(db.select(Event)).one()
    category = db.session.scalars(
        db.select(TicketCategory).where(TicketCategory.slug == STUDENTS)
    ).one()
    _, manage_token = make_registration(event, category, "alice@univ-exemple.fr")
    db.session.rollback()

    page.goto(f"/r/{manage_token}")
    with page.expect_response(re.compile(r"/agenda$")) as opened:
        page.get_by_role("link", name="Composer mon agenda et m'y abonner").click()
    assert opened.value.status == 200  # fail at once, not after expect's timeout
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon agenda")
    assert serious_violations(axe, page) == []
    for title in (KEYNOTE_TITLE, WORKSHOP_TITLE):
        agenda_entry(page, title).get_by_role("button", name="Ajouter à mon agenda").click()
        expect(page.get_by_text(f"«\u202f{title}\u202f» est dans votre agenda.")).to_be_visible()
    for title in (KEYNOTE_TITLE, WORKSHOP_TITLE):
        entry = agenda_entry(page, title)
        expect(entry.get_by_role("button", name="Retirer de mon agenda")).to_be_visible()
        expect(entry.get_by_role("button", name="Ajouter à mon agenda")).to_have_count(0)
    expect(page.get_by_role("button", name="Retirer de mon agenda")).to_have_count(2)
    seats = agenda_entry(page, WORKSHOP_TITLE).get_by_text(re.compile(r"places libres"))
    expect(seats).to_have_text(f"{WORKSHOP_SEATS - 1} places libres sur {WORKSHOP_SEATS}")
    assert serious_violations(axe, page) == []  # with the chosen sessions and the message

    feed = page.get_by_role("link", name="Adresse du flux (.ics)").get_attribute("href")
    assert feed is not None
    assert feed.startswith(f"{BASE_URL}/r/")
    assert feed.endswith("/agenda.ics")
    response = page.request.get(live_server + feed.removeprefix(BASE_URL))
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = response.text().replace("\r\n ", "")  # unfold RFC 5545 lines
    for title in (KEYNOTE_TITLE, WORKSHOP_TITLE):
        assert "SUMMARY:" + ical_text(title) in calendar
    expect(page.get_by_role("link", name="M'abonner (webcal)")).to_have_attribute(
        "href", re.compile(r"^webcal://")
    )
    assert errors == []


# ------------------------------------------------------------------ 2. validation


def fill_all_but_consent(page: Page, address: str) -> None:
    page.get_by_label("Prénom", exact=True).fill("Alice")
    page.get_by_label("Nom", exact=True).fill("Martin")
    page.get_by_label("Adresse e-mail", exact=True).fill(address)
    page.get_by_label("Organisme", exact=True).fill("Université du Maine")
    page.get_by_label("Type d'organisme").select_option(label="Établissement public de santé")
    page.get_by_label("Fonction").select_option(label="Étudiant")
    page.get_by_role("radio", name=re.compile(r"^Étudiants")).check()
    page.get_by_role("checkbox", name=DAY_ONE).check()


def submit_expecting(page: Page, status: int) -> None:
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="S'inscrire").click()
    assert answer.value.status == status


def error_summary(page: Page):
    return page.get_by_role("alert").filter(
        has=page.get_by_role("heading", name=re.compile(r"champs? demande"))
    )


EMAIL_ERROR = "Saisissez une adresse e-mail valide."
CONSENT_ERROR = "Vous devez accepter la politique de confidentialité pour vous inscrire."
CONSENT_LABEL = re.compile(r"^J'ai lu la politique de confidentialité")


def expect_field_error(field, message: str) -> None:
    """The error is beside the field: the control is invalid and described by the message."""
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description(re.compile(re.escape(message)))


def expect_input_kept(page: Page) -> None:
    expect(page.get_by_label("Prénom", exact=True)).to_have_value("Alice")
    expect(page.get_by_label("Nom", exact=True)).to_have_value("Martin")
    expect(page.get_by_label("Prénom", exact=True)).not_to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Nom", exact=True)).not_to_have_attribute("aria-invalid", "true")


def registrations_stored() -> int:
    count = db.session.scalar(db.select(db.func.count()).select_from(Registration))
    db.session.rollback()
    return count or 0


def test_register_errors_are_shown_beside_fields_and_input_is_kept(sized: Page, demo):
    """Each submission names its errors in the summary and beside the field, keeps the input."""
    page = sized
    page.goto("/register")
    fill_all_but_consent(page, "alice-sans-arobase")
    submit_expecting(page, 400)
    consent = page.get_by_role("checkbox", name=CONSENT_LABEL)
    expect(
        error_summary(page).get_by_role("link", name=re.compile(re.escape(CONSENT_ERROR)))
    ).to_be_visible()
    expect_field_error(consent, CONSENT_ERROR)
    expect_input_kept(page)
    expect(page.get_by_label("Adresse e-mail", exact=True)).to_have_value("alice-sans-arobase")

    # The summary's link takes the keyboard to the field.
    error_summary(page).get_by_role("link", name=re.compile(re.escape(CONSENT_ERROR))).click()
    expect(consent).to_be_focused()

    consent.check()
    submit_expecting(page, 400)
    email_field = page.get_by_label("Adresse e-mail", exact=True)
    expect(error_summary(page).get_by_role("link")).to_have_text(
        [re.compile(rf"^Adresse e-mail\s*:\s*{re.escape(EMAIL_ERROR)}$")]
    )
    expect_field_error(email_field, EMAIL_ERROR)
    expect(email_field).to_have_value("alice-sans-arobase")
    expect_input_kept(page)
    assert registrations_stored() == 0


def test_register_invalid_email_and_no_consent_are_reported_together(sized: Page, demo):
    page = sized
    page.goto("/register")
    fill_all_but_consent(page, "alice-sans-arobase")
    submit_expecting(page, 400)
    summary = error_summary(page)
    expect(summary).to_be_visible()
    assert summary.get_by_role("link").count() == 2  # the page is server-rendered: no waiting
    for entry in (
        rf"^Adresse e-mail\s*:\s*{re.escape(EMAIL_ERROR)}$",
        rf"^J'ai lu la politique.*:\s*{re.escape(CONSENT_ERROR)}$",
    ):
        expect(summary.get_by_role("link", name=re.compile(entry))).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text("2 champs demandent votre attention")
    expect_field_error(page.get_by_label("Adresse e-mail", exact=True), EMAIL_ERROR)
    expect_field_error(page.get_by_role("checkbox", name=CONSENT_LABEL), CONSENT_ERROR)
    expect_input_kept(page)
    assert registrations_stored() == 0


# ------------------------------------------------------------------ 3. accessibility


def test_registration_pages_pass_axe_and_log_no_console_error(
    page: Page, app: Flask, live_server: str, axe, demo
):
    """Every attendee page (the agenda is checked in its own test) at both widths."""
    from congress.registration import services

    event = db.session.scalars(db.select(Event)).one()
    category = db.session.scalars(
        db.select(TicketCategory).where(TicketCategory.slug == STUDENTS)
    ).one()
    _, manage = make_registration(event, category, "alice@univ-exemple.fr")
    pending = services.register(
        event, registration_data(category, "bruno@univ-exemple.fr"), language="fr"
    )
    assert pending is not None
    confirm_path = f"/register/confirm/{confirm_token_for(pending)}"
    db.session.rollback()

    expected = {f"{live_server}/register": 400}  # the form sent back with its errors
    errors = console_recorder(page, expected)
    violations: dict[str, list] = {}

    def check(name: str, heading: str) -> None:
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        found = serious_violations(axe, page)
        if found:
            violations[f"{name} @ {page.viewport_size['width']}px"] = found

    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        page.goto("/register")
        check("/register", "S'inscrire au congrès")
        submit_expecting(page, 400)  # nothing filled in
        expect(error_summary(page)).to_be_visible()
        check("/register with errors", "S'inscrire au congrès")
        page.goto(confirm_path)
        check("confirmation", "Confirmez votre inscription")
        page.goto(f"/r/{manage}")
        check("Mon inscription", "Mon inscription")
        page.goto(f"/r/{manage}/cancel")
        check("cancel", "Annuler mon inscription")
        page.goto(f"/r/{manage}/erase")
        check("erase", "Effacer mes données")
        page.goto(f"/r/{manage}/print")
        check("print", "Confirmation d'inscription")
        expect(page.get_by_role("img", name=re.compile("QR"))).to_be_visible()
    assert violations == {}
    assert errors == []
