"""Printed badges: access, headers, order, audit, the desk's single badge, and the fit.

How the fit is checked, and why this way: WeasyPrint's own layout of the very
template ``render_badges`` prints (``layout_badges``) gives every line of text
as a box with its position and width, in the badge's coordinates. A name is
"never cut" when (1) the text of the name's boxes, put back together, is the
whole name, and (2) every text box lies inside its badge, and those of the
name and organisation left of the QR code and above the category band. The
PDF's extracted text (pypdf) then shows that each name reaches the file in
full, on the page its position in the order puts it on. Reading positions
back from the PDF (pypdf's visitor) only gives where a run of text starts,
not where it ends, so it cannot tell a line running past the edge.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from pypdf import PdfReader
from weasyprint.formatting_structure import boxes

from congress.audit.models import AuditEntry
from congress.core.clock import set_clock
from congress.core.text import fold
from congress.documents.badges import PER_SHEET, layout_badges, qr_data_uri
from congress.edition.models import Event
from congress.extensions import db
from congress.registration import badges as service
from congress.registration.models import Registration, TicketCategory
from congress.registration.services import checkin_code
from tests.factories import make_registration, paris
from tests.http import csrf_from

pytestmark = pytest.mark.integration

URL = "/dashboard/badges.pdf"
GREEK_FIRST = ("Αλέξανδρος-Κωνσταντίνος Παναγιώτης Χαράλαμπος Ευάγγελος Δημήτριος " * 2)[:100]
GREEK_LAST = ("Παπαδοπουλοπούλου-Χατζηγεωργίου Καραμανλή Οικονόμου " * 2)[:100]
CYRILLIC_FIRST = ("Александр-Константин Владимирович Щербаков Жуковский " * 2)[:100]
CYRILLIC_LAST = ("ЩЕРБАКОВА-ДОСТОЕВСКАЯ МЕЩЕРСКАЯ ВЯЗЕМСКАЯ ШУВАЛОВА " * 2)[:100]
LATIN_FIRST = ("Jean-Baptiste Emmanuel Marie-Ségolène Éléonore " * 3)[:100]
LATIN_LAST = ("de La Rochefoucauld-Liancourt d’Harcourt-Beuvron " * 3)[:100]
ORGANISATION_200 = ("Centre hospitalier universitaire régional de Nantes, pôle numérique " * 3)[
    :200
]
# Demo-like attendees: (first name, last name, organisation, category slug).
PEOPLE = [
    ("Zoé", "Martin", "CHU de Rennes", "etablissements-de-sante"),
    ("Éric", "Zola", "Clinique du Parc", "etablissements-de-sante"),
    ("Hélène", "Élie", "ANSSI", "institutions-agences"),
    ("Paul", "Abadie", "Cyber Santé SAS", "industriels-prestataires"),
    ("Léa", "Nguyen", "Université du Mans", "etudiants"),
]


def _compact(text: str) -> str:
    """The text without whitespace, composed: lines and spaces may move, letters may not."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def _pages(body: bytes) -> list[str]:
    return [_compact(page.extract_text()) for page in PdfReader(io.BytesIO(body)).pages]


def _category(slug: str) -> TicketCategory:
    return db.session.scalars(db.select(TicketCategory).where(TicketCategory.slug == slug)).one()


@pytest.fixture
def edition(demo) -> Event:
    return db.session.scalars(db.select(Event).where(Event.slug == "apssis-2014")).one()


@pytest.fixture
def people(edition) -> list[Registration]:
    registered = []
    for index, (first, last, organisation, slug) in enumerate(PEOPLE):
        registration, _ = make_registration(
            edition,
            _category(slug),
            f"person{index}@chu-exemple.fr",
            first_name=first,
            last_name=last,
            organisation=organisation,
        )
        registered.append(registration)
    return registered


