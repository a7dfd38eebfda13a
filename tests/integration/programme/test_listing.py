"""The records of ``programme.listing`` say what the ORM says, for every filter."""

from datetime import date

import pytest
from flask import Flask

from congress.edition.queries import current_event
from congress.extensions import db
from congress.programme import listing, queries
from congress.programme.cards import talk_card
from congress.programme.models import Disclosure, Room, Speaker, Talk, TalkKind, TalkStatus
from tests.factories import make_event, make_room, make_speaker, make_talk, make_track, paris

pytestmark = pytest.mark.integration

TALK_FIELDS = [
    "id",
    "uid",
    "slug",
    "title",
    "abstract",
    "kind",
    "status",
    "disclosure",
    "language",
    "starts_at",
    "ends_at",
    "room_id",
    "track_id",
    "seat_limit",
    "sequence",
    "created_at",
    "updated_at",
    "room_name",
    "track_name",
    "duration_minutes",
]


def _same(record: listing.TalkRecord, talk: Talk) -> None:
    for name in TALK_FIELDS:
        assert getattr(record, name) == getattr(talk, name), name
    for name in ("id", "slug", "name"):
        assert getattr(record.room, name, None) == getattr(talk.room, name, None)
        assert getattr(record.track, name, None) == getattr(talk.track, name, None)
    assert [
        (link.speaker.id, link.speaker.slug, link.speaker.name, link.role)
        for link in record.speaker_links
    ] == [
        (link.speaker.id, link.speaker.slug, link.speaker.name, link.role)
        for link in talk.speaker_links
    ]
    assert [speaker.uid for speaker in record.speakers] == [s.uid for s in talk.speakers]


def _filters(event) -> list[queries.ProgrammeFilters]:
    room = db.session.scalars(db.select(Room).order_by(Room.id)).first()
    return [
        queries.ProgrammeFilters(),
        queries.ProgrammeFilters(day=date(2014, 4, 2)),
        queries.ProgrammeFilters(kind=TalkKind.ATTACK_ANALYSIS),
        queries.ProgrammeFilters(room=room),
        queries.ProgrammeFilters(track=queries.tracks(event)[0]),
        queries.ProgrammeFilters(q="securite", terms=queries.search_terms("securite")),
        queries.ProgrammeFilters(q="zzz", terms=queries.search_terms("zzz")),
    ]


def test_records_match_the_orm_talks_for_every_filter(app: Flask, demo: None) -> None:
    event = current_event()
    for filters in _filters(event):
        talks = queries.published_talks(event, filters)
        records = listing.published_records(event, filters)
        assert [r.id for r in records] == [t.id for t in talks], filters
        for record, talk in zip(records, talks, strict=True):
            _same(record, talk)
    assert listing.published_records(event, _filters(event)[0])


def test_drafts_never_become_records_and_cancelled_talks_do(app: Flask) -> None:
    event = make_event()
    speaker = make_speaker(event, "Oratrice du brouillon")
    draft = make_talk(event, "Brouillon secret", status=TalkStatus.DRAFT, speakers=[speaker])
    cancelled = make_talk(event, "Annulée", status=TalkStatus.CANCELLED, speakers=[speaker])
    kept = make_talk(event, "Confirmée", starts_at=paris(2, "10:00"))

    records = listing.published_records(event)

    assert [r.id for r in records] == [cancelled.id, kept.id]
    assert draft.id not in {r.id for r in records}
    assert records[0].status is TalkStatus.CANCELLED
    assert records[0].speakers[0].name == "Oratrice du brouillon"
    assert records[1].speaker_links == []
    assert records[1].room is None


def test_rooms_tracks_and_speakers_are_shared_between_records(app: Flask) -> None:
    event = make_event()
    room, track, speaker = make_room(event), make_track(event), make_speaker(event)
    first = make_talk(event, room=room, track=track, speakers=[speaker])
    second = make_talk(
        event, starts_at=paris(1, "11:00"), room=room, track=track, speakers=[speaker]
    )

    a, b = listing.published_records(event)

    assert (a.id, b.id) == (first.id, second.id)
    assert a.room is b.room
    assert a.track is b.track
    assert a.speakers[0] is b.speakers[0]


def test_a_card_reads_the_same_from_a_record_and_from_the_orm(app: Flask) -> None:
    event = make_event()
    room, track = make_room(event, "Salle <Vauban>"), make_track(event, "Menaces & ripostes")
    people = [make_speaker(event, 'Zoé "Z" O\'Brien'), make_speaker(event, "Ana <b>")]
    for index, (kind, disclosure, status) in enumerate(
        [
            (TalkKind.ATTACK_ANALYSIS, Disclosure.TLP_AMBER, TalkStatus.CONFIRMED),
            (TalkKind.BREAK, Disclosure.NONE, TalkStatus.CONFIRMED),
            (TalkKind.KEYNOTE, Disclosure.CHATHAM_HOUSE, TalkStatus.CANCELLED),
        ]
    ):
        make_talk(
            event,
            f"<script>alert({index})</script> d'ouverture",
            starts_at=paris(1 + index, "09:00"),
            kind=kind,
            disclosure=disclosure,
            status=status,
            room=room if index != 1 else None,
            track=track if index != 2 else None,
            speakers=people if index != 1 else [],
        )
    db.session.expire_all()

    with app.test_request_context("/programme"):
        records = listing.published_records(event)
        talks = queries.published_talks(event)
        cards = [str(talk_card(r, event, show_day=True)) for r in records]
        assert cards == [str(talk_card(t, event, show_day=True)) for t in talks]

    attack, pause, keynote = cards
    assert "<script>" not in "".join(cards)
    assert "&lt;script&gt;" in attack
    assert "Salle &lt;Vauban&gt;" in attack
    assert "Menaces &amp; ripostes" in attack
    assert "Zoé &#34;Z&#34; O&#39;Brien" in attack
    assert "Ana &lt;b&gt;" in attack
    assert 'class="badge tlp tlp-tlp_amber"' in attack
    assert "kind-attack_analysis" in attack
    assert "<a href" not in pause.split("</h4>")[0]  # a break has no page of its own
    assert "is-cancelled" in keynote
    assert 'class="badge cancelled"' in keynote
    assert "mardi 1er avril 2014" in attack
    assert "09:00" in attack


def test_speaker_records_only_for_the_selected_talks(app: Flask) -> None:
    event = make_event()
    alone = make_speaker(event, "Seule")
    make_talk(event, "Jour 1", speakers=[alone])
    make_talk(event, "Jour 2", starts_at=paris(2, "09:00"), speakers=[make_speaker(event)])

    (record,) = listing.published_records(event, queries.ProgrammeFilters(day=date(2014, 4, 1)))

    assert record.title == "Jour 1"
    assert [s.name for s in record.speakers] == ["Seule"]
    assert db.session.scalar(db.select(db.func.count()).select_from(Speaker)) == 2
