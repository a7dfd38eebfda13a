"""The version-keyed page cache: the shared stamp, the local layer and gzip bodies."""

from __future__ import annotations

import gzip
from datetime import UTC, date, datetime

import pytest

from congress.caching.pages import local_pages
from congress.caching.stamp import STAMP_KEY, stamp_memo
from congress.caching.store import cache
from congress.extensions import db
from congress.programme import services
from tests.factories import make_event, make_programme, make_talk, paris
from tests.sql import sql_statements

pytestmark = pytest.mark.integration


@pytest.fixture
def programme(app):
    event = make_event()
    make_programme(event, 12)
    return event


def test_commit_that_bumps_the_version_writes_the_stamp(client, programme):
    talk = make_talk(programme, "Ouverture", starts_at=paris(1, "08:00"))

    assert tuple(cache.get(STAMP_KEY)) == (
        programme.id,
        programme.programme_version,
        programme.programme_updated_at,
    )
    assert talk.id is not None


def test_change_shows_at_once_through_the_local_layer(client, programme):
    talk = make_talk(programme, "Titre initial", starts_at=paris(1, "08:00"))
    before = client.get("/programme")
    assert len(local_pages()) >= 1

    data = services.talk_data(talk)
    data.title = "Titre révisé"
    services.update_talk(talk, data)
    with sql_statements() as statements:
        after = client.get("/programme")

    assert "Titre initial" in before.get_data(as_text=True)
    page = after.get_data(as_text=True)
    assert "Titre révisé" in page
    assert "Titre initial" not in page
    assert after.headers["ETag"] != before.headers["ETag"]
    # The stamp came from the cache: the rebuild reads the edition itself, once.
    assert sum("FROM event" in statement for statement in statements) == 1


def test_rolled_back_bump_leaves_the_stamp_alone(client, programme):
    stamp = tuple(cache.get(STAMP_KEY))

    services.bump_programme_version(programme)
    db.session.rollback()

    assert tuple(cache.get(STAMP_KEY)) == stamp


def test_new_current_edition_shows_at_once(client, programme):
    first = client.get("/programme").get_data(as_text=True)

    make_event(name="Édition suivante", first_day=date(2015, 4, 7), last_day=date(2015, 4, 9))
    later = client.get("/programme").get_data(as_text=True)

    assert "Édition suivante" not in first
    assert "Édition suivante" in later


def test_stamp_falls_back_to_the_database_when_missing(client, programme):
    cache.clear()
    assert cache.get(STAMP_KEY) is None

    assert client.get("/speakers").status_code == 200

    assert tuple(cache.get(STAMP_KEY))[:2] == (programme.id, programme.programme_version)


def test_gzip_body_for_clients_that_accept_it(client, programme):
    plain = client.get("/programme")
    packed = client.get("/programme", headers={"Accept-Encoding": "gzip, deflate, br"})

    assert plain.headers.get("Content-Encoding") is None
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.get_data()) == plain.get_data()
    assert len(packed.get_data()) < len(plain.get_data())
    assert packed.headers["Content-Type"] == plain.headers["Content-Type"]
    assert "Accept-Encoding" in plain.headers["Vary"]
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert packed.headers["ETag"] == plain.headers["ETag"][:-1] + '-gz"'


def test_gzip_feed_keeps_its_attachment_name(client, programme):
    plain = client.get("/programme.ics")
    packed = client.get("/programme.ics", headers={"Accept-Encoding": "gzip"})

    assert packed.headers["Content-Encoding"] == "gzip"
    assert packed.headers["Content-Disposition"] == plain.headers["Content-Disposition"]
    assert gzip.decompress(packed.get_data()) == plain.get_data()


def test_gzip_refused_with_zero_quality_gives_plain_body(client, programme):
    response = client.get("/programme", headers={"Accept-Encoding": "gzip;q=0, identity"})

    assert response.headers.get("Content-Encoding") is None
    assert "<!doctype html>" in response.get_data(as_text=True)


def test_small_body_is_never_compressed(client, programme):
    response = client.get("/tracks.css", headers={"Accept-Encoding": "gzip"})

    assert response.headers.get("Content-Encoding") is None
    assert "Accept-Encoding" not in response.headers.get("Vary", "")


@pytest.mark.parametrize("encoding", ["", "gzip"])
def test_either_tag_answers_304(client, programme, encoding):
    plain_tag = client.get("/programme").headers["ETag"]
    packed_tag = client.get("/programme", headers={"Accept-Encoding": "gzip"}).headers["ETag"]

    for tag in (plain_tag, packed_tag):
        again = client.get(
            "/programme", headers={"If-None-Match": tag, "Accept-Encoding": encoding}
        )
        assert again.status_code == 304
        assert again.get_data() == b""


def _another_worker_bumps_the_version(event) -> None:
    """What a commit in another process leaves here: only the shared stamp changes."""
    cache.set(STAMP_KEY, (event.id, event.programme_version + 1, datetime(2014, 3, 2, tzinfo=UTC)))


