"""List, add, edit and delete pages for an edition's simple objects, written once.

Rooms, tracks and speakers are edited alike: a list page with an "add" form, an
edit page with a delete button, each change one service call (which audits and
commits) followed by a redirect. An ``EntityAdmin`` says what differs: the
model, the form, the service calls, the messages and what the list page shows.
``register`` gives each described object the same three routes, in the
dashboard blueprint:

=====================================  ==========  =================  ==========================
path (under ``/dashboard``)            methods     endpoint           template
=====================================  ==========  =================  ==========================
``/<plural>``                          GET, POST   ``<plural>``       ``dashboard/<plural>.html``
``/<plural>/<int:<name>_id>``          GET, POST   ``<name>_edit``    ``dashboard/<name>_form.html``
``/<plural>/<int:<name>_id>/delete``   POST        ``<name>_delete``  (redirects)
=====================================  ==========  =================  ==========================

An object is looked up within the current edition: an id from another edition
answers 404, like an unknown one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from flask import abort, render_template, request, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from congress.accounts.permissions import Permission
from congress.core.forms import ButtonForm
from congress.dashboard.actions import button_action, save_form
from congress.dashboard.blueprint import bp, needs
from congress.edition.models import Event
from congress.edition.queries import current_event_or_404
from congress.extensions import db

Page = tuple[str, int] | Response


class Owned(Protocol):
    """What the generic pages read of an object: its id, its edition and its name."""

    id: Any
    event_id: Any
    name: Any


M = TypeVar("M", bound=Owned)


@dataclass(frozen=True)
class EntityAdmin(Generic[M]):
    """One kind of object as the dashboard edits it.

    ``create`` and ``update`` receive the validated form and make one service
    call; the messages receive the object's name and use the eager ``gettext``
    (a plain string, escaped by the layout like any other flash).
    """

    name: str  # "room": endpoints room_edit and room_delete, URL argument room_id
    plural: str  # "rooms": URL segment, list endpoint and list template
    model: type[M]
    form: type[FlaskForm]
    listing: Callable[[Event], dict[str, Any]]  # the list page's own template values
    create: Callable[[Event, Any], object]
    update: Callable[[M, Any], object]
    delete: Callable[[M], object]
    added: Callable[[str], str]
    saved: Callable[[str], str]
    deleted: Callable[[str], str]
    permission: Permission = Permission.EDIT_PROGRAMME

    @property
    def id_arg(self) -> str:
        return f"{self.name}_id"

    @property
    def list_url(self) -> str:
        return url_for(f"dashboard.{self.plural}")

    def edit_url(self, object_id: int) -> str:
        return url_for(f"dashboard.{self.name}_edit", **{self.id_arg: object_id})

    def owned(self, object_id: int, event: Event) -> M:
        """The object if it belongs to ``event``; otherwise 404."""
        obj = db.session.get(self.model, object_id)
        if obj is None or obj.event_id != event.id:
            abort(404)
        return obj


def list_page(admin: EntityAdmin[Any]) -> Page:
    """The list with its "add" form; a valid addition redirects back to the list."""
    event = current_event_or_404()
    form = admin.form()
    status = 200
    if request.method == "POST":
        result = save_form(
            form,
            lambda: admin.create(event, form),
            lambda: admin.added(form.name.data),
            admin.list_url,
        )
        if not isinstance(result, int):
            return result
        status = result
    return render_template(
        f"dashboard/{admin.plural}.html", event=event, form=form, **admin.listing(event)
    ), status


def edit_page(admin: EntityAdmin[Any], object_id: int) -> Page:
    """The edit form and the delete button; a valid save redirects to the list."""
    event = current_event_or_404()
    obj = admin.owned(object_id, event)
    form = admin.form(obj=obj)
    status = 200
    if request.method == "POST":
        result = save_form(
            form,
            lambda: admin.update(obj, form),
            lambda: admin.saved(form.name.data),
            admin.list_url,
        )
        if not isinstance(result, int):
            return result
        status = result
    return render_template(
        f"dashboard/{admin.name}_form.html",
        event=event,
        form=form,
        button=ButtonForm(),
        **{admin.name: obj},
    ), status


def delete(admin: EntityAdmin[Any], object_id: int) -> Response:
    """Delete and go back to the list; a refusal is flashed on the object's own page."""
    obj = admin.owned(object_id, current_event_or_404())
    return button_action(
        lambda: admin.delete(obj),
        admin.deleted(obj.name),
        admin.list_url,
        refused_target=admin.edit_url(object_id),
    )


def register(admin: EntityAdmin[Any]) -> None:
    """Add the three routes of ``admin`` to the dashboard, each declaring its permission."""

    def list_view() -> Page:
        return list_page(admin)

    def edit_view(**ids: int) -> Page:
        return edit_page(admin, ids[admin.id_arg])

    def delete_view(**ids: int) -> Response:
        return delete(admin, ids[admin.id_arg])

    base = f"/{admin.plural}"
    routes: tuple[tuple[str, str, Callable[..., Any], list[str]], ...] = (
        (base, admin.plural, list_view, ["GET", "POST"]),
        (f"{base}/<int:{admin.id_arg}>", f"{admin.name}_edit", edit_view, ["GET", "POST"]),
        (f"{base}/<int:{admin.id_arg}>/delete", f"{admin.name}_delete", delete_view, ["POST"]),
    )
    for rule, endpoint, view, methods in routes:
        view.__name__ = view.__qualname__ = endpoint
        bp.add_url_rule(rule, endpoint, needs(admin.permission)(view), methods=methods)
