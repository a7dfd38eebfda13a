"""French typography over the whole catalog and over the pages and e-mails of the demo.

Why both: the catalog holds what we write, but "de" + a name or a first-of-month
date only appears once a page puts values into it.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from congress.edition.models import Event
from congress.extensions import db
from congress.mail.models import OutboxMessage
from congress.programme.models import Speaker, Talk, Track
from congress.registration.models import TicketCategory
from tests.http import csrf_from, submit

pytestmark = pytest.mark.integration

CATALOG = Path(__file__).parents[2] / "congress/translations/fr/LC_MESSAGES/messages.po"
NNBSP = "\u202f"
MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"

# A sign is punctuation when it ends a word: "?lang=", "https://" or "09:30" are not.
_SIGN = r"[:;!?](?=\s|$|[\"»)<.,])"
RULES = {
    "à + article": re.compile(r"(?<![\w'])[àÀ] Les? "),
    "au + article": re.compile(r"(?<![\w'])[aA]ux? Les? "),
    "de + article": re.compile(r"(?<![\w'])[dD]e Les? "),
    "de + vowel": re.compile(r"(?<![\w'])[dD]e [AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜ]"),
    "plain space before sign": re.compile(r"[ \u00a0]" + _SIGN),
    "no space before sign": re.compile(r"[^\s\u202f]" + _SIGN),
    "no narrow space after «": re.compile("«(?!" + NNBSP + ")"),
    "no narrow space before »": re.compile("(?<!" + NNBSP + ")»"),
    "doubled space": re.compile(r"\u202f\s|\s\u202f"),
    "cardinal first day": re.compile(rf"(?<!\d)1 (?:{MONTHS})\b"),
}


def violations(text: str) -> list[str]:
    """Every rule ``text`` breaks, with the offending excerpt."""
    text = re.sub(r"&\w+;|%\(\w+\)[sd]|\{\w*\}", "x", text)  # entities and placeholders
    found = []
    for rule, pattern in RULES.items():
        for match in pattern.finditer(text):
            start = max(match.start() - 25, 0)
            found.append(f"{rule}: …{text[start : match.end() + 10]}…")
    return found


def visible_text(page: str) -> str:
    page = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page)
    page = re.sub(r"(?s)<!--.*?-->", " ", page)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_french_catalog_follows_french_typography() -> None:
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    found = []
    for message in catalog:
        if not message.id:
            continue  # the header
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            found += [f"{message.id!r} → {problem}" for problem in violations(string)]
    assert found == [], "\n".join(found)


@pytest.fixture
def french_pages(client, demo) -> dict[str, str]:
    """The public pages of the demo and the registration e-mails, rendered in French.

    The demo's own prose (titles, abstracts, biographies, the edition's blurb)
    is what organisers type, not what we write: it is blanked so that only our
    wording, names and dates are checked.
    """
    _blank_typed_prose()
    talk = db.session.scalars(db.select(Talk).order_by(Talk.id)).first()
    speaker = db.session.scalars(db.select(Speaker).order_by(Speaker.id)).first()
    paths = ["/", "/programme", f"/sessions/{talk.slug}", "/speakers"]
    paths += [f"/speakers/{speaker.slug}", "/register", "/privacy", "/accessibility"]
    paths.append("/infos-pratiques")
    pages = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        pages[path] = visible_text(response.get_data(as_text=True))
    category = db.session.scalars(db.select(TicketCategory).order_by(TicketCategory.id)).first()
    form = {
        "first_name": "Ève",
        "last_name": "Martin",
        "email": "eve.martin@chu-exemple.fr",
        "organisation": "CHU d'Exemple",
        "organisation_type": "public_hospital",
        "job_role": "ciso",
        "days": ["2014-04-01", "2014-04-02"],
        "privacy_consent": "y",
        "category": category.id,
    }
    assert submit(client, "/register", form).status_code == 302
    confirm = _last_message().body_text
    path = re.search(r"http://congress.test(/register/confirm/\S+)", confirm).group(1)
    page = client.get(path).get_data(as_text=True)
    pages[path] = visible_text(page)
    client.post(path, data={"csrf_token": csrf_from(page)})
    for message in db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)):
        pages[f"mail {message.subject}"] = message.subject
        pages[f"mail {message.subject} (text)"] = message.body_text
        pages[f"mail {message.subject} (html)"] = visible_text(message.body_html)
    return pages


def _blank_typed_prose() -> None:
    for talk in db.session.scalars(db.select(Talk)):
        talk.title, talk.abstract = f"Session {talk.id}", ""
    for speaker in db.session.scalars(db.select(Speaker)):
        speaker.bio = speaker.position_title = ""
    for track in db.session.scalars(db.select(Track)):
        track.description = ""
    for event in db.session.scalars(db.select(Event)):
        event.description = event.description_en = ""
    db.session.commit()


def _last_message() -> OutboxMessage:
    return db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()


def test_french_pages_and_emails_follow_french_typography(french_pages: dict[str, str]) -> None:
    found = [
        f"{where}: {problem}"
        for where, text in french_pages.items()
        for problem in violations(text)
    ]
    assert found == [], "\n".join(found)


def test_french_pages_and_emails_show_the_corrected_forms(french_pages: dict[str, str]) -> None:
    assert "mardi 1er avril 2014" in french_pages["/"]
    mails = " ".join(text for where, text in french_pages.items() if where.startswith("mail "))
    assert "Les organisateurs d'APSSIS 2014" in mails
    assert "À bientôt au Mans\u202f!" in mails
