"""Quotes, invoices and credit notes: who may get one, what it says, and issuing it.

Rules held here (the dashboard, the private link, the CLI and the signals all
come through these functions):

- a quote exists for a confirmed, paying registration; it is rendered on demand
  and never numbered (it is an offer, not an accounting document);
- an invoice bills one or several confirmed, paying registrations that no open
  invoice already bills, all for one payer; it needs the organiser's identity
  and each registration's billing details. Issuing locks the registrations'
  rows, takes the year's next number (``numbering``), renders the PDF/A-3 with
  the EN 16931 XML embedded and checked (``facturx``), stores the lot and
  freezes the billing details, in one transaction;
- a credit note reverses lines of an invoice (all of them, or one attendee's
  when that attendee cancels) and references it; the invoice itself never
  changes (database triggers, ``guards``). A registration billed then credited
  may be invoiced again.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func
from sqlalchemy.orm import joinedload

from congress.audit.log import record
from congress.billing import facturx, numbering
from congress.billing.document import DocumentFacts, Kind, Line, Party, Payee
from congress.billing.models import DocumentKind, Invoice, InvoiceLine
from congress.core.clock import now
from congress.core.errors import Conflict, DomainError, NotFound
from congress.documents import pdf
from congress.edition.models import Event, Organiser
from congress.edition.queries import organiser_of
from congress.extensions import db
from congress.i18n import lazy_gettext as _l
from congress.registration.fees import current_price
from congress.registration.models import BillingDetails, Payer, Registration, RegistrationStatus

log = logging.getLogger(__name__)

QUOTE_PREFIX = "DEVIS"


# ---------------------------------------------------------------- facts


def seller(organiser: Organiser) -> Party:
    return Party(
        name=organiser.legal_name,
        street=organiser.street,
        postcode=organiser.postcode,
        city=organiser.city,
        country_code=organiser.country_code,
        siret=organiser.siret,
        vat_number=organiser.vat_number,
        email=organiser.email,
        legal_form=organiser.legal_form,
        share_capital=organiser.share_capital,
        registry=organiser.registry,
    )


def payee(organiser: Organiser) -> Payee:
    return Payee(
        iban=organiser.iban,
        bic=organiser.bic,
        bank_name=organiser.bank_name,
        late_payment_rate=Decimal(organiser.late_payment_rate),
        payment_days=organiser.payment_days,
    )


def buyer(registration: Registration) -> Party:
    """The buyer named by the registration's billing details (the attendee by default)."""
    details = registration.billing
    if details is None:
        return Party(
            name=registration.full_name,
            street="",
            postcode="",
            city="",
            email=registration.email,
        )
    name = details.legal_name or (
        registration.full_name if details.payer is Payer.SELF else registration.organisation
    )
    return Party(
        name=name,
        street=details.street,
        postcode=details.postcode,
        city=details.city,
        country_code=details.country_code or "FR",
        siret=details.siret,
        vat_number=details.vat_number,
        email=details.invoice_email or registration.email,
    )


def payer_key(registration: Registration) -> str:
    """What groups registrations on one invoice: the paying organisation, or the person."""
    details = registration.billing
    if details is None or details.payer is Payer.SELF:
        return f"person:{registration.email}"
    if details.siret:
        return f"siret:{details.siret}"
    if details.vat_number:
        return f"vat:{details.vat_number}"
    return f"name:{(details.legal_name or registration.organisation).casefold()}"


def line_for(registration: Registration) -> Line:
    """One registration as an invoice line, at the price of the day it was made."""
    price = current_price(registration.category, registration.created_at)
    event = registration.event
    label = registration.category.name
    return Line(
        description=f"Inscription {event.acronym or event.name} – {label} – "
        f"{registration.full_name}",
        quantity=Decimal("1"),
        unit_price=price.net,
        vat_rate=Decimal("0.00") if price.exempt else price.vat_rate,
    )


def _today(event: Event) -> date:
    return now().astimezone(event.zone).date()


def _require_organiser(event: Event) -> Organiser:
    organiser = organiser_of(event)
    if organiser is None:
        raise Conflict(
            _l("The organiser's identity is not entered yet: no quote or invoice can name it.")
        )
    return organiser


