"""Human labels of the programme's enums, in the visitor's language.

Disclosure labels keep their official spelling (TLP 2.0 is written in English
everywhere); kinds are translated.
"""

from __future__ import annotations

from flask_babel import LazyString

from congress.i18n import TranslatedLabels
from congress.i18n import lazy_gettext as _l
from congress.programme.models import Disclosure, SpeakerRole, TalkKind, TalkStatus

KIND_LABELS: dict[TalkKind, LazyString] = {
    TalkKind.KEYNOTE: _l("Keynote"),
    TalkKind.TALK: _l("Talk"),
    TalkKind.ROUND_TABLE: _l("Round table"),
    TalkKind.WORKSHOP: _l("Workshop"),
    TalkKind.ATTACK_ANALYSIS: _l("Attack analysis"),
    TalkKind.BREAK: _l("Break"),
    TalkKind.SOCIAL: _l("Social event"),
}

KIND_PLURALS: dict[TalkKind, LazyString] = {
    TalkKind.KEYNOTE: _l("Keynotes"),
    TalkKind.TALK: _l("Talks"),
    TalkKind.ROUND_TABLE: _l("Round tables"),
    TalkKind.WORKSHOP: _l("Workshops"),
    TalkKind.ATTACK_ANALYSIS: _l("Attack analyses"),
    TalkKind.BREAK: _l("Breaks"),
    TalkKind.SOCIAL: _l("Social events"),
}

# Official TLP 2.0 spellings; the Chatham House rule in the visitor's language.
DISCLOSURE_CODES: dict[Disclosure, str] = {
    Disclosure.TLP_CLEAR: "TLP:CLEAR",
    Disclosure.TLP_GREEN: "TLP:GREEN",
    Disclosure.TLP_AMBER: "TLP:AMBER",
    Disclosure.TLP_RED: "TLP:RED",
    Disclosure.CHATHAM_HOUSE: "Chatham House",
}

DISCLOSURE_HELP: dict[Disclosure, LazyString] = {
    Disclosure.TLP_CLEAR: _l("May be shared without restriction."),
    Disclosure.TLP_GREEN: _l("May be shared within the community, not publicly."),
    Disclosure.TLP_AMBER: _l(
        "Limited disclosure: participants' organisations only, on a need-to-know basis."
    ),
    Disclosure.TLP_RED: _l("For the eyes of those present only; not to be shared."),
    Disclosure.CHATHAM_HOUSE: _l(
        "What is said may be used, but neither the identity nor the affiliation of the "
        "speaker may be revealed."
    ),
}

STATUS_LABELS: dict[TalkStatus, LazyString] = {
    TalkStatus.DRAFT: _l("Draft"),
    TalkStatus.CONFIRMED: _l("Confirmed"),
    TalkStatus.CANCELLED: _l("Cancelled"),
}

ROLE_LABELS: dict[SpeakerRole, LazyString] = {
    SpeakerRole.SPEAKER: _l("Speaker"),
    SpeakerRole.MODERATOR: _l("Moderator"),
    SpeakerRole.PANELIST: _l("Panelist"),
}

RESTRICTED_ABSTRACT_NOTICE = _l(
    "The abstract of this session is shared with registered attendees only "
    "(%(label)s): see it through your private registration link."
)

# The tables above as pages print them, translated once per language.
KIND_TEXT = TranslatedLabels(KIND_LABELS)
KIND_PLURAL_TEXT = TranslatedLabels(KIND_PLURALS)
DISCLOSURE_HELP_TEXT = TranslatedLabels(DISCLOSURE_HELP)
STATUS_TEXT = TranslatedLabels(STATUS_LABELS)
ROLE_TEXT = TranslatedLabels(ROLE_LABELS)
