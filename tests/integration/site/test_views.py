"""The home page and the practical information page, on data built with the factories."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from congress.core import clock
from congress.extensions import db
from congress.mail.models import OutboxMessage
from congress.partners import services as partner_services
from congress.partners.models import PartnerLevel
from congress.programme.models import TalkKind, TalkStatus
from congress.site import services
from congress.site.sections import PRACTICAL
from tests.factories import (
    make_category,
    make_event,
    make_registration,
    make_room,
    make_speaker,
    make_talk,
    paris,
)

pytestmark = pytest.mark.integration

BEFORE = datetime(2014, 3, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def frozen():
    clock.set_clock(lambda: BEFORE)
    yield
    clock.set_clock(None)


@pytest.fixture
def edition(app):
    """Three days, two rooms, a keynote, two attack analyses, a talk, a break, a draft."""
    event = make_event(name="Congrès de test", venue="Palais des congrès", city="Le Mans")
    amphi = make_room(event, "Grand amphithéâtre", 400)
    make_room(event, "Salle Plantagenêt", 120)
    keynote_speaker = make_speaker(event, "Camille Keynote", affiliation="CHU Exemple")
    analyst = make_speaker(event, "Dominique Analyste")
    other = make_speaker(event, "Claude Orateur")
    hidden = make_speaker(event, "Sacha Brouillon")
    make_talk(
        event,
        "Ouverture du congrès",
        kind=TalkKind.KEYNOTE,
        starts_at=paris(1, "09:00"),
        room=amphi,
        speakers=[keynote_speaker],
    )
    make_talk(
        event,
        "Anatomie d'un rançongiciel",
        kind=TalkKind.ATTACK_ANALYSIS,
        starts_at=paris(1, "11:00"),
        speakers=[analyst],
    )
    make_talk(
        event,
        "Retour sur une fuite",
        kind=TalkKind.ATTACK_ANALYSIS,
        starts_at=paris(2, "11:00"),
        speakers=[analyst, other],
    )
    make_talk(event, "Une conférence", starts_at=paris(2, "14:00"), speakers=[other])
    make_talk(event, "Pause café", kind=TalkKind.BREAK, starts_at=paris(1, "10:15"))
    make_talk(
        event, "Brouillon", status=TalkStatus.DRAFT, starts_at=paris(3, "09:00"), speakers=[hidden]
    )
    return event


def _text(html: str) -> str:
    return " ".join(html.split())


# ---- home ----


def test_home_shows_dates_venue_and_figures_in_french(client, edition, frozen):
    html = _text(client.get("/").get_data(as_text=True))
    assert "du mardi 1er au jeudi 3 avril 2014" in html
    assert "Palais des congrès, Le Mans" in html
    # days, sessions (keynote, 2 analyses, 1 talk: not the break nor the draft),
    # attack analyses, speakers of published talks (not the draft's).
    assert '<span class="figure-value">3</span> <span class="figure-label">jours</span>' in html
    assert '<span class="figure-value">4</span> <span class="figure-label">sessions</span>' in html
    assert (
        '<span class="figure-value">2</span> <span class="figure-label">analyses d’attaques</span>'
        in html
    )
    assert (
        '<span class="figure-value">3</span> <span class="figure-label">intervenants</span>' in html
    )


def test_home_in_english_writes_the_date_range_the_english_way(client, edition, frozen):
    html = _text(client.get("/?lang=en").get_data(as_text=True))
    assert "Tuesday 1 to Thursday 3 April 2014" in html
    assert '<span class="figure-value">4</span> <span class="figure-label">sessions</span>' in html


def test_home_lists_keynotes_then_attack_analyses_with_their_speakers(client, edition, frozen):
    html = client.get("/").get_data(as_text=True)
    titles = ["Ouverture du congrès", "Anatomie d&#39;un rançongiciel", "Retour sur une fuite"]
    positions = [html.index(title) for title in titles]
    assert positions == sorted(positions)
    assert "Camille Keynote" in html
    assert "Dominique Analyste" in html
    assert "Une conférence" not in html
    assert "Brouillon" not in html


def test_home_shows_places_left_per_category_while_registration_is_open(client, edition, frozen):
    roomy = make_category(edition, capacity=10, name="Établissements")
    full = make_category(edition, capacity=1, name="Étudiants")
    make_category(edition, capacity=5, name="Invités", public=False)
    make_registration(edition, roomy, "a@chu-exemple.fr")
    make_registration(edition, full, "b@chu-exemple.fr")
    html = _text(client.get("/").get_data(as_text=True))
    assert "Les inscriptions sont ouvertes" in html
    assert (
        '<li><span>Établissements</span> <span class="seat-count">9 places restantes</span></li>'
        in html
    )
    assert '<li><span>Étudiants</span> <span class="seat-count">liste d’attente</span></li>' in html
    assert "Invités" not in html
    assert 'href="/register"' in html


def test_home_says_registration_is_not_open_yet_with_its_date(client, edition, frozen):
    edition.registration_opens_at = datetime(2014, 3, 15, 8, 0, tzinfo=UTC)
    db.session.commit()
    html = _text(client.get("/").get_data(as_text=True))
    assert "Les inscriptions ne sont pas encore ouvertes" in html
    assert "Elles ouvrent le samedi 15 mars 2014." in html
    assert 'class="button button-primary" href="/register"' not in html


def test_home_says_registration_is_closed(client, edition, frozen):
    edition.registration_closes_at = datetime(2014, 3, 1, 0, 0, tzinfo=UTC)
    db.session.commit()
    html = _text(client.get("/").get_data(as_text=True))
    assert "<h2>Les inscriptions sont closes</h2>" in html
    assert 'class="button button-primary" href="/register"' not in html


def test_home_shows_the_why_block_and_its_english_fallback(client, edition, frozen):
    services.save_section(edition, "home", body="- **Disponibilité** des soins", body_en="")
    french = client.get("/").get_data(as_text=True)
    assert "<strong>Disponibilité</strong> des soins" in french
    assert "Pourquoi ce congrès" in french
    english = client.get("/?lang=en").get_data(as_text=True)
    assert "Why this congress" in english
    assert "This text is not yet available in English; here it is in French." in english
    assert '<div class="markdown-body" lang="fr">' in english


# ---- practical information ----


def _fill_every_section(event) -> None:
    for section in PRACTICAL:
        services.save_section(
            event,
            section.key,
            body=f"Texte **{section.key}** en français",
            body_en=f"Text **{section.key}** in English",
            position=services.Position(48.0062, 0.1918) if section.key == "venue" else None,
        )


def test_practical_page_shows_every_section_in_french(client, edition):
    _fill_every_section(edition)
    response = client.get("/infos-pratiques")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    titles = [
        "Lieu et salles",
        "Venir au congrès",
        "Accessibilité du lieu",
        "Hébergement",
        "Repas",
        "Wi-Fi",
        "Contact sur place",
        "À apporter",
    ]
    for section, title in zip(PRACTICAL, titles, strict=True):
        assert f'<h2 id="{section.anchor}-title">{title}</h2>' in html
        assert f"Texte <strong>{section.key}</strong> en français" in html
    assert "Grand amphithéâtre" in html
    assert "400 places" in html
    assert "Salle Plantagenêt" in html


def test_practical_page_in_english_shows_the_english_texts(client, edition):
    _fill_every_section(edition)
    html = client.get("/infos-pratiques?lang=en").get_data(as_text=True)
    assert '<h2 id="getting-there-title">Getting there</h2>' in html
    for section in PRACTICAL:
        assert f"Text <strong>{section.key}</strong> in English" in html
    assert "not yet available in English" not in html


def test_practical_page_in_english_falls_back_to_french_and_says_so(client, edition):
    services.save_section(edition, "meals", body="Déjeuners compris", body_en="")
    html = client.get("/infos-pratiques?lang=en").get_data(as_text=True)
    assert "Déjeuners compris" in html
    assert html.count("This text is not yet available in English; here it is in French.") == 1


def test_practical_page_links_the_map_without_a_third_party_request(client, edition):
    _fill_every_section(edition)
    html = client.get("/infos-pratiques").get_data(as_text=True)
    assert (
        'href="https://www.openstreetmap.org/?mlat=48.006200&amp;mlon=0.191800'
        '#map=17/48.006200/0.191800"' in html
    )
    assert 'href="geo:48.006200,0.191800"' in html
    assert 'src="/static/img/venue-map.svg"' in html
    sources = re.findall(r'\ssrc="([^"]*)"', html)
    assert sources
    assert all(source.startswith("/static/") for source in sources), sources


def test_practical_page_strips_script_from_markdown(client, edition):
    services.save_section(
        edition,
        "wifi",
        body='Réseau <script>alert("x")</script> [lien](javascript:alert(1)) <b onclick="x">b</b>',
        body_en="",
    )
    html = client.get("/infos-pratiques").get_data(as_text=True)
    assert "<script>alert" not in html
    assert 'href="javascript' not in html
    assert "<b onclick" not in html
    assert "Réseau &lt;script&gt;alert" in html  # shown as text, never run


def test_practical_page_without_coordinates_has_no_map(client, edition):
    html = client.get("/infos-pratiques").get_data(as_text=True)
    assert "venue-map.svg" not in html
    assert "openstreetmap" not in html


def test_practical_page_without_an_edition_is_not_found(client):
    assert client.get("/infos-pratiques").status_code == 404


def test_header_links_the_practical_page(client, edition):
    html = client.get("/programme").get_data(as_text=True)
    assert '<li><a href="/infos-pratiques">Infos pratiques</a></li>' in html


def test_confirmation_emails_link_the_practical_page(client, edition):
    category = make_category(edition, capacity=10)
    make_registration(edition, category, "lien@chu-exemple.fr")
    messages = db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert len(messages) == 2  # "confirm your address", then "confirmed"
    for message in messages:
        assert "http://congress.test/infos-pratiques" in message.body_text
        assert (
            '<a href="http://congress.test/infos-pratiques">http://congress.test/infos-pratiques</a>'
            in message.body_html
        )


def test_home_shows_speakers_faces_and_published_partners(client, edition, frozen):
    partner_services.create_partner(
        edition,
        partner_services.PartnerData("Hôpital Partenaire", PartnerLevel.GOLD, published=True),
    )
    partner_services.create_partner(
        edition, partner_services.PartnerData("Partenaire caché", PartnerLevel.GOLD)
    )
    html = client.get("/").get_data(as_text=True)
    assert 'role="img" aria-label="Camille Keynote"><span aria-hidden="true">CK</span>' in html
    assert '<h2 id="partners-strip-title">' in html
    assert "Hôpital Partenaire" in html
    assert "Partenaire caché" not in html
