"""Registration tables.

Seats are counted in ``TicketCategory.seats_taken`` and ``SeatCounter.taken``,
changed only by conditional UPDATEs (see ``registration.capacity``), so two
confirmations racing for the last seat cannot both win, on PostgreSQL or SQLite.
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from congress.core.clock import now
from congress.core.models import Base, intpk, str80, str200, str_enum
from congress.edition.models import Event
from congress.programme.models import Talk


class OrganisationType(enum.StrEnum):
    PUBLIC_HOSPITAL = "public_hospital"
    PRIVATE_CLINIC = "private_clinic"
    AGENCY = "agency"
    VENDOR = "vendor"
    CONSULTANCY = "consultancy"
    ACADEMIC = "academic"
    OTHER = "other"


class JobRole(enum.StrEnum):
    CISO = "ciso"
    CIO = "cio"
    DPO = "dpo"
    PHYSICIAN = "physician"
    ENGINEER = "engineer"
    EXECUTIVE = "executive"
    STUDENT = "student"
    OTHER = "other"


class RegistrationStatus(enum.StrEnum):
    PENDING = "pending"  # e-mail not confirmed yet
    CONFIRMED = "confirmed"  # holds a seat
    WAITING = "waiting"  # confirmed e-mail, on the waiting list
    CANCELLED = "cancelled"

    @property
    def active(self) -> bool:
        return self is not RegistrationStatus.CANCELLED


class Payer(enum.StrEnum):
    """Who pays the fee: the attendee, or an employer (invoiced to the organisation)."""

    SELF = "self"
    EMPLOYER = "employer"


class TokenPurpose(enum.StrEnum):
    """Each token opens one door only (a feed token cannot cancel)."""

    CONFIRM = "confirm"
    MANAGE = "manage"
    FEED = "feed"


class TicketCategory(Base):
    __tablename__ = "ticket_category"
    __table_args__ = (
        UniqueConstraint("event_id", "slug", name="uq_ticket_category_event_slug"),
        CheckConstraint("capacity >= 0", name="capacity_positive"),
        CheckConstraint("seats_taken >= 0", name="seats_taken_positive"),
        CheckConstraint("price_cents >= 0", name="price_positive"),
        CheckConstraint(
            "early_price_cents IS NULL"
            " OR (early_price_cents >= 0 AND early_price_cents <= price_cents)",
            name="early_price_range",
        ),
    )

    id: Mapped[intpk]
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str80]
    name: Mapped[str200]
    name_en: Mapped[str] = mapped_column(String(200), default="")
    # Net price before tax, in integer cents (exact); VAT comes from the edition.
    price_cents: Mapped[int] = mapped_column(Integer, default=0)
    # Early-bird net price, applying strictly before ``early_until`` (UTC).
    early_price_cents: Mapped[int | None] = mapped_column(Integer)
    early_until: Mapped[datetime | None]
    capacity: Mapped[int] = mapped_column(Integer)
    # Not offered on the public form: speakers, guests, press, added by organisers.
    public: Mapped[bool] = mapped_column(Boolean, default=True)
    seats_taken: Mapped[int] = mapped_column(Integer, default=0)
    position: Mapped[int] = mapped_column(Integer, default=0)

    event: Mapped[Event] = relationship()

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)

    def label(self, language: str) -> str:
        return self.name_en if language == "en" and self.name_en else self.name


class Registration(Base):
    __tablename__ = "registration"
    __table_args__ = (
        # One active registration per address and edition; cancelled ones don't count.
        Index(
            "uq_registration_active_email",
            "event_id",
            "email",
            unique=True,
            sqlite_where=text("status != 'cancelled'"),
            postgresql_where=text("status != 'cancelled'"),
        ),
        Index("ix_registration_waiting", "category_id", "status", "waiting_since"),
        CheckConstraint("days_mask > 0 OR erased_at IS NOT NULL", name="days_chosen"),
    )

    id: Mapped[intpk]
    uid: Mapped[str] = mapped_column(String(36), unique=True, default=lambda: str(uuid.uuid4()))
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    category_id: Mapped[int] = mapped_column(ForeignKey("ticket_category.id"), index=True)
    status: Mapped[RegistrationStatus] = mapped_column(
        str_enum(RegistrationStatus, "registration_status"), default=RegistrationStatus.PENDING
    )
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(254))
    organisation: Mapped[str] = mapped_column(String(200))
    organisation_type: Mapped[OrganisationType] = mapped_column(
        str_enum(OrganisationType, "organisation_type")
    )
    job_role: Mapped[JobRole] = mapped_column(str_enum(JobRole, "job_role"))
    # Bit i set: attends day i of the edition (0 = first day).
    days_mask: Mapped[int] = mapped_column(Integer)
    # Health-revealing data: kept only with their own consent, deleted with the registration.
    accessibility_needs: Mapped[str] = mapped_column(Text, default="")
    dietary_needs: Mapped[str] = mapped_column(Text, default="")
    needs_consent_at: Mapped[datetime | None]
    privacy_consent_at: Mapped[datetime]
    newsletter: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str] = mapped_column(String(8), default="fr")
    # Folded name, e-mail and organisation, kept by the services for the organisers' search.
    search_text: Mapped[str] = mapped_column(Text, default="")
    # HMAC-derived secrets are recomputed on demand; only their hashes live here.
    checkin_code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    feed_generation: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)
    confirmed_at: Mapped[datetime | None]
    waiting_since: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    erased_at: Mapped[datetime | None]
    # When the attendance certificate was sent after the congress (sent once).
    certificate_sent_at: Mapped[datetime | None]

    event: Mapped[Event] = relationship()
    category: Mapped[TicketCategory] = relationship()
    agenda: Mapped[list[AgendaItem]] = relationship(
        back_populates="registration", cascade="all, delete-orphan"
    )
    tokens: Mapped[list[AccessToken]] = relationship(
        back_populates="registration", cascade="all, delete-orphan"
    )

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def attends(self, day: date) -> bool:
        index = (day - self.event.first_day).days
        return index >= 0 and bool(self.days_mask & (1 << index))

    @property
    def days(self) -> list[date]:
        return [day for day in self.event.days if self.attends(day)]


class BillingDetails(Base):
    """Who pays a registration and where its quote and invoice go.

    Entered with the registration and editable from the private link until the
    first invoice is issued: billing sets ``invoiced_at`` and the invoice keeps
    its own copy of these values, so the retention purge may blank this row while
    the invoice stays whole for its legal period. A public payer (Chorus Pro) may
    need a service code and an engagement (purchase-order) number on the invoice.
    """

    __tablename__ = "billing_details"

    id: Mapped[intpk]
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), unique=True
    )
    payer: Mapped[Payer] = mapped_column(str_enum(Payer, "payer"), default=Payer.EMPLOYER)
    public_body: Mapped[bool] = mapped_column(Boolean, default=False)
    legal_name: Mapped[str] = mapped_column(String(200), default="")
    siret: Mapped[str] = mapped_column(String(14), default="")
    vat_number: Mapped[str] = mapped_column(String(20), default="")
    street: Mapped[str] = mapped_column(String(200), default="")
    postcode: Mapped[str] = mapped_column(String(16), default="")
    city: Mapped[str] = mapped_column(String(80), default="")
    country_code: Mapped[str] = mapped_column(String(2), default="FR")
    service_code: Mapped[str] = mapped_column(String(100), default="")
    order_number: Mapped[str] = mapped_column(String(50), default="")
    invoice_email: Mapped[str] = mapped_column(String(254), default="")
    invoiced_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=now)

    registration: Mapped[Registration] = relationship(
        backref=backref("billing", uselist=False, cascade="all, delete-orphan")
    )

    @property
    def siren(self) -> str:
        return self.siret[:9]


class AccessToken(Base):
    __tablename__ = "access_token"

    id: Mapped[intpk]
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[TokenPurpose] = mapped_column(str_enum(TokenPurpose, "token_purpose"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    expires_at: Mapped[datetime | None]
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    registration: Mapped[Registration] = relationship(back_populates="tokens")


class AgendaItem(Base):
    __tablename__ = "agenda_item"

    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), primary_key=True
    )
    talk_id: Mapped[int] = mapped_column(
        ForeignKey("talk.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    holds_seat: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=now)

    registration: Mapped[Registration] = relationship(back_populates="agenda")
    talk: Mapped[Talk] = relationship()


class SeatCounter(Base):
    """Seats reserved in a talk with a seat limit (workshops)."""

    __tablename__ = "seat_counter"
    __table_args__ = (CheckConstraint("taken >= 0", name="taken_positive"),)

    talk_id: Mapped[int] = mapped_column(
        ForeignKey("talk.id", ondelete="CASCADE"), primary_key=True
    )
    taken: Mapped[int] = mapped_column(Integer, default=0)


class CheckIn(Base):
    """Presence of a confirmed attendee on one day, recorded once at the desk."""

    __tablename__ = "check_in"
    __table_args__ = (
        UniqueConstraint("registration_id", "day", name="uq_check_in_registration_day"),
    )

    id: Mapped[intpk]
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[date] = mapped_column(Date)
    checked_in_at: Mapped[datetime] = mapped_column(default=now)
    by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    by_label: Mapped[str] = mapped_column(String(254), default="")

    registration: Mapped[Registration] = relationship()
