"""Signals the programme sends when a published talk changes.

The programme never imports registration (the dependency points the other
way); registration subscribes at start-up and queues its e-mails in the same
transaction as the change, because the signal is sent before the commit.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: sent with ``talk`` and ``changes`` ({field: [before, after]}) when the time,
#: room or status of a confirmed or cancelled talk changes, before the commit.
talk_changed = _signals.signal("talk-changed")