@pytest.fixture
def longest(edition) -> list[Registration]:
    """The longest values the form accepts, in Latin, Greek and Cyrillic scripts."""
    values = [
        (LATIN_FIRST, LATIN_LAST, ORGANISATION_200),
        (GREEK_FIRST, GREEK_LAST, ("Εθνικό και Καποδιστριακό Πανεπιστήμιο Αθηνών " * 5)[:200]),
        (CYRILLIC_FIRST, CYRILLIC_LAST, ("МОСКОВСКИЙ ГОСУДАРСТВЕННЫЙ УНИВЕРСИТЕТ " * 6)[:200]),
        ("W" * 100, "M" * 100, "Ш" * 200),
    ]
    category = _category("etablissements-de-sante")
    registered = []
    for index, (first, last, organisation) in enumerate(values):
        assert len(first) == len(last) == 100
        assert len(organisation) == 200
        registration, _ = make_registration(
            edition,
            category,
            f"long{index}@chu-exemple.fr",
            first_name=first,
            last_name=last,
            organisation=organisation,
        )
        registered.append(registration)
    return registered


ORGANISER = SimpleNamespace(id=1, email="desk@apssis-orga.fr")


# ---------------------------------------------------------------- access and headers


def test_badges_pdf_desk_gets_a_private_pdf_named_after_the_edition(client, login_as, people):
    login_as("desk")
    response = client.get(URL)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="badges-apssis-2014.pdf"'
    )
    assert response.data.startswith(b"%PDF-")
    assert len(PdfReader(io.BytesIO(response.data)).pages) == 1


def test_badges_pdf_editor_is_refused(client, login_as, people):
    login_as("editor")
    assert client.get(URL).status_code == 403
    assert client.get(f"/dashboard/registrations/{people[0].uid}/badge.pdf").status_code == 403


def test_badges_pdf_anonymous_is_sent_to_login(client, people):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/dashboard/badges.pdf")
    response = client.get(f"/dashboard/registrations/{people[0].uid}/badge.pdf")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


# ---------------------------------------------------------------- order and choice


def test_badges_pdf_by_name_folds_accents(client, login_as, people):
    login_as("desk")
    text = _pages(client.get(URL, query_string={"sort": "name"}).data)[0]
    order = [text.index(_compact(f"{first}{last}")) for first, last, _, _ in PEOPLE]
    # Abadie, Élie, Martin, Nguyen, Zola: "Élie" sorts as "elie", not after "Zola".
    assert sorted(range(5), key=lambda i: order[i]) == [3, 2, 0, 4, 1]


def test_badges_pdf_by_category_then_name(client, login_as, people):
    login_as("desk")
    text = _pages(client.get(URL, query_string={"sort": "category"}).data)[0]
    order = [text.index(_compact(f"{first}{last}")) for first, last, _, _ in PEOPLE]
    # Établissements (Martin, Zola), institutions (Élie), industriels (Abadie), étudiants.
    assert sorted(range(5), key=lambda i: order[i]) == [0, 1, 2, 3, 4]


def test_badges_pdf_one_category_only(client, login_as, people):
    login_as("desk")
    category = _category("etablissements-de-sante")
    text = _pages(client.get(URL, query_string={"category": category.id}).data)[0]
    assert "ZoéMartin" in text
    assert "ÉricZola" in text
    for other in ("Abadie", "Élie", "Nguyen"):
        assert other not in text
    assert _compact("Établissements de santé (publics et privés)") in text


def test_badges_pdf_leaves_out_unconfirmed_registrations(client, login_as, edition, people):
    make_registration(
        edition,
        _category("etudiants"),
        "pending@chu-exemple.fr",
        confirm=False,
        first_name="Nadia",
        last_name="Pending",
    )
    login_as("desk")
    text = _pages(client.get(URL).data)[0]
    assert "Pending" not in text
    assert "LéaNguyen" in text


