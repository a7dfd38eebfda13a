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

An object with an image (a speaker's photo, a partner's logo: ``ImageSlot``)
gets two more, both POST: ``/<plural>/<id>/image`` (``<name>_image``, a
multipart form) and ``/<plural>/<id>/image/delete`` (``<name>_image_delete``).
A refused file redraws the edit page with the refusal beside the file field
and the service's 4xx status; nothing is stored.

An object is looked up within the current edition: an id from another edition
answers 404, like an unknown one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from flask import abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from congress.accounts.permissions import Permission
from congress.core.errors import DomainError
from congress.core.forms import ButtonForm
from congress.dashboard.actions import button_action, save_form, show_refusal
from congress.dashboard.blueprint import bp, needs
from congress.edition.models import Event
from congress.edition.queries import current_event_or_404
from congress.extensions import db
from congress.media.images import ImageTooLarge
from congress.media.store import too_large_message, upload_request_limit

Page = tuple[str, int] | Response


class Owned(Protocol):
    """What the generic pages read of an object: its id, its edition and its name."""

    id: Any
    event_id: Any
    name: Any


M = TypeVar("M", bound=Owned)


@dataclass(frozen=True)
class ImageSlot(Generic[M]):
    """The one image an object may carry, uploaded on its edit page.

    ``form`` has a CSRF token and one file field named ``field``; ``store``
    receives the object and the uploaded file and makes one service call.
    """

    form: type[FlaskForm]
    field: str
    store: Callable[[M, Any], object]
    remove: Callable[[M], object]
    stored: Callable[[str], str]
    removed: Callable[[str], str]


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
    image: ImageSlot[M] | None = None

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


def _edit_template(
    admin: EntityAdmin[Any], event: Event, obj: Any, form: FlaskForm, upload: FlaskForm | None
) -> str:
    if upload is None and admin.image is not None:
        upload = admin.image.form(formdata=None)
    return render_template(
        f"dashboard/{admin.name}_form.html",
        event=event,
        form=form,
        button=ButtonForm(),
        upload=upload,
        **{admin.name: obj},
    )


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
    return _edit_template(admin, event, obj, form, None), status


def image_upload(admin: EntityAdmin[Any], object_id: int) -> Page:
    """Store the uploaded image and go back to the edit page; a refusal redraws it (4xx)."""
    slot = admin.image
    if slot is None:  # the routes exist only for objects with a slot
        abort(404)
    event = current_event_or_404()
    obj = admin.owned(object_id, event)
    upload = slot.form()
    status = 400
    if upload.validate_on_submit():
        try:
            slot.store(obj, getattr(upload, slot.field).data)
        except DomainError as error:
            if error.field is None:
                error.field = slot.field
            status = show_refusal(upload, error)
        else:
            flash(slot.stored(obj.name), "success")
            return redirect(admin.edit_url(object_id))
    return _edit_template(admin, event, obj, admin.form(obj=obj), upload), status


def image_delete(admin: EntityAdmin[Any], object_id: int) -> Response:
    slot = admin.image
    if slot is None:
        abort(404)
    obj = admin.owned(object_id, current_event_or_404())
    return button_action(
        lambda: slot.remove(obj), slot.removed(obj.name), admin.edit_url(object_id)
    )


def delete(admin: EntityAdmin[Any], object_id: int) -> Response:
    """Delete and go back to the list; a refusal is flashed on the object's own page."""
    obj = admin.owned(object_id, current_event_or_404())
    return button_action(
        lambda: admin.delete(obj),
        admin.deleted(obj.name),
        admin.list_url,
        refused_target=admin.edit_url(object_id),
    )


# Endpoints that receive a file: they alone accept a request above MAX_CONTENT_LENGTH.
UPLOAD_ENDPOINTS: set[str] = set()


@bp.url_value_preprocessor
def _upload_limit(endpoint: str | None, _values: dict[str, Any] | None) -> None:
    """Let an image upload through the 1 MB request limit, up to the image limit.

    Flask runs URL value preprocessors before every ``before_request`` hook, and
    the CSRF check (one of those) reads the body: the limit has to be raised
    here. A request announcing a body beyond that is refused with the image
    limit's own message (413) before anything reads it, and before the guard,
    which is fine since that answer shows nothing but the limit.
    """
    if endpoint not in UPLOAD_ENDPOINTS:
        return
    request.max_content_length = upload_request_limit()
    if (request.content_length or 0) > request.max_content_length:
        raise ImageTooLarge(too_large_message())


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
    )
    if admin.image is not None:

        def image_view(**ids: int) -> Page:
            return image_upload(admin, ids[admin.id_arg])

        def image_delete_view(**ids: int) -> Response:
            return image_delete(admin, ids[admin.id_arg])

        routes += (
            (f"{base}/<int:{admin.id_arg}>/image", f"{admin.name}_image", image_view, ["POST"]),
            (
                f"{base}/<int:{admin.id_arg}>/image/delete",
                f"{admin.name}_image_delete",
                image_delete_view,
                ["POST"],
            ),
        )
        UPLOAD_ENDPOINTS.add(f"dashboard.{admin.name}_image")
    # Delete last: whatever walks the URL map in order meets the object's other pages first.
    routes += (
        (f"{base}/<int:{admin.id_arg}>/delete", f"{admin.name}_delete", delete_view, ["POST"]),
    )
    for rule, endpoint, view, methods in routes:
        view.__name__ = view.__qualname__ = endpoint
        bp.add_url_rule(rule, endpoint, needs(admin.permission)(view), methods=methods)
