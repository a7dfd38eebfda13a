"""Messages from organisers to an audience of attendees, each sent once through the outbox."""
