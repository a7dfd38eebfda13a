"""One service call behind a dashboard form or button: refusals roll back and are shown."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import Flask, get_flashed_messages, session
from flask_wtf.csrf import generate_csrf
from werkzeug.exceptions import BadRequest

from congress.core.errors import Conflict, DomainError
from congress.dashboard.actions import button_action, run_flashed, save_form, show_refusal
from congress.dashboard.entity_forms import RoomForm
from congress.extensions import db
from congress.programme.models import Room
from tests.factories import make_event, make_room

pytestmark = pytest.mark.integration


@contextmanager
def posted(app: Flask, data: dict[str, str]) -> Iterator[None]:
    """A POST request context carrying ``data`` and a valid CSRF token."""
    with app.test_request_context("/dashboard/"):
        token = generate_csrf()
        raw = session["csrf_token"]
    with app.test_request_context("/dashboard/", method="POST", data={"csrf_token": token, **data}):
        session["csrf_token"] = raw
        yield


@pytest.fixture
def room(app):
    return make_room(make_event(), "Salle 1")


def room_names() -> list[str]:
    """The names as the database would store them now (pending changes are flushed first)."""
    return list(db.session.scalars(db.select(Room.name)))


def rename_then_refuse(room: Room, error: DomainError) -> None:
    room.name = "Volée"
    raise error


def test_run_flashed_refusal_rolls_back_and_flashes_the_message(app, room):
    with app.test_request_context("/dashboard/"):
        made = run_flashed(lambda: rename_then_refuse(room, Conflict("Salle occupée.")), "Fait.")
        flashes = get_flashed_messages(with_categories=True)

    assert made is False
    assert flashes == [("error", "Salle occupée.")]
    assert room_names() == ["Salle 1"]


def test_run_flashed_success_flashes_done(app, room):
    def rename() -> None:
        room.name = "Amphi"
        db.session.commit()

    with app.test_request_context("/dashboard/"):
        made = run_flashed(rename, "Fait.")
        flashes = get_flashed_messages(with_categories=True)

    assert made is True
    assert flashes == [("success", "Fait.")]
    assert room_names() == ["Amphi"]


def test_button_action_without_a_csrf_token_is_refused_before_the_action(app, room):
    calls: list[str] = []

    with (
        app.test_request_context("/dashboard/", method="POST", data={}),
        pytest.raises(BadRequest),
    ):
        button_action(lambda: calls.append("ran"), "Fait.", "/dashboard/rooms")

    assert calls == []


def test_button_action_refusal_redirects_to_the_refused_target(app, room):
    with posted(app, {}):
        response = button_action(
            lambda: rename_then_refuse(room, Conflict("Salle occupée.")),
            "Fait.",
            "/dashboard/rooms",
            refused_target=f"/dashboard/rooms/{room.id}",
        )
        flashes = get_flashed_messages(with_categories=True)

    assert (response.status_code, response.headers["Location"]) == (
        302,
        f"/dashboard/rooms/{room.id}",
    )
    assert flashes == [("error", "Salle occupée.")]
    assert room_names() == ["Salle 1"]


def test_button_action_success_redirects_to_the_target(app, room):
    with posted(app, {}):
        response = button_action(lambda: None, "Fait.", "/dashboard/rooms", refused_target="/x")
        flashes = get_flashed_messages(with_categories=True)

    assert (response.status_code, response.headers["Location"]) == (302, "/dashboard/rooms")
    assert flashes == [("success", "Fait.")]


def test_show_refusal_puts_the_message_beside_its_field_with_its_status(app, room):
    with posted(app, {"name": "Volée"}):
        form = RoomForm()
        try:
            rename_then_refuse(room, Conflict("Nom déjà pris.", field="name"))
        except DomainError as error:
            status = show_refusal(form, error)

    assert status == 409
    assert list(form.name.errors) == ["Nom déjà pris."]
    assert form.form_errors == []
    assert room_names() == ["Salle 1"]


def test_show_refusal_without_a_field_goes_above_the_form(app, room):
    with posted(app, {"name": "Volée"}):
        form = RoomForm()
        status = show_refusal(form, DomainError("Refusé.", field="no_such_field"))

    assert status == 400
    assert form.form_errors == ["Refusé."]
    assert list(form.name.errors) == []


def test_save_form_refusal_renders_with_the_status_and_keeps_nothing(app, room):
    with posted(app, {"name": "Amphi"}):
        form = RoomForm()
        result = save_form(
            form,
            lambda: rename_then_refuse(room, Conflict("Nom déjà pris.", field="name")),
            lambda: "Fait.",
            "/dashboard/rooms",
        )
        flashes = get_flashed_messages(with_categories=True)

    assert result == 409
    assert list(form.name.errors) == ["Nom déjà pris."]
    assert flashes == []
    assert room_names() == ["Salle 1"]


def test_save_form_invalid_form_answers_400_without_calling_the_service(app, room):
    calls: list[str] = []

    with posted(app, {"name": "", "capacity": "-1"}):
        result = save_form(RoomForm(), lambda: calls.append("ran"), lambda: "Fait.", "/x")

    assert result == 400
    assert calls == []
