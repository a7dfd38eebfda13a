"""Organisers' editor for the site's texts: the home page's block and the practical sections.

One page lists the sections; each section has its own form with its French and
English Markdown (and, for the venue, the edition's coordinates). Saving is one
``site.services.save_section`` call, which audits and commits, or refuses with a
message shown beside its field and the input kept.
"""

from __future__ import annotations

from typing import Any

from flask import abort, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import Length, ValidationError

from congress.accounts.permissions import Permission
from congress.dashboard.actions import save_form
from congress.dashboard.blueprint import bp, needs
from congress.edition.queries import current_event_or_404
from congress.i18n import gettext as _
from congress.i18n import lazy_gettext as _l
from congress.site import queries, services
from congress.site.sections import BY_KEY, SECTIONS

BODY_MAX = services.BODY_MAX
COORDINATE_MAX = 20
Page = str | tuple[str, int] | Any


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _degrees(value: str) -> float | None:
    """A decimal number of degrees as people type it ("48.0062" or "48,0062"); None if empty."""
    if not value:
        return None
    return float(value.replace(",", ".").replace("\u2212", "-"))


def _valid_degrees(_form: FlaskForm, field: StringField) -> None:
    try:
        _degrees(field.data or "")
    except ValueError:
        raise ValidationError(_l("Write a number of degrees, such as 48.0062.")) from None


class SectionForm(FlaskForm):
    """A section's texts; shape only (the service checks what the values mean)."""

    body = TextAreaField(
        _l("Text in French (Markdown)"),
        validators=[Length(max=BODY_MAX)],
        render_kw={"rows": 12},
    )
    body_en = TextAreaField(
        _l("Text in English (Markdown)"),
        validators=[Length(max=BODY_MAX)],
        render_kw={"rows": 12},
    )


class VenueForm(SectionForm):
    latitude = StringField(
        _l("Latitude (optional)"),
        validators=[Length(max=COORDINATE_MAX), _valid_degrees],
        filters=[_strip],
        render_kw={"inputmode": "decimal", "autocomplete": "off", "maxlength": COORDINATE_MAX},
    )
    longitude = StringField(
        _l("Longitude (optional)"),
        validators=[Length(max=COORDINATE_MAX), _valid_degrees],
        filters=[_strip],
        render_kw={"inputmode": "decimal", "autocomplete": "off", "maxlength": COORDINATE_MAX},
    )

    def validate_longitude(self, field: StringField) -> None:
        if bool(self.latitude.data) != bool(field.data):
            raise ValidationError(_l("Give both the latitude and the longitude, or neither."))


@bp.get("/site")
@needs(Permission.EDIT_SITE_CONTENT)
def site_content() -> Page:
    event = current_event_or_404()
    saved = queries.sections(event)
    return render_template("dashboard/site_content.html", sections=SECTIONS, saved=saved)


@bp.route("/site/<key>", methods=["GET", "POST"])
@needs(Permission.EDIT_SITE_CONTENT)
def edit_site_section(key: str) -> Page:
    section = BY_KEY.get(key)
    if section is None:
        abort(404)
    event = current_event_or_404()
    form_class = VenueForm if key == "venue" else SectionForm
    if request.method == "POST":
        form = form_class()
    else:
        row = queries.sections(event).get(key)
        initial: dict[str, Any] = {
            "body": row.body if row else "",
            "body_en": row.body_en if row else "",
        }
        if key == "venue":
            initial["latitude"] = _shown_degrees(event.latitude)
            initial["longitude"] = _shown_degrees(event.longitude)
        form = form_class(data=initial)
    status = 200
    if request.method == "POST":
        result = save_form(
            form,
            lambda: services.save_section(event, key, **_values(form, key)),
            lambda: _("“%(title)s” is saved.", title=str(section.title)),
            url_for("dashboard.edit_site_section", key=key),
        )
        if not isinstance(result, int):
            return result
        status = result
    public_url = url_for("site.home") if key == "home" else url_for("site.practical")
    return render_template(
        "dashboard/site_section_form.html",
        section=section,
        form=form,
        public_url=f"{public_url}#{section.anchor}",
    ), status


def _shown_degrees(value: float | None) -> str:
    return "" if value is None else f"{value:.6f}"


def _values(form: FlaskForm, key: str) -> dict[str, Any]:
    values: dict[str, Any] = {"body": form.body.data or "", "body_en": form.body_en.data or ""}
    if key == "venue":
        latitude = _degrees(form.latitude.data or "")
        longitude = _degrees(form.longitude.data or "")
        if latitude is None or longitude is None:
            values["clear_position"] = True
        else:
            values["position"] = services.Position(latitude, longitude)
    return values
