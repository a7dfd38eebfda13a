import re

import pytest

from congress.extensions import db
from congress.programme.models import Disclosure, Talk, TalkKind, TalkStatus
from tests.factories import make_event, make_room, make_speaker, make_talk, make_track, paris

pytestmark = pytest.mark.integration


def _count(html: str) -> int:
    return int(re.search(r'class="match-count"[^>]*>(\d+) session', html).group(1))


def _titles(html: str) -> list[str]:
    return re.findall(r'class="talk-title" id="talk-\d+">(?:<a [^>]*>)?([^<]+)<', html)


@pytest.fixture
def small(app):
    event = make_event()
    amphi = make_room(event, "Amphithéâtre")
    salle = make_room(event, "Salle B")
    menaces = make_track(event, "Menaces")
    gouv = make_track(event, "Gouvernance")
    alice = make_speaker(event, "Alice Ménard", affiliation="CHU de Nulle-Part")
    bob = make_speaker(event, "Bob Durand")
    make_talk(
        event,
        "Sécurité des dispositifs médicaux",
        starts_at=paris(1, "09:00"),
        room=amphi,
        track=gouv,
        speakers=[alice],
        abstract="Un **retour** d'expérience.",
    )
    make_talk(
        event,
        "Anatomie d'un rançongiciel",
        starts_at=paris(1, "09:00"),
        room=salle,
        track=menaces,
        kind=TalkKind.ATTACK_ANALYSIS,
        disclosure=Disclosure.TLP_AMBER,
        speakers=[bob],
        abstract="Détails confidentiels de l'intrusion.",
    )
    make_talk(
        event,
        "Gouvernance et PGSSI-S",
        starts_at=paris(2, "14:00"),
        room=amphi,
        track=gouv,
        speakers=[bob],
    )
    make_talk(event, "Brouillon secret", starts_at=paris(3, "10:00"), status=TalkStatus.DRAFT)
    return event


def test_programme_lists_published_talks_by_day(client, small):
    html = client.get("/programme").get_data(as_text=True)
    assert _count(html) == 3
    assert _titles(html) == [
        "Sécurité des dispositifs médicaux",
        "Anatomie d&#39;un rançongiciel",
        "Gouvernance et PGSSI-S",
    ]
    assert "Brouillon secret" not in html
    assert html.count('<section class="day"') == 3


def test_filter_by_day_shows_one_section(client, small):
    html = client.get("/programme?day=2014-04-02").get_data(as_text=True)
    assert _titles(html) == ["Gouvernance et PGSSI-S"]
    assert html.count('<section class="day"') == 1
    assert 'aria-current="page">mercredi 2 avril 2014' in html


def test_filter_by_kind_marks_attack_analyses(client, small):
    html = client.get("/programme?kind=attack_analysis").get_data(as_text=True)
    assert _titles(html) == ["Anatomie d&#39;un rançongiciel"]
    assert "Analyse d'attaque</span>" in html
    assert "TLP:AMBER" in html


def test_filters_combine(client, small):
    html = client.get("/programme?track=gouvernance&room=amphitheatre&day=2014-04-01").get_data(
        as_text=True
    )
    assert _titles(html) == ["Sécurité des dispositifs médicaux"]
    assert _count(html) == 1


@pytest.mark.parametrize("query", ["securite", "SÉCURITÉ", "Securité dispositifs", "ménard"])
def test_search_ignores_accents_and_case(client, small, query):
    html = client.get("/programme", query_string={"q": query}).get_data(as_text=True)
    assert _titles(html) == ["Sécurité des dispositifs médicaux"]


def test_search_covers_abstracts_and_speakers(client, small):
    by_abstract = client.get("/programme?q=experience").get_data(as_text=True)
    assert _titles(by_abstract) == ["Sécurité des dispositifs médicaux"]
    by_speaker = client.get("/programme?q=durand").get_data(as_text=True)
    assert len(_titles(by_speaker)) == 2


