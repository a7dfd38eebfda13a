"""Speakers' private contact details: edited by the programme committee, shown nowhere public."""

from __future__ import annotations

import json

import pytest

from congress.audit.models import AuditEntry
from congress.core.errors import DomainError
from congress.edition.models import Event
from congress.extensions import db
from congress.programme import services
from congress.programme.models import Speaker
from tests.factories import make_event, make_speaker, make_talk, paris
from tests.http import submit

PHONE_REFUSED_FR = (
    "Saisissez un numéro de téléphone\u202f: des chiffres, espaces, points, tirets, "
    "parenthèses et un + au début, avec 6 à 20 chiffres (par exemple +33 6 12 34 56 78)."
)

pytestmark = pytest.mark.integration

# Values found nowhere else, so a leak of any part of them shows up in a plain search.
EMAIL = "zq7-contact-prive@hopital-exemple.fr"
EMAIL_LOCAL = "zq7-contact-prive"
PHONE = "+33 9 71 82 93 04"
PHONE_DIGITS = "971829304"
NAME = "Apolline Vérité"


@pytest.fixture
def event(app) -> Event:
    return make_event()


@pytest.fixture
def private_speaker(event) -> Speaker:
    speaker = make_speaker(
        event, NAME, affiliation="CHU de Test", email=EMAIL, phone=PHONE, bio="Bio publique."
    )
    make_talk(event, "Sauvegardes hors ligne", starts_at=paris(1, "10:00"), speakers=[speaker])
    return speaker


def _leaks(body: str) -> list[str]:
    squeezed = "".join(ch for ch in body if ch.isdigit())
    found = [part for part in (EMAIL, EMAIL_LOCAL, "hopital-exemple", PHONE) if part in body]
    if PHONE_DIGITS in squeezed:
        found.append(PHONE_DIGITS)
    return found


def field_error(field: str, message: str) -> str:
    return f'<p class="field-error" id="{field}-error">{message}</p>'


def version(event: Event) -> int:
    db.session.expire_all()
    return db.session.get(Event, event.id).programme_version


def audit_changes(action: str) -> list[dict]:
    return list(
        db.session.scalars(
            db.select(AuditEntry.changes)
            .where(AuditEntry.action == action)
            .order_by(AuditEntry.seq)
        )
    )


# ---------------------------------------------------------------- never public