def test_badges_pdf_bad_sort_or_category_is_refused_with_a_message(client, login_as, people):
    login_as("desk")
    response = client.get(URL, query_string={"sort": "price"})
    assert response.status_code == 400
    assert "Les badges se trient par nom ou par catégorie." in response.get_data(as_text=True)
    response = client.get(URL, query_string={"category": "abc"})
    assert response.status_code == 400
    assert "Choisissez une catégorie de billet dans la liste." in response.get_data(as_text=True)
    response = client.get(URL, query_string={"category": "999999"})
    assert response.status_code == 404
    assert "Cette catégorie de billet n’existe pas." in response.get_data(as_text=True)


def test_badges_pdf_with_nobody_confirmed_is_a_404_with_a_message(client, login_as, edition):
    login_as("desk")
    response = client.get(URL)
    assert response.status_code == 404
    assert "Aucune inscription confirmée" in response.get_data(as_text=True)
    assert (
        db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "badges.printed")).all()
        == []
    )


def test_badges_pdf_is_audited_and_read_as_a_sentence(client, login_as, people):
    login_as("admin")
    client.get(URL, query_string={"sort": "category"})
    entry = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "badges.printed")
    ).one()
    assert entry.object_id == "apssis-2014"
    assert entry.changes == {"badges": 5, "sort": "category", "category": ""}
    html = client.get("/dashboard/audit").get_data(as_text=True)
    assert "a imprimé des badges" in html


# ---------------------------------------------------------------- one badge at the desk


def test_registration_badge_desk_prints_one_audited_badge(client, login_as, people):
    login_as("desk")
    person = people[2]
    response = client.get(f"/dashboard/registrations/{person.uid}/badge.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"] == 'inline; filename="badge-apssis-2014.pdf"'
    pages = _pages(response.data)
    assert len(pages) == 1
    assert "HélèneÉlieANSSI" in pages[0]
    assert "Zola" not in pages[0]
    entry = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "badge.printed")
    ).one()
    assert (entry.object_type, entry.object_id) == ("registration", person.uid)


def test_registration_badge_of_an_unconfirmed_registration_is_a_409(client, login_as, edition):
    pending, _ = make_registration(
        edition, _category("etudiants"), "pending@chu-exemple.fr", confirm=False
    )
    login_as("desk")
    response = client.get(f"/dashboard/registrations/{pending.uid}/badge.pdf")
    assert response.status_code == 409
    assert "Seule une inscription confirmée reçoit un badge." in response.get_data(as_text=True)
    assert client.get("/dashboard/registrations/nobody/badge.pdf").status_code == 404


def test_desk_badge_carries_the_check_in_code_and_the_category_colour(app, people):
    person = people[3]  # industriels-prestataires: the third category of the demo
    badge = service.desk_badge(person.event, person.uid, user=ORGANISER)
    assert badge.qr == qr_data_uri(checkin_code(person))
    assert badge.colour == service.colour_for(2)
    assert badge.name_lines == ("Paul", "Abadie")
    assert badge.category == "Industriels et prestataires"


@pytest.fixture
def first_day() -> Iterator[None]:
    """Now is the first morning of the demo edition in Le Mans: the desk checks people in."""
    set_clock(lambda: paris(1, "09:00"))
    try:
        yield
    finally:
        set_clock(None)


def test_checkin_page_links_to_the_badge_of_the_person_found_and_checked_in(
    client, login_as, people, first_day
):
    login_as("desk")
    person = people[0]
    link = f'href="/dashboard/registrations/{person.uid}/badge.pdf"'
    assert link in client.get("/dashboard/checkin", query_string={"q": "Martin"}).get_data(
        as_text=True
    )
    page = client.get("/dashboard/checkin")
    token = csrf_from(page.get_data(as_text=True))
    response = client.post(
        "/dashboard/checkin", data={"csrf_token": token, "registration_id": person.id}
    )
    assert link in response.get_data(as_text=True)
    assert "Imprimer le badge de Zoé Martin (PDF)" in response.get_data(as_text=True)


