"""What of a proposal may leave the private page, decided here and nowhere else.

A proposal labelled TLP:AMBER or TLP:RED may describe an attack that is not yet
public: its abstract and its notes to the committee stay in the database and on
the pages reached by its private link or by an organiser. E-mails and the audit
log carry its title only, because both are copied far beyond the committee's
reach (mail servers, log archives).
"""

from __future__ import annotations

from congress.programme.models import Disclosure


def content_may_leave(disclosure: Disclosure) -> bool:
    """Whether the abstract and notes may go into e-mails and audit entries."""
    return not disclosure.restricts_abstract
