"""Extension points of the attendee's private page: panels and data from packages above.

Registration sits below the packages that may want a place on ``/r/<token>``
(messaging, later billing): they must not be imported from here. Each registers
a provider at start-up (``web.py``); the page asks every provider for its panel
and shows those that answer. A provider returns safe HTML or None.

The same packages hold personal data about the attendee (the messages they were
given), which the right of access must return: each registers a data section
too, and ``services.export_data`` adds every section to ``data.json``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from congress.registration.models import Registration

Provider = Callable[[Registration], Markup | None]
DataProvider = Callable[[Registration], Any]

_providers: list[Provider] = []
_data: dict[str, DataProvider] = {}


def register(provider: Provider) -> None:
    """Add a provider once (the app factory may run many times in one process)."""
    if provider not in _providers:
        _providers.append(provider)


def for_registration(registration: Registration) -> list[Markup]:
    """The panels to show on this registration's private page, in registration order."""
    panels = []
    for provider in _providers:
        panel = provider(registration)
        if panel is not None:
            panels.append(panel)
    return panels


def register_data(name: str, provider: DataProvider) -> None:
    """Add a section ``name`` to the attendee's data export (JSON-ready values)."""
    _data[name] = provider


def data_for(registration: Registration) -> dict[str, Any]:
    """Every registered section of this registration's data, by name."""
    return {name: provider(registration) for name, provider in _data.items()}
