"""The "messages you received" panel of the attendee's private page.

Registration does not know messaging (it sits below it); it offers a list of
panel providers (``registration.panels``) and ``web.py`` registers this one at
start-up.
"""

from __future__ import annotations

from flask import render_template
from flask_babel import get_locale
from markupsafe import Markup

from congress.messaging.queries import received
from congress.registration.models import Registration


def received_messages(registration: Registration) -> Markup | None:
    """The panel, or None when the attendee has received nothing."""
    items = received(registration.id)
    if not items:
        return None
    language = str(get_locale() or "fr")
    shown = [(message.text(language), recipient.created_at) for message, recipient in items]
    # A template rendered with autoescape on: its output is safe HTML already.
    html = render_template("messaging/received.html", messages=shown, event=registration.event)
    return Markup(html)  # noqa: S704  # nosec B704


def received_data(registration: Registration) -> list[dict[str, str]]:
    """The messages given to the attendee, for their data export: as they read them."""
    sections = []
    for message, recipient in received(registration.id):
        subject, body = message.text(recipient.language)
        sections.append(
            {"subject": subject, "body": body, "received_at": recipient.created_at.isoformat()}
        )
    return sections
