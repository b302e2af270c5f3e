"""Money arithmetic: every amount is a Decimal rounded half-up to cents."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def to_cents(amount: Decimal) -> Decimal:
    """Round an amount half-up to whole cents (2.345 -> 2.35)."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
