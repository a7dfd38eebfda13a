"""The editable sections of the site, in page order: their keys and titles.

Keys are stored in the database and appear in the dashboard's URLs, so they
never change; titles are translated. ``home`` is the home page's "why this
congress" block; the others are the practical page's sections.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from congress.i18n import lazy_gettext as _l


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    title: Any  # a lazy translated string
    anchor: str  # the fragment on the public page


HOME = Section("home", _l("Why this congress"), "why")
PRACTICAL: tuple[Section, ...] = (
    Section("venue", _l("Venue and rooms"), "venue"),
    Section("getting_there", _l("Getting there"), "getting-there"),
    Section("accessibility", _l("Accessibility of the venue"), "accessibility"),
    Section("accommodation", _l("Accommodation"), "accommodation"),
    Section("meals", _l("Meals"), "meals"),
    Section("wifi", _l("Wi-Fi"), "wifi"),
    Section("contact", _l("On-site contact"), "contact"),
    Section("what_to_bring", _l("What to bring"), "what-to-bring"),
)
SECTIONS: tuple[Section, ...] = (HOME, *PRACTICAL)
BY_KEY = {section.key: section for section in SECTIONS}
