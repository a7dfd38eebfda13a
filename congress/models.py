"""Every model module, imported once so the metadata is complete."""

from congress.accounts.models import RecoveryCode, Role, User
from congress.audit.models import AuditEntry, AuditHead
from congress.billing import guards
from congress.billing.models import (
    Invoice,
    InvoiceCounter,
    InvoiceLine,
    Payment,
    PaymentReminder,
)
from congress.cfp.models import CallForPapers, Submission, SubmissionSpeaker, SubmissionToken
from congress.core.models import Base
from congress.edition.models import Event, Organiser
from congress.mail.models import OutboxMessage
from congress.media.models import MediaImage
from congress.messaging.models import Message, MessageRecipient
from congress.partners.models import Partner
from congress.programme.models import Room, Speaker, Talk, TalkSpeaker, Track
from congress.registration.models import (
    AccessToken,
    AgendaItem,
    BillingDetails,
    CheckIn,
    Registration,
    SeatCounter,
    TicketCategory,
)
from congress.site.models import SiteSection

__all__ = [
    "AccessToken",
    "AgendaItem",
    "AuditEntry",
    "AuditHead",
    "BillingDetails",
    "CallForPapers",
    "CheckIn",
    "Event",
    "Invoice",
    "InvoiceCounter",
    "InvoiceLine",
    "MediaImage",
    "Message",
    "MessageRecipient",
    "Organiser",
    "OutboxMessage",
    "Partner",
    "Payment",
    "PaymentReminder",
    "RecoveryCode",
    "Registration",
    "Role",
    "Room",
    "SeatCounter",
    "SiteSection",
    "Speaker",
    "Submission",
    "SubmissionSpeaker",
    "SubmissionToken",
    "Talk",
    "TalkSpeaker",
    "TicketCategory",
    "Track",
    "User",
]

# A schema built from the models (the tests' databases) gets the invoice triggers the
# migrations install, so both enforce the same numbering and immutability rules.
guards.listen(Base.metadata)
