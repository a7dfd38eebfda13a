"""Organisers' messages to attendees: the list, composing (preview, test), confirming, sending.

Composing never sends: "Preview" shows the count and the rendered text, "Send
a test to myself" queues it to the organiser alone, "Continue" keeps a draft
and opens its page, where the count is confirmed with one button. That
button's service call is idempotent (``messaging.services.send``), so a double
click or a retried request gives no one the message twice.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import Length

from congress.accounts.permissions import Permission
from congress.core.errors import DomainError
from congress.core.forms import ButtonForm
from congress.dashboard.actions import show_refusal
from congress.dashboard.blueprint import bp, needs
from congress.edition.models import Event
from congress.edition.queries import current_event_or_404
from congress.extensions import db
from congress.i18n import gettext as _
from congress.i18n import lazy_gettext as _l
from congress.i18n import ngettext
from congress.messaging import audiences, queries, services
from congress.programme.queries import all_talks
from congress.registration.queries import categories
from congress.typography import long_date

Page = str | tuple[str, int] | Any


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class MessageForm(FlaskForm):
    """Shape only: the service says what is missing and whether the audience exists."""

    subject = StringField(
        _l("Subject in French"),
        validators=[Length(max=services.SUBJECT_MAX)],
        filters=[_strip],
        render_kw={"maxlength": services.SUBJECT_MAX, "autocomplete": "off"},
    )
    body = TextAreaField(
        _l("Message in French (Markdown)"),
        validators=[Length(max=services.BODY_MAX)],
        render_kw={"rows": 10},
    )
    subject_en = StringField(
        _l("Subject in English (optional)"),
        validators=[Length(max=services.SUBJECT_MAX)],
        filters=[_strip],
        render_kw={"maxlength": services.SUBJECT_MAX, "autocomplete": "off"},
    )
    body_en = TextAreaField(
        _l("Message in English (Markdown, optional)"),
        validators=[Length(max=services.BODY_MAX)],
        render_kw={"rows": 10},
    )
    audience = RadioField(
        _l("Recipients"),
        choices=[SelectChoice(code, label) for code, label in audiences.CHOICE_LABELS.items()],
        default="confirmed",
        validate_choice=False,  # the service refuses an unknown audience, beside the field
    )
    category = SelectField(_l("Ticket category"), validate_choice=False)
    day = SelectField(_l("Day"), validate_choice=False)
    talk = SelectField(_l("Session"), validate_choice=False)


def _form(event: Event) -> MessageForm:
    form = MessageForm()
    none = SelectChoice("", _("Choose…"))
    form.category.choices = [none] + [SelectChoice(str(c.id), c.name) for c in categories(event)]
    form.day.choices = [none] + [
        SelectChoice(day.isoformat(), long_date(day)) for day in event.days
    ]
    form.talk.choices = [none] + [SelectChoice(str(t.id), t.title) for t in all_talks(event)]
    return form


def _composition(form: MessageForm) -> services.Composition:
    code = form.audience.data or ""
    field = audiences.AUDIENCES.get(code, (None, None))[1]
    parameter = getattr(form, field).data or "" if field else ""
    return services.Composition(
        subject=form.subject.data or "",
        body=form.body.data or "",
        audience=code,
        parameter=parameter,
        subject_en=form.subject_en.data or "",
        body_en=form.body_en.data or "",
    )


@bp.get("/messages")
@needs(Permission.SEND_MESSAGES)
def messages() -> Page:
    event = current_event_or_404()
    rows = queries.messages(event)
    return render_template(
        "dashboard/messages.html",
        event=event,
        messages=rows,
        delivery=queries.delivery([row.id for row in rows]),
    )


@bp.route("/messages/new", methods=["GET", "POST"])
@needs(Permission.SEND_MESSAGES)
def message_new() -> Page:
    event = current_event_or_404()
    form = _form(event)
    preview: dict[str, Any] | None = None
    status = 200
    if request.method == "POST":
        action = request.form.get("action", "preview")
        if not form.validate_on_submit():
            status = 400
        else:
            composition = _composition(form)
            try:
                if action == "test":
                    sent = services.send_test(event, composition, current_user)
                    text = (
                        _("A test was sent to %(email)s.", email=current_user.email)
                        if sent == 1
                        else _(
                            "A test in French and one in English were sent to %(email)s.",
                            email=current_user.email,
                        )
                    )
                    flash(text, "success")
                    preview = _preview(event, composition)
                elif action == "continue":
                    message = services.create_draft(event, composition, current_user)
                    return redirect(url_for("dashboard.message_detail", message_id=message.id))
                else:
                    preview = _preview(event, composition)
            except DomainError as error:
                status = show_refusal(form, error)
    return render_template(
        "dashboard/messages_new.html", event=event, form=form, preview=preview
    ), status


def _preview(event: Event, composition: services.Composition) -> dict[str, Any]:
    """The count and the rendered text(s), as the attendees will read them."""
    selection = services.check(event, composition)
    versions = [("fr", composition.subject, composition.body)]
    if composition.subject_en.strip():
        versions.append(("en", composition.subject_en, composition.body_en))
    return {
        "label": selection.label,
        "count": audiences.count(selection),
        "versions": [
            (language, subject, services.render_body(body)) for language, subject, body in versions
        ],
    }


@bp.get("/messages/<int:message_id>")
@needs(Permission.SEND_MESSAGES)
def message_detail(message_id: int) -> Page:
    event = current_event_or_404()
    message = queries.message(event, message_id)
    if message is None:
        abort(404)
    count = None
    if message.sent_at is None:
        try:
            count = audiences.count(services.selection_of(message))
        except DomainError:  # the category or session was deleted since the draft
            count = 0
    return render_template(
        "dashboard/messages_detail.html",
        event=event,
        message=message,
        count=count,
        delivery=queries.delivery([message.id])[message.id],
        body_fr=services.render_body(message.body),
        body_en=services.render_body(message.body_en) if message.body_en.strip() else None,
        form=ButtonForm(),
    )


@bp.post("/messages/<int:message_id>/send")
@needs(Permission.SEND_MESSAGES)
def message_send(message_id: int) -> Page:
    event = current_event_or_404()
    message = queries.message(event, message_id)
    if message is None:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    target = url_for("dashboard.message_detail", message_id=message_id)
    try:
        added = services.send(message)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(target)
    if added:
        flash(
            ngettext(
                "The message is on its way to %(num)d person.",
                "The message is on its way to %(num)d people.",
                added,
            ),
            "success",
        )
    else:
        flash(_("This message was already sent: nobody received it twice."), "success")
    return redirect(target)