def test_registrations_page_offers_the_badge_sheets_to_the_desk(client, login_as, people):
    login_as("desk")
    html = client.get("/dashboard/registrations").get_data(as_text=True)
    assert 'action="/dashboard/badges.pdf"' in html
    assert '<option value="category">Par catégorie, puis par nom</option>' in html


# ---------------------------------------------------------------- the fit


def _text_of(box: Any) -> str:
    if isinstance(box, boxes.TextBox):
        return box.text
    return "".join(_text_of(child) for child in getattr(box, "children", []))


def _classed(box: Any, name: str) -> list[Any]:
    """The boxes under ``box`` whose element has the class ``name`` (outermost ones)."""
    found = []
    for child in getattr(box, "children", []):
        element = getattr(child, "element", None)
        classes = (element.get("class") or "").split() if element is not None else []
        if name in classes and getattr(child, "element_tag", None) is not None:
            found.append(child)
        else:
            found.extend(_classed(child, name))
    return found


def _text_boxes(box: Any) -> list[Any]:
    if isinstance(box, boxes.TextBox):
        return [box]
    return [text for child in getattr(box, "children", []) for text in _text_boxes(child)]


def test_longest_names_fit_inside_their_badge_in_every_script(app, people, longest):
    badges = service.edition_badges(
        people[0].event, order=service.BadgeOrder.NAME, category_id=None, user=ORGANISER
    )
    document = layout_badges(badges, edition_name="APSSIS 2014")
    assert len(document.pages) == 1  # nine badges
    page = document.pages[0]._page_box
    laid_out = _classed(page, "badge")
    assert len(laid_out) == len(badges) == 9
    epsilon = 0.01
    for badge, box in zip(badges, laid_out, strict=True):
        left, top = box.position_x, box.position_y
        right, bottom = left + box.margin_width(), top + box.margin_height()
        (who,) = _classed(box, "who")
        (qr,) = _classed(box, "qr")
        (band,) = _classed(box, "band")
        # (1) the name and the organisation were laid out whole
        (first,) = _classed(who, "first")
        (last,) = _classed(who, "last")
        assert _compact(_text_of(first)) == _compact(badge.name_lines[0])
        assert _compact(_text_of(last)) == _compact(badge.name_lines[1])
        (organisation,) = _classed(who, "organisation")
        assert _compact(_text_of(organisation)) == _compact(badge.organisation)
        # (2) every line inside the badge; the name and organisation in their own box
        for text in _text_boxes(box):
            assert left - epsilon <= text.position_x
            assert text.position_x + text.width <= right + epsilon, text.text
            assert top - epsilon <= text.position_y
            assert text.position_y + text.height <= bottom + epsilon, text.text
        for text in _text_boxes(who):
            assert text.position_x + text.width <= qr.position_x + epsilon, text.text
            assert text.position_y + text.height <= band.position_y + epsilon, text.text


def test_badges_pdf_prints_every_long_name_in_full_on_its_page(
    client, login_as, people, longest, edition
):
    for index in range(4):  # thirteen badges: two sheets
        make_registration(
            edition,
            _category("etudiants"),
            f"extra{index}@chu-exemple.fr",
            first_name="Camille",
            last_name=f"Extra {index}",
        )
    login_as("desk")
    pages = _pages(client.get(URL).data)
    assert len(pages) == 2
    ordered = sorted(
        db.session.scalars(db.select(Registration).where(Registration.status == "confirmed")),
        key=lambda r: (fold(r.last_name), fold(r.first_name), r.id),
    )
    assert len(ordered) == 13
    for position, registration in enumerate(longest + people):
        page = pages[ordered.index(registration) // PER_SHEET]
        assert _compact(registration.first_name + registration.last_name) in page, position
        assert _compact(registration.organisation) in page, position