def _require_billable(registration: Registration) -> None:
    if registration.status is not RegistrationStatus.CONFIRMED:
        raise Conflict(_l("Only a confirmed registration is billed."))
    if current_price(registration.category, registration.created_at).free:
        raise Conflict(_l("This registration is free: there is nothing to bill."))


def require_details(registration: Registration) -> BillingDetails:
    details = registration.billing
    missing = (
        details is None
        or not all((details.street, details.postcode, details.city))
        or (details.payer is Payer.EMPLOYER and not details.legal_name)
    )
    if missing or details is None:
        raise Conflict(
            _l("The billing details of %(name)s are incomplete.", name=registration.full_name)
        )
    if details.public_body and not details.siret:
        raise Conflict(_l("A public payer is invoiced through Chorus Pro: its SIRET is required."))
    return details


def _facts(
    kind: Kind,
    reference: str,
    event: Event,
    organiser: Organiser,
    registrations: Sequence[Registration],
    *,
    issued_on: date,
    due_on: date,
    lines: tuple[Line, ...] | None = None,
) -> DocumentFacts:
    first = registrations[0]
    details = first.billing
    return DocumentFacts(
        kind=kind,
        reference=reference,
        issued_on=issued_on,
        service_start=event.first_day,
        service_end=event.last_day,
        due_on=due_on,
        seller=seller(organiser),
        buyer=buyer(first),
        lines=lines or tuple(line_for(r) for r in registrations),
        payee=payee(organiser),
        edition_name=event.name,
        vat_exemption=event.vat_exemption or "",
        buyer_reference=details.service_code if details else "",
        order_number=details.order_number if details else "",
        public_body=bool(details and details.public_body),
    )


def render(facts: DocumentFacts) -> bytes:
    """The PDF of a document; an invoice or credit note carries its Factur-X XML."""
    if facts.kind is Kind.QUOTE:
        return pdf.render("invoice.html", doc=facts, archival=False)
    document = pdf.render("invoice.html", doc=facts, archival=True)
    return facturx.embed(document, facturx.build_xml(facts), facts=facts)


# ---------------------------------------------------------------- quotes


def quote(registration: Registration) -> DocumentFacts:
    """The quote a payer raises its purchase order from, valid for the organiser's days."""
    _require_billable(registration)
    event = registration.event
    organiser = _require_organiser(event)
    today = _today(event)
    return _facts(
        Kind.QUOTE,
        f"{QUOTE_PREFIX}-{event.first_day.year}-{registration.id:05d}",
        event,
        organiser,
        [registration],
        issued_on=today,
        due_on=today + timedelta(days=organiser.quote_validity_days),
    )


def quote_pdf(registration: Registration) -> bytes:
    return render(quote(registration))


# ---------------------------------------------------------------- invoices


def open_invoice_of(registration: Registration) -> Invoice | None:
    """The invoice that bills ``registration`` and no credit note has reversed, if any."""
    billed = db.session.scalars(
        db.select(Invoice)
        .join(InvoiceLine, InvoiceLine.invoice_id == Invoice.id)
        .where(InvoiceLine.registration_id == registration.id)
        .order_by(Invoice.year, Invoice.number)
    ).all()
    invoices = [i for i in billed if i.kind is DocumentKind.INVOICE]
    credited = {i.credited_invoice_id for i in billed if i.kind is DocumentKind.CREDIT_NOTE}
    still_open = [i for i in invoices if i.id not in credited]
    return still_open[-1] if still_open else None


def _lock(registrations: Sequence[Registration]) -> None:
    """Row locks on the registrations, in id order (no deadlock between two issuers)."""
    ids = sorted(r.id for r in registrations)
    db.session.execute(
        db.select(Registration.id)
        .where(Registration.id.in_(ids))
        .order_by(Registration.id)
        .with_for_update()
    ).all()