def test_worker_trusts_its_copy_of_the_stamp_within_the_window(client, programme):
    stamp_memo().window = 60
    first = client.get("/programme")

    _another_worker_bumps_the_version(programme)
    with sql_statements() as statements:
        again = client.get("/programme")

    assert again.headers["ETag"] == first.headers["ETag"]
    assert statements == []


def test_window_of_zero_reads_the_shared_stamp_every_time(client, programme):
    stamp_memo().window = 0
    first = client.get("/programme")

    _another_worker_bumps_the_version(programme)
    again = client.get("/programme")

    assert again.headers["ETag"] != first.headers["ETag"]
    assert again.headers["Last-Modified"] == "Sun, 02 Mar 2014 00:00:00 GMT"


def test_visitor_with_a_session_always_reads_the_shared_stamp(client, programme):
    stamp_memo().window = 60
    client.get("/programme?lang=fr")  # the language is remembered: a session cookie
    first = client.get("/programme")

    _another_worker_bumps_the_version(programme)
    again = client.get("/programme")

    assert again.headers["ETag"] != first.headers["ETag"]


def test_while_one_thread_reads_the_stamp_again_the_others_keep_their_copy(client, programme):
    first = client.get("/programme")
    memo = stamp_memo()
    memo.window = 0  # the copy is always too old to trust on its own
    cache.delete(STAMP_KEY)  # expired in the shared cache
    _another_worker_bumps_the_version(programme)

    assert memo.fresh() is None
    with memo.reading() as mine:  # as if another thread were reading it
        assert mine
        assert memo.fresh() == memo.last()  # the replay layer keeps answering too
        with sql_statements() as statements:
            meanwhile = client.get("/programme")

    assert statements == []
    assert meanwhile.headers["ETag"] == first.headers["ETag"]
    # Once that read is over, the next request reads the shared stamp again.
    again = client.get("/programme")
    assert again.headers["ETag"] != first.headers["ETag"]


def test_a_visitor_with_a_session_never_gets_the_copy_kept_during_a_read(client, programme):
    client.get("/programme?lang=fr")  # the language is remembered: a session cookie
    memo = stamp_memo()
    memo.window = 0
    cache.delete(STAMP_KEY)

    with memo.reading(), sql_statements() as statements:
        client.get("/programme")

    assert any("FROM event" in statement for statement in statements)
    assert tuple(cache.get(STAMP_KEY))[:2] == (programme.id, programme.programme_version)


def test_arguments_the_page_does_not_read_give_the_same_cached_page(client, programme):
    first = client.get("/programme")

    with sql_statements() as statements:
        answers = [client.get(f"/programme?x={n}&utm_source=flood{n}") for n in range(5)]

    assert statements == []  # no cold build: the same cached page each time
    assert {answer.headers["ETag"] for answer in answers} == {first.headers["ETag"]}
    page = answers[-1].get_data(as_text=True)
    assert "utm_source" not in page
    assert "x=4" not in page


def test_the_arguments_the_page_reads_still_make_their_own_page(client, programme):
    everything = client.get("/programme?utm_source=a")
    one_day = client.get("/programme?day=2014-04-02&utm_source=a")

    assert one_day.headers["ETag"] != everything.headers["ETag"]
    # The language switch keeps the filter and drops the rest.
    page = one_day.get_data(as_text=True)
    assert "/programme?day=2014-04-02&amp;lang=en" in page
    assert "utm_source" not in page


def test_a_large_cold_build_hands_freed_memory_back(client, programme, monkeypatch):
    from congress.caching import memory

    trims: list[int] = []
    monkeypatch.setattr(memory, "_malloc_trim", lambda: trims.append)
    monkeypatch.setattr(memory, "TRIM_AFTER_BYTES", 5_000)

    assert len(client.get("/speakers").get_data()) < 5_000
    assert trims == []
    assert len(client.get("/programme.ics").get_data()) >= 5_000
    assert trims == [0]
    client.get("/programme.ics")  # served from the cache: nothing was built
    assert trims == [0]


def test_malloc_trim_is_found_on_glibc_and_harmless():
    import platform

    from congress.caching import memory

    if platform.libc_ver()[0] == "glibc":
        assert memory._malloc_trim() is not None
    memory._return_freed_memory()


def test_a_version_bump_alone_rewrites_the_stamp_at_commit(client, programme):
    before = client.get("/programme")
    version = programme.programme_version

    services.bump_programme_version(programme)
    db.session.commit()

    assert tuple(cache.get(STAMP_KEY)) == (
        programme.id,
        version + 1,
        programme.programme_updated_at,
    )
    assert stamp_memo().last() == (programme.id, version + 1, programme.programme_updated_at)
    assert client.get("/programme").headers["ETag"] != before.headers["ETag"]


def test_a_large_cold_build_keeps_its_memory_when_the_tuning_is_off(
    app, client, programme, monkeypatch
):
    from congress.caching import memory

    trims: list[int] = []
    monkeypatch.setattr(memory, "_malloc_trim", lambda: trims.append)
    monkeypatch.setattr(memory, "TRIM_AFTER_BYTES", 5_000)
    app.config["CACHE_MEMORY_TUNING"] = False

    assert len(client.get("/programme.ics").get_data()) >= 5_000
    assert trims == []
