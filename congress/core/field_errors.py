"""Several fields refused at once, each with its own message.

Why: a long form (the organiser's legal identity, a ticket category) checked
one field at a time makes the person submit again for every mistake. A service
runs each field's rule through a ``FieldChecks`` and raises one ``FieldErrors``
holding them all; it is still a ``DomainError`` (the first refusal is its
message and field), so code that knows only ``DomainError`` shows that one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from congress.core.errors import DomainError

__all__ = ["FieldChecks", "FieldErrors", "refusals"]

T = TypeVar("T")


class FieldErrors(DomainError):
    """Every refusal of one submission, in the order the fields were checked."""

    def __init__(self, errors: list[DomainError]) -> None:
        if not errors:
            raise ValueError("FieldErrors needs at least one refusal")
        super().__init__(errors[0].message, field=errors[0].field)
        self.errors = errors


def refusals(error: DomainError) -> list[DomainError]:
    """The single refusals an error stands for: all of a ``FieldErrors``, else itself."""
    return list(error.errors) if isinstance(error, FieldErrors) else [error]


class FieldChecks:
    """Runs field rules, keeping going after a refusal so that all are reported together."""

    def __init__(self) -> None:
        self.errors: list[DomainError] = []

    def run(self, rule: Callable[[], T], default: T) -> T:
        """``rule()``'s value, or ``default`` after noting its refusal."""
        try:
            return rule()
        except DomainError as error:
            self.errors.append(error)
            return default

    def refuse(self, error: DomainError) -> None:
        self.errors.append(error)

    def failed(self, field: str) -> bool:
        return any(error.field == field for error in self.errors)

    def raise_any(self) -> None:
        if self.errors:
            raise FieldErrors(self.errors)
