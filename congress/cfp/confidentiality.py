"""What of a proposal may be seen, and by whom: decided here and nowhere else.

A proposal labelled TLP:AMBER or TLP:RED may describe an attack that is not yet
public. Its abstract, its notes to the committee and its attachment stay in the
database (the attachment encrypted, ``cfp.files``) and are shown only to the
administrators and to the reviewers assigned to it; everyone else who may see
the proposals at all sees its title, kind, theme and label. E-mails and the
audit log carry its title only, because both are copied far beyond the
committee's reach (mail servers, log archives).

Conflicts of interest come first: a reviewer from a speaker's organisation, or
one who declared a conflict, does not learn the proposal exists (404), even if
assigned. Administrators run the committee and see everything.

The functions are pure (facts in, answer out) so the whole matrix is tested
like the permissions' (``tests/unit/cfp/test_confidentiality.py``).
"""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Iterable

from congress.programme.models import Disclosure

# Addresses at these domains say nothing of an employer.
PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "outlook.fr",
        "hotmail.com",
        "hotmail.fr",
        "live.com",
        "live.fr",
        "yahoo.com",
        "yahoo.fr",
        "orange.fr",
        "wanadoo.fr",
        "free.fr",
        "sfr.fr",
        "laposte.net",
        "icloud.com",
        "me.com",
        "proton.me",
        "protonmail.com",
        "gmx.fr",
        "gmx.com",
    }
)


class Access(enum.IntEnum):
    """How much of a proposal a person sees; ordered, so ``>=`` reads naturally."""

    NONE = 0  # the proposal does not exist for them (404)
    TITLE = 1  # title, kind, theme, duration, language, label, status
    FULL = 2  # also abstract, notes, attachment, speakers' details (audited if restricted)


def content_may_leave(disclosure: Disclosure) -> bool:
    """Whether the abstract and notes may go into e-mails and audit entries."""
    return not disclosure.restricts_abstract


def reads_are_audited(disclosure: Disclosure) -> bool:
    """Every read of a restricted proposal's content is an audit entry (who, when)."""
    return disclosure.restricts_abstract


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = (ch for ch in decomposed if not unicodedata.combining(ch))
    kept = "".join(ch if ch.isalnum() else " " for ch in letters)
    return " ".join(kept.split())


def _domain(email: str) -> str:
    return email.rpartition("@")[2].strip().casefold()


def same_organisation(
    reviewer_organisation: str,
    reviewer_email: str,
    speakers: Iterable[tuple[str, str]],
) -> bool:
    """Whether the reviewer works where one of the speakers ``(organisation, email)`` does.

    The organisations are compared folded (case, accents, punctuation), and the
    e-mail domains unless they belong to a public mail provider: "CHU de
    Rennes" and "chu-de-rennes" are one employer, as are two addresses at
    ``chu-rennes.fr``.
    """
    mine = _fold(reviewer_organisation)
    domain = _domain(reviewer_email)
    for organisation, email in speakers:
        if mine and mine == _fold(organisation):
            return True
        theirs = _domain(email)
        if domain and domain == theirs and domain not in PUBLIC_MAIL_DOMAINS:
            return True
    return False


def access(
    *,
    manages: bool,
    reviews: bool,
    edits_programme: bool,
    restricted: bool,
    assigned: bool,
    conflicted: bool,
) -> Access:
    """The decision, from what is true of the person and the proposal.

    ``manages``: may run the call (administrators). ``reviews``: has the
    reviewer's permission. ``edits_programme``: programme editors, who follow
    the proposals but are not the committee. ``restricted``: TLP:AMBER or RED.
    """
    if manages:
        return Access.FULL
    if reviews:
        if conflicted or not assigned:
            return Access.NONE
        return Access.FULL
    if edits_programme:
        return Access.TITLE if restricted else Access.FULL
    return Access.NONE
