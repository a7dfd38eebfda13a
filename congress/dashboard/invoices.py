"""Organisers' invoicing: what is left to invoice, invoices issued, payments and reminders.

Every page and action needs ``MANAGE_BILLING`` (admins): the desk prints badges
but never sees invoices. The rules (who may be invoiced, numbering, credit
notes, what a payment may be) are ``billing``'s; these views parse, call one
service and show its answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField
from wtforms.validators import InputRequired, Length

from congress.accounts.permissions import Permission
from congress.audit.log import record
from congress.billing import payments, services
from congress.billing.models import DocumentKind, Invoice, Payment, PaymentMethod
from congress.billing.views import pdf_response
from congress.core.clock import now
from congress.core.errors import DomainError
from congress.core.forms import ButtonForm
from congress.core.spreadsheet import sheet_format, write_csv
from congress.dashboard.actions import button_action, show_refusal
from congress.dashboard.blueprint import bp, needs
from congress.edition.models import Event
from congress.edition.queries import current_event_or_404, organiser_of
from congress.extensions import db
from congress.i18n import gettext as _
from congress.i18n import lazy_gettext as _l

REQUIRED = _l("This field is required.")
METHOD_LABELS = {
    PaymentMethod.TRANSFER: _l("Bank transfer"),
    PaymentMethod.MANDATE: _l("Administrative mandate"),
    PaymentMethod.CHEQUE: _l("Cheque"),
}
AGE_LABELS = (
    _l("Not yet due"),
    _l("1 to 30 days late"),
    _l("31 to 60 days late"),
    _l("61 to 90 days late"),
    _l("Over 90 days late"),
)


class IssueForm(FlaskForm):
    payer = HiddenField(validators=[InputRequired(REQUIRED), Length(max=300)])


class PaymentForm(FlaskForm):
    amount = StringField(_l("Amount received (€)"), validators=[InputRequired(REQUIRED)])
    method = SelectField(_l("Means of payment"), validators=[InputRequired(REQUIRED)])
    paid_on = DateField(_l("Date received"), validators=[InputRequired(REQUIRED)])
    reference = StringField(
        _l("Reference (transfer label, mandate or cheque number)"), validators=[Length(max=120)]
    )


def _issuer() -> str:
    return str(current_user.email)


def _today(event: Event) -> date:
    return now().astimezone(event.zone).date()


@dataclass(frozen=True, slots=True)
class PayerGroup:
    key: str
    name: str
    siret: str
    public_body: bool
    count: int
    net: Decimal
    incomplete: list[str]


def _groups(event: Event) -> list[PayerGroup]:
    groups = []
    for key, registrations in services.invoiceable(event).items():
        incomplete = []
        for registration in registrations:
            try:
                services.require_details(registration)
            except DomainError:
                incomplete.append(registration.full_name)
        first = services.buyer(registrations[0])
        details = registrations[0].billing
        groups.append(
            PayerGroup(
                key=key,
                name=first.name,
                siret=first.siret,
                public_body=bool(details and details.public_body),
                count=len(registrations),
                net=sum((services.line_for(r).net for r in registrations), Decimal("0.00")),
                incomplete=incomplete,
            )
        )
    return sorted(groups, key=lambda group: group.name.casefold())


@bp.get("/invoices")
@needs(Permission.MANAGE_BILLING)
def invoices() -> str:
    event = current_event_or_404()
    balances = payments.balances(event.id)
    credit_notes = db.session.scalars(
        db.select(Invoice)
        .where(Invoice.event_id == event.id, Invoice.kind == DocumentKind.CREDIT_NOTE)
        .order_by(Invoice.year, Invoice.number)
    ).all()
    return render_template(
        "dashboard/invoices.html",
        event=event,
        organiser=organiser_of(event),
        groups=_groups(event),
        balances=balances,
        credit_notes=credit_notes,
        today=_today(event),
        issue_form=IssueForm(),
        form=ButtonForm(),
    )


@bp.post("/invoices/issue")
@needs(Permission.MANAGE_BILLING)
def invoice_issue() -> Response:
    event = current_event_or_404()
    form = IssueForm()
    if not form.validate_on_submit():
        abort(400)
    issued: list[Invoice] = []

    def issue() -> None:
        issued.append(services.issue_for_payer(event, form.payer.data, issued_by=_issuer()))

    try:
        issue()
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("dashboard.invoices"))
    flash(_("Invoice %(reference)s issued.", reference=issued[0].reference), "success")
    return redirect(url_for("dashboard.invoice_detail", reference=issued[0].reference))


def _invoice_or_404(reference: str) -> Invoice:
    invoice = services.invoice_by_reference(reference)
    if invoice.event_id != current_event_or_404().id:
        abort(404)
    return invoice


def _detail_page(invoice: Invoice, form: PaymentForm, status: int = 200) -> tuple[str, int]:
    event = invoice.event
    paid = db.session.scalars(
        db.select(Payment).where(Payment.invoice_id == invoice.id).order_by(Payment.paid_on)
    ).all()
    notes = db.session.scalars(
        db.select(Invoice).where(Invoice.credited_invoice_id == invoice.id)
    ).all()
    balance = payments.balance_of(invoice) if invoice.kind is DocumentKind.INVOICE else None
    return render_template(
        "dashboard/invoice_detail.html",
        event=event,
        invoice=invoice,
        balance=balance,
        payments=paid,
        credit_notes=notes,
        reminders=payments.reminders_count(event.id).get(invoice.id, 0),
        payment_form=form,
        form=ButtonForm(),
        method_labels=METHOD_LABELS,
        today=_today(event),
    ), status


def _payment_form() -> PaymentForm:
    form = PaymentForm()
    form.method.choices = [(method.value, str(label)) for method, label in METHOD_LABELS.items()]
    return form


@bp.get("/invoices/<reference>")
@needs(Permission.MANAGE_BILLING)
def invoice_detail(reference: str) -> tuple[str, int]:
    invoice = _invoice_or_404(reference)
    form = _payment_form()
    if not form.is_submitted():
        form.paid_on.data = _today(invoice.event)
    return _detail_page(invoice, form)


@bp.get("/invoices/<reference>.pdf")
@needs(Permission.MANAGE_BILLING)
def invoice_pdf(reference: str) -> Response:
    invoice = _invoice_or_404(reference)
    prefix = "avoir" if invoice.is_credit_note else "facture"
    return pdf_response(invoice.pdf, f"{prefix}-{invoice.reference}.pdf")


@bp.post("/invoices/<reference>/payments")
@needs(Permission.MANAGE_BILLING)
def invoice_payment(reference: str) -> Any:
    invoice = _invoice_or_404(reference)
    form = _payment_form()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        return _detail_page(invoice, form, 400)
    try:
        payments.record_payment(
            invoice,
            amount=payments.parse_amount(form.amount.data or ""),
            method=PaymentMethod(form.method.data),
            paid_on=form.paid_on.data,
            reference=form.reference.data or "",
            recorded_by=_issuer(),
        )
    except DomainError as error:
        return _detail_page(invoice, form, show_refusal(form, error))
    flash(_("Payment recorded."), "success")
    return redirect(url_for("dashboard.invoice_detail", reference=invoice.reference))


@bp.post("/invoices/<reference>/remind")
@needs(Permission.MANAGE_BILLING)
def invoice_remind(reference: str) -> Response:
    invoice = _invoice_or_404(reference)
    return button_action(
        lambda: payments.send_reminder(invoice, sent_by=_issuer()),
        _("Reminder queued for %(email)s.", email=invoice.buyer_email),
        url_for("dashboard.invoice_detail", reference=invoice.reference),
    )


@bp.post("/invoices/<reference>/credit")
@needs(Permission.MANAGE_BILLING)
def invoice_credit(reference: str) -> Response:
    invoice = _invoice_or_404(reference)
    notes: list[Invoice] = []
    target = url_for("dashboard.invoice_detail", reference=invoice.reference)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        notes.append(services.credit(invoice, issued_by=_issuer()))
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(target)
    flash(_("Credit note %(reference)s issued.", reference=notes[0].reference), "success")
    return redirect(target)


@dataclass(slots=True)
class PayerAge:
    name: str
    siret: str
    invoices: int
    owed: list[Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.owed, Decimal("0.00"))


@bp.get("/payments", endpoint="payments")
@needs(Permission.MANAGE_BILLING)
def payments_page() -> str:  # endpoint "dashboard.payments"
    event = current_event_or_404()
    today = _today(event)
    rows: dict[str, PayerAge] = {}
    outstanding = [b for b in payments.balances(event.id) if not b.settled]
    for balance in outstanding:
        invoice = balance.invoice
        row = rows.setdefault(
            invoice.payer_key,
            PayerAge(invoice.buyer_name, invoice.buyer_siret, 0, [Decimal("0.00")] * 5),
        )
        row.invoices += 1
        row.owed[payments.age_bucket(balance.days_late(today))] += balance.owed
    totals = [sum((row.owed[i] for row in rows.values()), Decimal("0.00")) for i in range(5)]
    return render_template(
        "dashboard/payments.html",
        event=event,
        rows=sorted(rows.values(), key=lambda row: (-row.total, row.name.casefold())),
        totals=totals,
        age_labels=AGE_LABELS,
        outstanding=sorted(outstanding, key=lambda b: b.invoice.due_on),
        today=today,
        form=ButtonForm(),
    )


@bp.get("/exports/accounting.csv")
@needs(Permission.MANAGE_BILLING)
def export_accounting() -> Response:
    """Invoices, credit notes and payments, one row each, for the accountant's journal."""
    event = current_event_or_404()
    documents = db.session.scalars(
        db.select(Invoice)
        .where(Invoice.event_id == event.id)
        .order_by(Invoice.year, Invoice.number)
    ).all()
    received = db.session.execute(
        db.select(Payment, Invoice)
        .join(Invoice, Invoice.id == Payment.invoice_id)
        .where(Invoice.event_id == event.id)
        .order_by(Payment.paid_on, Payment.id)
    ).all()
    language = str(get_locale() or "fr")
    sheet = sheet_format(language, event.zone, yes=_("Yes"), no=_("No"))
    header = [
        _("Type"),
        _("Number"),
        _("Date"),
        _("Buyer"),
        _("SIRET"),
        _("VAT number"),
        _("Order number"),
        _("Excl. VAT"),
        _("VAT"),
        _("Incl. VAT"),
        _("Due date"),
        _("Invoice referenced"),
        _("Means of payment"),
        _("Payment reference"),
    ]
    by_id = {document.id: document for document in documents}
    rows: list[list[Any]] = []
    for document in documents:
        sign = Decimal("-1") if document.is_credit_note else Decimal("1")
        credited = by_id.get(document.credited_invoice_id or 0)
        rows.append(
            [
                _("Credit note") if document.is_credit_note else _("Invoice"),
                document.reference,
                document.issued_on,
                document.buyer_name,
                document.buyer_siret,
                document.buyer_vat_number,
                document.order_number,
                sign * document.net_total,
                sign * document.vat_total,
                sign * document.gross_total,
                document.due_on,
                credited.reference if credited else "",
                "",
                "",
            ]
        )
    for payment, invoice in received:
        rows.append(
            [
                _("Payment"),
                invoice.reference,
                payment.paid_on,
                invoice.buyer_name,
                invoice.buyer_siret,
                invoice.buyer_vat_number,
                invoice.order_number,
                "",
                "",
                payment.amount,
                "",
                invoice.reference,
                str(METHOD_LABELS[payment.method]),
                payment.reference,
            ]
        )
    record(
        "export.downloaded",
        object_type="export",
        object_id="accounting",
        changes={"rows": [None, len(rows)]},
    )
    db.session.commit()
    body = write_csv(header, rows, sheet)
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{_("accounting")}-{event.slug}.csv"'
    )
    return response
