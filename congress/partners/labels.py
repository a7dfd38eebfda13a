"""Translated names of the partner levels, singular and as the page's headings."""

from __future__ import annotations

from congress.i18n import TranslatedLabels
from congress.i18n import lazy_gettext as _l
from congress.partners.models import PartnerLevel

LEVEL_LABELS = {
    PartnerLevel.PLATINUM: _l("Platinum"),
    PartnerLevel.GOLD: _l("Gold"),
    PartnerLevel.SILVER: _l("Silver"),
    PartnerLevel.INSTITUTIONAL: _l("Institutional"),
    PartnerLevel.MEDIA: _l("Media"),
}
LEVEL_HEADINGS = {
    PartnerLevel.PLATINUM: _l("Platinum partners"),
    PartnerLevel.GOLD: _l("Gold partners"),
    PartnerLevel.SILVER: _l("Silver partners"),
    PartnerLevel.INSTITUTIONAL: _l("Institutional partners"),
    PartnerLevel.MEDIA: _l("Media partners"),
}
LEVEL_TEXT = TranslatedLabels(LEVEL_LABELS)
HEADING_TEXT = TranslatedLabels(LEVEL_HEADINGS)
