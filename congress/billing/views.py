"""The attendee's billing documents, behind their private link.

``/r/<token>/quote.pdf`` and ``/r/<token>/invoices/<reference>.pdf``: the
private link is the only key (``registration.services.find_by_token``), an
invoice is served only to a registration it bills, and every answer is
``no-store`` (the ``/r/`` prefix, ``security.py``). Download names carry the
document's reference, never a person's name.
"""

from __future__ import annotations

from flask import Blueprint, Response

from congress.billing import services
from congress.core.errors import NotFound
from congress.i18n import lazy_gettext as _l
from congress.registration import services as registration_services
from congress.registration.models import Registration, TokenPurpose

bp = Blueprint("billing", __name__)


def _managed(token: str) -> Registration:
    return registration_services.find_by_token(token, TokenPurpose.MANAGE)


def pdf_response(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/r/<token>/quote.pdf")
def quote(token: str) -> Response:
    registration = _managed(token)
    facts = services.quote(registration)
    return pdf_response(services.render(facts), f"{facts.reference.lower()}.pdf")


@bp.get("/r/<token>/invoices/<reference>.pdf")
def invoice(token: str, reference: str) -> Response:
    registration = _managed(token)
    document = services.invoice_by_reference(reference)
    if registration.id not in {line.registration_id for line in document.lines}:
        raise NotFound(_l("No such invoice."))
    prefix = "avoir" if document.is_credit_note else "facture"
    return pdf_response(document.pdf, f"{prefix}-{document.reference}.pdf")
