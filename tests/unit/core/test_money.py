from decimal import Decimal

import pytest

from congress.core.money import Price, from_cents, to_cents, vat_of


def test_standard_rate_on_280():
    price = Price(Decimal("280.00"), Decimal("20.00"))
    assert price.vat == Decimal("56.00")
    assert price.gross == Decimal("336.00")
    assert str(price.gross) == "336.00"


def test_half_cent_rounds_up():
    # 0.25 × 20 % = 0.05 exactly; 0.03 × 5.5 % = 0.00165 → 0.00; 0.09 × 5.5 % = 0.00495 → 0.00
    assert Price(Decimal("0.25"), Decimal("20")).vat == Decimal("0.05")
    assert Price(Decimal("0.10"), Decimal("5.50")).vat == Decimal("0.01")  # 0.0055 → 0.01
    assert Price(Decimal("0.09"), Decimal("5.50")).vat == Decimal("0.00")  # 0.00495 → 0.00
    assert Price(Decimal("10.25"), Decimal("10")).vat == Decimal("1.03")  # 1.025 half-up
    assert Price(Decimal("10.25"), Decimal("10")).gross == Decimal("11.28")


def test_vat_on_the_sum_not_per_line():
    lines = [Decimal("0.10")] * 3
    # per line: 0.0055 → 0.01 each, 0.03; on the sum 0.30 × 5.5 % = 0.0165 → 0.02
    assert vat_of(lines, Decimal("5.50")) == Decimal("0.02")


def test_exemption_means_no_vat():
    price = Price(Decimal("280.00"), Decimal("20.00"), "TVA non applicable, art. 293 B du CGI")
    assert price.exempt
    assert price.vat == Decimal("0.00")
    assert price.gross == Decimal("280.00")


def test_free_and_cents():
    assert Price(from_cents(0)).free
    assert from_cents(28000) == Decimal("280.00")
    assert from_cents(5) == Decimal("0.05")
    assert to_cents(Decimal("336.00")) == 33600
    with pytest.raises(ValueError, match="not a whole number of cents"):
        to_cents(Decimal("0.005"))


def test_bad_values_refused():
    with pytest.raises(ValueError, match="cannot be negative"):
        Price(Decimal("-1"))
    with pytest.raises(ValueError, match="between 0 and 100"):
        Price(Decimal("1"), Decimal("100.01"))
