"""The speakers' space (``/speaker/<token>``) and the slides' downloads.

Routes on the call for papers' blueprint (imported by ``web.py`` before the
blueprint is registered):

- ``/speaker/<token>``: the speaker's page; its three forms post to
  ``/respond``, ``/profile`` (multipart) and ``/slides`` (multipart), and
  ``/speaker/<token>/slides.pdf`` gives the speaker their own file back;
- ``/sessions/<slug>/slides.pdf``: the public copy, once the session has ended,
  for the labels that allow it (``cfp.slides``);
- ``/r/<token>/slides/<slug>.pdf``: for confirmed attendees, through their
  private link (TLP:AMBER and Chatham House slides; audited);
- the panel listing those on the attendee's private page (``attendee_panel``,
  registered by ``web.py`` through ``registration.panels``).

Like every private link, opening the space changes nothing: each change is a
POST with CSRF. ``/speaker/`` is a private prefix (``no-store``, token masked
in logs, private pool in nginx).
"""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from markupsafe import Markup
from werkzeug.wrappers import Response

from congress.cfp import space
from congress.cfp.models import Participation, SubmissionSpeaker
from congress.cfp.slides import eventual_audience
from congress.cfp.space_forms import ProfileForm, RespondForm, SlidesForm
from congress.cfp.views import bp
from congress.core.errors import DomainError
from congress.core.forms import show_refusals
from congress.edition.queries import current_event_or_404
from congress.i18n import lazy_gettext as _l
from congress.media.images import ImageTooLarge
from congress.media.store import read_upload, too_large_message, upload_request_limit
from congress.registration import services as registration_services
from congress.registration.models import Registration, TokenPurpose

MIB = 1024 * 1024
RULES = {
    "public": _l(
        "Your session’s label lets anyone download your slides from the session’s public "
        "page, once the session has ended."
    ),
    "attendees": _l(
        "Your session’s label restricts your slides to the congress’s confirmed attendees, "
        "through their private link, once the session has ended."
    ),
    "nobody": _l(
        "Your session is TLP:RED: its slides are never published nor kept here. "
        "Bring them on your own device."
    ),
}
TALK_STATUS = {
    "draft": _l("In preparation: not in the public programme yet"),
    "confirmed": _l("Scheduled: in the public programme"),
    "cancelled": _l("Cancelled"),
}


class SlidesTooLarge(DomainError):
    status_code = 413


def _slides_request_limit() -> int:
    return int(current_app.config["CFP_FILE_MAX_BYTES"]) + MIB


@bp.url_value_preprocessor
def _upload_limits(endpoint: str | None, _values: dict[str, Any] | None) -> None:
    """Let the space's two uploads through the 1 MB request limit, each up to its own.

    Run before the CSRF check reads the body (Flask runs URL value preprocessors
    before ``before_request`` hooks); a body announced beyond the limit is
    refused (413) before anything reads it.
    """
    if endpoint == "cfp.space_profile":
        request.max_content_length = upload_request_limit()
        if (request.content_length or 0) > request.max_content_length:
            raise ImageTooLarge(too_large_message())
    elif endpoint == "cfp.space_slides":
        request.max_content_length = _slides_request_limit()
        if (request.content_length or 0) > request.max_content_length:
            limit = int(current_app.config["CFP_FILE_MAX_BYTES"]) // MIB
            raise SlidesTooLarge(_l("The file is larger than %(n)d MB.", n=limit))


def _markdown_of(call: Any, name: str) -> str:
    if call is None:
        return ""
    english = getattr(call, f"{name}_en")
    return english if str(get_locale() or "fr") == "en" and english else getattr(call, name)


def _profile_form(speaker: SubmissionSpeaker) -> ProfileForm:
    form = ProfileForm(formdata=None)
    person = speaker.speaker
    if person is not None:
        form.bio.data = person.bio
        form.organisation.data = person.affiliation
        form.position_title.data = person.position_title
    else:
        form.organisation.data = speaker.organisation
    return form


def _respond_form(speaker: SubmissionSpeaker) -> RespondForm:
    form = RespondForm(formdata=None)
    form.participation.data = speaker.participation.value if speaker.participation else None
    return form


