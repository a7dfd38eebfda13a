"""Every model module, imported once so the metadata is complete."""

from congress.accounts.models import Role, User
from congress.edition.models import Event
from congress.programme.models import Room, Speaker, Talk, TalkSpeaker, Track

__all__ = ["Event", "Role", "Room", "Speaker", "Talk", "TalkSpeaker", "Track", "User"]
