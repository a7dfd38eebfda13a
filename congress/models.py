"""Every model module, imported once so the metadata is complete."""

from congress.accounts.models import RecoveryCode, Role, User
from congress.audit.models import AuditEntry, AuditHead
from congress.edition.models import Event
from congress.mail.models import OutboxMessage
from congress.media.models import MediaImage
from congress.messaging.models import Message, MessageRecipient
from congress.partners.models import Partner
from congress.programme.models import Room, Speaker, Talk, TalkSpeaker, Track
from congress.registration.models import (
    AccessToken,
    AgendaItem,
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
    "CheckIn",
    "Event",
    "MediaImage",
    "Message",
    "MessageRecipient",
    "OutboxMessage",
    "Partner",
    "RecoveryCode",
    "Registration",
    "Role",
    "Room",
    "SeatCounter",
    "SiteSection",
    "Speaker",
    "Talk",
    "TalkSpeaker",
    "TicketCategory",
    "Track",
    "User",
]