def test_search_treats_wildcards_literally(client, small):
    html = client.get("/programme?q=%25").get_data(as_text=True)
    assert _count(html) == 0


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("day=2014-05-01", "Ce jour ne fait pas partie du congrès."),
        ("day=not-a-date", "Ce jour ne fait pas partie du congrès."),
        ("track=nope", "Parcours inconnu."),
        ("room=nope", "Salle inconnue."),
        ("kind=keynote%27--", "Type de session inconnu."),
        ("q=" + "x" * 101, "La recherche ne peut pas dépasser 100 caractères."),
    ],
)
def test_bad_filters_answer_400_with_message_and_keep_input(client, small, query, message):
    response = client.get(f"/programme?{query}")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    assert 'aria-invalid="true"' in html
    assert "Traceback" not in html


def test_bad_search_keeps_what_was_typed(client, small):
    html = client.get("/programme?q=s%C3%A9curit%C3%A9&day=2099-01-01").get_data(as_text=True)
    assert 'value="sécurité"' in html


def test_session_page_shows_details_in_edition_zone(client, small):
    html = client.get("/sessions/securite-des-dispositifs-medicaux").get_data(as_text=True)
    assert "<h1>Sécurité des dispositifs médicaux</h1>" in html
    assert "mardi 1er avril 2014" in html
    assert ">09:00</time>–<time" in html
    assert "Europe/Paris" in html
    assert "Amphithéâtre" in html
    assert "<strong>retour</strong>" in html
    assert 'href="/speakers/alice-menard"' in html
    assert 'href="http://congress.test/sessions/securite-des-dispositifs-medicaux.ics"' in html
    assert 'href="webcal://congress.test/programme.ics"' in html


def test_amber_session_hides_abstract(client, small):
    html = client.get("/sessions/anatomie-d-un-rancongiciel").get_data(as_text=True)
    assert "Détails confidentiels" not in html
    assert "réservé aux participants inscrits (TLP:AMBER)" in html


def test_draft_session_is_not_found(client, small):
    assert client.get("/sessions/brouillon-secret").status_code == 404


def test_cancelled_session_stays_visible_and_marked(client, small):
    from congress.programme import services

    talk = db.session.scalars(db.select(Talk).where(Talk.slug == "gouvernance-et-pgssi-s")).one()
    services.cancel_talk(talk)
    html = client.get("/programme").get_data(as_text=True)
    assert "Gouvernance et PGSSI-S" in html
    assert "is-cancelled" in html
    page = client.get("/sessions/gouvernance-et-pgssi-s").get_data(as_text=True)
    assert "Cette session est annulée." in page


def test_speakers_list_and_page(client, small):
    listing = client.get("/speakers").get_data(as_text=True)
    assert "Alice Ménard" in listing
    assert "2 intervenants." in listing
    page = client.get("/speakers/bob-durand").get_data(as_text=True)
    assert "<h1>Bob Durand</h1>" in page
    assert "Anatomie d&#39;un rançongiciel" in page
    assert "Gouvernance et PGSSI-S" in page


def test_speaker_with_only_drafts_is_hidden(client, small):
    hidden = make_speaker(small, "Claire Cachée")
    make_talk(small, "Autre brouillon", status=TalkStatus.DRAFT, speakers=[hidden])
    assert "Claire Cachée" not in client.get("/speakers").get_data(as_text=True)
    assert client.get("/speakers/claire-cachee").status_code == 404


def test_english_programme(client, small):
    html = client.get("/programme?lang=en&kind=attack_analysis").get_data(as_text=True)
    assert "1 session matches." in html
    assert "Attack analysis</span>" in html
    assert "Tuesday, April 1, 2014" in html


def test_tracks_css_gives_colours_as_classes(client, small):
    response = client.get("/tracks.css")
    assert response.mimetype == "text/css"
    assert ".track-menaces { --track-colour: #1d4ed8; }" in response.get_data(as_text=True)


def test_public_pages_carry_validators_and_answer_304(client, small):
    first = client.get("/programme")
    assert first.headers["Cache-Control"] == "public, max-age=60"
    etag = first.headers["ETag"]
    again = client.get("/programme", headers={"If-None-Match": etag})
    assert again.status_code == 304
    other = client.get("/programme?lang=en", headers={"If-None-Match": etag})
    assert other.status_code == 200


def test_programme_without_edition_is_404(client):
    assert client.get("/programme").status_code == 404
