"""The programme: rooms, tracks, speakers and talks (the UI calls a talk a session)."""
