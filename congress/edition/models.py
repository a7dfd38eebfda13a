"""The edition (``Event``): one row per congress, the anchor of every other table."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.expression import false

from congress.core.clock import now
from congress.core.models import Base, intpk, str80, str200


class Event(Base):
    __tablename__ = "event"
    __table_args__ = (CheckConstraint("last_day >= first_day", name="days_in_order"),)

    id: Mapped[intpk]
    slug: Mapped[str80] = mapped_column(unique=True)
    name: Mapped[str200]
    acronym: Mapped[str] = mapped_column(String(40), default="")
    venue: Mapped[str200]
    address: Mapped[str200]
    city: Mapped[str80]
    timezone: Mapped[str] = mapped_column(String(64))
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    # The venue's position (WGS 84 degrees) for the practical page's map links; None until set.
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    # Registration window; None on either side means open on that side.
    registration_opens_at: Mapped[datetime | None]
    registration_closes_at: Mapped[datetime | None]
    # Raised by every published programme change; keys caches, ETags and feeds.
    programme_version: Mapped[int] = mapped_column(Integer, default=1)
    programme_updated_at: Mapped[datetime] = mapped_column(default=now)
    # VAT of the edition's fees: the rate in percent, or, when the mention is not
    # empty, no VAT at all and that legal mention shown instead (franchise en base).
    vat_rate: Mapped[Decimal] = mapped_column(
        Numeric(5, 2), default=Decimal("20.00"), server_default="20.00"
    )
    vat_exemption: Mapped[str] = mapped_column(String(200), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=now)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def registration_open(self, moment: datetime) -> bool:
        opened = self.registration_opens_at is None or moment >= self.registration_opens_at
        return opened and (
            self.registration_closes_at is None or moment < self.registration_closes_at
        )

    @property
    def days(self) -> list[date]:
        """Every day of the edition, first to last."""
        count = (self.last_day - self.first_day).days + 1
        return [date.fromordinal(self.first_day.toordinal() + i) for i in range(count)]

    def __repr__(self) -> str:
        return f"<Event {self.slug}>"


class Organiser(Base):
    """Who runs the edition, as its quotes, invoices and certificates must name it.

    One row per edition (the seller of its fees). The legal mentions of a French
    invoice come from here: identity, SIRET, VAT number (or the edition's
    exemption), late-payment rate, payment term and bank details; certificates add
    the training-body declaration number when there is one.
    """

    __tablename__ = "organiser"
    __table_args__ = (
        CheckConstraint("payment_days BETWEEN 0 AND 60", name="payment_days_range"),
        CheckConstraint("quote_validity_days BETWEEN 1 AND 365", name="quote_validity_range"),
    )

    id: Mapped[intpk]
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), unique=True)
    legal_name: Mapped[str200]
    legal_form: Mapped[str] = mapped_column(String(120), default="")
    share_capital: Mapped[str] = mapped_column(String(60), default="")
    street: Mapped[str200]
    postcode: Mapped[str] = mapped_column(String(16))
    city: Mapped[str80]
    country_code: Mapped[str] = mapped_column(String(2), default="FR")
    siret: Mapped[str] = mapped_column(String(14))
    vat_number: Mapped[str] = mapped_column(String(20), default="")
    registry: Mapped[str] = mapped_column(String(120), default="")  # e.g. "RCS Le Mans"
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str] = mapped_column(String(32), default="")
    iban: Mapped[str] = mapped_column(String(34), default="")
    bic: Mapped[str] = mapped_column(String(11), default="")
    bank_name: Mapped[str] = mapped_column(String(120), default="")
    # Training body's declaration number (NDA), printed on attendance certificates.
    training_declaration: Mapped[str] = mapped_column(String(40), default="")
    signatory: Mapped[str] = mapped_column(String(120), default="")
    # Annual late-payment penalty rate in percent (Code de commerce L441-10).
    late_payment_rate: Mapped[Decimal] = mapped_column(
        Numeric(5, 2), default=Decimal("10.00"), server_default="10.00"
    )
    payment_days: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    quote_validity_days: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    invoice_on_confirmation: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )

    event: Mapped[Event] = relationship()

    @property
    def siren(self) -> str:
        return self.siret[:9]
