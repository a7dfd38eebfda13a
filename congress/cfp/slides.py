"""Who may download a session's slides, and from when: decided here and nowhere else.

The session's disclosure label says who may hear what is said in the room, so
it says who may read the slides too:

- no label, TLP:CLEAR and TLP:GREEN: anyone, once the session has ended (on the
  public session page). Before the end nobody downloads them, so a speaker may
  upload early without giving the talk away;
- TLP:AMBER and the Chatham House rule: the confirmed attendees, through their
  private link, once the session has ended;
- TLP:RED: nobody, ever. RED slides are not even kept (``space.upload_slides``
  refuses them): the speaker brings them on their own device.

The function is pure (facts in, answer out) so the whole matrix is tested
without a database (``tests/unit/cfp/test_slides_rule.py``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from congress.programme.models import Disclosure

Audience = Literal["public", "attendees", "nobody"]

PUBLIC_LABELS = frozenset({Disclosure.NONE, Disclosure.TLP_CLEAR, Disclosure.TLP_GREEN})
ATTENDEE_LABELS = frozenset({Disclosure.TLP_AMBER, Disclosure.CHATHAM_HOUSE})


def eventual_audience(disclosure: Disclosure) -> Audience:
    """Who will read the slides once the session has ended (for pages that do not know when)."""
    if disclosure in PUBLIC_LABELS:
        return "public"
    if disclosure in ATTENDEE_LABELS:
        return "attendees"
    return "nobody"


def audience(disclosure: Disclosure, talk_ends_at: datetime, moment: datetime) -> Audience:
    """Who may download the slides of a session labelled ``disclosure`` at ``moment``."""
    if moment < talk_ends_at:
        return "nobody"
    return eventual_audience(disclosure)


def keeps_slides(disclosure: Disclosure) -> bool:
    """Whether slides of a session with this label may be stored at all (not TLP:RED)."""
    return eventual_audience(disclosure) != "nobody"