def test_contact_is_on_no_public_page_feed_or_search(client, private_speaker):
    talk = private_speaker.talk_links[0].talk
    stored = db.session.get(Speaker, private_speaker.id)
    assert (stored.email, stored.phone) == (EMAIL, PHONE)
    assert "zq7" not in talk.search_text
    assert "hopital" not in talk.search_text
    assert "9718" not in talk.search_text.replace(" ", "")
    pages = [
        "/programme",
        "/speakers",
        f"/speakers/{private_speaker.slug}",
        f"/sessions/{talk.slug}",
        f"/speakers/{private_speaker.slug}.ics",
        f"/sessions/{talk.slug}.ics",
        "/programme.ics",
        "/schedule.xml",
        "/schedule.json",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.get_data(as_text=True)
        # The speaker is there (so the page was the right one), the contact is not.
        assert "Vérité" in body or "V\\u00e9rit\\u00e9" in body, path
        assert _leaks(body) == [], path
    document = json.loads(client.get("/schedule.json").get_data(as_text=True))
    assert EMAIL not in json.dumps(document)

    found = client.get("/programme", query_string={"q": "Vérité"}).get_data(as_text=True)
    assert "Sauvegardes hors ligne" in found
    for query in (EMAIL, EMAIL_LOCAL, "hopital-exemple", PHONE, PHONE_DIGITS):
        page = client.get("/programme", query_string={"q": query}).get_data(as_text=True)
        assert "Sauvegardes hors ligne" not in page, query  # the query is echoed, never found
    for path in ("/", "/now", "/sw.js", "/offline", "/manifest.webmanifest"):
        assert _leaks(client.get(path).get_data(as_text=True)) == [], path


def test_the_desk_cannot_open_the_speaker_form(client, private_speaker, login_as):
    login_as("desk")
    response = client.get(f"/dashboard/speakers/{private_speaker.id}")
    assert response.status_code == 403
    assert _leaks(response.get_data(as_text=True)) == []


# ---------------------------------------------------------------- the form


def test_editor_sees_the_fields_with_the_private_note(client, private_speaker, login_as):
    login_as("editor")
    html = client.get(f"/dashboard/speakers/{private_speaker.id}").get_data(as_text=True)
    assert f'value="{EMAIL}"' in html
    assert f'value="{PHONE}"' in html
    assert 'type="email"' in html
    assert 'type="tel"' in html
    assert (
        '<p class="hint" id="email-hint">Visible des organisateurs seulement\u202f: '
        "jamais affiché sur les pages publiques.</p>"
    ) in html
    assert 'aria-describedby="phone-hint"' in html


def _form(**contact: str) -> dict[str, str]:
    return {"name": NAME, "affiliation": "CHU de Test", "position_title": "", "bio": "", **contact}


def test_contact_saved_audited_without_its_values_and_no_new_version(client, event, login_as):
    speaker = make_speaker(event, NAME, affiliation="CHU de Test")
    before = version(event)
    login_as("editor")
    path = f"/dashboard/speakers/{speaker.id}"

    response = submit(client, path, _form(email=f"  {EMAIL}  ", phone=" +33 9  71 82 93 04 "))

    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.get(Speaker, speaker.id)
    assert (stored.email, stored.phone) == (EMAIL, PHONE)
    assert version(event) == before  # no public page changed: caches stay
    assert audit_changes("speaker.updated") == [{"email": [None, "…"], "phone": [None, "…"]}]

    response = submit(client, path, _form(email="", phone=""))
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.get(Speaker, speaker.id)
    assert (stored.email, stored.phone) == (None, None)
    assert audit_changes("speaker.updated")[1] == {"email": ["…", None], "phone": ["…", None]}
    every_entry = json.dumps(audit_changes("speaker.updated"), ensure_ascii=False)
    assert _leaks(every_entry) == []


def test_creating_a_speaker_with_a_contact_logs_that_it_has_one(event):
    make_speaker(event, NAME, email=EMAIL, phone=PHONE)
    (changes,) = audit_changes("speaker.created")
    assert (changes["email"], changes["phone"]) == ([None, "…"], [None, "…"])
    assert _leaks(json.dumps(changes, ensure_ascii=False)) == []


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("email", "helene.durand@", "Saisissez une adresse e-mail valide."),
        ("email", "pas une adresse", "Saisissez une adresse e-mail valide."),
        (
            "phone",
            "06 12 AB 56 78",
            PHONE_REFUSED_FR,
        ),
        (
            "phone",
            "12 34",
            PHONE_REFUSED_FR,
        ),
    ],
)
def test_bad_contact_is_refused_with_the_input_kept(client, event, login_as, field, typed, message):
    speaker = make_speaker(event, NAME, affiliation="CHU de Test")
    login_as("editor")
    other = {"email": EMAIL, "phone": PHONE}
    other[field] = typed

    response = submit(client, f"/dashboard/speakers/{speaker.id}", _form(**other))

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert field_error(field, message) in html
    assert f'value="{typed}"' in html
    db.session.expire_all()
    stored = db.session.get(Speaker, speaker.id)
    assert (stored.email, stored.phone) == (None, None)
    assert audit_changes("speaker.updated") == []


def test_too_long_contact_is_refused(client, event, login_as):
    speaker = make_speaker(event, NAME)
    login_as("editor")
    response = submit(client, f"/dashboard/speakers/{speaker.id}", _form(phone="1 " * 21))
    assert response.status_code == 400
    assert 'id="phone-error"' in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("+33 6 12 34 56 78", "+33 6 12 34 56 78"),
        ("(+33) 2.43.00.00.01", "(+33) 2.43.00.00.01"),
        ("02 43  00 00 01", "02 43 00 00 01"),
        ("123456", "123456"),
        ("06-12-34-56-78", "06-12-34-56-78"),
        ("+1 (212) 555 0100", "+1 (212) 555 0100"),
        ("", None),
        ("   ", None),
    ],
)
def test_phone_numbers_accepted(typed, kept):
    assert services.speaker_phone(typed) == kept


@pytest.mark.parametrize(
    "typed",
    [
        "12345",
        "1" * 21,
        "06-12-34-56-78 poste 2",
        "06 12 34 56 78 ext 2",
        "33+6 12 34 56 78",
        "٠٦١٢٣٤٥٦٧٨",
    ],
)
def test_phone_numbers_refused(typed):
    with pytest.raises(DomainError) as raised:
        services.speaker_phone(typed)
    assert raised.value.field == "phone"


def test_service_refuses_a_bad_address_even_without_the_form(event):
    with pytest.raises(DomainError) as raised:
        make_speaker(event, NAME, email="nobody@")
    assert raised.value.field == "email"
    assert services.speaker_email(" Ada@Example.ORG ") == "Ada@example.org"
