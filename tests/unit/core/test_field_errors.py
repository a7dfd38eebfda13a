"""Several refused fields reported together (``core.field_errors``)."""

from __future__ import annotations

import pytest

from congress.core.errors import DomainError
from congress.core.field_errors import FieldChecks, FieldErrors, refusals

pytestmark = pytest.mark.unit


def _refuse(field: str) -> str:
    raise DomainError(f"bad {field}", field=field)


def test_checks_keep_going_and_raise_every_refusal_in_order():
    checks = FieldChecks()
    assert checks.run(lambda: "ok", "") == "ok"
    assert checks.run(lambda: _refuse("siret"), "default") == "default"
    checks.refuse(DomainError("bad iban", field="iban"))
    assert checks.failed("siret")
    assert not checks.failed("email")
    with pytest.raises(FieldErrors) as caught:
        checks.raise_any()
    assert [(e.field, e.message) for e in caught.value.errors] == [
        ("siret", "bad siret"),
        ("iban", "bad iban"),
    ]
    # Code that knows only DomainError sees the first refusal.
    assert (caught.value.field, caught.value.message, caught.value.status_code) == (
        "siret",
        "bad siret",
        400,
    )


def test_no_refusal_raises_nothing():
    FieldChecks().raise_any()


def test_refusals_of_a_single_error_is_itself():
    error = DomainError("bad", field="x")
    assert refusals(error) == [error]
    assert refusals(FieldErrors([error, error])) == [error, error]


def test_field_errors_needs_a_refusal():
    with pytest.raises(ValueError, match="at least one refusal"):
        FieldErrors([])