def _page(
    speaker: SubmissionSpeaker,
    token: str,
    *,
    respond_form: RespondForm | None = None,
    profile_form: ProfileForm | None = None,
    slides_form: SlidesForm | None = None,
    status: int = 200,
) -> tuple[str, int]:
    submission = speaker.submission
    event = submission.event
    talk = space.talk_of(speaker)
    call = space.call_for(event)
    return render_template(
        "cfp/space.html",
        event=event,
        token=token,
        speaker=speaker,
        person=speaker.speaker,
        submission=submission,
        talk=talk,
        talk_status=TALK_STATUS,
        respond_by=space.respond_by(speaker),
        may_respond=space.may_respond(speaker),
        technical_setup=_markdown_of(call, "technical_setup"),
        speaker_info=_markdown_of(call, "speaker_info"),
        respond_form=respond_form or _respond_form(speaker),
        profile_form=profile_form or _profile_form(speaker),
        slides_form=slides_form or SlidesForm(formdata=None),
        slides=space.slides_of(talk),
        slides_rule=RULES[eventual_audience(talk.disclosure)] if talk else None,
        may_upload=space.may_upload(speaker),
        slides_last_day=space.slides_last_day(event),
    ), status


@bp.get("/speaker/<token>")
def space_page(token: str) -> tuple[str, int]:
    return _page(space.speaker_for(token), token)


@bp.post("/speaker/<token>/respond")
def space_respond(token: str) -> Any:
    def answer(speaker: SubmissionSpeaker, form: RespondForm) -> Any:
        space.respond(speaker, Participation(form.participation.data))
        if speaker.participation is Participation.CONFIRMED:
            return _l("Thank you: your participation is confirmed."), "success"
        return _l("Your answer is recorded: you will not speak. The organisers are told."), "info"

    return _handle(token, RespondForm(), "respond_form", answer)


@bp.post("/speaker/<token>/profile")
def space_profile(token: str) -> Any:
    def save(speaker: SubmissionSpeaker, form: ProfileForm) -> Any:
        upload = form.photo.data
        photo = None
        if upload is not None and getattr(upload, "filename", ""):
            photo = read_upload(upload, int(current_app.config["MEDIA_MAX_BYTES"])) or None
        space.update_profile(
            speaker,
            bio=form.bio.data or "",
            organisation=form.organisation.data or "",
            position_title=form.position_title.data or "",
            photo=photo,
        )
        return _l("Your profile has been saved."), "success"

    return _handle(token, ProfileForm(), "profile_form", save)


@bp.post("/speaker/<token>/slides")
def space_slides(token: str) -> Any:
    def upload(speaker: SubmissionSpeaker, form: SlidesForm) -> Any:
        sent = form.slides.data
        data = read_upload(sent, int(current_app.config["CFP_FILE_MAX_BYTES"]))
        space.upload_slides(speaker, data, getattr(sent, "filename", "") or "")
        return _l("Your slides have been saved."), "success"

    return _handle(token, SlidesForm(), "slides_form", upload)


def _handle(token: str, form: Any, slot: str, action: Any) -> Any:
    """One form of the space: checked, handed to its service, then back to the page.

    ``action(speaker, form)`` calls the service and returns the flash message and
    its category; a refusal shows beside its field in the page, with its status.
    """
    speaker = space.speaker_for(token)
    if not form.validate_on_submit():
        return _page(speaker, token, status=400, **{slot: form})
    try:
        message, category = action(speaker, form)
    except DomainError as error:
        show_refusals(form, error)
        return _page(speaker, token, status=error.status_code, **{slot: form})
    flash(message, category)
    return redirect(url_for("cfp.space_page", token=token))


def pdf_response(found: space.SlidesFile, *, restricted: bool) -> Response:
    """A download (never shown in the browser), with its cleaned name."""
    response = Response(found.data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{found.slides.file_name}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store" if restricted else "public, max-age=60"
    return response


@bp.get("/speaker/<token>/slides.pdf")
def space_slides_pdf(token: str) -> Response:
    return pdf_response(space.own_slides(space.speaker_for(token)), restricted=True)


@bp.get("/sessions/<slug>/slides.pdf")
def public_slides_pdf(slug: str) -> Response:
    return pdf_response(space.public_slides(current_event_or_404(), slug), restricted=False)


@bp.get("/r/<token>/slides/<slug>.pdf")
def attendee_slides_pdf(token: str, slug: str) -> Response:
    registration = registration_services.find_by_token(token, TokenPurpose.MANAGE)
    return pdf_response(space.attendee_slides(registration, slug), restricted=True)


def attendee_panel(registration: Registration) -> Markup | None:
    """The attendee's private page lists the slides kept for attendees, once sessions end."""
    found = space.slides_for_attendee(registration)
    if not found:
        return None
    html = render_template("cfp/space_slides_panel.html", found=found)
    # A template rendered with autoescape on: its output is safe HTML already.
    return Markup(html)  # noqa: S704  # nosec B704
