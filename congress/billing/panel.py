"""The "quote and invoices" panel of the attendee's private page, and its data section.

Registration sits below billing: it offers panel and data providers
(``registration.panels``) and ``web.py`` registers these at start-up.
"""

from __future__ import annotations

from typing import Any

from flask import render_template
from markupsafe import Markup

from congress.billing import queries
from congress.registration.fees import current_price
from congress.registration.models import Registration, RegistrationStatus


def documents(registration: Registration) -> Markup | None:
    """The panel: the quote while the registration is confirmed and paying, its invoices."""
    confirmed = registration.status is RegistrationStatus.CONFIRMED
    paying = not current_price(registration.category, registration.created_at).free
    invoices = queries.documents_of(registration)
    if not invoices and not (confirmed and paying):
        return None
    html = render_template(
        "billing/panel.html",
        registration=registration,
        quote_available=confirmed and paying,
        invoices=invoices,
    )
    # A template rendered with autoescape on: its output is safe HTML already.
    return Markup(html)  # noqa: S704  # nosec B704


def documents_data(registration: Registration) -> list[dict[str, Any]]:
    """The invoices and credit notes naming the attendee, for their data export."""
    return [
        {
            "reference": document.reference,
            "kind": document.kind.value,
            "issued_on": document.issued_on.isoformat(),
            "buyer": document.buyer_name,
            "total_incl_vat": f"{document.gross_total:.2f}",
        }
        for document in queries.documents_of(registration)
    ]
