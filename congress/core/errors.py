"""Domain errors raised by services and mapped to one 4xx answer in the views.

Each error carries a message already marked for translation, so the page that
shows it speaks the user's language without the service knowing about requests.
"""

from __future__ import annotations


class DomainError(Exception):
    """A rule refused the operation; nothing was changed."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    status_code = 404


class Conflict(DomainError):
    status_code = 409


class CapacityReached(Conflict):
    pass


class Expired(DomainError):
    status_code = 410


class Forbidden(DomainError):
    status_code = 403