def _store(
    facts: DocumentFacts,
    *,
    event: Event,
    kind: DocumentKind,
    year: int,
    number: int,
    registrations: Sequence[Registration],
    payer: str,
    issued_by: str,
    credited: Invoice | None = None,
) -> Invoice:
    document = render(facts)
    invoice = Invoice(
        event_id=event.id,
        kind=kind,
        year=year,
        number=number,
        issued_on=facts.issued_on,
        service_start=facts.service_start,
        service_end=facts.service_end,
        due_on=facts.due_on,
        credited_invoice_id=credited.id if credited else None,
        language=facts.language,
        buyer_name=facts.buyer.name,
        buyer_siret=facts.buyer.siret,
        buyer_vat_number=facts.buyer.vat_number,
        buyer_email=facts.buyer.email,
        payer_key=payer,
        public_body=facts.public_body,
        service_code=facts.buyer_reference,
        order_number=facts.order_number,
        net_total=facts.net_total,
        vat_total=facts.vat_total,
        gross_total=facts.gross_total,
        xml=facturx.build_xml(facts).decode("utf-8"),
        pdf=document,
        pdf_sha256=hashlib.sha256(document).hexdigest(),
        issued_by=issued_by,
    )
    invoice.lines = [
        InvoiceLine(
            position=position,
            registration_id=registration.id,
            description=line.description,
            quantity=line.quantity,
            unit_price=line.unit_price,
            vat_rate=line.vat_rate,
            net_amount=line.net,
        )
        for position, (line, registration) in enumerate(
            zip(facts.lines, registrations, strict=True), start=1
        )
    ]
    db.session.add(invoice)
    return invoice


def issue_invoice(
    registrations: Sequence[Registration], *, issued_by: str, commit: bool = True
) -> Invoice:
    """One invoice for ``registrations`` (one payer), numbered, rendered and stored."""
    if not registrations:
        raise DomainError(_l("Nothing to invoice."))
    registrations = sorted(registrations, key=lambda r: r.id)
    event = registrations[0].event
    organiser = _require_organiser(event)
    _lock(registrations)
    payers = {payer_key(r) for r in registrations}
    if len(payers) > 1:
        raise Conflict(_l("One invoice bills one payer: these registrations have several."))
    for registration in registrations:
        _require_billable(registration)
        require_details(registration)
        if open_invoice_of(registration) is not None:
            raise Conflict(_l("%(name)s is already invoiced.", name=registration.full_name))
    issued_on = _today(event)
    number = numbering.take_number(issued_on.year)
    facts = _facts(
        Kind.INVOICE,
        f"{issued_on.year}-{number:04d}",
        event,
        organiser,
        registrations,
        issued_on=issued_on,
        due_on=issued_on + timedelta(days=organiser.payment_days),
    )
    invoice = _store(
        facts,
        event=event,
        kind=DocumentKind.INVOICE,
        year=issued_on.year,
        number=number,
        registrations=registrations,
        payer=payers.pop(),
        issued_by=issued_by,
    )
    moment = now()
    for registration in registrations:
        if registration.billing is not None:
            registration.billing.invoiced_at = moment
    record(
        "invoice.issued",
        object_type="invoice",
        object_id=invoice.reference,
        changes={"total": [None, f"{facts.gross_total:.2f}"], "lines": [None, len(facts.lines)]},
    )
    if commit:
        db.session.commit()
    return invoice


def invoiceable(event: Event) -> dict[str, list[Registration]]:
    """Confirmed paying registrations not yet invoiced, grouped by payer."""
    registrations = db.session.scalars(
        db.select(Registration)
        .where(
            Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED
        )
        .options(joinedload(Registration.category))
        .order_by(Registration.id)
    ).all()
    groups: dict[str, list[Registration]] = {}
    for registration in registrations:
        if current_price(registration.category, registration.created_at).free:
            continue
        if open_invoice_of(registration) is not None:
            continue
        groups.setdefault(payer_key(registration), []).append(registration)
    return groups


def issue_for_payer(event: Event, key: str, *, issued_by: str) -> Invoice:
    """One invoice for every not yet invoiced registration of one payer."""
    group = invoiceable(event).get(key)
    if not group:
        raise NotFound(_l("This payer has no registration left to invoice."))
    return issue_invoice(group, issued_by=issued_by)


# ---------------------------------------------------------------- credit notes


