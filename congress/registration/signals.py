"""Signals registration sends when an attendee gets a seat or cancels.

Billing sits above registration (an invoice reads registrations) and must react
to both: an invoice issued at confirmation when the edition asks for it, a credit
note when an invoiced registration is cancelled. Registration never imports
billing; billing subscribes at start-up. Signals are sent inside the
registration's transaction, before its commit, so the invoice or credit note is
written in the same unit of work and a refusal rolls both back.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: sent with ``registration`` when it holds a confirmed seat (confirmation, promotion).
seat_confirmed = _signals.signal("seat-confirmed")
#: sent with ``registration`` when it is cancelled, after its rows changed.
cancelled = _signals.signal("registration-cancelled")
