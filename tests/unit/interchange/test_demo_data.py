"""Consistency rules of the demo edition (``congress.interchange.demo_data``)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from zoneinfo import ZoneInfo

import pytest

from congress.interchange.demo_data import EVENT, ROOMS, SPEAKERS, TALKS, TRACKS

pytestmark = pytest.mark.unit

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
COLOUR_RE = re.compile(r"^#[0-9a-f]{6}$")

KINDS = {"keynote", "talk", "round_table", "workshop", "attack_analysis", "break", "social"}
STATUSES = {"confirmed", "draft", "cancelled"}
DISCLOSURES = {"none", "tlp_clear", "tlp_green", "tlp_amber", "tlp_red", "chatham_house"}
ROLES = {"speaker", "moderator", "panelist"}
UNPLACED_KINDS = {"break", "social"}
MINISTRY_SLUG = "attaque-sous-domaines-ministere-sante-janvier-2014"

ROOM_BY_SLUG = {room["slug"]: room for room in ROOMS}
TRACK_SLUGS = {track["slug"] for track in TRACKS}
SPEAKER_SLUGS = {speaker["slug"] for speaker in SPEAKERS}
CONFIRMED = [talk for talk in TALKS if talk["status"] == "confirmed"]
DAY_COUNT = (EVENT["last_day"] - EVENT["first_day"]).days + 1


def minutes(hhmm: str) -> int:
    hours, mins = hhmm.split(":")
    return int(hours) * 60 + int(mins)


def span(talk) -> tuple[int, int]:
    return minutes(talk["start"]), minutes(talk["end"])


def overlaps(a, b) -> bool:
    (a_start, a_end), (b_start, b_end) = span(a), span(b)
    return a["day"] == b["day"] and a_start < b_end and b_start < a_end


def contrast_with_white(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return 1.05 / (luminance + 0.05)


def test_event_fields():
    assert EVENT["slug"] == "apssis-2014"
    assert SLUG_RE.match(EVENT["slug"])
    assert EVENT["acronym"] == "APSSIS 2014"
    assert len(EVENT["acronym"]) <= 40
    assert EVENT["city"] == "Le Mans"
    assert ZoneInfo(EVENT["timezone"]).key == "Europe/Paris"
    assert EVENT["first_day"] <= EVENT["last_day"]
    assert DAY_COUNT == 3
    for key in ("name", "venue", "address"):
        assert 0 < len(EVENT[key]) <= 200
    assert EVENT["description"].strip()
    assert EVENT["description_en"].strip()


@pytest.mark.parametrize(
    ("rows", "label"),
    [(ROOMS, "room"), (TRACKS, "track"), (SPEAKERS, "speaker"), (TALKS, "talk")],
)
def test_slugs_are_well_formed_and_unique(rows, label):
    slugs = [row["slug"] for row in rows]
    duplicates = [slug for slug, count in Counter(slugs).items() if count > 1]
    assert not duplicates, f"duplicate {label} slugs: {duplicates}"
    for slug in slugs:
        assert SLUG_RE.match(slug), f"bad {label} slug {slug!r}"
        assert len(slug) <= 80, f"{label} slug too long: {slug!r}"


def test_rooms():
    assert len(ROOMS) == 3
    for room in ROOMS:
        assert 0 < len(room["name"]) <= 200
        assert isinstance(room["capacity"], int)
        assert room["capacity"] > 0


def test_tracks_and_colour_contrast():
    assert len(TRACKS) == 4
    for track in TRACKS:
        assert 0 < len(track["name"]) <= 200
        assert COLOUR_RE.match(track["colour"]), track["colour"]
        ratio = contrast_with_white(track["colour"])
        assert ratio >= 4.5, f"{track['slug']} contrast {ratio:.2f} < 4.5"
        assert track["description"].strip()


def test_speakers():
    assert 35 <= len(SPEAKERS) <= 45
    for speaker in SPEAKERS:
        for key in ("name", "affiliation", "position_title"):
            assert 0 < len(speaker[key]) <= 200, (speaker["slug"], key)
        assert speaker["bio"].strip(), speaker["slug"]


def test_talk_fields_and_references():
    for talk in TALKS:
        slug = talk["slug"]
        assert talk["kind"] in KINDS, slug
        assert talk["status"] in STATUSES, slug
        assert talk["disclosure"] in DISCLOSURES, slug
        assert talk["language"] in {"fr", "en"}, slug
        assert 0 < len(talk["title"]) <= 300, slug
        assert talk["abstract"].strip(), slug
        assert talk["day"] in range(1, DAY_COUNT + 1), slug
        assert talk["room"] is None or talk["room"] in ROOM_BY_SLUG, slug
        assert talk["track"] is None or talk["track"] in TRACK_SLUGS, slug
        speakers = [speaker for speaker, _ in talk["speakers"]]
        assert len(speakers) == len(set(speakers)), f"{slug}: speaker listed twice"
        for speaker, role in talk["speakers"]:
            assert speaker in SPEAKER_SLUGS, (slug, speaker)
            assert role in ROLES, (slug, role)


def test_times_are_valid_and_within_the_day():
    for talk in TALKS:
        assert TIME_RE.match(talk["start"]), talk["slug"]
        assert TIME_RE.match(talk["end"]), talk["slug"]
        start, end = span(talk)
        assert end > start, talk["slug"]
        assert start >= minutes("08:00"), talk["slug"]
        assert end <= minutes("23:30"), talk["slug"]


def test_breaks_and_social_events_have_no_room_and_no_speakers():
    for talk in TALKS:
        if talk["kind"] in UNPLACED_KINDS:
            assert talk["room"] is None, talk["slug"]
            assert talk["speakers"] == [], talk["slug"]
            assert talk["seat_limit"] is None, talk["slug"]
        else:
            assert talk["room"] is not None, talk["slug"]
            assert talk["speakers"], talk["slug"]


def test_speaker_roles_match_the_kind():
    for talk in TALKS:
        roles = Counter(role for _, role in talk["speakers"])
        if talk["kind"] == "round_table":
            assert roles["moderator"] == 1, talk["slug"]
            assert roles["panelist"] >= 2, talk["slug"]
        else:
            assert set(roles) <= {"speaker"}, talk["slug"]


def test_no_two_sessions_share_a_room_at_the_same_time():
    by_room = defaultdict(list)
    for talk in TALKS:
        if talk["kind"] not in UNPLACED_KINDS:
            by_room[talk["room"]].append(talk)
    for talks in by_room.values():
        for i, first in enumerate(talks):
            for second in talks[i + 1 :]:
                assert not overlaps(first, second), (first["slug"], second["slug"])


def test_no_speaker_is_in_two_places_at_once():
    by_speaker = defaultdict(list)
    for talk in TALKS:
        for speaker, _ in talk["speakers"]:
            by_speaker[speaker].append(talk)
    for speaker, talks in by_speaker.items():
        for i, first in enumerate(talks):
            for second in talks[i + 1 :]:
                assert not overlaps(first, second), (speaker, first["slug"], second["slug"])


def test_every_speaker_has_a_confirmed_talk():
    booked = {speaker for talk in CONFIRMED for speaker, _ in talk["speakers"]}
    missing = sorted(SPEAKER_SLUGS - booked)
    assert not missing, missing


def test_workshops_fit_their_room():
    workshops = [talk for talk in TALKS if talk["kind"] == "workshop"]
    workshop_rooms = {talk["room"] for talk in workshops}
    assert len(workshop_rooms) == 1
    (workshop_room,) = workshop_rooms
    assert ROOM_BY_SLUG[workshop_room]["capacity"] == min(r["capacity"] for r in ROOMS)
    for talk in workshops:
        assert isinstance(talk["seat_limit"], int), talk["slug"]
        assert 0 < talk["seat_limit"] <= ROOM_BY_SLUG[workshop_room]["capacity"], talk["slug"]
    for talk in TALKS:
        if talk["room"] == workshop_room:
            assert talk["kind"] == "workshop", talk["slug"]
        if talk["seat_limit"] is not None:
            assert 0 < talk["seat_limit"] <= ROOM_BY_SLUG[talk["room"]]["capacity"]


def test_status_counts():
    statuses = Counter(talk["status"] for talk in TALKS)
    assert statuses["confirmed"] >= 50
    assert statuses["draft"] == 2
    assert statuses["cancelled"] == 1
    for talk in TALKS:
        assert ("(brouillon)" in talk["title"]) == (talk["status"] == "draft"), talk["slug"]


def test_each_day_is_full():
    for day in range(1, DAY_COUNT + 1):
        entries = [talk for talk in CONFIRMED if talk["day"] == day]
        assert len(entries) >= 14, f"day {day}: {len(entries)} confirmed entries"
        sessions = [talk for talk in entries if talk["kind"] != "social"]
        assert min(minutes(talk["start"]) for talk in sessions) <= minutes("08:45")
        assert max(minutes(talk["end"]) for talk in sessions) >= minutes("18:00")
        breaks = [span(talk) for talk in entries if talk["kind"] == "break"]
        assert any(start < minutes("09:00") for start, _ in breaks), f"day {day}: welcome"
        assert any(minutes("09:30") <= start < minutes("11:30") for start, _ in breaks), (
            f"day {day}: morning coffee"
        )
        assert any(
            minutes("11:30") <= start <= minutes("13:30") and end - start >= 60
            for start, end in breaks
        ), f"day {day}: lunch"
        assert any(minutes("14:30") <= start < minutes("17:00") for start, _ in breaks), (
            f"day {day}: afternoon coffee"
        )


def test_gala_evening_on_day_one():
    assert any(
        talk["kind"] == "social" and talk["day"] == 1 and minutes(talk["start"]) >= 19 * 60
        for talk in CONFIRMED
    )


def test_kind_counts():
    kinds = Counter(talk["kind"] for talk in CONFIRMED)
    assert kinds["keynote"] >= 3
    assert kinds["round_table"] >= 3
    assert kinds["workshop"] >= 4
    assert kinds["attack_analysis"] >= 6
    assert kinds["talk"] >= 1
    assert sum(talk["language"] == "en" for talk in CONFIRMED) >= 2


def test_attack_analysis_disclosures():
    analyses = [talk for talk in CONFIRMED if talk["kind"] == "attack_analysis"]
    labels = Counter(talk["disclosure"] for talk in analyses)
    assert labels["tlp_amber"] >= 3
    assert labels["tlp_red"] >= 1
    assert labels["chatham_house"] >= 1
    assert set(labels) <= {"tlp_clear", "tlp_green", "tlp_amber", "tlp_red", "chatham_house"}


def test_ministry_attack_talk():
    (talk,) = [talk for talk in TALKS if talk["slug"] == MINISTRY_SLUG]
    assert talk["kind"] == "attack_analysis"
    assert talk["status"] == "confirmed"
    assert talk["disclosure"] == "tlp_amber"
    assert "janvier 2014" in talk["title"]
    assert "ministère de la Santé" in talk["title"]