def credit(
    invoice: Invoice,
    *,
    issued_by: str,
    registrations: Sequence[Registration] | None = None,
    commit: bool = True,
) -> Invoice:
    """A credit note reversing ``invoice``'s lines (of ``registrations`` only, if given)."""
    if invoice.kind is not DocumentKind.INVOICE:
        raise Conflict(_l("Only an invoice can be credited."))
    already = set(
        db.session.scalars(
            db.select(InvoiceLine.registration_id)
            .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
            .where(Invoice.credited_invoice_id == invoice.id)
        )
    )
    wanted = None if registrations is None else {r.id for r in registrations}
    lines = [
        line
        for line in invoice.lines
        if line.registration_id not in already
        and (wanted is None or line.registration_id in wanted)
    ]
    if not lines:
        raise Conflict(_l("These lines of the invoice are already credited."))
    event = invoice.event
    organiser = _require_organiser(event)
    billed = {
        r.id: r
        for r in db.session.scalars(
            db.select(Registration).where(
                Registration.id.in_([line.registration_id for line in lines])
            )
        )
    }
    issued_on = _today(event)
    number = numbering.take_number(issued_on.year)
    credited_lines = tuple(
        Line(line.description, line.quantity, line.unit_price, line.vat_rate) for line in lines
    )
    ordered = [billed[line.registration_id] for line in lines]
    facts = _facts(
        Kind.CREDIT_NOTE,
        f"{issued_on.year}-{number:04d}",
        event,
        organiser,
        ordered,
        issued_on=issued_on,
        due_on=issued_on + timedelta(days=organiser.payment_days),
        lines=credited_lines,
    )
    facts = _as_invoiced(facts, invoice)
    note = _store(
        facts,
        event=event,
        kind=DocumentKind.CREDIT_NOTE,
        year=issued_on.year,
        number=number,
        registrations=ordered,
        payer=invoice.payer_key,
        issued_by=issued_by,
        credited=invoice,
    )
    for registration in ordered:
        if registration.billing is not None:
            registration.billing.invoiced_at = None
    record(
        "invoice.credited",
        object_type="invoice",
        object_id=note.reference,
        changes={"invoice": [None, invoice.reference], "total": [None, f"{facts.gross_total:.2f}"]},
    )
    if commit:
        db.session.commit()
    return note


def _as_invoiced(facts: DocumentFacts, invoice: Invoice) -> DocumentFacts:
    """A credit note names the buyer and references exactly as the invoice did."""
    return replace(
        facts,
        buyer=Party(
            name=invoice.buyer_name,
            street=facts.buyer.street,
            postcode=facts.buyer.postcode,
            city=facts.buyer.city,
            country_code=facts.buyer.country_code,
            siret=invoice.buyer_siret,
            vat_number=invoice.buyer_vat_number,
            email=invoice.buyer_email,
        ),
        buyer_reference=invoice.service_code,
        order_number=invoice.order_number,
        public_body=invoice.public_body,
        preceding_reference=invoice.reference,
        preceding_issued_on=invoice.issued_on,
    )


# ---------------------------------------------------------------- reactions


def _on_cancelled(registration: Registration) -> None:
    """A cancelled registration that was invoiced gets its line credited, same transaction."""
    invoice = open_invoice_of(registration)
    if invoice is not None:
        credit(invoice, issued_by="system", registrations=[registration], commit=False)


def _on_seat_confirmed(registration: Registration) -> None:
    """Invoice at confirmation when the edition asks for it and all is there to do it."""
    organiser = organiser_of(registration.event)
    if organiser is None or not organiser.invoice_on_confirmation:
        return
    if current_price(registration.category, registration.created_at).free:
        return
    db.session.flush()
    try:
        require_details(registration)
    except DomainError:
        log.info("invoice_deferred registration=%s reason=billing_details", registration.uid)
        return
    if open_invoice_of(registration) is None:
        issue_invoice([registration], issued_by="system", commit=False)


def connect() -> None:
    """Subscribe to registration's signals (called once at start-up by ``web.py``)."""
    from congress.registration import signals

    signals.cancelled.connect(_on_cancelled, weak=False)
    signals.seat_confirmed.connect(_on_seat_confirmed, weak=False)


def count_issued(event: Event) -> int:
    return (
        db.session.scalar(db.select(func.count(Invoice.id)).where(Invoice.event_id == event.id))
        or 0
    )


def invoice_by_reference(reference: str) -> Invoice:
    year, _, number = reference.partition("-")
    if not (year.isdigit() and number.isdigit()):
        raise NotFound(_l("No such invoice."))
    invoice = db.session.scalar(
        db.select(Invoice).where(Invoice.year == int(year), Invoice.number == int(number))
    )
    if invoice is None:
        raise NotFound(_l("No such invoice."))
    return invoice
