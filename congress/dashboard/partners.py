"""Organisers' pages for the edition's partners: list and add, edit, delete, logo.

Served by the generic pages of ``entity_admin`` like rooms and speakers; each
change is one ``partners.services`` call. Administrators and editors may use
them (``Permission.EDIT_PARTNERS``).
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, IntegerField, SelectChoice, SelectField, URLField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from congress.accounts.permissions import Permission
from congress.dashboard.entity_admin import EntityAdmin, ImageSlot, register
from congress.dashboard.entity_forms import (
    CHOOSE_FILE,
    IMAGE_ACCEPT,
    NAME_MAX,
    REQUIRED,
    SHORT_TEXT_MAX,
    _area,
    _strip,
    _text,
)
from congress.edition.models import Event
from congress.i18n import gettext as _
from congress.i18n import lazy_gettext as _l
from congress.partners import queries, services
from congress.partners.labels import LEVEL_LABELS
from congress.partners.models import URL_MAX, Partner, PartnerLevel

POSITION_MAX = 10_000


class PartnerForm(FlaskForm):
    name = _text(_l("Name"), NAME_MAX, required=True, autocomplete="off")
    level = SelectField(
        _l("Level"),
        choices=[SelectChoice(level.value, label) for level, label in LEVEL_LABELS.items()],
        default=PartnerLevel.GOLD.value,
        validators=[DataRequired(REQUIRED)],
    )
    url = URLField(
        _l("Website (optional, http:// or https://)"),
        validators=[Optional(), Length(max=URL_MAX)],
        filters=[_strip],
        render_kw={"maxlength": URL_MAX, "autocomplete": "off", "spellcheck": "false"},
    )
    description = _area(_l("Short text in French (optional)"), SHORT_TEXT_MAX, rows=3)
    description_en = _area(_l("Short text in English (optional)"), SHORT_TEXT_MAX, rows=3)
    position = IntegerField(
        _l("Order within the level (smaller first)"),
        default=0,
        validators=[
            Optional(),
            NumberRange(min=0, max=POSITION_MAX, message=_l("Give a whole number from 0.")),
        ],
        render_kw={"min": 0, "max": POSITION_MAX, "inputmode": "numeric"},
    )
    published = BooleanField(_l("Shown on the public site"))


class LogoForm(FlaskForm):
    logo = FileField(
        _l("Logo (PNG, JPEG or WebP, 5 MB at most; SVG is not accepted)"),
        validators=[FileRequired(CHOOSE_FILE)],
        render_kw={"accept": IMAGE_ACCEPT},
    )


def _data(form: PartnerForm) -> services.PartnerData:
    return services.PartnerData(
        name=form.name.data or "",
        level=PartnerLevel(form.level.data),
        url=form.url.data or "",
        description=form.description.data or "",
        description_en=form.description_en.data or "",
        position=form.position.data or 0,
        published=bool(form.published.data),
    )


def _listing(event: Event) -> dict[str, Any]:
    return {"partners": queries.all_partners(event)}


PARTNERS = EntityAdmin[Partner](
    name="partner",
    plural="partners",
    model=Partner,
    form=PartnerForm,
    listing=_listing,
    create=lambda event, form: services.create_partner(event, _data(form)),
    update=lambda partner, form: services.update_partner(partner, _data(form)),
    delete=services.delete_partner,
    added=lambda name: _("Partner “%(name)s” added.", name=name),
    saved=lambda name: _("Partner “%(name)s” saved.", name=name),
    deleted=lambda name: _("Partner “%(name)s” deleted.", name=name),
    permission=Permission.EDIT_PARTNERS,
    image=ImageSlot[Partner](
        form=LogoForm,
        field="logo",
        store=services.set_partner_logo,
        remove=services.remove_partner_logo,
        stored=lambda name: _("Logo of %(name)s saved.", name=name),
        removed=lambda name: _("Logo of %(name)s removed.", name=name),
    ),
)

register(PARTNERS)
